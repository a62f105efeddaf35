/*
 * Typed values out of YAML nodes: numbers, whole numbers, booleans, text and
 * names from a fixed list.  Each reader either fills its result or reports,
 * at the node's line and column and under the given field path, what was
 * expected and what was found.  Private to the library.
 */
#ifndef ND_CONFIG_YAML_VALUES_H
#define ND_CONFIG_YAML_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "config/yaml_tree.h"
#include "needle/status.h"

typedef struct {
    nd_ydoc *doc;
    const char *file; /* named in every error */
    nd_error *err;
} nd_yreader;

/* ND_ERR_INPUT at node n (or at line 0 when n is NULL). */
nd_status nd_yfail(const nd_yreader *r, const nd_ynode *n, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
nd_status nd_yfail_at(const nd_yreader *r, int line, int column, const char *path, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));

/* "base.key", or "key" when base is "". */
void nd_ypath(char *out, size_t size, const char *base, const char *key);

/* A plain decimal number (no quotes, no hex, no inf or nan); whole: digits only. */
nd_status nd_yread_number(const nd_yreader *r, const nd_ynode *n, const char *path, int whole,
                          double *out);
/* A whole number >= 0 that fits 64 bits. */
nd_status nd_yread_u64(const nd_yreader *r, const nd_ynode *n, const char *path, uint64_t *out);
/* true/false (also yes/no, on/off, as YAML 1.1 has them). */
nd_status nd_yread_bool(const nd_yreader *r, const nd_ynode *n, const char *path, int *out);
/* Non-empty text that fits in size bytes, quoted or not. */
nd_status nd_yread_text(const nd_yreader *r, const nd_ynode *n, const char *path, char *out,
                        size_t size);
/* One of names (NULL-terminated); *out is its index.  what names the thing in
 * messages ("cream"); a misspelling gets the nearest name suggested. */
nd_status nd_yread_enum(const nd_yreader *r, const nd_ynode *n, const char *path,
                        const char *const *names, const char *what, int *out);

/* Where a key that is not allowed here does belong ("device"), or NULL. */
typedef const char *(*nd_key_home_fn)(const char *key);

/* Every key of map must be a name in allowed (NULL-terminated) and appear
 * once.  An unknown key is reported at its line as path.key, with the nearest
 * allowed key, or where it belongs according to home (may be NULL). */
nd_status nd_ycheck_keys(const nd_yreader *r, const nd_ynode *map, const char *path,
                         const char *const *allowed, nd_key_home_fn home);

#endif
