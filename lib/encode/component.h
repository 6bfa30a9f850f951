/*
 * Components (Binary.md, layer 1 / version 0x0d): model, decoder, encoder,
 * validator, printers. Part of lib/encode's public surface (encode.h
 * includes it).
 *
 * Model: one wk_component per component (the outermost and each nested
 * one). Its sections keep their order and their items; everything the
 * model owns is allocated from the arena of the outermost component and
 * freed at once by wk_component_free(). Strings (names, custom-section
 * payloads) and nested core modules point INTO the input bytes, which the
 * caller must keep alive and unchanged while the model is used.
 *
 * Index spaces are the binary's own integer indices; the validator and the
 * printers build them by walking the sections in order (Explainer.md
 * "Index Spaces").
 *
 * Byte-exact round trip: decode then wk_component_encode() reproduces the
 * input exactly. Every LEB128 the decoder reads is numbered in reading
 * order; those written wider than the minimal encoding are recorded in a
 * side table (ordinal, width) that the encoder, numbering its writes the
 * same way, consults to pad them again.
 */
#ifndef WK_ENCODE_COMPONENT_H
#define WK_ENCODE_COMPONENT_H
#include "base/base.h"
#include "encode/ctcodes.h"

/* A byte string inside the input (not NUL-terminated). */
typedef struct wk_cstr {
  const char *s;
  uint32_t len;
} wk_cstr;

/* Binary.md section ids: enum wk_csec_id in ctcodes.h. */

/* Binary.md "sort": `sort` is 0x00 (core; then `core_sort` is the core:sort
 * byte: 0x00 func, 0x01 table, 0x02 memory, 0x03 global, 0x04 tag,
 * 0x10 type, 0x11 module, 0x12 instance) or 0x01 func, 0x02 value,
 * 0x03 type, 0x04 component, 0x05 instance. */
typedef struct wk_csort {
  uint8_t sort, core_sort;
} wk_csort;

/* valtype: a primitive (prim = its opcode byte, 0x7f bool .. 0x73 string,
 * 0x64 error-context) or a type index (prim = 0). */
typedef struct wk_cvaltype {
  uint8_t prim;
  uint32_t idx;
} wk_cvaltype;

/* A label with an optional valtype: record field, variant case, func param,
 * flags/enum label (no type). `refines` is a variant case's trailing
 * 0x00 (or 0x01 u32, an old encoding kept for round trips). */
typedef struct wk_cfield {
  wk_cstr name;
  uint8_t has_type;
  wk_cvaltype type;
  uint8_t has_refines;
  uint32_t refines;
} wk_cfield;

/* Core externtype (Core spec 5.3.10) as used in module types and core
 * type declarations: kind 0 func (idx = type), 1 table (reftype raw +
 * limits), 2 memory (limits), 3 global (valtype + mut), 4 tag (attr + idx). */
typedef struct wk_corelimits {
  uint8_t flags;        /* bit0 max, bit1 shared, bit2 64-bit, bit3 page size */
  uint64_t min, max;
  uint32_t page_log2;
} wk_corelimits;

typedef struct wk_coreextern {
  uint8_t kind;
  uint32_t idx;          /* func/tag type index */
  uint8_t tag_attr;
  wk_corelimits lim;     /* table/memory */
  wk_cstr valtype;       /* table reftype / global valtype, raw bytes */
  uint8_t mut;           /* global */
} wk_coreextern;

struct wk_coretype;
/* core:moduledecl. kind: 0 import, 1 type, 2 alias (outer), 3 export. */
typedef struct wk_coredecl {
  uint8_t kind;
  wk_cstr module, name;        /* import: module + field; export: name */
  wk_coreextern ext;
  struct wk_coretype *type;    /* kind 1 */
  uint8_t alias_sort, alias_target; /* kind 2: 0x10 0x01 */
  uint32_t alias_ct, alias_idx;
} wk_coredecl;

/* core:type. code 0x60 functype (params/results as valtype bytes),
 * 0x50 moduletype (decls), or 0 = any other core type (GC rec groups,
 * subtypes, reference-typed signatures) kept as raw bytes. */
typedef struct wk_coretype {
  uint8_t code;
  size_t offset;
  uint32_t nparams, nresults;
  const uint8_t *params, *results; /* one byte per simple valtype */
  uint32_t ndecls;
  wk_coredecl *decls;
  wk_cstr raw;
} wk_coretype;

/* Name of an import or export (Binary.md nameattributes): `disc` 0x00/0x01
 * plain, 0x02 with attributes (kind 0 implements, 1 versionsuffix,
 * 2 external-id). */
typedef struct wk_cattr {
  uint8_t kind;
  wk_cstr value;
} wk_cattr;
typedef struct wk_cname {
  uint8_t disc;
  wk_cstr name;
  uint32_t nattrs;
  wk_cattr *attrs;
} wk_cname;

