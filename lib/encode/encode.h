/*
 * lib/encode — the WebAssembly binary format: core modules and components.
 * decode ⇄ in-memory model ⇄ encode, validation.
 *
 * Core modules (WebAssembly 2.0, and the 3.0 features behind WK_FEAT_*: GC types are described at
 * wk_core_subtype, GC instructions in opcodes.h), in this header:
 *   wk_core_decode / wk_core_free      bytes -> wk_core_module (one pass)
 *   wk_core_validate                   Core spec 3, whole module
 *   wk_funcval_*                       the same, one instruction at a time,
 *                                      for translators (lib/interp)
 *   wk_insn_read + WK_OPCODES          instruction reader, opcode table
 *   wk_core_encode                     wk_core_module -> bytes (byte-exact
 *                                      for decoded modules)
 * Components: encode/component.h. Section walking: encode/sections.h.
 * The value-type codes below are shared with lib/interp and keep their
 * binary encodings.
 */
#ifndef WK_ENCODE_H
#define WK_ENCODE_H
#include "base/base.h"
#include "encode/sections.h"
#include "encode/component.h" /* components: see that header */

/* Core spec 5.3.1-5.3.3: value types by their binary encoding. */
typedef enum wk_valtype {
  WK_I32 = 0x7f,
  WK_I64 = 0x7e,
  WK_F32 = 0x7d,
  WK_F64 = 0x7c,
  WK_V128 = 0x7b,
  WK_FUNCREF = 0x70,
  WK_EXTERNREF = 0x6f,
  WK_EXNREF = 0x69, /* Core 3.0 5.3.4 (exception handling): (ref null exn); WK_FEAT_EXCEPTIONS */
  /* Core 3.0 5.3.3 (typed function references, WK_FEAT_FUNCTION_REFERENCES): a reference type
   * with an explicit heap type. The heap type travels beside the code byte (see wk_vt). */
  WK_REFNULL = 0x63, /* (ref null ht) */
  WK_REF = 0x64,     /* (ref ht): non-nullable, not defaultable (Core 3.0 3.2.x "Defaultable types") */
  /* Core 3.0 binary/types.rst "Reference Types" (GC, WK_FEAT_GC): the nullable shorthands
   * (ref null ht) of the GC abstract heap types, one byte each, as funcref/externref/exnref */
  WK_ANYREF = 0x6e,
  WK_EQREF = 0x6d,
  WK_I31REF = 0x6c,
  WK_STRUCTREF = 0x6b,
  WK_ARRAYREF = 0x6a,
  WK_NULLREF = 0x71,       /* (ref null none) */
  WK_NULLEXTERNREF = 0x72, /* (ref null noextern) */
  WK_NULLFUNCREF = 0x73,   /* (ref null nofunc) */
  WK_NULLEXNREF = 0x74,    /* (ref null noexn) */
} wk_valtype;

/* Core 3.0 binary/types.rst "Packed Types" (GC): the storage types of struct/array fields that
 * are not value types (wk_core_field.storage). */
#define WK_PACKED_I8 0x78
#define WK_PACKED_I16 0x77

/*
 * Full value types (Core 3.0 2.3.3-2.3.4: reference types with heap types).
 *
 * Everywhere the model stores a value type it keeps ONE CODE BYTE (wk_valtype) as in 2.0, so 2.0
 * arrays, the engine's slot types and their hot paths are unchanged. A typed reference is the
 * code WK_REF / WK_REFNULL plus a HEAP TYPE stored beside it (the `ht` field or `hts` array next
 * to the byte). A wk_vt is the two together in 32 bits:
 *
 *   bits 0-7   the code byte (0x7f..0x7b numeric/vector, 0x70/0x6f/0x69 the nullable abstract
 *              shorthands funcref/externref/exnref, 0x64 ref, 0x63 ref null)
 *   bits 8-30  the heap type, only for 0x63/0x64 (0 otherwise; bit 31 is always clear):
 *              WK_HT_ABS | code   an abstract heap type by its binary code (0x70 func, 0x6f
 *                                 extern, 0x69 exn; GC adds 0x6e any, 0x6d eq, 0x6c i31,
 *                                 0x6b struct, 0x6a array, 0x71 none, 0x72 noextern,
 *                                 0x73 nofunc, 0x74 noexn)
 *              a type index       < WK_HT_ABS (larger indices decode as WK_HT_BADIDX: "unknown type")
 *
 * Canonical form: a wk_vt writes (ref null ABS) of every abstract heap type ABS as its shorthand
 * code (0x70/0x6f/0x69, and with GC 0x6a..0x6e, 0x71..0x74: anyref, nullref, ...; ht 0), so equal types have equal wk_vt values modulo type index equivalence (Core 3.0 3.2: type
 * indices are compared by their defined types). The model keeps what the binary said (0x63 0x70
 * stays WK_REFNULL + WK_HT_FUNC: decode -> encode is byte-exact); wk_vt_make canonicalises, and
 * the WAT parser writes the shorthand.
 */
typedef uint32_t wk_vt;
#define WK_HT_ABS 0x400000u /* heap type: abstract, low byte = its code (bit 22: a wk_vt stays below
                               2^31, so it never turns negative in an int) */
#define WK_HT_BADIDX 0x3fffffu /* heap type: a type index too large to be valid */
#define WK_HT_FUNC (WK_HT_ABS | 0x70u)
#define WK_HT_EXTERN (WK_HT_ABS | 0x6fu)
#define WK_HT_EXN (WK_HT_ABS | 0x69u)
/* GC abstract heap types (Core 3.0 syntax/types.rst "Heap Types", binary/types.rst; WK_FEAT_GC) */
#define WK_HT_ANY (WK_HT_ABS | 0x6eu)
#define WK_HT_EQ (WK_HT_ABS | 0x6du)
#define WK_HT_I31 (WK_HT_ABS | 0x6cu)
#define WK_HT_STRUCT (WK_HT_ABS | 0x6bu)
#define WK_HT_ARRAY (WK_HT_ABS | 0x6au)
#define WK_HT_NONE (WK_HT_ABS | 0x71u)
#define WK_HT_NOEXTERN (WK_HT_ABS | 0x72u)
#define WK_HT_NOFUNC (WK_HT_ABS | 0x73u)
#define WK_HT_NOEXN (WK_HT_ABS | 0x74u)
/* 1 if byte c is an abstract heap type's code (0x69 exn .. 0x74 noexn: every code in between is
 * one), which is also its nullable shorthand value type (funcref, anyref, nullref, ...) */
static inline int wk_abs_ht_code(uint8_t c) { return c >= 0x69 && c <= 0x74; }
/* 1 if the abstract heap type code c is one GC adds (WK_FEAT_GC): all but func/extern/exn */
static inline int wk_gc_ht_code(uint8_t c) { return wk_abs_ht_code(c) && c != 0x70 && c != 0x6f && c != 0x69; }
/* code byte + heap type (ignored unless code is WK_REF/WK_REFNULL) -> canonical wk_vt: a
 * nullable abstract heap type becomes its one-byte shorthand */
