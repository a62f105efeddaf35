/* Streaming JSON emitter; see json_writer.h. */
#include "report/json_writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void nd_json_init(nd_json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

static void put(nd_json *j, const char *s)
{
    if (j->error == ND_JSON_EIO) return;
    if (fputs(s, j->out) == EOF) j->error = ND_JSON_EIO;
}

static void putc_(nd_json *j, int c)
{
    if (j->error == ND_JSON_EIO) return;
    if (fputc(c, j->out) == EOF) j->error = ND_JSON_EIO;
}

static void misuse(nd_json *j)
{
    if (j->error == ND_JSON_OK) j->error = ND_JSON_EMISUSE;
}

static void newline_indent(nd_json *j, int depth)
{
    putc_(j, '\n');
    for (int i = 0; i < depth; i++) put(j, "  ");
}

/* Everything that has to happen before a value: the separating comma and line
 * break in a container, or a check that an object's key came first. */
static int before_value(nd_json *j)
{
    if (j->depth == 0) {
        if (j->done) {
            misuse(j);
            return 0;
        }
        return 1;
    }
    int d = j->depth - 1;
    if (j->kind[d] == 'o') {
        if (!j->have_key) {
            misuse(j);
            return 0;
        }
        j->have_key = 0;
        return 1; /* the key already wrote the comma and the indent */
    }
    if (j->count[d] > 0) put(j, j->kind[d] == 'i' ? ", " : ",");
    if (j->kind[d] == 'a') newline_indent(j, j->depth);
    j->count[d]++;
    return 1;
}

static void after_value(nd_json *j)
{
    if (j->depth == 0) j->done = 1;
}

static void begin(nd_json *j, char kind, int open)
{
    if (!before_value(j)) return;
    if (j->depth >= ND_JSON_MAX_DEPTH) {
        misuse(j);
        return;
    }
    putc_(j, open);
    j->kind[j->depth] = kind;
    j->count[j->depth] = 0;
    j->depth++;
}

static void end(nd_json *j, int is_object, int close)
{
    if (j->depth == 0 || j->have_key) {
        misuse(j);
        return;
    }
    int d = j->depth - 1;
    if ((j->kind[d] == 'o') != is_object) {
        misuse(j);
        return;
    }
    j->depth--;
    if (j->count[d] > 0 && j->kind[d] != 'i') newline_indent(j, j->depth);
    putc_(j, close);
    after_value(j);
}

void nd_json_begin_object(nd_json *j)
{
    begin(j, 'o', '{');
}

void nd_json_end_object(nd_json *j)
{
    end(j, 1, '}');
}

void nd_json_begin_array(nd_json *j)
{
    begin(j, 'a', '[');
}

void nd_json_begin_array_inline(nd_json *j)
{
    begin(j, 'i', '[');
}

void nd_json_end_array(nd_json *j)
{
    end(j, 0, ']');
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one; overlong
 * forms and surrogates are rejected so the output is always valid JSON text. */
static int utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    int n;
    unsigned min;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        min = 0x80;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        min = 0x800;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    return n;
}

static void write_string(nd_json *j, const char *s)
{
    putc_(j, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        char buf[8];
        switch (c) {
        case '"':
            put(j, "\\\"");
            break;
        case '\\':
            put(j, "\\\\");
            break;
        case '\b':
            put(j, "\\b");
            break;
        case '\f':
            put(j, "\\f");
            break;
        case '\n':
            put(j, "\\n");
            break;
        case '\r':
            put(j, "\\r");
            break;
        case '\t':
            put(j, "\\t");
            break;
        default:
            if (c < 0x20) {
                snprintf(buf, sizeof buf, "\\u%04x", c);
                put(j, buf);
            } else {
                int n = utf8_len(p);
                if (n == 0) {
                    /* Not UTF-8 (a path in a legacy encoding): keep the
                     * document valid and show where the byte was. */
                    put(j, "\\ufffd");
                    p++;
                    continue;
                }
                for (int i = 0; i < n; i++) putc_(j, p[i]);
                p += n;
                continue;
            }
        }
        p++;
    }
    putc_(j, '"');
}