/* externtype. kind: 0x00 core module (idx = core type), 0x01 func,
 * 0x02 value (bound 0 eq idx / 1 valtype), 0x03 type (bound 0 eq idx /
 * 1 sub resource), 0x04 component, 0x05 instance. */
typedef struct wk_cextern {
  uint8_t kind, bound;
  uint32_t idx;
  wk_cvaltype vt;
} wk_cextern;

/* alias. target 0x00 export (inst, name), 0x01 core export (inst, name),
 * 0x02 outer (ct = inst field, idx). */
typedef struct wk_calias {
  wk_csort sort;
  uint8_t target;
  uint32_t inst;   /* instance index, or outer count */
  wk_cstr name;
  uint32_t idx;
} wk_calias;

struct wk_ctype;
/* componentdecl/instancedecl: kind 0x00 core type, 0x01 type, 0x02 alias,
 * 0x03 import, 0x04 export. */
typedef struct wk_cdecl {
  uint8_t kind;
  size_t offset;
  struct wk_coretype *coretype;
  struct wk_ctype *type;
  wk_calias alias;
  wk_cname name;
  wk_cextern ext;
} wk_cdecl;

/* Component type definitions (Binary.md "Type Definitions"). `code` is the
 * opcode byte: a primvaltype, 0x72 record, 0x71 variant, 0x70 list,
 * 0x67 fixed list, 0x6f tuple, 0x6e flags, 0x6d enum, 0x6b option,
 * 0x6a result, 0x69 own, 0x68 borrow, 0x66 stream, 0x65 future, 0x63 map,
 * 0x40 func, 0x43 async func, 0x41 component, 0x42 instance,
 * 0x3f resource. */
typedef struct wk_ctype {
  uint8_t code;
  size_t offset;
  uint32_t n;
  wk_cfield *fields;    /* record, variant, tuple (types only), flags, enum, func params */
  uint8_t has_a, has_b;
  wk_cvaltype a, b;     /* list/option/stream/future elt; result ok/err; map k/v; func result */
  uint32_t idx;         /* own/borrow resource; fixed list length */
  uint8_t results_none; /* func: 0x01 0x00 (no result) */
  uint32_t nresults;    /* func: old named results count (kept for round trip), else 0 */
  wk_cfield *results;
  uint32_t ndecls;
  wk_cdecl *decls;      /* component/instance types */
  uint8_t rep;          /* resource: core valtype of the representation */
  uint8_t has_dtor;
  uint32_t dtor;
} wk_ctype;

/* core:instance: kind 0x00 instantiate (module, args: name + instance),
 * 0x01 inline exports (name + core sortidx). */
typedef struct wk_cinstarg {
  wk_cname name;   /* core: disc unused */
  wk_csort sort;
  uint32_t idx;
} wk_cinstarg;
typedef struct wk_cinstance {
  uint8_t kind;
  size_t offset;
  uint32_t target; /* module or component index */
  uint32_t n;
  wk_cinstarg *args;
} wk_cinstance;

/* canon definitions (Binary.md "Canonical Definitions"). */
typedef struct wk_copt {
  uint8_t code;
  uint32_t idx;
} wk_copt;
typedef struct wk_ccanon {
  uint8_t op, sub;      /* sub: the 0x00 after lift/lower */
  size_t offset;
  uint32_t func;        /* lift: core func; lower: func */
  uint32_t type;        /* lift: type; resource.*, stream/future ops: type; thread ops: core type */
  uint32_t table;
  uint32_t nopts;
  wk_copt *opts;
  uint8_t flag;         /* async?/cancel?/shared? */
  uint8_t core_vt;      /* context.get/set */
  uint32_t imm;         /* context.get/set index, waitable-set memory */
  uint8_t results_none; /* task.return */
  wk_cvaltype result;
  uint8_t has_result;
} wk_ccanon;

typedef struct wk_cexport {
  wk_cname name;
  size_t offset;
  wk_csort sort;
  uint32_t idx;
  uint8_t has_type;
  wk_cextern ext;
} wk_cexport;

typedef struct wk_cimport {
  wk_cname name;
  size_t offset;
  wk_cextern ext;
} wk_cimport;

typedef struct wk_cstart {
  uint32_t func, nargs, nresults;
  uint32_t *args;
} wk_cstart;

/* 🪙 value definitions: the type and the raw value bytes. */
typedef struct wk_cvalue {
  wk_cvaltype type;
  wk_cstr bytes;
} wk_cvalue;

struct wk_component;
/* A nested core module: its bytes in the input (offset into the outermost input). */
typedef struct wk_cmodule {
  size_t offset, len;
  const uint8_t *bytes;
} wk_cmodule;

