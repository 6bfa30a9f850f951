/*
 * lib/sign — signatures for WebAssembly core modules and components in the
 * WebAssembly tool-conventions format (Signatures.md, as jedisct1/wasmsign2
 * writes it), with Ed25519 (the spec's algorithm) and ECDSA P-256/SHA-256
 * (a wkit extension, algorithm id 0x02, DER signatures).
 * docs/signatures.md describes every byte; this header the API.
 *
 * All cryptography goes through OpenSSL 3 EVP. Secret keys live in an
 * EVP_PKEY owned by a wk_sign_key and are released with wk_sign_key_free.
 * Functions never print; they return an enum wk_errcode and fill a wk_error
 * (with a byte offset into the module or signature data when one applies).
 */
#ifndef WK_SIGN_H
#define WK_SIGN_H

#include "base/base.h"

/* Signatures.md "Algorithms and identifiers". */
#define WK_SIG_SPEC_VERSION 0x01   /* specification version */
#define WK_SIG_CONTENT_WASM 0x01   /* content type: WebAssembly binary (modules AND components) */
#define WK_SIG_HASH_SHA256 0x01    /* hash function: SHA-256 */
#define WK_SIG_HASH_LEN 32
#define WK_SIG_KEY_ID_LEN 12       /* length of the key ids wkit writes */
#define WK_SIG_DELIMITER_LEN 16    /* payload of a signature_delimiter section */

/* Signature algorithm identifiers (the `signature_id` byte). */
enum wk_sig_alg {
  WK_SIG_ALG_ED25519 = 0x01,    /* Signatures.md: Ed25519 (RFC 8032), 64-byte signature */
  WK_SIG_ALG_ECDSA_P256 = 0x02, /* wkit extension: ECDSA P-256 + SHA-256, DER (X9.62 Ecdsa-Sig-Value) */
};

/* Parser limits (hostile input): the same bounds wasmsign2 uses. */
#define WK_SIG_MAX_SETS 64
#define WK_SIG_MAX_HASHES 64
#define WK_SIG_MAX_SIGS 256

/* Name of an algorithm id ("ed25519", "ecdsa-p256") or NULL when unknown. */
const char *wk_sig_alg_name(int alg);
/* Parse an algorithm name; returns the id or 0 when unknown. */
int wk_sig_alg_parse(const char *name);

/* ------------------------------------------------------------------ keys */

typedef struct wk_sign_key wk_sign_key;

/* Generate a fresh key pair for `alg` (enum wk_sig_alg). *out is owned by the caller. */
int wk_sign_keygen(int alg, wk_sign_key **out, wk_error *err);

/*
 * Load a private key from `data`: PEM (PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE
 * KEY"), DER PKCS#8, or wasmsign2's raw key-pair file (0x81 ‖ sk32 ‖ pk32).
 * Only Ed25519 and EC keys on P-256 are accepted (WK_ERR_UNSUPPORTED else).
 * Returns WK_OK, WK_ERR_MALFORMED (unreadable) or WK_ERR_UNSUPPORTED.
 */
int wk_sign_key_load_private(const uint8_t *data, size_t len, wk_sign_key **out, wk_error *err);

/*
 * Load a public key: PEM/DER SubjectPublicKeyInfo, wasmsign2's raw public key
 * file (0x01 ‖ pk32), or a private key (its public half is used).
 */
int wk_sign_key_load_public(const uint8_t *data, size_t len, wk_sign_key **out, wk_error *err);

/* Append the PEM PKCS#8 private key (fails with WK_ERR_USAGE for a public-only key). */
int wk_sign_key_private_pem(const wk_sign_key *k, wk_buf *out, wk_error *err);
/* Append the PEM SubjectPublicKeyInfo public key. */
int wk_sign_key_public_pem(const wk_sign_key *k, wk_buf *out, wk_error *err);

/* Free a key (NULL is fine). The EVP_PKEY is released by OpenSSL, which clears private material. */
void wk_sign_key_free(wk_sign_key *k);

/* Algorithm (enum wk_sig_alg) of a key. */
int wk_sign_key_alg(const wk_sign_key *k);
/* Non-zero when the key holds a private half. */
int wk_sign_key_has_private(const wk_sign_key *k);
/*
 * The key id wkit stores with signatures: the first 12 bytes of
 * HMAC-SHA-256(key = raw public key, message = the 6 bytes "key_id"), where
 * the raw public key is the 32-byte Ed25519 key (wasmsign2's default key id)
 * or the 65-byte uncompressed P-256 point 0x04 ‖ X ‖ Y. Returns 12 bytes.
 */
