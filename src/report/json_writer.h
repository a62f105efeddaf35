/*
 * A small streaming JSON emitter for the report writers (private).
 *
 * Output is pretty-printed with a two-space indent.  The writer tracks commas
 * and nesting itself, so callers only say what comes next; misuse (a value
 * without a key inside an object, unbalanced ends, nesting too deep) and write
 * errors are remembered and reported once by nd_json_finish().
 */
#ifndef ND_REPORT_JSON_WRITER_H
#define ND_REPORT_JSON_WRITER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ND_JSON_MAX_DEPTH 32

/* Significant digits of nd_json_number: enough for any statistic a reader
 * compares by eye, few enough that rounding noise never shows. */
#define ND_JSON_DIGITS 6

typedef enum {
    ND_JSON_OK = 0,
    ND_JSON_EIO,     /* the stream reported an error */
    ND_JSON_EMISUSE, /* calls did not form a valid document */
} nd_json_error;

typedef struct {
    FILE *out;
    int depth;
    char kind[ND_JSON_MAX_DEPTH]; /* 'o' object, 'a' array, 'i' one-line array */
    int count[ND_JSON_MAX_DEPTH]; /* items written so far at each level */
    int have_key;                 /* a key was written and awaits its value */
    int done;                     /* the top-level value is complete */
    nd_json_error error;
} nd_json;

void nd_json_init(nd_json *j, FILE *out);

void nd_json_begin_object(nd_json *j);
void nd_json_end_object(nd_json *j);
void nd_json_begin_array(nd_json *j);
/* An array kept on one line: for short lists of scalars such as ["a", "b"]. */
void nd_json_begin_array_inline(nd_json *j);
void nd_json_end_array(nd_json *j);

void nd_json_key(nd_json *j, const char *key);

/* s is UTF-8; NULL writes null. */
void nd_json_string(nd_json *j, const char *s);
/* ND_JSON_DIGITS significant digits; NaN and infinities become null (JSON has none). */
void nd_json_number(nd_json *j, double v);
/* The given number of significant digits (1..17). */
void nd_json_number_prec(nd_json *j, double v, int digits);
/* The shortest text that reads back as exactly v. */
void nd_json_number_exact(nd_json *j, double v);
void nd_json_int(nd_json *j, long long v);
void nd_json_uint(nd_json *j, uint64_t v);
void nd_json_bool(nd_json *j, int b);
void nd_json_null(nd_json *j);

/* Key and value in one call. */
void nd_json_kv_string(nd_json *j, const char *key, const char *s);
void nd_json_kv_number(nd_json *j, const char *key, double v);
void nd_json_kv_number_prec(nd_json *j, const char *key, double v, int digits);
void nd_json_kv_int(nd_json *j, const char *key, long long v);
void nd_json_kv_uint(nd_json *j, const char *key, uint64_t v);
void nd_json_kv_bool(nd_json *j, const char *key, int b);

/* End the document with a newline; returns the first error, or ND_JSON_OK if
 * a single complete value was written. */
nd_json_error nd_json_finish(nd_json *j);

/* Format v with digits significant digits ("%.*g") into buf, independent of
 * the C locale's decimal point.  Non-finite values give "" (the caller decides
 * how to spell "no value").  Returns buf. */
char *nd_fmt_number(char *buf, size_t size, double v, int digits);
/* The shortest "%.*g" text (15..17 digits) that reads back as exactly v. */
char *nd_fmt_number_exact(char *buf, size_t size, double v);

#endif