typedef struct wk_csection {
  uint8_t id;
  size_t offset;          /* of the id byte, in the outermost input */
  size_t payload_offset, payload_len;
  uint32_t count;         /* vec length for vector sections */
  union {
    wk_cmodule module;             /* id 1 */
    wk_cinstance *core_instances;  /* id 2 */
    wk_coretype *core_types;       /* id 3 */
    struct wk_component *component;/* id 4 */
    wk_cinstance *instances;       /* id 5 */
    wk_calias *aliases;            /* id 6 */
    wk_ctype *types;               /* id 7 */
    wk_ccanon *canons;             /* id 8 */
    wk_cstart start;               /* id 9 */
    wk_cimport *imports;           /* id 10 */
    wk_cexport *exports;           /* id 11 */
    wk_cvalue *values;             /* id 12 */
  } u;
  wk_cstr custom_name;    /* id 0 */
  wk_cstr custom_data;    /* id 0: payload after the name */
} wk_csection;

/* LEB128 written wider than minimal: (ordinal in reading order, width). */
typedef struct wk_cleb {
  uint32_t ordinal;
  uint8_t width;
} wk_cleb;

typedef struct wk_component {
  size_t offset, len;          /* this component's bytes (preamble included) in the outermost input */
  uint32_t nsections;
  wk_csection *sections;
  /* outermost component only: */
  wk_arena arena;
  uint32_t nlebs;
  wk_cleb *lebs;
  const uint8_t *input;
  size_t input_len;
} wk_component;

/* Limits on untrusted input. */
#define WK_COMPONENT_MAX_DEPTH 100

/*
 * Decode a component binary (Binary.md, version 0x0d layer 1) into a new
 * model (*out). `data` is borrowed and must outlive the model. Nested core
 * modules are kept as byte ranges (not decoded). Returns WK_OK, or
 * WK_ERR_MALFORMED / WK_ERR_NOMEM with a byte offset in `err`; on error
 * *out is NULL.
 */
int wk_component_decode(const uint8_t *data, size_t len, wk_component **out, wk_error *err);

/* Free a model returned by wk_component_decode (NULL is allowed). */
void wk_component_free(wk_component *c);

/*
 * Encode the model into `out` (appended). A model fresh from the decoder
 * encodes to the exact input bytes. Returns WK_OK or WK_ERR_NOMEM.
 */
int wk_component_encode(const wk_component *c, wk_buf *out, wk_error *err);

/*
 * Validate the component (Explainer.md: index spaces, type checking of
 * instantiations and aliases, import subtyping, canon options and their
 * core signatures, resources, names). Nested core modules are decoded and
 * validated with every core feature lib/encode implements (WK_FEAT_ALL:
 * WebAssembly 3.0 with GC; 2.0 with WK_CVALIDATE_CORE_WASM2): one the core
 * decoder refuses or the core validator rejects makes the component invalid.
 * Async, threading, value, map and fixed-length-list features are not
 * enabled: definitions using them are reported as invalid.
 * Returns WK_OK, or WK_ERR_INVALID (also for a malformed nested module: the
 * core error's message, at its offset in the file) with the byte offset of
 * the offending definition and the reason.
 */
int wk_component_validate(const wk_component *c, wk_error *err);

/* Flags of wk_component_validate_ex. */
enum {
  /* Check nested core modules only for what the component level uses:
   * their imports, exports and the types of those (the core:moduletype the
   * component's instantiations and aliases are checked against). Function
   * bodies, the other sections and the rest of Core spec 3 validation are
   * NOT checked: the caller must validate every nested module itself before
   * using it (lib/component's wk_comp_new does, through wk_module_new). */
  WK_CVALIDATE_SHALLOW_CORE = 1u << 0,
  /* Accept `map<K, V>` (Binary.md defvaltype 0x63, the 🗺️ cm-map feature;
   * wasm-tools `-f cm-map`). Without it a map type is an error. */
  WK_CVALIDATE_CM_MAP = 1u << 1,
  /* Accept `list<T, N>` (Binary.md defvaltype 0x67, the 🔧
   * cm-fixed-length-lists feature). Without it a fixed list is an error. */
  WK_CVALIDATE_CM_FIXED_LISTS = 1u << 2,
  /* Validate nested core modules as WebAssembly 2.0 (no WK_FEAT_* feature; wasm-tools
   * `--features wasm2`). Without it they may use every feature lib/encode implements
   * (WK_FEAT_ALL). */
  WK_CVALIDATE_CORE_WASM2 = 1u << 3,
};

/*
 * wk_component_validate with `flags` (WK_CVALIDATE_*; 0 = the full check,
 * the same as wk_component_validate). Same results and errors, except what
 * a flag leaves out.
 */
int wk_component_validate_ex(const wk_component *c, unsigned flags, wk_error *err);