static inline wk_vt wk_vt_make(uint8_t code, uint32_t ht) {
  if (code == WK_REFNULL && (ht & WK_HT_ABS)) return ht & 0xff;
  return code == WK_REF || code == WK_REFNULL ? (wk_vt)code | (wk_vt)ht << 8 : (wk_vt)code;
}
static inline uint8_t wk_vt_code(wk_vt t) { return (uint8_t)t; }
/* 1 for any reference type */
static inline int wk_vt_is_ref(wk_vt t) {
  uint8_t c = (uint8_t)t;
  return wk_abs_ht_code(c) || c == WK_REF || c == WK_REFNULL;
}
/* the heap type of a reference type (WK_HT_* or a type index) */
static inline uint32_t wk_vt_heap(wk_vt t) {
  uint8_t c = (uint8_t)t;
  return c == WK_REF || c == WK_REFNULL ? t >> 8 : WK_HT_ABS | c;
}
static inline int wk_vt_nullable(wk_vt t) { return (uint8_t)t != WK_REF; }
/* The type of the same heap type, nullable (nul = 1) or not: canonical form (see above). */
static inline wk_vt wk_vt_ref(uint32_t ht, int nul) {
  return wk_vt_make(nul ? WK_REFNULL : WK_REF, ht);
}
/* 1 if the heap type is a type index (a concrete heap type) */
static inline int wk_ht_is_idx(uint32_t ht) { return !(ht & WK_HT_ABS); }

/* Core spec 5.5.5 import/export descriptors: extern kinds by binary encoding. */
typedef enum wk_externkind {
  WK_EXTERN_FUNC = 0,
  WK_EXTERN_TABLE = 1,
  WK_EXTERN_MEMORY = 2,
  WK_EXTERN_GLOBAL = 3,
  WK_EXTERN_TAG = 4, /* Core 3.0 5.5.5 (exception handling): tag 0x00 typeidx; WK_FEAT_EXCEPTIONS */
} wk_externkind;


#include "encode/opcodes.h"

/* ======================================================================
 * Core module model (Core spec 2.5 "Modules", binary 5.5).
 *
 * Everything lives in the module's arena (`arena`); arrays are indexed by
 * the spec's integer indices, there are no pointer graphs. Byte ranges that
 * come from the input (function bodies, init expressions, data, custom
 * section contents) point INTO the decoded buffer: that buffer must outlive
 * the module. Names are copied (NUL-terminated, with their length: a wasm
 * name may contain U+0000).
 *
 * A model may also be built or edited in code (wk_core_new, then fill the
 * fields, allocating from m->arena or elsewhere as long as it outlives the
 * encode call) and encoded with wk_core_encode.
 * ====================================================================== */

/* A UTF-8 name (Core 5.2.4), NUL-terminated copy + exact length. */
typedef struct wk_core_name {
  const char *str;
  uint32_t len;
} wk_core_name;

/* Function type (Core 2.3.3, binary 5.3.6): arrays of wk_valtype. `hts`: NULL, or the heap
 * types of params then results (nparams + nresults entries, 0 where the code is not
 * WK_REF/WK_REFNULL): Core 3.0 typed references; see wk_vt and wk_functype_vt. */
typedef struct wk_core_functype {
  uint32_t nparams, nresults;
  const uint8_t *params, *results;
  const uint32_t *hts;
} wk_core_functype;
/* Param i (i < nparams) or result i - nparams of `t` as a wk_vt. */
static inline wk_vt wk_functype_vt(const wk_core_functype *t, uint32_t i) {
  uint8_t c = i < t->nparams ? t->params[i] : t->results[i - t->nparams];
  return t->hts ? wk_vt_make(c, t->hts[i]) : c;
}

/* ---- GC types (Core 3.0 syntax/types.rst "Composite Types", "Recursive Types"; binary/types.rst;
 * WK_FEAT_GC) ----
 *
 * With GC the type section is vec(rectype): rec groups (0x4e vec(subtype), or one subtype alone),
 * each subtype `sub final? typeidx* comptype` (0x50 / 0x4f, or a bare comptype: final, no
 * supertype), comptype func 0x60 / struct 0x5f vec(fieldtype) / array 0x5e fieldtype. The model
 * flattens the groups into the usual type index space:
 *
 *   m->types[i]     stays a wk_core_functype for EVERY index i: the function type for func types,
 *                   all-zero (no params, no results) for struct and array types. Code that only
 *                   knows function types keeps working; it must check wk_core_type_is_func where
 *                   a function type is required (the validator does).
 *   m->subtypes     NULL when the module has no rec/sub/struct/array (every 2.0 and non-GC 3.0
 *                   module: nothing changes, nothing is allocated), else ntypes wk_core_subtype
 *                   entries, parallel to m->types, in the module's arena.
 *
 * Use the accessors below (they handle subtypes == NULL). Indices in field types and supertypes
 * are module type indices (absolute), as the binary has them; rec-group-relative indices exist
 * only inside canonicalisation (lib/encode/reftypes.c). */
enum wk_comp_kind { WK_COMP_FUNC = 0, WK_COMP_STRUCT = 1, WK_COMP_ARRAY = 2 };
#define WK_NO_SUPER UINT32_MAX /* wk_core_subtype.super: no declared supertype */

/* A field type (Core 3.0 "Field Types"): storage type + mutability. storage: a wk_valtype code
 * (with `ht` beside it when WK_REF/WK_REFNULL, as elsewhere) or WK_PACKED_I8 / WK_PACKED_I16. */
typedef struct wk_core_field {
  uint8_t storage;
  uint8_t mut; /* 0 const, 1 var (binary 0x00 / 0x01) */
  uint32_t ht;
} wk_core_field;

/* One defined type's GC view (m->subtypes[i]). */
typedef struct wk_core_subtype {
  uint8_t kind;      /* enum wk_comp_kind */
  uint8_t final;     /* 1: final (0x4f, or no sub prefix); 0: `sub` 0x50, may be subtyped */
  uint8_t sub_form;  /* as encoded: 0 (bare comptype), 0x50 or 0x4f (byte-exact re-encoding) */
  uint8_t rec_explicit; /* the group of this type was written with 0x4e (a group of one may be) */
  uint32_t nsupers;  /* as encoded (valid: 0 or 1, Core 3.0 valid/types.rst "Sub Types") */
  uint32_t super;    /* the first declared supertype's type index, or WK_NO_SUPER */
  const uint32_t *supers; /* all nsupers declared supertypes (NULL when none) */
  uint32_t rec_start, rec_size; /* the rec group: types rec_start .. rec_start+rec_size-1 */
  uint32_t nfields;  /* struct: its fields; array: 1 (the element); func: 0 */
  const wk_core_field *fields;
} wk_core_subtype;

/* The field's storage type as a wk_vt (packed: WK_PACKED_I8 / WK_PACKED_I16, not a value type). */
static inline wk_vt wk_field_vt(const wk_core_field *f) {
  return f->storage == WK_PACKED_I8 || f->storage == WK_PACKED_I16 ? f->storage : wk_vt_make(f->storage, f->ht);
}
/* 1 if the storage type is packed (i8/i16): read with *.get_s/_u, unpacked to i32 */
static inline int wk_field_packed(const wk_core_field *f) {
  return f->storage == WK_PACKED_I8 || f->storage == WK_PACKED_I16;
}
/* "unpack" (Core 3.0 valid/instructions.rst): the value type a field's values have on the stack */
static inline wk_vt wk_field_unpacked(const wk_core_field *f) { return wk_field_packed(f) ? WK_I32 : wk_field_vt(f); }

