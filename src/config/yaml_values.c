/* Typed values out of YAML nodes; see yaml_values.h. */
#include "config/yaml_values.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/suggest.h"

static nd_status vfail(const nd_yreader *r, int line, int column, const char *path, const char *fmt,
                       va_list ap)
{
    char msg[ND_ERROR_MSG_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return nd_error_at(r->err, ND_ERR_INPUT, r->file, line, column, path, "%s", msg);
}

nd_status nd_yfail(const nd_yreader *r, const nd_ynode *n, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nd_status st = vfail(r, nd_ynode_line(n), nd_ynode_column(n), path, fmt, ap);
    va_end(ap);
    return st;
}

nd_status nd_yfail_at(const nd_yreader *r, int line, int column, const char *path, const char *fmt,
                      ...)
{
    va_list ap;
    va_start(ap, fmt);
    nd_status st = vfail(r, line, column, path, fmt, ap);
    va_end(ap);
    return st;
}

void nd_ypath(char *out, size_t size, const char *base, const char *key)
{
    snprintf(out, size, "%s%s%s", base, base[0] ? "." : "", key);
}

/* Decimal syntax only: strtod alone would also take "0x10", "inf", "nan" and
 * leading blanks, none of which a person means as a depth. */
static int is_decimal(const char *s, int *whole)
{
    const char *p = s;
    int digits = 0;
    *whole = 1;
    if (*p == '+' || *p == '-') p++;
    while (isdigit((unsigned char)*p)) p++, digits++;
    if (*p == '.') {
        *whole = 0;
        p++;
        while (isdigit((unsigned char)*p)) p++, digits++;
    }
    if (!digits) return 0;
    if (*p == 'e' || *p == 'E') {
        *whole = 0;
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!isdigit((unsigned char)*p)) return 0;
        while (isdigit((unsigned char)*p)) p++;
    }
    return *p == '\0';
}

/* A value that is not a scalar, or an empty one, cannot be any of the
 * scalar types: say what was there. */
static nd_status not_scalar(const nd_yreader *r, const nd_ynode *n, const char *path,
                            const char *expected)
{
    char found[128];
    nd_ynode_describe(n, found, sizeof found);
    return nd_yfail(r, n, path, "expected %s, found %s", expected, found);
}

nd_status nd_yread_number(const nd_yreader *r, const nd_ynode *n, const char *path, int whole,
                          double *out)
{
    const char *expected = whole ? "a whole number" : "a number";
    if (!nd_ynode_is_scalar(n) || nd_ynode_is_null(n)) return not_scalar(r, n, path, expected);
    const char *s = nd_ynode_text(n);
    int is_whole;
    if (!nd_ynode_is_plain(n)) {
        if (is_decimal(s, &is_whole))
            return nd_yfail(r, n, path,
                            "expected %s, found the quoted text \"%s\"; write "
                            "numbers without quotes",
                            expected, s);
        return not_scalar(r, n, path, expected);
    }
    if (!is_decimal(s, &is_whole)) return not_scalar(r, n, path, expected);
    if (whole && !is_whole) return nd_yfail(r, n, path, "expected a whole number, found %s", s);
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE && (v > 1 || v < -1))
        return nd_yfail(r, n, path, "the number %s is too large", s);
    *out = v;
    return ND_OK;
}

nd_status nd_yread_u64(const nd_yreader *r, const nd_ynode *n, const char *path, uint64_t *out)
{
    double unused;
    nd_status st = nd_yread_number(r, n, path, 1, &unused);
    if (st) return st;
    const char *s = nd_ynode_text(n);
    if (s[0] == '-') return nd_yfail(r, n, path, "must be a whole number 0 or more, found %s", s);
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return nd_yfail(r, n, path, "must be at most %llu, found %s",
                        (unsigned long long)UINT64_MAX, s);
    *out = (uint64_t)v;
    return ND_OK;
}

