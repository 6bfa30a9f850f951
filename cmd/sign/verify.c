/* wsign verify: check a signature against one or more public keys. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_KEYS 256

static void help(FILE *out) {
  fprintf(out,
          "usage: wsign verify -K KEY.pub [-K KEY2.pub ...] IN.wasm [--detached SIG] [--split]\n"
          "Exit 0 when a signature by one of the keys verifies over the whole binary (with --split:\n"
          "over the parts up to a signature_delimiter; later content is reported as not covered).\n"
          "Exit 1 with the reason otherwise (no signature, unknown key, modified content, malformed).\n"
          "\n"
          "  -K, --key FILE       public key (PEM/DER SubjectPublicKeyInfo, wasmsign2 raw, or a\n"
          "                       private key); repeat for several keys\n"
          "  -d, --detached FILE  detached signature data (the module needs no signature section)\n"
          "  -s, --split          partial verification (Signatures.md \"Partial verification\")\n"
          "      --json           print the result as JSON\n"
          "  -q, --quiet          print nothing on success\n"
          "  -h, --help           show this help\n");
}

int cmd_verify(int argc, char **argv) {
  static const struct option opts[] = {{"key", required_argument, 0, 'K'}, {"detached", required_argument, 0, 'd'},
                                       {"split", no_argument, 0, 's'},     {"json", no_argument, 0, 'J'},
                                       {"quiet", no_argument, 0, 'q'},     {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *keyfiles[MAX_KEYS];
  size_t nkeys = 0;
  const char *det = NULL, *in = NULL;
  int partial = 0, json = 0, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "K:k:d:sqh", opts, NULL)) != -1) {
    switch (c) {
    case 'K':
    case 'k':
      if (nkeys == MAX_KEYS) return usage_error("verify ", "too many keys (max %d)", MAX_KEYS);
      keyfiles[nkeys++] = optarg;
      break;
    case 'd': det = optarg; break;
    case 's': partial = 1; break;
    case 'J': json = 1; break;
    case 'q': g_quiet = 1; break;
    case 'h': help(stdout); return EXIT_OK;
    default: return usage_error("verify ", "bad option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc) in = argv[optind++];
  if (optind < argc) return usage_error("verify ", "unexpected argument '%s'", argv[optind]);
  if (!in) return usage_error("verify ", "missing input file");
  if (!nkeys) return usage_error("verify ", "missing -K KEY.pub");

  wk_sign_key *keys[MAX_KEYS] = {0};
  int rc = EXIT_OK;
  infile inf = {0};
  uint8_t *sig = NULL;
  size_t sig_len = 0;
  wk_error e;
  wk_error_clear(&e);
  for (size_t i = 0; i < nkeys; i++)
    if (load_key(keyfiles[i], 0, &keys[i])) {
      rc = EXIT_FAIL;
      goto out;
    }
  if (infile_read(in, &inf, &e)) {
    rc = fail(in, &e);
    goto out;
  }
  if (det && read_sig_file(det, &sig, &sig_len)) {
    rc = EXIT_FAIL;
    goto out;
  }
  wk_verify_result res;
  const uint8_t *data = inf.data;
  size_t len = inf.len;
  int vrc = wk_verify_module(data, len, sig, sig_len, keys, nkeys, partial, &res, &e);
  if (json) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "input", in);
    cJSON_AddBoolToObject(j, "verified", vrc == WK_OK);
    if (vrc == WK_OK) {
      char id[2 * WK_SIG_KEY_ID_LEN + 1];
      to_hex(id, wk_sign_key_id(keys[res.key_index]), WK_SIG_KEY_ID_LEN);
      cJSON_AddStringToObject(j, "key", keyfiles[res.key_index]);
      cJSON_AddStringToObject(j, "key_id", id);
      cJSON_AddStringToObject(j, "algorithm", wk_sig_alg_name(wk_sign_key_alg(keys[res.key_index])));
      cJSON_AddNumberToObject(j, "signed_hash_set", (double)res.set_index);
      cJSON_AddNumberToObject(j, "signature", (double)res.sig_index);
      cJSON_AddNumberToObject(j, "parts_verified", (double)res.parts_verified);
      cJSON_AddNumberToObject(j, "parts", (double)res.nparts);
      cJSON_AddNumberToObject(j, "verified_start", (double)res.body_offset);
      cJSON_AddNumberToObject(j, "verified_end", (double)res.verified_end);
      cJSON_AddNumberToObject(j, "size", (double)len);
      cJSON_AddBoolToObject(j, "complete", res.verified_end == len);
    } else {
      cJSON_AddStringToObject(j, "error", e.msg);
      if (e.has_offset) cJSON_AddNumberToObject(j, "offset", (double)e.offset);
    }
    char *s = cJSON_Print(j);
    if (s) puts(s);
    free(s);
    cJSON_Delete(j);
  }
  if (vrc) {
    rc = fail(in, &e);
    goto out;
  }
  if (!json && !g_quiet) {
    char id[2 * WK_SIG_KEY_ID_LEN + 1];
    to_hex(id, wk_sign_key_id(keys[res.key_index]), WK_SIG_KEY_ID_LEN);
    printf("%s: signature verified with key %s (%s, key id %s)\n", in, keyfiles[res.key_index],
           wk_sig_alg_name(wk_sign_key_alg(keys[res.key_index])), id);
    if (res.verified_end == len)
      printf("  covers bytes %zu..%zu: the whole binary after the preamble%s (%zu part%s)\n", res.body_offset, len,
             det ? "" : " and signature section", res.nparts, res.nparts == 1 ? "" : "s");
    else
      printf("  covers parts 1..%zu of %zu (bytes %zu..%zu); bytes %zu..%zu are NOT covered\n", res.parts_verified,
             res.nparts, res.body_offset, res.verified_end, res.verified_end, len);
  }
out:
  for (size_t i = 0; i < nkeys; i++) wk_sign_key_free(keys[i]);
  infile_free(&inf);
  free(sig);
  return rc;
}