/* Limits (Core 2.3.4): min, optional max. Core 3.0 2.3.10 (memory64):
 * is64 = address type i64 (binary flags 0x04/0x05), min/max then up to
 * 2^64-1; otherwise they fit a u32. */
typedef struct wk_core_limits {
  uint64_t min, max;
  uint8_t has_max;
  uint8_t is64;
  uint8_t shared; /* threads proposal (binary flag bit 0x02, text `shared`), memories only: decoded,
                     encoded and printed; validation rejects it (wkit has no threads, as
                     wasm-tools with threads disabled) */
} wk_core_limits;

/* Table type (Core 2.3.6): element reference type + limits. */
typedef struct wk_core_tabletype {
  uint8_t reftype; /* WK_FUNCREF or WK_EXTERNREF (WK_EXNREF, WK_REF/WK_REFNULL: Core 3.0) */
  uint32_t ht;     /* heap type when reftype is WK_REF/WK_REFNULL (wk_vt), else 0 */
  wk_core_limits lim;
} wk_core_tabletype;

/* Global type (Core 2.3.7). */
typedef struct wk_core_globaltype {
  uint8_t valtype;
  uint8_t mut; /* 0 = const, 1 = var */
  uint32_t ht; /* heap type when valtype is WK_REF/WK_REFNULL (wk_vt), else 0 */
} wk_core_globaltype;

/* An expression kept as bytes (Core 5.4.9): `bytes` includes the final
 * `end` (0x0B). `offset` is its file offset (0 for built models). */
typedef struct wk_core_expr {
  const uint8_t *bytes;
  uint32_t len;
  uint32_t offset;
} wk_core_expr;

/* Import (Core 2.5.11, binary 5.5.5). Only the field of `kind` is used. */
typedef struct wk_core_import {
  wk_core_name module, name;
  uint8_t kind;          /* wk_externkind */
  uint32_t type_index;   /* WK_EXTERN_FUNC */
  wk_core_tabletype table;   /* WK_EXTERN_TABLE */
  wk_core_limits mem;        /* WK_EXTERN_MEMORY */
  wk_core_globaltype global; /* WK_EXTERN_GLOBAL */
  uint32_t tag_type;         /* WK_EXTERN_TAG: type index of the tag's function type (Core 3.0 "Tag Types") */
  uint32_t offset;           /* file offset of the entry (0 for built models) */
} wk_core_import;

/* Global (Core 2.5.6). */
typedef struct wk_core_global {
  wk_core_globaltype type;
  wk_core_expr init;
} wk_core_global;

/* Export (Core 2.5.10). `index` is in the kind's index space. */
typedef struct wk_core_export {
  wk_core_name name;
  uint8_t kind;
  uint32_t index;
  uint32_t offset;       /* file offset of the entry (0 for built models) */
} wk_core_export;

/* Segment modes (Core 2.5.7, 2.5.8). */
enum wk_segmode { WK_SEG_ACTIVE = 0, WK_SEG_PASSIVE = 1, WK_SEG_DECLARATIVE = 2 };

/* Element segment (Core 2.5.7, binary 5.5.12). Items are either function
 * indices (`exprs` NULL, flags bit 2 clear) or constant expressions
 * (`funcs` NULL). `explicit_table` records that the binary named the table
 * (flags 2/6) although it could have used the short form: the encoder keeps
 * that choice, and uses the explicit form anyway when the short form cannot
 * express the segment. */
typedef struct wk_core_elem {
  uint8_t mode;          /* enum wk_segmode */
  uint8_t reftype;       /* WK_FUNCREF / WK_EXTERNREF (Core 3.0: any reference type code) */
  uint32_t ht;           /* heap type when reftype is WK_REF/WK_REFNULL (wk_vt), else 0 */
  uint8_t uses_exprs;    /* 1: items are exprs */
  uint8_t explicit_table;
  uint32_t table;        /* active only */
  wk_core_expr offset;   /* active only */
  uint32_t count;
  uint32_t *funcs;       /* count function indices, or NULL */
  wk_core_expr *exprs;   /* count expressions, or NULL */
} wk_core_elem;

/* Data segment (Core 2.5.8, binary 5.5.14). */
typedef struct wk_core_data {
  uint8_t mode;          /* WK_SEG_ACTIVE or WK_SEG_PASSIVE */
  uint8_t explicit_mem;  /* active, encoded with flags 2 (memory index given) */
  uint32_t memory;
  wk_core_expr offset;   /* active only */
  const uint8_t *bytes;
  uint32_t len;
  uint32_t data_offset;  /* file offset of bytes[0] */
} wk_core_data;

/* A run of locals of one type (Core 5.5.13 "locals"). */
typedef struct wk_local_group {
  uint32_t count;
  uint8_t type;
  uint32_t ht; /* heap type when type is WK_REF/WK_REFNULL (wk_vt), else 0 */
} wk_local_group;

/* Code entry of a defined function (Core 5.5.13). `body` is the function's
 * expression (instructions through the final `end`), `body_offset` its file
 * offset (0 for built models). `nlocals` is the sum of the groups' counts
 * (at most 2^32 - 1 after decoding: Core 5.5.13 "too many locals"). */
typedef struct wk_core_code {
  uint32_t ngroups;
  wk_local_group *groups;
  uint64_t nlocals;
  const uint8_t *body;
  uint32_t body_len;
  uint32_t body_offset;
} wk_core_code;

/* Custom section (Core 2.5.14 / 5.5.3). `place` is the id of the last
 * non-custom section before it (0: before all), so the encoder puts it back
 * where it was. `offset` is the file offset of the content. */
typedef struct wk_core_custom {
  wk_core_name name;
  const uint8_t *content;
  uint32_t len;
  uint32_t offset;
  uint8_t place;
} wk_core_custom;

/* An entry of the name section's function-name map (Custom 7.4.2.2). */
typedef struct wk_core_funcname {
  uint32_t index;
  wk_core_name name;
} wk_core_funcname;

/* A LEB128 that the input encoded in more bytes than needed: the `ordinal`-th
 * LEB the encoder writes gets `width` bytes. Kept so decode -> encode is
 * byte-exact; see wk_core_encode. */
typedef struct wk_leb_pad {
  uint32_t ordinal;
  uint8_t width;
} wk_leb_pad;

/* File offsets of a section's entries, for validation errors ("every error is FILE:OFFSET"):
 * at[k] is where entry k starts in the file. The decoder fills them; a built or changed model
 * may have fewer (n) or none: read with wk_core_entry_offset, which gives 0 (no offset) then. */
typedef struct wk_core_offsets {
  uint32_t n;
  uint32_t *at;
} wk_core_offsets;