nd_status nd_yread_bool(const nd_yreader *r, const nd_ynode *n, const char *path, int *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
                                      "YES",  "on",   "On",   "ON"};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No",
                                     "NO",    "off",   "Off",   "OFF"};
    if (nd_ynode_is_plain(n) && !nd_ynode_is_null(n)) {
        const char *s = nd_ynode_text(n);
        for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
            if (strcmp(s, yes[i]) == 0) return *out = 1, ND_OK;
            if (strcmp(s, no[i]) == 0) return *out = 0, ND_OK;
        }
    }
    return not_scalar(r, n, path, "true or false");
}

nd_status nd_yread_text(const nd_yreader *r, const nd_ynode *n, const char *path, char *out,
                        size_t size)
{
    if (!nd_ynode_is_scalar(n) || nd_ynode_is_null(n)) return not_scalar(r, n, path, "a text");
    const char *s = nd_ynode_text(n);
    if (!s[0]) return nd_yfail(r, n, path, "must not be empty");
    if (strlen(s) >= size)
        return nd_yfail(r, n, path, "is %zu characters long; at most %zu fit", strlen(s), size - 1);
    snprintf(out, size, "%s", s);
    return ND_OK;
}

nd_status nd_yread_enum(const nd_yreader *r, const nd_ynode *n, const char *path,
                        const char *const *names, const char *what, int *out)
{
    char list[512];
    nd_join_names(names, list, sizeof list);
    if (!nd_ynode_is_scalar(n) || nd_ynode_is_null(n)) {
        char found[128];
        nd_ynode_describe(n, found, sizeof found);
        return nd_yfail(r, n, path, "expected a %s (%s), found %s", what, list, found);
    }
    const char *s = nd_ynode_text(n);
    for (int i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0) return *out = i, ND_OK;
    const char *near = nd_suggest(s, names);
    if (near)
        return nd_yfail(r, n, path, "unknown %s '%s'; did you mean '%s'? (expected %s)", what, s,
                        near, list);
    return nd_yfail(r, n, path, "unknown %s '%s'; expected %s", what, s, list);
}

static nd_status unknown_key(const nd_yreader *r, const nd_ynode *k, const char *path,
                             const char *const *allowed, nd_key_home_fn home)
{
    const char *key = nd_ynode_text(k);
    char kpath[ND_ERROR_FIELD_MAX];
    nd_ypath(kpath, sizeof kpath, path, key);
    /* A key that exists elsewhere was more likely put in the wrong place
     * than misspelt. */
    const char *where = home ? home(key) : NULL;
    if (where)
        return nd_yfail(r, k, kpath, "'%s' does not belong in %s; it goes in %s", key,
                        path[0] ? path : "the top level", where);
    const char *near = nd_suggest(key, allowed);
    if (near) return nd_yfail(r, k, kpath, "unknown key '%s'; did you mean '%s'?", key, near);
    char list[600];
    nd_join_names(allowed, list, sizeof list);
    return nd_yfail(r, k, kpath, "unknown key '%s'; expected %s", key, list);
}

nd_status nd_ycheck_keys(const nd_yreader *r, const nd_ynode *map, const char *path,
                         const char *const *allowed, nd_key_home_fn home)
{
    size_t n = nd_ynode_size(map);
    for (size_t i = 0; i < n; i++) {
        const nd_ynode *k = nd_ymap_key(r->doc, map, i);
        if (!nd_ynode_is_scalar(k) || nd_ynode_is_null(k)) {
            char found[128];
            nd_ynode_describe(k, found, sizeof found);
            return nd_yfail(r, k, path, "expected a key name, found %s", found);
        }
        const char *key = nd_ynode_text(k);
        /* libyaml keeps both copies of a repeated key; the reader would take
         * one and the other would be quietly lost. */
        for (size_t j = 0; j < i; j++) {
            const nd_ynode *prev = nd_ymap_key(r->doc, map, j);
            if (strcmp(nd_ynode_text(prev), key) == 0) {
                char kpath[ND_ERROR_FIELD_MAX];
                nd_ypath(kpath, sizeof kpath, path, key);
                return nd_yfail(r, k, kpath, "key '%s' appears twice (first at line %d)", key,
                                nd_ynode_line(prev));
            }
        }
        int known = 0;
        for (size_t a = 0; allowed[a] && !known; a++) known = strcmp(allowed[a], key) == 0;
        if (!known) return unknown_key(r, k, path, allowed, home);
    }
    return ND_OK;
}
