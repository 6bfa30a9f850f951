/* bench kernel: a CoreMark-style mix (our own code, modelled on the kinds of
 * work CoreMark does): linked-list find/reverse/sort, small integer matrix
 * ops, a state machine scanning a string of numbers, and CRC-16 over all
 * intermediate results. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CRC-16/CCITT (poly 0x1021), bitwise */
static uint16_t crc16(uint16_t crc, uint32_t v, int bytes) {
  for (int b = 0; b < bytes; b++) {
    crc ^= (uint16_t)(((v >> (8 * b)) & 0xff) << 8);
    for (int i = 0; i < 8; i++) crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
  }
  return crc;
}

/* ---- linked list ---- */
typedef struct node {
  struct node *next;
  int16_t key, val;
} node;

static node *list_reverse(node *l) {
  node *r = NULL;
  while (l) {
    node *n = l->next;
    l->next = r, r = l, l = n;
  }
  return r;
}

static node *list_find(node *l, int16_t key) {
  while (l && l->key != key) l = l->next;
  return l;
}

/* merge sort of a list by val (CoreMark sorts its list too) */
static node *list_sort(node *l, int by_key) {
  int k = 1;
  for (;;) {
    node *p = l, *tail = NULL;
    l = NULL;
    int merges = 0;
    while (p) {
      merges++;
      node *q = p;
      int ps = 0;
      for (int i = 0; i < k && q; i++) ps++, q = q->next;
      int qs = k;
      while (ps > 0 || (qs > 0 && q)) {
        node *e;
        if (ps == 0) e = q, q = q->next, qs--;
        else if (qs == 0 || !q) e = p, p = p->next, ps--;
        else if ((by_key ? p->key - q->key : p->val - q->val) <= 0) e = p, p = p->next, ps--;
        else e = q, q = q->next, qs--;
        if (tail) tail->next = e;
        else l = e;
        tail = e;
      }
      p = q;
    }
    tail->next = NULL;
    if (merges <= 1) return l;
    k *= 2;
  }
}

/* ---- matrix ---- */
#define MN 16
static uint16_t matrix_work(int16_t *A, int16_t *B, int32_t *C, int16_t seed, uint16_t crc) {
  for (int i = 0; i < MN * MN; i++) A[i] = (int16_t)(A[i] + seed);
  for (int i = 0; i < MN; i++)
    for (int j = 0; j < MN; j++) {
      int32_t s = 0;
      for (int k = 0; k < MN; k++) s += (int32_t)A[i * MN + k] * B[k * MN + j];
      C[i * MN + j] = s;
    }
  int32_t acc = 0;
  for (int i = 0; i < MN * MN; i++) {
    int32_t v = (C[i] >> 2) & 0xfff;
    acc += v > 1000 ? 10 : v & 7;
  }
  crc = crc16(crc, (uint32_t)acc, 4);
  for (int i = 0; i < MN * MN; i++) A[i] = (int16_t)(A[i] - seed);
  return crc;
}

/* ---- state machine: classify comma separated tokens ---- */
enum { S_START, S_INT, S_FLOAT, S_EXP, S_SCI, S_INVALID, S_NSTATES };
static uint16_t state_work(const char *s, uint16_t crc) {
  uint32_t counts[S_NSTATES] = {0};
  int st = S_START;
  for (;; s++) {
    char c = *s;
    if (c == ',' || c == 0) {
      counts[st]++;
      st = S_START;
      if (!c) break;
      continue;
    }
    switch (st) {
    case S_START:
      st = (c >= '0' && c <= '9') || c == '-' || c == '+' ? S_INT : c == '.' ? S_FLOAT : S_INVALID;
      break;
    case S_INT: st = c == '.' ? S_FLOAT : (c >= '0' && c <= '9') ? S_INT : S_INVALID; break;
    case S_FLOAT: st = c == 'e' || c == 'E' ? S_EXP : (c >= '0' && c <= '9') ? S_FLOAT : S_INVALID; break;
    case S_EXP: st = (c >= '0' && c <= '9') || c == '-' || c == '+' ? S_SCI : S_INVALID; break;
    case S_SCI: st = (c >= '0' && c <= '9') ? S_SCI : S_INVALID; break;
    default: break;
    }
  }
  for (int i = 0; i < S_NSTATES; i++) crc = crc16(crc, counts[i], 4);
  return crc;
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 4000;
  enum { NN = 400 };
  node *nodes = malloc(NN * sizeof *nodes);
  int16_t *A = malloc(MN * MN * 2), *B = malloc(MN * MN * 2);
  int32_t *C = malloc(MN * MN * 4);
  char *text = malloc(4096);
  if (!nodes || !A || !B || !C || !text) return 1;
  uint32_t x = 7;
  for (int i = 0; i < NN; i++) {
    x = x * 1103515245u + 12345u;
    nodes[i].key = (int16_t)i;
    nodes[i].val = (int16_t)(x >> 17);
    nodes[i].next = i + 1 < NN ? &nodes[i + 1] : NULL;
  }
  node *list = nodes;
  for (int i = 0; i < MN * MN; i++) {
    x = x * 1103515245u + 12345u;
    A[i] = (int16_t)((x >> 16) & 0xff);
    x = x * 1103515245u + 12345u;
    B[i] = (int16_t)((x >> 16) & 0xff);
  }
  static const char *toks[] = {"5012", "1234", "-874", "+122", "35.54400", ".1234500", "-110.700", "+0.64400",
                               "5.500e+3", "-.123e-2", "-87e+832", "+0.6e-12", "T0.3e-1F", "-T.T++Tq", "1T3.4e4z",
                               "34.0e-T^"};
  size_t tl = 0;
  for (int i = 0; tl < 4000; i++) {
    x = x * 1103515245u + 12345u;
    const char *t = toks[(x >> 16) & 15];
    size_t l = strlen(t);
    memcpy(text + tl, t, l);
    tl += l;
    text[tl++] = ',';
  }
  text[tl - 1] = 0;

  uint16_t crc = 0;
  for (int it = 0; it < iters; it++) {
    /* list: find some keys, reverse, sort by val, sort back by key */
    for (int k = 0; k < 8; k++) {
      node *f = list_find(list, (int16_t)((it * 7 + k * 53) % (NN + 20)));
      crc = crc16(crc, f ? (uint32_t)(uint16_t)f->val : 0xffffu, 2);
    }
    list = list_reverse(list);
    crc = crc16(crc, (uint32_t)(uint16_t)list->key, 2);
    list = list_sort(list, 0);
    crc = crc16(crc, (uint32_t)(uint16_t)list->val, 2);
    list = list_sort(list, 1);
    crc = matrix_work(A, B, C, (int16_t)(it & 0xff), crc);
    crc = state_work(text, crc);
  }
  printf("checksum: %04x\n", crc);
  return 0;
}