typedef struct wk_core_module {
  wk_arena arena;

  uint32_t ntypes;
  wk_core_functype *types;
  /* Core 3.0 GC: NULL, or ntypes entries parallel to `types` (see wk_core_subtype above) */
  wk_core_subtype *subtypes;
  /* GC rec groups with no types (0x4e 0x00), kept for byte-exact re-encoding: before type index
   * empty_recs[k] (ntypes: at the end), ascending */
  uint32_t nempty_recs;
  uint32_t *empty_recs;
  uint32_t nimports;
  wk_core_import *imports;
  uint32_t nfuncs;        /* defined functions */
  uint32_t *funcs;        /* type index of each defined function */
  uint32_t ntables;       /* defined tables */
  wk_core_tabletype *tables;
  /* Core 3.0 5.5.7 (typed function references): table ::= 0x40 0x00 tt e, a table with an
   * initialiser expression. NULL when no table has one, else ntables entries (len 0: none). */
  wk_core_expr *table_inits;
  uint32_t nmems;         /* defined memories */
  wk_core_limits *mems;
  uint32_t nglobals;      /* defined globals */
  wk_core_global *globals;
  uint32_t nexports;
  wk_core_export *exports;
  uint8_t has_start;
  uint32_t start;         /* function index */
  uint32_t start_offset;  /* file offset of the start section's index */
  uint32_t nelems;
  wk_core_elem *elems;
  uint8_t has_datacount;
  uint32_t datacount;
  uint32_t ncodes;        /* == nfuncs in a well-formed module */
  wk_core_code *codes;
  uint32_t ndatas;
  wk_core_data *datas;
  uint32_t ncustoms;
  wk_core_custom *customs;

  /* Core 3.0 "Tags" (exception handling; binary "Tag Section", id 13 between memory and global):
   * the type index of each defined tag's function type (its results must be empty). */
  uint32_t ntags;
  uint32_t *tags;
  uint32_t nimported_tags;
  uint32_t *tag_imports;
  /* The WK_FEAT_* bits the decoder accepted (wk_core_scan_bodies reads the bodies with them). */
  unsigned features;

  /* Name section (custom "name", subsection 1), when well-formed; sorted by
   * index. A malformed name section leaves this empty (not an error). */
  uint32_t nfunc_names;
  wk_core_funcname *func_names;

  /* Derived by the decoder (wk_core_reindex recomputes them for a built
   * model): imported entities per kind, and for each, its import index. */
  uint32_t nimported_funcs, nimported_tables, nimported_mems, nimported_globals;
  uint32_t *func_imports, *table_imports, *mem_imports, *global_imports;

  /* Round-trip details: bit N set = section id N was present (even empty),
   * non-minimal LEB128 widths (sorted by ordinal), and how many LEBs the
   * decoder read (the encoder only applies `pads` when it writes the same
   * number, i.e. when the model's shape was not changed). */
  uint32_t sections_present;
  uint32_t npads;
  wk_leb_pad *pads;
  uint32_t nlebs;

  /* Entry offsets (decoder-filled, see wk_core_offsets): type i (its subtype, in its rec group),
   * defined table i, memory i, tag i, element segment i. */
  wk_core_offsets type_offs, table_offs, mem_offs, tag_offs, elem_offs;
} wk_core_module;

/* The file offset of entry i of `o` (a wk_core_module's *_offs), or 0 when not recorded. */
static inline uint32_t wk_core_entry_offset(const wk_core_offsets *o, uint32_t i) {
  return i < o->n ? o->at[i] : 0;
}

/*
 * Decode a core module (Core spec 5.5 "Modules"), in one pass. Every
 * function body is scanned with wk_insn_read so that malformed instructions
 * are decoding errors. `bytes` is borrowed and must outlive *out.
 * Returns WK_OK and *out (free with wk_core_free), or WK_ERR_MALFORMED with
 * err->offset at the offending byte and the spec tests' wording ("unexpected
 * end", "magic header not detected", "integer too large", "section size
 * mismatch", "illegal opcode", ...), WK_ERR_UNSUPPORTED for inputs over
 * 4 GiB, or WK_ERR_NOMEM. The module is NOT validated: call wk_core_validate.
 */
int wk_core_decode(const uint8_t *bytes, size_t len, wk_core_module **out, wk_error *err);
/* Flags of wk_core_decode_ex. */
enum {
  /* Do not scan function bodies: each body is taken as the bytes its code entry's size gives
   * (locals still decoded). For a caller that reads every instruction right after anyway (lib/interp's
   * validation, the component validator) and, when it finds an error, calls wk_core_scan_bodies (or
   * decodes in full) so that a malformed body is still reported as malformed, ahead of any
   * validation error (Core spec 5: decoding precedes validation). Module-level malformed input is
   * reported as by wk_core_decode. */
  WK_CORE_DECODE_LAZY_BODIES = 1u << 0,
  /* The name section ("name" custom sections, Custom 7.4) is kept as a custom section only:
   * func_names stays empty. For a caller that wants names only when it reports a backtrace
   * (lib/interp): it parses them then with wk_core_parse_func_names, with the same result. */
  WK_CORE_DECODE_LAZY_NAMES = 1u << 1,
  /* Import, export and custom section names (wk_core_name) point into the input bytes instead of
   * NUL-terminated copies: str is NOT NUL-terminated (use len) and lives as long as the bytes. For
   * a caller that copies what it keeps before freeing the input (lib/interp): a copy of each name
   * was two thirds of decoding a component's small modules' names (callgrind). */
  WK_CORE_DECODE_BORROW_NAMES = 1u << 2,
};

/* The function-name map (Custom 7.4.2.2, subsection id 1) of one "name" custom section's
 * `content` (`len` bytes), as wk_core_decode reads it: subsections in increasing id order, the
 * map's indices strictly increasing, names well-formed UTF-8; any malformation (Custom 7.4: "an
 * implementation ... ignores" a malformed name section) means no map. Returns 1 and sets *out
 * (`*n` entries, NUL-terminated names; allocated in `a`, the caller frees the arena) when the
 * section has a well-formed function-name map (possibly empty), else 0 (also when out of memory).
 * wk_core_decode uses the first "name" section for which this returns 1. */
int wk_core_parse_func_names(const uint8_t *content, size_t len, wk_arena *a, wk_core_funcname **out, uint32_t *n);

/* wk_core_decode with `flags` (WK_CORE_DECODE_*; 0 = wk_core_decode). */
int wk_core_decode_ex(const uint8_t *bytes, size_t len, unsigned flags, wk_core_module **out, wk_error *err);

/* The body checks wk_core_decode makes and WK_CORE_DECODE_LAZY_BODIES skips: every body's
 * instructions (Core 5.4), its final `end` at the end of its code entry (Core 5.5.13), and the data
 * count section for memory.init/data.drop (Core 5.5.16). WK_OK or WK_ERR_MALFORMED with the error
 * wk_core_decode would have given. */
int wk_core_scan_bodies(const wk_core_module *m, wk_error *err);

/* WebAssembly 3.0 features the decoder and validator may accept beyond 2.0
 * (bit set). wk_core_decode, wk_core_validate and a fresh wk_funcval enable
 * none: lib/interp, which does not execute them yet, keeps rejecting such
 * modules (malformed / invalid as WebAssembly 2.0 says). */
