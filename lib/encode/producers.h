/*
 * Writing the `producers` custom section (tool-conventions
 * ProducersSection.md): the reader is wk_producers_parse (component.h).
 * Used for core modules and components alike (the payload is the same).
 */
#ifndef WK_ENCODE_PRODUCERS_H
#define WK_ENCODE_PRODUCERS_H
#include "base/base.h"
#include "encode/component.h"

/*
 * Encode a parsed producers section as a custom-section payload (after the
 * section name): vec(field), field = name vec(name version). Appended to
 * `out`. Returns WK_OK or WK_ERR_NOMEM.
 */
int wk_producers_encode(const wk_producers *p, wk_buf *out, wk_error *err);

/*
 * A producers payload with (name, version) added to `field` ("language",
 * "processed-by", "sdk"): `payload`/`len` is the existing payload (NULL/0:
 * none). An existing value with the same name in that field gets the new
 * version; a new value goes at the end of its field, a new field at the end
 * (ProducersSection.md: each field name appears once, each value name once
 * per field). Appended to `out`. Returns WK_OK, WK_ERR_MALFORMED (the
 * existing payload does not parse; offsets relative to it) or
 * WK_ERR_NOMEM.
 */
int wk_producers_add(const uint8_t *payload, size_t len, const char *field, const char *name,
                     const char *version, wk_buf *out, wk_error *err);
#endif
