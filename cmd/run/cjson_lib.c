/* libcjson loaded on first use, for wrun only, with the shared loader (lib/base/dynlib.h).
 *
 * Linked, libcjson cost every wrun process its loading (open, four mappings, relocation, page-ins):
 * about 50 us of CPU and 88 KiB of peak RSS measured on a process that does nothing else, which is
 * ~5% of running a hello-world module (issue 13: start-up against native and wasm3). Most runs (a
 * core module) never parse or print JSON. So wrun defines the cJSON functions that the libraries
 * it links call (lib/witparse, lib/compose: component and OCI paths) as forwarders that dlopen the
 * library on the first call. The Makefile links wrun's -lcjson with --as-needed: while this file
 * defines every cJSON function wrun's code calls, the library is not a dependency; a call added
 * elsewhere to a function not listed here links libcjson again (slower start-up, still correct;
 * tests/http/suite-ldd.sh reports it).
 *
 * If the library cannot be loaded, each function returns what it returns on failure (NULL, 0,
 * false): callers already handle those (parse errors, out of memory). */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stddef.h>

#include "base/dynlib.h"

#define CJSON_SONAME "libcjson.so.1"

/* X(return type, name, parameters, arguments, value on failure); V: the same for void functions */
#define WRUN_CJSON_FUNCS(X, V)                                                                     \
  X(cJSON *, cJSON_Parse, (const char *value), (value), NULL)                                      \
  X(cJSON *, cJSON_ParseWithLength, (const char *value, size_t buffer_length), (value, buffer_length), NULL) \
  X(const char *, cJSON_GetErrorPtr, (void), (), NULL)                                             \
  X(char *, cJSON_Print, (const cJSON *item), (item), NULL)                                        \
  X(char *, cJSON_PrintUnformatted, (const cJSON *item), (item), NULL)                             \
  X(int, cJSON_GetArraySize, (const cJSON *array), (array), 0)                                     \
  X(cJSON *, cJSON_GetArrayItem, (const cJSON *array, int index), (array, index), NULL)            \
  X(cJSON *, cJSON_GetObjectItemCaseSensitive, (const cJSON *const object, const char *const string), \
    (object, string), NULL)                                                                        \
  X(cJSON_bool, cJSON_IsFalse, (const cJSON *const item), (item), 0)                               \
  X(cJSON_bool, cJSON_IsTrue, (const cJSON *const item), (item), 0)                                \
  X(cJSON_bool, cJSON_IsNull, (const cJSON *const item), (item), 0)                                \
  X(cJSON_bool, cJSON_IsNumber, (const cJSON *const item), (item), 0)                              \
  X(cJSON_bool, cJSON_IsString, (const cJSON *const item), (item), 0)                              \
  X(cJSON_bool, cJSON_IsArray, (const cJSON *const item), (item), 0)                               \
  X(cJSON_bool, cJSON_IsObject, (const cJSON *const item), (item), 0)                              \
  X(cJSON *, cJSON_CreateNull, (void), (), NULL)                                                   \
  X(cJSON *, cJSON_CreateNumber, (double num), (num), NULL)                                        \
  X(cJSON *, cJSON_CreateString, (const char *string), (string), NULL)                             \
  X(cJSON *, cJSON_CreateArray, (void), (), NULL)                                                  \
  X(cJSON *, cJSON_CreateObject, (void), (), NULL)                                                 \
  X(cJSON_bool, cJSON_AddItemToArray, (cJSON * array, cJSON * item), (array, item), 0)             \
  X(cJSON_bool, cJSON_AddItemToObject, (cJSON * object, const char *string, cJSON *item),          \
    (object, string, item), 0)                                                                     \
  X(cJSON_bool, cJSON_AddItemReferenceToObject, (cJSON * object, const char *string, cJSON *item), \
    (object, string, item), 0)                                                                     \
  X(cJSON *, cJSON_AddBoolToObject, (cJSON *const object, const char *const name, const cJSON_bool boolean), \
    (object, name, boolean), NULL)                                                                 \
  X(cJSON *, cJSON_AddNumberToObject, (cJSON *const object, const char *const name, const double number), \
    (object, name, number), NULL)                                                                  \
  X(cJSON *, cJSON_AddStringToObject, (cJSON *const object, const char *const name, const char *const string), \
    (object, name, string), NULL)                                                                  \
  X(cJSON *, cJSON_AddObjectToObject, (cJSON *const object, const char *const name), (object, name), NULL) \
  X(cJSON *, cJSON_AddArrayToObject, (cJSON *const object, const char *const name), (object, name), NULL) \
  V(cJSON_Delete, (cJSON * item), (item))                                                          \
  V(cJSON_free, (void *object), (object))

#define PTR(ret, name, params, args, fail) static ret(*p_##name) params;
#define VPTR(name, params, args) static void(*p_##name) params;
WRUN_CJSON_FUNCS(PTR, VPTR)
#undef PTR
#undef VPTR

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  /* every symbol or none (wk_dynlib_load): a partial set would mix working and failing calls */
#define NAME(ret, name, params, args, fail) #name,
#define VNAME(name, params, args) #name,
#define SLOT(ret, name, params, args, fail) (void **)&p_##name,
#define VSLOT(name, params, args) (void **)&p_##name,
  static const char *const names[] = {WRUN_CJSON_FUNCS(NAME, VNAME)};
  void **const slots[] = {WRUN_CJSON_FUNCS(SLOT, VSLOT)};
#undef NAME
#undef VNAME
#undef SLOT
#undef VSLOT
  static const char *const sonames[] = {CJSON_SONAME, NULL};
  (void)wk_dynlib_load(sonames, names, slots, sizeof names / sizeof names[0], NULL, 0);
}

#define DEF(ret, name, params, args, fail)                                                         \
  ret name params {                                                                                \
    pthread_once(&once, load);                                                                     \
    return p_##name ? p_##name args : (fail);                                                      \
  }
#define VDEF(name, params, args)                                                                   \
  void name params {                                                                               \
    pthread_once(&once, load);                                                                     \
    if (p_##name) p_##name args;                                                                   \
  }
WRUN_CJSON_FUNCS(DEF, VDEF)
#undef DEF
#undef VDEF