/*
 * Print the component in the text format, in the layout of wasm-tools
 * `print` (appended to `out`), with `$names` from the component-name
 * section. Nested core modules are printed through wk_coremod_print().
 * Returns WK_OK, or an error when a nested module cannot be printed.
 */
int wk_component_print(const wk_component *c, wk_buf *out, wk_error *err);

/*
 * Print the fields of a core module (Core spec text format, wasm-tools
 * `print` style), each line indented by `indent` levels, without the
 * enclosing `(module ...)`. `data` is the module's binary, read with
 * wk_core_decode, or for modules beyond 2.0 with a fallback reader (types
 * incl. GC, imports, tables/memories incl. memory64, tags, exports, code).
 * Returns WK_OK or WK_ERR_MALFORMED / WK_ERR_UNSUPPORTED.
 */
int wk_coremod_print(const uint8_t *data, size_t len, int indent, wk_buf *out, wk_error *err);

/* The component's type as WIT: decode it into a Resolve with
 * witparse/witdecode.h (wit_decode_component) and print that
 * (wit_resolve_print_decoded); the type graph is encode/ctypes.h. */

/* The whole `(module $name ...)` text of a core module binary (see
 * wk_coremod_print). */
int wk_coremod_print_module(const uint8_t *data, size_t len, wk_buf *out, wk_error *err);

/* Name helpers (Explainer.md "Import and Export Definitions"). */
/* Kinds of extern names. */
enum wk_cname_kind {
  WK_CNAME_INVALID = 0, WK_CNAME_PLAIN, WK_CNAME_INTERFACE, WK_CNAME_CONSTRUCTOR, WK_CNAME_METHOD,
  WK_CNAME_STATIC, WK_CNAME_URL, WK_CNAME_HASH, WK_CNAME_DEPENDENCY, WK_CNAME_RESOURCE_OTHER,
};
/* Classify an extern name (`[method]r.m`, `ns:pkg/iface@1.0.0`, `kebab-name`, ...).
 * Returns a kind; WK_CNAME_INVALID when the name does not follow the grammar. */
int wk_cname_classify(const char *s, size_t n);

/* ---- metadata (for inspection tools) ------------------------------- */

/* A core module's import or export, read from its import/export sections
 * only (Core spec 5.5.5, 5.5.10). kind: wk_externkind (4 = tag). */
typedef struct wk_modext {
  wk_cstr module, name; /* module is empty for exports */
  uint8_t kind;
  uint32_t idx;         /* export index, or func import type index */
} wk_modext;

typedef struct wk_modinfo {
  uint32_t nimports, nexports, nfuncs, ncustoms;
  wk_modext *imports, *exports;
  int has_memory;       /* defines or imports a memory */
} wk_modinfo;

/*
 * Read the import and export lists (and defined-function count) of a core
 * module without decoding its code. Arrays come from `arena`, names point
 * into `data`. Returns WK_OK or WK_ERR_MALFORMED / WK_ERR_NOMEM.
 */
int wk_modinfo_read(const uint8_t *data, size_t len, wk_arena *arena, wk_modinfo *out, wk_error *err);

/* The `producers` custom section (tool-conventions ProducersSection.md):
 * fields ("language", "processed-by", "sdk") of (name, version) pairs. */
typedef struct wk_producer_value {
  wk_cstr name, version;
} wk_producer_value;
typedef struct wk_producer_field {
  wk_cstr name;
  uint32_t n;
  wk_producer_value *values;
} wk_producer_field;
typedef struct wk_producers {
  uint32_t n;
  wk_producer_field *fields;
} wk_producers;

/* Parse a producers section payload (after the section name). Returns
 * WK_OK or WK_ERR_MALFORMED (offsets relative to `base`). */
int wk_producers_parse(const uint8_t *data, size_t len, size_t base, wk_arena *arena, wk_producers *out,
                       wk_error *err);

/* The component-name custom section (Binary.md "Name Section"): the
 * component's own name and per-sort name maps. */
typedef struct wk_cnameassoc {
  uint32_t idx;
  wk_cstr name;
} wk_cnameassoc;
typedef struct wk_cnamemap {
  wk_csort sort;
  uint32_t n;
  wk_cnameassoc *names;
} wk_cnamemap;
typedef struct wk_cnames {
  int has_name;
  wk_cstr name;
  uint32_t nmaps;
  wk_cnamemap *maps;
} wk_cnames;

/* Parse a component-name section payload (after the name). A malformed
 * section is reported (WK_ERR_MALFORMED) but callers may ignore it. */
int wk_cnames_parse(const uint8_t *data, size_t len, wk_arena *arena, wk_cnames *out, wk_error *err);

/* The text-format name of a sort (Binary.md "sort"): "func", "value", "type", "component",
 * "instance", or "core func", "core table", ..., "core module", "core instance"; "?" or
 * "core ?" for codes the format does not define. Returns a static string. */
const char *wk_csort_name(wk_csort s);

#endif