enum wk_feature {
  WK_FEAT_EXTENDED_CONST = 1u << 0, /* i32/i64 add, sub, mul in constant expressions, and
                                       global.get of earlier immutable globals (Core 3.0 3.3.10, 3.4) */
  WK_FEAT_TAIL_CALL = 1u << 1,      /* return_call, return_call_indirect (Core 3.0 3.3.8) */
  WK_FEAT_MULTI_MEMORY = 1u << 2,   /* several memories, memory index immediates (Core 3.0 3.3.7) */
  WK_FEAT_MEMORY64 = 1u << 3,       /* i64 memories: limits flags 0x04/0x05, u64 memarg offsets,
                                       i64 addresses (Core 3.0 2.3.10, 3.3.7); not table64 */
  WK_FEAT_RELAXED_SIMD = 1u << 4,   /* relaxed SIMD: 0xFD 0x100-0x113 (Core 3.0 3.3.3, 4.3.2
                                       "Relaxed operations"); decoded always, see opcodes.h */
  WK_FEAT_EXCEPTIONS = 1u << 5,     /* exception handling (Core 3.0: tags, tag section, exnref
                                       5.3.4, throw/throw_ref/try_table 3.3.8, 5.4.1); the tag
                                       section, tag imports/exports and exnref are malformed
                                       without it, the instructions invalid */
  WK_FEAT_FUNCTION_REFERENCES = 1u << 6, /* typed function references (Core 3.0 2.3.3 heap types,
                                       (ref null? ht) 0x63/0x64, 3.2 subtyping, call_ref 0x14,
                                       return_call_ref 0x15, ref.as_non_null 0xD4, br_on_null
                                       0xD5, br_on_non_null 0xD6, typed ref.func, non-defaultable
                                       locals, table initialisers 0x40 0x00); the type forms are
                                       malformed without it, the instructions invalid */
  /* legacy exception handling (exception-handling repository, document/legacy/exceptions):
   * try bt, catch x, catch_all, delegate l, rethrow l (opcodes 0x06 0x07 0x19 0x18 0x09), on the
   * tags of WK_FEAT_EXCEPTIONS (enable both); the opcodes are malformed without it. Not part of
   * WebAssembly 3.0, but what emscripten's -fwasm-exceptions emits by default and what V8 and
   * SpiderMonkey still run. (Bit 7: bit 6 is typed function references.) */
  WK_FEAT_LEGACY_EXCEPTIONS = 1u << 7,
  /* garbage collection (Core 3.0: rec groups 0x4e, sub 0x50 / sub final 0x4f, struct 0x5f and
   * array 0x5e types, packed storage types, the abstract heap types any/eq/i31/struct/array/none/
   * noextern/nofunc/noexn and their shorthands, the 0xFB instructions, ref.eq 0xD3, iso-recursive
   * type equivalence, declared subtyping); the type forms and opcodes are malformed without it.
   * Needs WK_FEAT_FUNCTION_REFERENCES (enable both). */
  WK_FEAT_GC = 1u << 8,
};
/* Every feature this validator implements (what the tools enable). */
#define WK_FEAT_ALL (WK_FEAT_EXTENDED_CONST | WK_FEAT_TAIL_CALL | WK_FEAT_MULTI_MEMORY | WK_FEAT_MEMORY64 | \
                     WK_FEAT_RELAXED_SIMD | WK_FEAT_EXCEPTIONS | WK_FEAT_FUNCTION_REFERENCES | \
                     WK_FEAT_LEGACY_EXCEPTIONS | WK_FEAT_GC)

/* The legacy exception-handling opcodes (WK_FEAT_LEGACY_EXCEPTIONS): try, catch, rethrow,
 * delegate, catch_all. */
static inline int wk_legacy_eh_op(unsigned op) {
  return op == WK_OP_TRY || op == WK_OP_CATCH || op == WK_OP_RETHROW || op == WK_OP_DELEGATE || op == WK_OP_CATCH_ALL;
}

/* wk_core_decode accepting the binary forms of the WK_FEAT_* `features`
 * (multi-memory: memory index immediates, Core 3.0 5.4.6/5.4.7). Without
 * multi-memory a memory index is malformed as in 2.0 ("zero byte expected",
 * "malformed memop flags"). */
int wk_core_decode_features(const uint8_t *bytes, size_t len, unsigned features, wk_core_module **out,
                            wk_error *err);
/* wk_core_decode_features with wk_core_decode_ex's `flags` (WK_CORE_DECODE_*): lib/interp's lazy
 * translation with 3.0 features enabled. */
int wk_core_decode_features_ex(const uint8_t *bytes, size_t len, unsigned flags, unsigned features,
                               wk_core_module **out, wk_error *err);


/* An empty module for building in code (NULL on OOM). */
wk_core_module *wk_core_new(void);
/* Free a module and its arena. NULL is allowed. */
void wk_core_free(wk_core_module *m);
/* Recompute the nimported_* counts and *_imports arrays after editing
 * `imports` in code. Returns WK_OK or WK_ERR_NOMEM. */
int wk_core_reindex(wk_core_module *m);

/* Index-space helpers (imports come first in every index space, Core 2.5.1).
 * They return NULL / 0 for an out-of-range index. */
static inline uint32_t wk_core_func_count(const wk_core_module *m) { return m->nimported_funcs + m->nfuncs; }
static inline uint32_t wk_core_table_count(const wk_core_module *m) { return m->nimported_tables + m->ntables; }
static inline uint32_t wk_core_mem_count(const wk_core_module *m) { return m->nimported_mems + m->nmems; }
static inline uint32_t wk_core_global_count(const wk_core_module *m) { return m->nimported_globals + m->nglobals; }
static inline uint32_t wk_core_tag_count(const wk_core_module *m) { return m->nimported_tags + m->ntags; }
/* Type of tag `tag` (Core 3.0 "Tag Types": a function type with no results), or NULL (index or type
 * index out of range). */
const wk_core_functype *wk_core_tag_type(const wk_core_module *m, uint32_t tag);
/* Type index of function `func` (UINT32_MAX when out of range). */
uint32_t wk_core_func_type_index(const wk_core_module *m, uint32_t func);
/* Type of function `func`, or NULL (index or its type index out of range). */
const wk_core_functype *wk_core_func_type(const wk_core_module *m, uint32_t func);
const wk_core_tabletype *wk_core_table_type(const wk_core_module *m, uint32_t table);
const wk_core_limits *wk_core_mem_limits(const wk_core_module *m, uint32_t mem);
const wk_core_globaltype *wk_core_global_type(const wk_core_module *m, uint32_t global);
/* The import behind an imported func/table/mem/global index, or NULL if the
 * entity is defined (or out of range). `kind` is a wk_externkind. */
const wk_core_import *wk_core_import_of(const wk_core_module *m, int kind, uint32_t index);
/* Name-section name of function `func`, or NULL. */
const wk_core_name *wk_core_func_name(const wk_core_module *m, uint32_t func);

/* GC type accessors (Core 3.0; m->subtypes may be NULL: then every type is a final function
 * type without supertype in a group of its own). `i` must be < m->ntypes. */
