/* lib/witparse internal declarations: context, lexer, AST. Not a public header. */
#ifndef WK_WITPARSE_INTERNAL_H
#define WK_WITPARSE_INTERNAL_H
#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include "witparse/witparse.h"

/* ---- error context: errors longjmp back to the public entry point ---- */
typedef struct wctx {
  wit_resolve *r;
  wit_diag *diag;
  jmp_buf jb;
  wk_arena *tmp; /* scratch arena for the AST (freed by the entry point) */
} wctx;

_Noreturn void wfail(wctx *c, wit_span sp, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
_Noreturn void wfail_code(wctx *c, int code, wit_span sp, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
_Noreturn void woom(wctx *c);
void *walloc(wctx *c, wk_arena *a, size_t n);
char *wstrdup(wctx *c, wk_arena *a, const char *s, size_t n);
char *wsprintf(wctx *c, wk_arena *a, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Push a zeroed element onto an arena-backed growable array; returns its index. */
uint32_t wpush(wctx *c, wk_arena *a, void **arr, uint32_t *n, uint32_t *cap, size_t elem);
#define WPUSH(c, a, arr, n, cap) wpush((c), (a), (void **)&(arr), &(n), &(cap), sizeof *(arr))

/* memcpy that accepts (NULL, 0). */
static inline void wmemcpy(void *d, const void *s, size_t n) {
  if (n) memcpy(d, s, n);
}
static inline wit_span wspan(uint32_t file, uint32_t s, uint32_t e) { wit_span x = {file, s, e}; return x; }
static inline wit_span wspan_none(void) { wit_span x = {WIT_NONE, 0, 0}; return x; }

/* ---- string -> u32 hash map (arena-backed, open addressing) ---- */
typedef struct strmap {
  const char **keys;
  uint32_t *vals;
  uint32_t cap, n;
} strmap;
/* Value for `key` or UINT32_MAX. */
uint32_t strmap_get(const strmap *m, const char *key);
/* Insert or overwrite. */
void strmap_put(wctx *c, wk_arena *a, strmap *m, const char *key, uint32_t val);

/* Hash key of a world item: its name, or "\x01<id>" for an interface key. */
const char *wit_item_key(wctx *c, wk_arena *a, const char *key_name, wit_id key_iface);

/* ---- lexer (WIT.md "Lexical structure") ---- */
enum tok {
  T_EOF = 0, T_WS, T_COMMENT,
  T_EQ, T_COMMA, T_COLON, T_PERIOD, T_SEMI, T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_LT, T_GT, T_RARROW,
  T_STAR, T_AT, T_SLASH, T_PLUS, T_MINUS, T_STRING,
  T_USE, T_TYPE, T_FUNC, T_U8, T_U16, T_U32, T_U64, T_S8, T_S16, T_S32, T_S64, T_F32, T_F64, T_CHAR, T_RECORD,
  T_RESOURCE, T_OWN, T_BORROW, T_FLAGS, T_VARIANT, T_ENUM, T_BOOL, T_STRING_, T_OPTION, T_RESULT, T_FUTURE,
  T_STREAM, T_ERROR_CONTEXT, T_LIST, T_MAP, T_UNDERSCORE, T_AS, T_FROM, T_STATIC, T_INTERFACE, T_TUPLE,
  T_IMPORT, T_EXPORT, T_WORLD, T_PACKAGE, T_CONSTRUCTOR, T_ASYNC, T_ID, T_EXPLICIT_ID, T_INTEGER, T_INCLUDE,
  T_WITH,
};
typedef struct lexer {
  wctx *c;
  const char *src;
  uint32_t len, pos;
  uint32_t file;
} lexer;
typedef struct token {
  int kind;
  uint32_t start, end;
} token;
void lex_init(wctx *c, lexer *l, uint32_t file, const char *src, uint32_t len);
token lex_raw(lexer *l);  /* whitespace and comments included */
token lex_next(lexer *l); /* skips whitespace and comments */
const char *tok_describe(int kind);

/* ---- AST ---- */
typedef struct ast_id {
  const char *name; /* NULL = absent */
  wit_span span;
} ast_id;
typedef struct ast_docs {
  const char **lines; /* raw comment texts */
  uint32_t n, cap;
  wit_span span;
} ast_docs;
enum { ATTR_SINCE, ATTR_UNSTABLE, ATTR_DEPRECATED, ATTR_EXTERNAL_ID };
typedef struct ast_attr {
  int kind;
  const char *value;
  wit_span span;
} ast_attr;
typedef struct ast_attrs {
  ast_attr *v;
  uint32_t n, cap;
} ast_attrs;
enum { AT_PRIM, AT_NAME, AT_LIST, AT_MAP, AT_FIXED, AT_OWN, AT_BORROW, AT_TUPLE, AT_OPTION, AT_RESULT, AT_FUTURE,
       AT_STREAM };
typedef struct ast_type ast_type;
struct ast_type {
  int kind;
  uint32_t prim;
  ast_id name;        /* NAME, OWN, BORROW */
  ast_type *a, *b;    /* elem / key,value / ok,err */
  ast_type **elems;   /* TUPLE */
  uint32_t n, cap;
  uint32_t size;
  wit_span span;
};
typedef struct ast_param {
  ast_id name;
  ast_type *ty;
} ast_param;
typedef struct ast_func {
  int async_;
  ast_param *params;
  uint32_t n, cap;
  ast_type *result;
  wit_span span;
} ast_func;
enum { RF_NONE, RF_METHOD, RF_STATIC, RF_CTOR };
typedef struct ast_named_func {
  ast_docs docs;
  ast_attrs attrs;
  ast_id name;
  ast_func func;
  int rkind;
} ast_named_func;
typedef struct ast_case {
  ast_docs docs;
  ast_id name;
  ast_type *ty;
} ast_case;
enum { TD_ALIAS, TD_RECORD, TD_FLAGS, TD_VARIANT, TD_ENUM, TD_RESOURCE };
typedef struct ast_typedef {
  ast_docs docs;
  ast_attrs attrs;
  ast_id name;
  int kind;
  ast_type *ty; /* ALIAS */
  ast_case *cases;
  uint32_t n, cap;
  ast_named_func *funcs;
  uint32_t nf, capf;
} ast_typedef;
typedef struct ast_pkgname {
  ast_docs docs;
  wit_span span;
  ast_id ns, name;
  const char *version;
  wit_span vspan;
} ast_pkgname;
typedef struct ast_usepath {
  int is_pkg;
  ast_pkgname pkg;
  ast_id name;
} ast_usepath;
typedef struct ast_use_name {
  ast_id name, as;
} ast_use_name;
typedef struct ast_use {
  ast_attrs attrs;
  ast_usepath from;
  ast_use_name *names;
  uint32_t n, cap;
} ast_use;
enum { II_TYPEDEF, II_FUNC, II_USE };
typedef struct ast_iface_item {
  int kind;
  ast_typedef *td;
  ast_named_func *fn;
  ast_use *use;
} ast_iface_item;
typedef struct ast_interface {
  ast_docs docs;
  ast_attrs attrs;
  ast_id name;
  ast_iface_item *items;
  uint32_t n, cap;
} ast_interface;
enum { EK_INTERFACE, EK_PATH, EK_FUNC, EK_NAMED_PATH };
typedef struct ast_extern {
  int kind;
  ast_id id;
  ast_iface_item *items;
  uint32_t n, cap;
  ast_usepath path;
  ast_func func;
} ast_extern;
typedef struct ast_include {
  ast_usepath from;
  ast_attrs attrs;
  ast_use_name *names; /* name as `as` */
  uint32_t n, cap;
} ast_include;
enum { WI_IMPORT, WI_EXPORT, WI_USE, WI_TYPE, WI_INCLUDE };
typedef struct ast_world_item {
  int kind;
  ast_docs docs;
  ast_attrs attrs;
  ast_extern ext;
  ast_use *use;
  ast_typedef *td;
  ast_include *inc;
} ast_world_item;
typedef struct ast_world {
  ast_docs docs;
  ast_attrs attrs;
  ast_id name;
  ast_world_item *items;
  uint32_t n, cap;
} ast_world;
typedef struct ast_file ast_file;
enum { AI_INTERFACE, AI_WORLD, AI_USE, AI_PACKAGE };
typedef struct ast_top_use {
  wit_span span;
  ast_attrs attrs;
  ast_usepath item;
  ast_id as;
} ast_top_use;
typedef struct ast_item {
  int kind;
  ast_interface *iface;
  ast_world *world;
  ast_top_use *use;
  ast_file *pkg;
} ast_item;
struct ast_file {
  uint32_t file; /* index in wit_resolve.files */
  int has_pkg;
  ast_pkgname pkg;
  ast_item *items;
  uint32_t n, cap;
};

/* Parse one file (or nested package body) of source `file` into an AST in c->tmp. */
ast_file *wit_parse_file(wctx *c, uint32_t file);
/* Validate an explicit or plain identifier; fails with a lexer error at `start`. */
void wit_check_id(wctx *c, uint32_t file, uint32_t start, const char *s, size_t n);

/* ---- unresolved package (wit-parser UnresolvedPackage) ---- */
typedef struct foreign_item {
  const char *name;
  int is_world;
  wit_id id; /* local interface or world id */
  wit_stability *stabs;
  uint32_t n_stabs, cap_stabs;
} foreign_item;
typedef struct foreign_pkg {
  wit_package_name name;
  wit_span span;
  foreign_item *items;
  uint32_t n, cap;
} foreign_pkg;
typedef struct upkg {
  wit_package_name name;
  wit_span name_span;
  const char *docs;
  /* local arenas, same structs as the resolve */
  wit_world *worlds;
  uint32_t n_worlds, cap_worlds;
  wit_interface *ifaces;
  uint32_t n_ifaces, cap_ifaces;
  wit_typedef *types;
  uint32_t n_types, cap_types;
  foreign_pkg *deps;
  uint32_t n_deps, cap_deps;
  wit_span *unknown_type_spans; /* indexed by type id for foreign types */
  uint32_t n_uts, cap_uts;
  struct {
    wit_id type;
    wit_span span;
  } *req_res;
  uint32_t n_req, cap_req;
  uint32_t group; /* which source group it came from */
} upkg;

/* AST of one package (list of files) -> unresolved package. */
upkg *wit_ast_resolve(wctx *c, ast_file **files, uint32_t n);

/* ---- helpers shared by the resolver / printers ---- */
int wit_pkgname_eq(const wit_package_name *a, const wit_package_name *b);
int wit_pkgname_cmp(const wit_package_name *a, const wit_package_name *b);
char *wit_pkgname_str(wctx *c, wk_arena *a, const wit_package_name *n);
int wit_stab_eq(const wit_stability *a, const wit_stability *b);
int wit_type_eq(wit_type a, wit_type b);
/* Nearest name by edit distance among `cands` (NULL if none close). */
const char *wit_nearest(const char *name, const char *const *cands, uint32_t n);

#endif
