/* wsign show: signatures, key ids, algorithms and signed ranges of a binary. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_KEYS 64

static void help(FILE *out) {
  fprintf(out,
          "usage: wsign show IN.wasm [--detached SIG] [-K KEY.pub ...] [--json]\n"
          "Print the signature data of a binary: signed hash sets, signatures (key id, algorithm),\n"
          "the parts (ranges between signature_delimiter sections) and which parts each set covers.\n"
          "With -K, also say which signatures verify with which key.\n"
          "\n"
          "  -d, --detached FILE  read the signature data from FILE\n"
          "  -K, --key FILE       public key to check signatures with (repeatable)\n"
          "      --json           JSON output\n"
          "  -q, --quiet          print nothing (exit status only: 0 when the input parses)\n"
          "  -h, --help           show this help\n");
}

/* Parts of the layout matched by the set's hashes, in order from the first. */
static size_t matched_prefix(const wk_sig_set *s, const wk_sig_layout *l) {
  size_t m = 0;
  while (m < s->nhashes && m < l->nparts &&
         !memcmp(s->hashes + m * WK_SIG_HASH_LEN, l->part_hash + m * WK_SIG_HASH_LEN, WK_SIG_HASH_LEN))
    m++;
  return m;
}

static const char *coverage(const wk_sig_set *s, const wk_sig_layout *l, size_t m) {
  if (m == s->nhashes && m == l->nparts) return "whole";
  if (m > 0 && l->part_delimited[m - 1]) return "prefix";
  return "mismatch";
}

