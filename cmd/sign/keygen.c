/* wsign keygen: generate a key pair, PEM PKCS#8 private (mode 0600) + SubjectPublicKeyInfo public. */
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"

static void help(FILE *out) {
  fprintf(out,
          "usage: wsign keygen [--algorithm ecdsa-p256|ed25519] -o KEY.pem [--pub KEY.pub]\n"
          "Generate a key pair. The private key is PEM PKCS#8 (file mode 0600), the public key PEM\n"
          "SubjectPublicKeyInfo; both are readable by openssl. Without --pub the public key goes to\n"
          "KEY.pub (KEY.pem with its .pem suffix replaced, or .pub appended).\n"
          "\n"
          "  -a, --algorithm ALG  ecdsa-p256 (default) or ed25519\n"
          "  -o, --output FILE    private key file (required)\n"
          "  -p, --pub FILE       public key file\n"
          "      --json           print the key id and files as JSON\n"
          "  -q, --quiet          print nothing on success\n"
          "  -h, --help           show this help\n");
}

int cmd_keygen(int argc, char **argv) {
  static const struct option opts[] = {{"algorithm", required_argument, 0, 'a'}, {"output", required_argument, 0, 'o'},
                                       {"pub", required_argument, 0, 'p'},       {"json", no_argument, 0, 'J'},
                                       {"quiet", no_argument, 0, 'q'},           {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  int alg = WK_SIG_ALG_ECDSA_P256, json = 0, c;
  const char *out = NULL, *pub = NULL;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "a:o:p:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'a':
      alg = wk_sig_alg_parse(optarg);
      if (!alg) return usage_error("keygen ", "unknown algorithm '%s' (use ecdsa-p256 or ed25519)", optarg);
      break;
    case 'o': out = optarg; break;
    case 'p': pub = optarg; break;
    case 'J': json = 1; break;
    case 'q': g_quiet = 1; break;
    case 'h': help(stdout); return EXIT_OK;
    default: return usage_error("keygen ", "bad option '%s'", argv[optind - 1]);
    }
  }
  if (optind < argc) return usage_error("keygen ", "unexpected argument '%s'", argv[optind]);
  if (!out) return usage_error("keygen ", "missing -o KEY.pem");
  char *pub_alloc = NULL;
  if (!pub) {
    if (!strcmp(out, "-")) return usage_error("keygen ", "with -o -, give --pub FILE");
    size_t n = strlen(out);
    pub_alloc = malloc(n + 5);
    if (!pub_alloc) return EXIT_FAIL;
    memcpy(pub_alloc, out, n + 1);
    if (n > 4 && !strcmp(out + n - 4, ".pem")) pub_alloc[n - 4] = 0;
    strcat(pub_alloc, ".pub");
    pub = pub_alloc;
  }
  if (!strcmp(pub, out)) {
    free(pub_alloc);
    return usage_error("keygen ", "the public and private key files must differ");
  }
  wk_error e;
  wk_error_clear(&e);
  wk_sign_key *k = NULL;
  wk_buf priv = {0}, pubb = {0};
  int rc = EXIT_OK;
  if (wk_sign_keygen(alg, &k, &e) || wk_sign_key_private_pem(k, &priv, &e) || wk_sign_key_public_pem(k, &pubb, &e)) {
    rc = fail(NULL, &e);
  } else if (wk_write_parts_atomic(out, priv.data, priv.len, NULL, 0, 0600, &e)) {
    rc = fail(out, &e);
  } else if (wk_write_file_atomic(pub, pubb.data, pubb.len, &e)) {
    rc = fail(pub, &e);
  } else if (!g_quiet || json) {
    char id[2 * WK_SIG_KEY_ID_LEN + 1];
    to_hex(id, wk_sign_key_id(k), WK_SIG_KEY_ID_LEN);
    if (json) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "algorithm", wk_sig_alg_name(alg));
      cJSON_AddStringToObject(o, "key_id", id);
      cJSON_AddStringToObject(o, "private_key", out);
      cJSON_AddStringToObject(o, "public_key", pub);
      char *s = cJSON_Print(o);
      if (s) puts(s);
      free(s);
      cJSON_Delete(o);
    } else {
      printf("%s key pair: private key %s, public key %s, key id %s\n", wk_sig_alg_name(alg), out, pub, id);
    }
  }
  if (priv.data) OPENSSL_cleanse(priv.data, priv.cap);
  wk_buf_free(&priv);
  wk_buf_free(&pubb);
  wk_sign_key_free(k);
  free(pub_alloc);
  return rc;
}