const uint8_t *wk_sign_key_id(const wk_sign_key *k);
/* Raw public key bytes (see wk_sign_key_id); *len receives 32 or 65. */
const uint8_t *wk_sign_key_raw_public(const wk_sign_key *k, size_t *len);

/*
 * Sign `msg` with `k` (Ed25519: pure EdDSA over msg; ECDSA: SHA-256 then
 * ECDSA, DER output). Appends the signature to *sig.
 */
int wk_sign_raw(const wk_sign_key *k, const uint8_t *msg, size_t len, wk_buf *sig, wk_error *err);
/* Verify a signature made by wk_sign_raw: returns WK_OK or WK_ERR_VERIFY. */
int wk_verify_raw(const wk_sign_key *k, const uint8_t *msg, size_t len, const uint8_t *sig,
                  size_t sig_len, wk_error *err);

/* -------------------------------------------------------- signature data */

/* One signature record (Signatures.md "signature"). Pointers borrow the parsed buffer. */
typedef struct wk_sig_entry {
  const uint8_t *key_id; /* NULL when key_id_len == 0 */
  size_t key_id_len;
  uint8_t alg;           /* signature_id */
  const uint8_t *sig;
  size_t sig_len;
  size_t offset;         /* offset of the record (its length prefix) in the data */
} wk_sig_entry;

/* One signed hash set ("signed_hashes"). */
typedef struct wk_sig_set {
  size_t nhashes;
  const uint8_t *hashes; /* nhashes * 32 bytes, h1 ‖ … ‖ hn */
  size_t nsigs;
  wk_sig_entry *sigs;
  size_t offset;         /* offset of the set (its length prefix) in the data */
} wk_sig_set;

/* Signature data: the payload of a `signature` section, or a detached signature. */
typedef struct wk_sig_data {
  uint8_t spec_version, content_type, hash_fn;
  size_t nsets;
  wk_sig_set *sets;
} wk_sig_data;

/*
 * Parse signature data. `base` is added to every offset (for errors and the
 * offset fields), so pass the payload's offset in the file. Arrays come from
 * `arena`; byte pointers borrow `p`. Stricter than wasmsign2: every length
 * must be exactly consumed, trailing bytes are an error, and records with
 * unknown algorithm ids are kept (alg says which) rather than dropped.
 * Returns WK_OK, WK_ERR_MALFORMED, WK_ERR_UNSUPPORTED (version/content/hash)
 * or WK_ERR_NOMEM.
 */
int wk_sig_data_parse(const uint8_t *p, size_t len, uint64_t base, wk_arena *arena,
                      wk_sig_data *out, wk_error *err);

/* Serialize signature data (wasmsign2's layout: length-prefixed sets and records). */
void wk_sig_data_encode(const wk_sig_data *d, wk_buf *out);

/*
 * The message every signature signs (Signatures.md "Signature data"):
 * "wasmsig" ‖ spec_version ‖ content_type ‖ hash_fn ‖ h1 ‖ … ‖ hn.
 * Appends it to *out.
 */
void wk_sig_message(const uint8_t *hashes, size_t nhashes, wk_buf *out);

/* ---------------------------------------------------------------- layout */

/*
 * The signature-relevant layout of a binary: where the embedded signature
 * section is, where the signed body starts, and the rolling SHA-256 at each
 * part boundary (after every signature_delimiter section, and at the end of
 * the input when the last section is not a delimiter).
 */
typedef struct wk_sig_layout {
  int kind;                   /* enum wk_bin_kind */
  int has_embedded;           /* first section is a custom section named "signature" */
  size_t sig_section_offset;  /* its id byte */
  size_t sig_payload_offset;  /* its content (after the name) */
  size_t sig_payload_len;
  size_t body_offset;         /* first byte hashed: after the preamble and signature section */
  size_t nsections;           /* sections in the body */
  size_t nparts;
  size_t *part_end;           /* nparts offsets: end of each part (after its delimiter, or input end) */
  size_t *part_first_section; /* index (0-based, in the body) of each part's first section */
  size_t *part_last_section;  /* index of each part's last section (its delimiter if any) */
  int *part_delimited;        /* 1 when the part ends with a delimiter */
  uint8_t *part_hash;         /* nparts * 32: rolling SHA-256 from body_offset to part_end[i] */
} wk_sig_layout;