int cmd_show(int argc, char **argv) {
  static const struct option opts[] = {{"detached", required_argument, 0, 'd'}, {"key", required_argument, 0, 'K'},
                                       {"json", no_argument, 0, 'J'},           {"quiet", no_argument, 0, 'q'},
                                       {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  const char *det = NULL, *in = NULL, *keyfiles[MAX_KEYS];
  size_t nkeys = 0;
  int json = 0, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "d:K:k:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'd': det = optarg; break;
    case 'K':
    case 'k':
      if (nkeys == MAX_KEYS) return usage_error("show ", "too many keys (max %d)", MAX_KEYS);
      keyfiles[nkeys++] = optarg;
      break;
    case 'J': json = 1; break;
    case 'q': g_quiet = 1; break;
    case 'h': help(stdout); return EXIT_OK;
    default: return usage_error("show ", "bad option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc) in = argv[optind++];
  if (optind < argc) return usage_error("show ", "unexpected argument '%s'", argv[optind]);
  if (!in) return usage_error("show ", "missing input file");

  wk_sign_key *keys[MAX_KEYS] = {0};
  uint8_t *data = NULL, *sig = NULL;
  size_t len = 0, sig_len = 0;
  wk_arena arena = {0};
  wk_sig_layout lay;
  wk_sig_data sd;
  memset(&sd, 0, sizeof sd);
  wk_error e;
  wk_error_clear(&e);
  int rc = EXIT_OK, have_sig = 0;
  wk_buf msg = {0};
  cJSON *j = NULL;
  for (size_t i = 0; i < nkeys; i++)
    if (load_key(keyfiles[i], 0, &keys[i])) { rc = EXIT_FAIL; goto out; }
  if (wk_read_file(in, &data, &len, &e)) { rc = fail(in, &e); goto out; }
  if (det && wk_read_file(det, &sig, &sig_len, &e)) { rc = fail(det, &e); goto out; }
  if (wk_sig_layout_compute(data, len, det != NULL, &arena, &lay, &e)) { rc = fail(in, &e); goto out; }
  if (det) {
    if (wk_sig_data_parse(sig, sig_len, 0, &arena, &sd, &e)) { rc = fail(det, &e); goto out; }
    have_sig = 1;
  } else if (lay.has_embedded) {
    if (wk_sig_data_parse(data + lay.sig_payload_offset, lay.sig_payload_len, lay.sig_payload_offset, &arena, &sd, &e)) {
      rc = fail(in, &e);
      goto out;
    }
    have_sig = 1;
  }
  if (g_quiet) goto out;

  const char *kind = lay.kind == 2 ? "component" : "core module";
  char h[2 * WK_SIG_HASH_LEN + 1];
  j = cJSON_CreateObject();
  cJSON_AddStringToObject(j, "file", in);
  cJSON_AddStringToObject(j, "kind", lay.kind == 2 ? "component" : "module");
  cJSON_AddNumberToObject(j, "size", (double)len);
  if (!json) printf("%s: %s, %zu bytes\n", in, kind, len);
  cJSON *js = cJSON_AddObjectToObject(j, "signature");
  if (!have_sig) {
    cJSON_AddStringToObject(js, "source", "none");
    if (!json) printf("not signed (no signature section)\n");
  } else {
    cJSON_AddStringToObject(js, "source", det ? "detached" : "embedded");
    if (det) {
      cJSON_AddStringToObject(js, "file", det);
      cJSON_AddNumberToObject(js, "size", (double)sig_len);
    } else {
      cJSON_AddNumberToObject(js, "section_offset", (double)lay.sig_section_offset);
      cJSON_AddNumberToObject(js, "payload_offset", (double)lay.sig_payload_offset);
      cJSON_AddNumberToObject(js, "payload_size", (double)lay.sig_payload_len);
    }
    cJSON_AddNumberToObject(js, "spec_version", sd.spec_version);
    cJSON_AddNumberToObject(js, "content_type", sd.content_type);
    cJSON_AddStringToObject(js, "hash_function", "sha256");
    if (!json) {
      if (det) printf("detached signature %s: %zu bytes", det, sig_len);
      else printf("signature section at 0x%zx: payload %zu bytes at 0x%zx", lay.sig_section_offset, lay.sig_payload_len,
                  lay.sig_payload_offset);
      printf(", spec version %u, content type %u, hash sha256\n", sd.spec_version, sd.content_type);
    }
  }
  if (!json)
    printf("signed content: bytes %zu..%zu, %zu section%s, %zu part%s\n", lay.body_offset, len, lay.nsections,
           lay.nsections == 1 ? "" : "s", lay.nparts, lay.nparts == 1 ? "" : "s");
  cJSON_AddNumberToObject(j, "body_offset", (double)lay.body_offset);
  cJSON *jp = cJSON_AddArrayToObject(j, "parts");
  for (size_t p = 0; p < lay.nparts; p++) {
    size_t start = p ? lay.part_end[p - 1] : lay.body_offset;
    to_hex(h, lay.part_hash + p * WK_SIG_HASH_LEN, WK_SIG_HASH_LEN);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "start", (double)start);
    cJSON_AddNumberToObject(o, "end", (double)lay.part_end[p]);
    int empty = lay.part_end[p] == start;
    if (!empty) {
      cJSON_AddNumberToObject(o, "first_section", (double)lay.part_first_section[p]);
      cJSON_AddNumberToObject(o, "last_section", (double)lay.part_last_section[p]);
    }
    cJSON_AddBoolToObject(o, "delimited", lay.part_delimited[p]);
    cJSON_AddStringToObject(o, "hash", h);
    cJSON_AddItemToArray(jp, o);
    if (!json) {
      printf("  part %zu: bytes %zu..%zu", p + 1, start, lay.part_end[p]);
      if (!empty) printf(", sections %zu..%zu", lay.part_first_section[p], lay.part_last_section[p]);
      printf(", %s, rolling sha256 %s\n", lay.part_delimited[p] ? "ends with a delimiter" : "no delimiter", h);
    }
  }
  cJSON *jsets = cJSON_AddArrayToObject(j, "signed_hash_sets");
  for (size_t s = 0; s < sd.nsets; s++) {
    const wk_sig_set *set = &sd.sets[s];
    size_t m = matched_prefix(set, &lay);
    const char *cov = coverage(set, &lay, m);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "offset", (double)set->offset);
    cJSON_AddStringToObject(o, "coverage", cov);
    cJSON_AddNumberToObject(o, "matching_parts", (double)m);
    if (!json) {
      printf("signed hash set %zu (%zu hash%s) at 0x%zx: ", s + 1, set->nhashes, set->nhashes == 1 ? "" : "es",
             set->offset);
      if (!strcmp(cov, "whole")) printf("covers the whole binary (bytes %zu..%zu)\n", lay.body_offset, len);
      else if (!strcmp(cov, "prefix"))
        printf("covers parts 1..%zu only (bytes %zu..%zu)\n", m, lay.body_offset, lay.part_end[m - 1]);
      else printf("does NOT match the content (%zu of %zu hashes match)\n", m, set->nhashes);
    }
    cJSON *jh = cJSON_AddArrayToObject(o, "hashes");
    for (size_t i = 0; i < set->nhashes; i++) {
      to_hex(h, set->hashes + i * WK_SIG_HASH_LEN, WK_SIG_HASH_LEN);
      cJSON *ho = cJSON_CreateObject();
      cJSON_AddStringToObject(ho, "hash", h);
      int match = i < lay.nparts && !memcmp(set->hashes + i * WK_SIG_HASH_LEN, lay.part_hash + i * WK_SIG_HASH_LEN,
                                           WK_SIG_HASH_LEN);
      cJSON_AddBoolToObject(ho, "matches_part", match);
      if (i < lay.nparts) {
        cJSON_AddNumberToObject(ho, "range_start", (double)lay.body_offset);
        cJSON_AddNumberToObject(ho, "range_end", (double)lay.part_end[i]);
      }
      cJSON_AddItemToArray(jh, ho);
      if (!json) printf("  hash %zu: %s %s\n", i + 1, h, match ? "(matches)" : "(differs)");
    }
    msg.len = 0;
    wk_sig_message(set->hashes, set->nhashes, &msg);
    cJSON *jsig = cJSON_AddArrayToObject(o, "signatures");
    for (size_t k = 0; k < set->nsigs; k++) {
      const wk_sig_entry *r = &set->sigs[k];
      const char *an = wk_sig_alg_name(r->alg);
      char kid[2 * 256 + 1] = "";
      if (r->key_id_len && r->key_id_len <= 256) to_hex(kid, r->key_id, r->key_id_len);
      cJSON *so = cJSON_CreateObject();
      cJSON_AddNumberToObject(so, "offset", (double)r->offset);
      if (r->key_id_len) cJSON_AddStringToObject(so, "key_id", kid);
      else cJSON_AddNullToObject(so, "key_id");
      cJSON_AddNumberToObject(so, "algorithm_id", r->alg);
      if (an) cJSON_AddStringToObject(so, "algorithm", an);
      else cJSON_AddNullToObject(so, "algorithm");
      cJSON_AddNumberToObject(so, "signature_bytes", (double)r->sig_len);
      const char *verified_by = NULL;
      for (size_t q = 0; q < nkeys && !verified_by; q++) {
        if (wk_sign_key_alg(keys[q]) != r->alg) continue;
        if (r->key_id_len &&
            (r->key_id_len != WK_SIG_KEY_ID_LEN || memcmp(r->key_id, wk_sign_key_id(keys[q]), WK_SIG_KEY_ID_LEN)))
          continue;
        if (wk_verify_raw(keys[q], msg.data, msg.len, r->sig, r->sig_len, NULL) == WK_OK) verified_by = keyfiles[q];
      }
      if (nkeys) {
        if (verified_by) cJSON_AddStringToObject(so, "verified_by", verified_by);
        else cJSON_AddNullToObject(so, "verified_by");
      }
      cJSON_AddItemToArray(jsig, so);
      if (!json) {
        printf("  signature %zu at 0x%zx: %s, key id %s, %zu bytes", k + 1, r->offset, an ? an : "unknown algorithm",
               r->key_id_len ? (r->key_id_len <= 256 ? kid : "(long)") : "(none)", r->sig_len);
        if (!an) printf(" (algorithm id 0x%02x)", r->alg);
        if (nkeys) printf(", %s%s", verified_by ? "verified by " : "not verified by the given keys", verified_by ? verified_by : "");
        printf("\n");
      }
    }
    cJSON_AddItemToArray(jsets, o);
  }
  if (json) {
    char *s = cJSON_Print(j);
    if (s) puts(s);
    free(s);
  }
out:
  cJSON_Delete(j);
  wk_buf_free(&msg);
  wk_arena_free(&arena);
  for (size_t i = 0; i < nkeys; i++) wk_sign_key_free(keys[i]);
  free(data);
  free(sig);
  return rc;
}