static inline uint8_t wk_core_type_kind(const wk_core_module *m, uint32_t i) {
  return m->subtypes ? m->subtypes[i].kind : WK_COMP_FUNC;
}
static inline int wk_core_type_is_func(const wk_core_module *m, uint32_t i) { return wk_core_type_kind(m, i) == WK_COMP_FUNC; }
static inline int wk_core_type_is_struct(const wk_core_module *m, uint32_t i) { return wk_core_type_kind(m, i) == WK_COMP_STRUCT; }
static inline int wk_core_type_is_array(const wk_core_module *m, uint32_t i) { return wk_core_type_kind(m, i) == WK_COMP_ARRAY; }
static inline int wk_core_type_final(const wk_core_module *m, uint32_t i) { return m->subtypes ? m->subtypes[i].final : 1; }
/* declared supertype index, or WK_NO_SUPER */
static inline uint32_t wk_core_type_super(const wk_core_module *m, uint32_t i) {
  return m->subtypes ? m->subtypes[i].super : WK_NO_SUPER;
}
/* struct: number of fields; array: 1; func: 0 */
static inline uint32_t wk_core_type_nfields(const wk_core_module *m, uint32_t i) {
  return m->subtypes ? m->subtypes[i].nfields : 0;
}
/* field k of a struct type (array: k = 0, the element), or NULL when out of range */
static inline const wk_core_field *wk_core_type_field(const wk_core_module *m, uint32_t i, uint32_t k) {
  return m->subtypes && k < m->subtypes[i].nfields ? &m->subtypes[i].fields[k] : NULL;
}
/* the rec group of type i: its first type index and size */
static inline void wk_core_type_rec(const wk_core_module *m, uint32_t i, uint32_t *start, uint32_t *size) {
  if (m->subtypes) *start = m->subtypes[i].rec_start, *size = m->subtypes[i].rec_size;
  else *start = i, *size = 1;
}
/* The top of the heap-type hierarchy of type i (Core 3.0 valid/matching.rst): WK_HT_FUNC for
 * function types, WK_HT_ANY for struct and array types. */
static inline uint32_t wk_core_type_top(const wk_core_module *m, uint32_t i) {
  return wk_core_type_is_func(m, i) ? WK_HT_FUNC : WK_HT_ANY;
}

/* Canonical type indices (Core 3.0 valid/conventions.rst "Rolling and Unrolling", valid/types.rst
 * "Recursive Types": iso-recursive equivalence of rec groups): a malloc'd array of ntypes entries,
 * canon[i] = the smallest type index whose defined type is equivalent to type i (two types are
 * equal as heap types iff their canon entries are equal; across modules, compare the groups). NULL
 * on OOM. Free with free(). Valid for any decoded module (type indices out of range compare as
 * themselves). */
uint32_t *wk_core_type_canon(const wk_core_module *m);

/* Cross-module type identity (Core 3.0 valid/conventions.rst "Rolling and Unrolling", exec
 * "Type Instances": two defined types of different modules are the same when their rec groups are
 * equal after closing over the types outside the group). Appends to `out` a byte key of the rec
 * group that starts at type index `start` (a wk_core_type_rec start): every type of the group in
 * order (kind, finality, supertypes, fields / params and results), references to types INSIDE
 * the group as their position in it, references to types OUTSIDE it (always earlier types) as
 * ext_ids[index], an id the caller gives them (e.g. an engine's interned id for that type, or
 * wk_core_type_canon within one module). Two groups are equivalent iff their keys are equal when
 * equal ext ids stand for equivalent types: an engine that interns groups in definition order
 * (each group's outside references are interned before it) gets canonical ids for every type of
 * every module by looking the key up in one table. Works without GC too (m->subtypes NULL: one
 * function type per group). `start` must be a group start < ntypes; `out` is a wk_buf (OOM: its
 * oom flag). */
void wk_core_rec_key(const wk_core_module *m, uint32_t start, const uint32_t *ext_ids, wk_buf *out);

/*
 * Encode a module (Core 5.5) into `out` (appended). Every field is encoded
 * from the model (function bodies and expressions are byte ranges). For a
 * decoded, unmodified module the result is byte-identical to the input:
 * sections present-but-empty are kept, custom sections go back to their
 * place, element/data segment flags keep the input's form, and non-minimal
 * LEB128s get their original width (`pads`; ignored when the model's shape
 * changed). A section is written when it has entries or its bit is set in
 * `sections_present`; start and data count when has_start / has_datacount.
 * The model is not validated (see wk_core_validate). Returns WK_OK,
 * WK_ERR_USAGE (inconsistent model: ncodes != nfuncs, datacount != ndatas,
 * an unknown import kind, function-index items in a non-funcref element
 * segment), or WK_ERR_NOMEM; `out` is unchanged on error.
 */
int wk_core_encode(const wk_core_module *m, wk_buf *out, wk_error *err);

/* ======================================================================
 * Instruction reader (Core 5.4).
 * ====================================================================== */

/* Immediate kinds (the IMM column of WK_OPCODES). */
enum wk_immkind {
  WK_IMM_NONE,
  WK_IMM_BLOCK,         /* blocktype: bt_kind, valtype or idx0 (type index) */
  WK_IMM_LABEL,         /* idx0 = label index */
  WK_IMM_BR_TABLE,      /* count, targets/targets_len, idx0 = default label */
  WK_IMM_FUNC,          /* idx0 = function index (call, ref.func) */
  WK_IMM_CALL_INDIRECT, /* idx0 = type index, idx1 = table index */
  WK_IMM_LOCAL,         /* idx0 */
  WK_IMM_GLOBAL,        /* idx0 */
  WK_IMM_TABLE,         /* idx0 = table index */
  WK_IMM_MEMARG,        /* align (log2), offset, mem (3.0: memidx when flags bit 6) */
  WK_IMM_MEM,           /* memidx (2.0: one 0x00 byte) -> mem (memory.size/grow/fill) */
  WK_IMM_I32,           /* val.i32 */
  WK_IMM_I64,           /* val.i64 */
  WK_IMM_F32,           /* val.f32 (bits) */
  WK_IMM_F64,           /* val.f64 (bits) */
  WK_IMM_SELECT_T,      /* count = number of types, valtype = the first */
  WK_IMM_REFTYPE,       /* valtype = WK_FUNCREF / WK_EXTERNREF */
  WK_IMM_MEM_INIT,      /* idx0 = data index, then memidx (2.0: 0x00) -> mem */
  WK_IMM_DATA,          /* idx0 = data index */
  WK_IMM_MEM_COPY,      /* memidx memidx (2.0: 0x00 0x00) -> mem = destination, mem_src */
  WK_IMM_TABLE_INIT,    /* idx0 = elem index, idx1 = table index */
  WK_IMM_ELEM,          /* idx0 = elem index */
  WK_IMM_TABLE_COPY,    /* idx0 = destination table, idx1 = source table */
  WK_IMM_V128,          /* val.v128 (16 bytes, little endian) */
  WK_IMM_SHUFFLE,       /* val.v128 = 16 lane indices */
  WK_IMM_LANE,          /* lane */
  WK_IMM_MEMARG_LANE,   /* align, offset, lane */
  WK_IMM_TAG,           /* idx0 = tag index (throw) */
  WK_IMM_TRY_TABLE,     /* blocktype as WK_IMM_BLOCK, then count catch clauses at `targets`
                           (read them with wk_insn_catch) */
  WK_IMM_TYPE,          /* idx0 = type index (call_ref, return_call_ref: Core 3.0 5.4.1; GC struct.new,
                           struct.new_default, array.new, array.new_default, array.get/_s/_u,
                           array.set, array.fill) */
  /* GC (Core 3.0 binary/instructions.rst "Aggregate Instructions", "Reference Instructions") */
  WK_IMM_TYPE_FIELD,    /* idx0 = struct type index, idx1 = field index (struct.get/_s/_u, struct.set) */
  WK_IMM_TYPE_COUNT,    /* idx0 = array type index, count = number of operands (array.new_fixed) */
  WK_IMM_TYPE_DATA,     /* idx0 = array type index, idx1 = data index (array.new_data, array.init_data) */
  WK_IMM_TYPE_ELEM,     /* idx0 = array type index, idx1 = elem index (array.new_elem, array.init_elem) */
  WK_IMM_TYPE_TYPE,     /* idx0 = destination array type, idx1 = source array type (array.copy) */
  WK_IMM_HEAPTYPE,      /* ref.test / ref.cast: the target reference type as valtype + ht (read it with
                           wk_vt_make(valtype, ht)); nullable for the `ref null` opcodes 0xFB 21 / 23 */
  WK_IMM_BR_ON_CAST,    /* br_on_cast / br_on_cast_fail: cast_flags (bit 0: rt1 nullable, bit 1: rt2
                           nullable), idx0 = label, ht = rt1's heap type, ht2 = rt2's (wk_insn_cast_types) */
};