/*
 * Walk `data` (a core module or component) with lib/encode's section
 * reader, locate the embedded signature, and compute the rolling hashes.
 * A "signature" section anywhere but first is an error (Signatures.md: "the
 * section must be the first section of the module"). Arrays come from
 * `arena`. With `detached` != 0 the body starts right after the preamble and
 * a leading signature section is ordinary content (a detached signature
 * covers every byte after the preamble, as in wasmsign2's verifier).
 * Returns WK_OK or WK_ERR_MALFORMED (with offset).
 */
int wk_sig_layout_compute(const uint8_t *data, size_t len, int detached, wk_arena *arena,
                          wk_sig_layout *out, wk_error *err);

/* --------------------------------------------------------- sign / verify */

/*
 * Sign `in` with `key`. Hashes: the rolling hashes of wk_sig_layout over the
 * sections after any existing signature section. If `in` is already signed,
 * the existing signature data is kept and the new signature is added to the
 * set with the same hashes (or a new set is appended), as wasmsign2 does; a
 * second signature by the same key id over the same hashes is refused
 * (WK_ERR_INVALID).
 * - detached == 0: *out_head (may be NULL) receives the preamble followed by
 *   the new signature section; the signed binary is
 *   out_head ‖ in[*body_offset .. len) (the rest byte-identical), which lets
 *   a caller write a large module without copying it.
 * - detached != 0: the module is not changed; `prev_detached` (may be NULL)
 *   is an existing detached signature to extend.
 * *out_sig (may be NULL) receives the signature data (the section payload).
 * *stale_sets (may be NULL) receives how many existing signed hash sets do
 * not match the current content (kept as they are; they will not verify).
 */
int wk_sign_module(const uint8_t *in, size_t len, const wk_sign_key *key, int detached,
                   const uint8_t *prev_detached, size_t prev_len, wk_buf *out_head, size_t *body_offset,
                   wk_buf *out_sig, size_t *stale_sets, wk_error *err);

/* Outcome of a successful verification. */
typedef struct wk_verify_result {
  size_t key_index;     /* index into keys[] of the key that verified */
  size_t set_index;     /* signed hash set that matched */
  size_t sig_index;     /* signature record within the set */
  size_t parts_verified;
  size_t nparts;        /* parts in the input */
  size_t verified_end;  /* bytes [body_offset, verified_end) are covered */
  size_t body_offset;
} wk_verify_result;

/*
 * Verify `data` against `keys[0..nkeys)`. The signature data is `detached`
 * when non-NULL (then an embedded signature section is ignored and hashed
 * as content), else the embedded section.
 * partial == 0 (full verification, Signatures.md "Signature verification
 * algorithm for an entire module"): a signature by one of the keys must
 * verify over a hash set whose hashes equal the input's part hashes, one for
 * one and in number.
 * partial != 0 ("Partial verification"): a verified set must match the first
 * k ≥ 1 parts that end with a delimiter; later content is not covered.
 * Returns WK_OK (and fills *res), WK_ERR_VERIFY (no signature by these keys,
 * content does not match), WK_ERR_MALFORMED, WK_ERR_UNSUPPORTED.
 */
int wk_verify_module(const uint8_t *data, size_t len, const uint8_t *detached, size_t detached_len,
                     wk_sign_key *const *keys, size_t nkeys, int partial, wk_verify_result *res,
                     wk_error *err);

/*
 * Insert signature_delimiter sections for partial verification: a delimiter
 * at every boundary between a run of sections selected by `select` and a
 * run of unselected ones, and one after the last section, unless a
 * delimiter is already there. `select(ctx, sec_id, name, name_len)` gets
 * each body section (name NULL for non-custom). An embedded signature
 * section is kept first (it will no longer verify over the new layout).
 * Delimiter payloads are 16 bytes from RAND_bytes (the spec requires
 * randomness, so this output is not deterministic). Appends to *out.
 */
int wk_sign_split(const uint8_t *in, size_t len,
                  int (*select)(void *ctx, int id, const char *name, size_t name_len), void *ctx,
                  wk_buf *out, size_t *ndelims_added, wk_error *err);

/* Version string of lib/sign. */
const char *wk_sign_version(void);

#endif
