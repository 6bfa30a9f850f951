/* wsign sign: add a signature, embedded (signature section first) or detached. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void help(FILE *out) {
  fprintf(out,
          "usage: wsign sign -k KEY.pem IN.wasm -o OUT.wasm\n"
          "       wsign sign -k KEY.pem IN.wasm --detached SIG\n"
          "Sign a core module or component. An already signed input keeps its signatures and gets\n"
          "one more (several signers). With --detached, the signature data goes to SIG and the\n"
          "module is left untouched; an existing SIG file is extended with the new signature.\n"
          "\n"
          "  -k, --key FILE       private key (PEM/DER PKCS#8, SEC1 EC, or wasmsign2 raw), required\n"
          "  -o, --output FILE    signed output ('-' for stdout); may equal IN.wasm\n"
          "  -d, --detached FILE  write (or extend) a detached signature instead\n"
          "      --json           print what was signed as JSON\n"
          "  -q, --quiet          print nothing on success\n"
          "  -h, --help           show this help\n");
}

int cmd_sign(int argc, char **argv) {
  static const struct option opts[] = {{"key", required_argument, 0, 'k'},  {"output", required_argument, 0, 'o'},
                                       {"detached", required_argument, 0, 'd'}, {"json", no_argument, 0, 'J'},
                                       {"quiet", no_argument, 0, 'q'},       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *keyf = NULL, *out = NULL, *det = NULL, *in = NULL;
  int json = 0, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "k:o:d:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'k': keyf = optarg; break;
    case 'o': out = optarg; break;
    case 'd': det = optarg; break;
    case 'J': json = 1; break;
    case 'q': g_quiet = 1; break;
    case 'h': help(stdout); return EXIT_OK;
    default: return usage_error("sign ", "bad option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc) in = argv[optind++];
  if (optind < argc) return usage_error("sign ", "unexpected argument '%s'", argv[optind]);
  if (!in) return usage_error("sign ", "missing input file");
  if (!keyf) return usage_error("sign ", "missing -k KEY.pem");
  if (!out && !det) return usage_error("sign ", "missing -o OUT.wasm (or --detached SIG)");
  if (out && det) return usage_error("sign ", "--detached leaves the module untouched: do not give -o");

  wk_sign_key *key = NULL;
  if (load_key(keyf, 1, &key)) return EXIT_FAIL;
  wk_error e;
  wk_error_clear(&e);
  infile inf = {0};
  uint8_t *prev = NULL;
  size_t prev_len = 0, body = 0, stale = 0;
  wk_buf head = {0}, sig = {0};
  int rc = EXIT_OK;
  if (infile_read(in, &inf, &e)) {
    rc = fail(in, &e);
    goto out;
  }
  if (det && access(det, F_OK) == 0 && read_sig_file(det, &prev, &prev_len)) {
    rc = EXIT_FAIL;
    goto out;
  }
  if (wk_sign_module(inf.data, inf.len, key, det != NULL, prev, prev_len, &head, &body, &sig, &stale, &e)) {
    rc = fail(in, &e);
    goto out;
  }
  if (det ? wk_write_file_atomic(det, sig.data, sig.len, &e)
          : wk_write_parts_atomic(out, head.data, head.len, inf.data + body, inf.len - body, 0644, &e)) {
    rc = fail(det ? det : out, &e);
    goto out;
  }
  if (stale && !g_quiet)
    fprintf(stderr, "wsign: warning: %s: %zu existing signed hash set%s not match the content (kept, will not verify)\n",
            det ? det : in, stale, stale == 1 ? " does" : "s do");
  if (json || (!g_quiet && !(out && !strcmp(out, "-")))) {
    char id[2 * WK_SIG_KEY_ID_LEN + 1];
    to_hex(id, wk_sign_key_id(key), WK_SIG_KEY_ID_LEN);
    const char *alg = wk_sig_alg_name(wk_sign_key_alg(key));
    FILE *o = out && !strcmp(out, "-") ? stderr : stdout;
    if (json) {
      cJSON *j = cJSON_CreateObject();
      cJSON_AddStringToObject(j, "input", in);
      cJSON_AddStringToObject(j, det ? "detached_signature" : "output", det ? det : out);
      cJSON_AddStringToObject(j, "algorithm", alg);
      cJSON_AddStringToObject(j, "key_id", id);
      cJSON_AddNumberToObject(j, "signature_data_bytes", (double)sig.len);
      char *s = cJSON_Print(j);
      if (s) fprintf(o, "%s\n", s);
      free(s);
      cJSON_Delete(j);
    } else {
      fprintf(o, "%s: signed with %s key %s -> %s%s\n", in, alg, id, det ? "detached signature " : "", det ? det : out);
    }
  }
out:
  infile_free(&inf);
  free(prev);
  wk_buf_free(&head);
  wk_buf_free(&sig);
  wk_sign_key_free(key);
  return rc;
}