/* Block types (Core 5.4.1). */
enum wk_blocktype_kind { WK_BT_EMPTY = 0, WK_BT_VAL = 1, WK_BT_TYPE = 2 };

/* One decoded instruction. Only the fields of its immediate kind are set. */
typedef struct wk_insn {
  uint16_t op;        /* enum wk_op */
  uint16_t opi;       /* enum wk_opi */
  uint8_t imm;        /* enum wk_immkind */
  uint8_t bt_kind;    /* WK_IMM_BLOCK: enum wk_blocktype_kind */
  uint8_t valtype;    /* blocktype value type, ref.null type, select type (code byte) */
  uint8_t lane;
  uint32_t ht;        /* heap type beside `valtype` when it is WK_REF/WK_REFNULL (wk_vt); ref.null
                         of a type index: valtype WK_REFNULL, ht the index */
  uint32_t idx0, idx1;
  uint32_t ht2;       /* WK_IMM_BR_ON_CAST: the heap type of the target type rt2 */
  uint8_t cast_flags; /* WK_IMM_BR_ON_CAST: the flags byte (bits 0, 1: rt1, rt2 nullable) */
  uint32_t align;     /* memarg alignment exponent as encoded */
  uint64_t offset;    /* memarg offset (u64 in 3.0: memory64; offset_wide = not a 2.0 u32 LEB) */
  uint8_t offset_wide;
  /* Memory index (Core 3.0 5.4.6/5.4.7, multi-memory): memarg (explicit when
   * the flags' bit 6 is set: mem_explicit = 1), memory.size/grow/fill/init,
   * memory.copy destination; mem_src = memory.copy source. 0 in 2.0. */
  uint32_t mem, mem_src;
  uint8_t mem_explicit;
  uint32_t count;     /* br_table: number of targets (without default); select_t: type count;
                         try_table: number of catch clauses */
  const uint8_t *targets; /* br_table: `count` LEB128 u32 labels (already checked); try_table:
                             `count` catch clauses (already checked) */
  union {
    int32_t i32;
    int64_t i64;
    uint32_t f32;
    uint64_t f64;
    uint8_t v128[16];
  } val;
} wk_insn;

/*
 * Decode one instruction of `code[0..len)` at *pos, with all immediates
 * (Core 5.4). Advances *pos past it. Errors (WK_ERR_MALFORMED, err->offset
 * relative to `code`): "unexpected end", "illegal opcode", "integer
 * representation too long", "integer too large", "zero byte expected",
 * "malformed reference type", "malformed value type".
 */
int wk_insn_read(const uint8_t *code, size_t len, size_t *pos, wk_insn *out, wk_error *err);

/* Read a value type at code[*pos] (Core 3.0 5.3.3-5.3.4): one code byte, or 0x63/0x64 and a heap
 * type (s33: an abstract heap type code or a type index), as encoded (wk_vt_make canonicalises).
 * Sets *code and *ht. Errors (WK_ERR_MALFORMED): "unexpected end", "malformed value type",
 * "malformed heap type", LEB errors. Accepts the 3.0 forms always: callers check the feature. */
int wk_valtype_read(const uint8_t *code, size_t len, size_t *pos, uint8_t *out, uint32_t *ht, wk_error *err);
/* Append value type (code, ht) in its binary form (Core 3.0 5.3.3). */
void wk_valtype_put(wk_buf *b, uint8_t code, uint32_t ht);

/* br_on_cast / br_on_cast_fail l rt1 rt2 (Core 3.0 binary/instructions.rst): the two reference
 * types of a WK_IMM_BR_ON_CAST instruction. */
static inline void wk_insn_cast_types(const wk_insn *in, wk_vt *rt1, wk_vt *rt2) {
  *rt1 = wk_vt_ref(in->ht, in->cast_flags & 1);
  *rt2 = wk_vt_ref(in->ht2, (in->cast_flags >> 1) & 1);
}

/* Next br_table label: call `count` times for the targets (starting with
 * *cursor = 0), the default is idx0. No error possible after wk_insn_read. */
uint32_t wk_insn_br_target(const wk_insn *in, size_t *cursor);

/* WK_OPCODES' columns by dense index (enum wk_opi, wk_insn.opi): the text name, the operand typing
 * of the simple instructions ("ii>i", NULL where the validator types it by hand) and AUX (see
 * opcodes.h). The engine's translator reads the typing here (one table for decode, validate,
 * print and translate). */
extern const char *const wk_opi_text[WK_OPI_COUNT];
extern const char *const wk_opi_sig[WK_OPI_COUNT];
extern const uint8_t wk_opi_aux[WK_OPI_COUNT];

/* The value type one letter of a wk_opi_sig signature names: 'i' i32, 'I' i64, 'f' f32, 'F' f64,
 * 'v' v128 (any other letter reads as v128). */
static inline uint8_t wk_sig_valtype(char c) {
  switch (c) {
  case 'i': return WK_I32;
  case 'I': return WK_I64;
  case 'f': return WK_F32;
  case 'F': return WK_F64;
  default: return WK_V128;
  }
}

/* Catch clause kinds of try_table (Core 3.0 5.4.1: catch 0x00 x l, catch_ref 0x01 x l,
 * catch_all 0x02 l, catch_all_ref 0x03 l). */