void nd_json_key(nd_json *j, const char *key)
{
    if (j->depth == 0 || j->kind[j->depth - 1] != 'o' || j->have_key || !key) {
        misuse(j);
        return;
    }
    int d = j->depth - 1;
    if (j->count[d] > 0) putc_(j, ',');
    newline_indent(j, j->depth);
    j->count[d]++;
    write_string(j, key);
    put(j, ": ");
    j->have_key = 1;
}

void nd_json_string(nd_json *j, const char *s)
{
    if (!s) {
        nd_json_null(j);
        return;
    }
    if (!before_value(j)) return;
    write_string(j, s);
    after_value(j);
}

static void raw_value(nd_json *j, const char *text)
{
    if (!before_value(j)) return;
    put(j, text);
    after_value(j);
}

/* printf follows the C locale, which a host program may have set to one with a
 * decimal comma; the files must read the same everywhere. */
static void fix_decimal_point(char *buf)
{
    for (char *p = buf; *p; p++)
        if (*p == ',') *p = '.';
}

char *nd_fmt_number(char *buf, size_t size, double v, int digits)
{
    if (size == 0) return buf;
    if (!isfinite(v)) {
        buf[0] = '\0';
        return buf;
    }
    if (digits < 1) digits = 1;
    if (digits > 17) digits = 17;
    if (v == 0.0) v = 0.0; /* "-0" reads as a sign error to most people */
    snprintf(buf, size, "%.*g", digits, v);
    fix_decimal_point(buf);
    return buf;
}

char *nd_fmt_number_exact(char *buf, size_t size, double v)
{
    if (size == 0) return buf;
    if (!isfinite(v)) {
        buf[0] = '\0';
        return buf;
    }
    /* strtod reads the same locale that snprintf wrote, so the round trip is
     * checked before the decimal point is normalised. */
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (digits == 17 || strtod(buf, NULL) == v) break;
    }
    fix_decimal_point(buf);
    return buf;
}

void nd_json_number_prec(nd_json *j, double v, int digits)
{
    char buf[40];
    if (!isfinite(v)) {
        nd_json_null(j);
        return;
    }
    raw_value(j, nd_fmt_number(buf, sizeof buf, v, digits));
}

void nd_json_number(nd_json *j, double v)
{
    nd_json_number_prec(j, v, ND_JSON_DIGITS);
}

void nd_json_number_exact(nd_json *j, double v)
{
    char buf[40];
    if (!isfinite(v)) {
        nd_json_null(j);
        return;
    }
    raw_value(j, nd_fmt_number_exact(buf, sizeof buf, v));
}

void nd_json_int(nd_json *j, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    raw_value(j, buf);
}

void nd_json_uint(nd_json *j, uint64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    raw_value(j, buf);
}

void nd_json_bool(nd_json *j, int b)
{
    raw_value(j, b ? "true" : "false");
}

void nd_json_null(nd_json *j)
{
    raw_value(j, "null");
}

void nd_json_kv_string(nd_json *j, const char *key, const char *s)
{
    nd_json_key(j, key);
    nd_json_string(j, s);
}

void nd_json_kv_number(nd_json *j, const char *key, double v)
{
    nd_json_key(j, key);
    nd_json_number(j, v);
}

void nd_json_kv_number_prec(nd_json *j, const char *key, double v, int digits)
{
    nd_json_key(j, key);
    nd_json_number_prec(j, v, digits);
}

void nd_json_kv_int(nd_json *j, const char *key, long long v)
{
    nd_json_key(j, key);
    nd_json_int(j, v);
}

void nd_json_kv_uint(nd_json *j, const char *key, uint64_t v)
{
    nd_json_key(j, key);
    nd_json_uint(j, v);
}

void nd_json_kv_bool(nd_json *j, const char *key, int b)
{
    nd_json_key(j, key);
    nd_json_bool(j, b);
}

nd_json_error nd_json_finish(nd_json *j)
{
    if (j->depth != 0 || j->have_key || !j->done) misuse(j);
    putc_(j, '\n');
    if (j->error == ND_JSON_OK && ferror(j->out)) j->error = ND_JSON_EIO;
    return j->error;
}