enum wk_catch_kind { WK_CATCH = 0, WK_CATCH_REF = 1, WK_CATCH_ALL = 2, WK_CATCH_ALL_REF = 3 };
/* Next catch clause of a try_table: call `count` times starting with *cursor = 0. Sets *kind
 * (enum wk_catch_kind), *tag (0 for the catch_all forms) and *label. No error possible after
 * wk_insn_read. */
void wk_insn_catch(const wk_insn *in, size_t *cursor, uint8_t *kind, uint32_t *tag, uint32_t *label);

/* Text name of an opcode ("i32.add"), or NULL if unknown. */
const char *wk_op_name(unsigned op);
/* Dense index of an opcode, or -1 if it is not a 2.0 opcode. */
int wk_op_index(unsigned op);

/* ======================================================================
 * Validation (Core spec 3).
 * ====================================================================== */

/*
 * Validate a whole module (Core 3.4 "Modules": types, imports, tables,
 * memories, globals and constant expressions, exports, start, element and
 * data segments, and every function body through the wk_funcval API).
 * Returns WK_OK or WK_ERR_INVALID with the spec tests' message, prefixed
 * with "func N: " for errors inside function N, and err->offset at the
 * instruction (file offset), or WK_ERR_NOMEM.
 */
int wk_core_validate(const wk_core_module *m, wk_error *err);


/* wk_core_validate with the WK_FEAT_* bits in `features` also accepted.
 * A module using a feature that is not enabled fails with WK_ERR_INVALID and
 * a message naming the feature ("... requires the tail-call feature"). */
int wk_core_validate_features(const wk_core_module *m, unsigned features, wk_error *err);

/* The module-level part of wk_core_validate_features (Core 3.4 "Modules": imports, functions'
 * types, tables, memories, globals, element and data segments, start, exports, and as many code
 * entries as functions), without the function bodies: those are checked one instruction at a
 * time through the wk_funcval API (the engine's translator does that while translating).
 * Returns WK_OK, WK_ERR_INVALID with the offset of the offending item, or WK_ERR_NOMEM. */
int wk_core_validate_module(const wk_core_module *m, unsigned features, wk_error *err);

/* Per-function validator driven one instruction at a time (as wasmparser's
 * FuncValidator): the engine's translator validates and translates in one
 * pass. Reusable across functions of one module (no allocation per call
 * once warmed up). */
typedef struct wk_funcval wk_funcval;

/* Control frame kinds (Core 3.3.8 control instructions). */
enum wk_frame_kind { WK_FRAME_FUNC, WK_FRAME_BLOCK, WK_FRAME_LOOP, WK_FRAME_IF, WK_FRAME_ELSE,
                     /* legacy exception handling (WK_FEAT_LEGACY_EXCEPTIONS): a try before its first
                      * catch, after a catch x, after catch_all (rethrow's labels: the last two) */
                     WK_FRAME_TRY, WK_FRAME_CATCH, WK_FRAME_CATCH_ALL };

typedef struct wk_frame_info {
  uint8_t kind;          /* enum wk_frame_kind */
  uint8_t unreachable;   /* the rest of this frame is unreachable (after br, return, unreachable...) */
  uint32_t nparams, nresults;
  const wk_vt *params, *results; /* value types; valid while the frame exists */
  uint32_t height;       /* operand stack height at entry (params excluded) */
  uint32_t label_arity;  /* == nresults, or nparams for loops (Core 3.3.8 labels) */
  const wk_vt *label_types;
} wk_frame_info;

/* Value returned for a stack slot of unknown type (polymorphic stack). */
#define WK_TYPE_UNKNOWN 0

/* NULL on OOM. `m` is borrowed and must be decoded + module-level checked
 * (wk_core_validate does that before calling these). */
wk_funcval *wk_funcval_new(const wk_core_module *m);
void wk_funcval_free(wk_funcval *v);
/* Rebind `v` to another module `m` (same conditions as wk_funcval_new), keeping its buffers and
 * parsed operator signatures: a caller that validates several modules one after another (a
 * component's core modules) pays the validator's set-up once. Features are kept. WK_OK, or
 * WK_ERR_NOMEM (v stays usable only for wk_funcval_free). */
int wk_funcval_reset(wk_funcval *v, const wk_core_module *m);
/* Accept the WK_FEAT_* features in `features` from now on (default none). */
void wk_funcval_set_features(wk_funcval *v, unsigned features);
/* Start function `func_index` (function index space: must be a defined
 * function with a code entry). Pushes the function frame. */
int wk_funcval_begin(wk_funcval *v, uint32_t func_index, wk_error *err);
/* Validate one instruction; `offset` is its file offset (for errors). */
int wk_funcval_op(wk_funcval *v, const wk_insn *in, size_t offset, wk_error *err);
/* After the last instruction (the function's final `end`): checks the
 * function frame was closed. */
int wk_funcval_finish(wk_funcval *v, wk_error *err);

/* Queries (valid between ops). */
uint32_t wk_funcval_height(const wk_funcval *v);          /* operand stack height */
uint8_t wk_funcval_type_at(const wk_funcval *v, uint32_t depth); /* 0 = top; WK_TYPE_UNKNOWN if unknown/below;
                                                                   the code byte (wk_funcval_vt_at: all of it) */
wk_vt wk_funcval_vt_at(const wk_funcval *v, uint32_t depth); /* 0 = top: the whole wk_vt (code and heap
                                                              type); WK_TYPE_UNKNOWN if unknown/below */
int wk_funcval_unreachable(const wk_funcval *v);          /* current frame unreachable */
uint32_t wk_funcval_depth(const wk_funcval *v);           /* number of open control frames */
/* Frame `depth` (0 = innermost, i.e. label 0). Returns 0, or -1 if out of range. */
int wk_funcval_frame(const wk_funcval *v, uint32_t depth, wk_frame_info *out);
/* Locals of the current function (params first). */
uint32_t wk_funcval_nlocals(const wk_funcval *v);
uint8_t wk_funcval_local_type(const wk_funcval *v, uint32_t i);
/* The whole value type of local i (code and heap type: (ref $t), anyref, ...), WK_TYPE_UNKNOWN when
 * out of range. */
wk_vt wk_funcval_local_vt(const wk_funcval *v, uint32_t i);
/* The type of the operand `depth` values below the top (0 = top; a v128 is one value) of the
 * current control frame, as the validator tracks it (Core spec Appendix "Validation Algorithm",
 * vals); WK_TYPE_UNKNOWN if it is of unknown type or the frame has fewer operands (polymorphic
 * stack after unreachable/br/return/throw, Core 3.3.5; wk_funcval_type_at also looks below the
 * frame). Asked before wk_funcval_op of an instruction, it gives that instruction's operand
 * types: lib/interp's translator keeps none and asks this for drop and untyped select, which
 * need a v128's width. */
uint8_t wk_funcval_operand_type(const wk_funcval *v, uint32_t depth);
/* wk_funcval_operand_type with the whole wk_vt (the heap type too: what a GC translator needs to
 * know the struct/array type of an operand). */
wk_vt wk_funcval_operand_vt(const wk_funcval *v, uint32_t depth);

#endif
