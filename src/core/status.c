/* Status codes and error reports; see include/needle/status.h. */
#include "needle/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void nd_error_clear(nd_error *err)
{
    if (err) memset(err, 0, sizeof *err);
}

static void copy_str(char *dst, size_t size, const char *src)
{
    if (!src) src = "";
    snprintf(dst, size, "%s", src);
}

nd_status nd_error_set(nd_error *err, nd_status status, const char *fmt, ...)
{
    if (!err) return status;
    nd_error_clear(err);
    err->status = status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

nd_status nd_error_at(nd_error *err, nd_status status, const char *file, int line, int column,
                      const char *field, const char *fmt, ...)
{
    if (!err) return status;
    nd_error_clear(err);
    err->status = status;
    copy_str(err->file, sizeof err->file, file);
    copy_str(err->field, sizeof err->field, field);
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

void nd_error_format(const nd_error *err, char *buf, unsigned long size)
{
    if (!buf || size == 0) return;
    buf[0] = '\0';
    if (!err) return;
    size_t n = 0;
#define APPEND(...)                                                                                \
    do {                                                                                           \
        if (n < size) {                                                                            \
            int w_ = snprintf(buf + n, size - n, __VA_ARGS__);                                     \
            if (w_ > 0) n += (size_t)w_;                                                           \
        }                                                                                          \
    } while (0)
    if (err->file[0]) {
        APPEND("%s", err->file);
        if (err->line > 0) APPEND(":%d", err->line);
        if (err->column > 0) APPEND(":%d", err->column);
        APPEND(": ");
    }
    if (err->field[0]) APPEND("%s: ", err->field);
    APPEND("%s", err->message[0] ? err->message : nd_status_name(err->status));
#undef APPEND
}

const char *nd_status_name(nd_status status)
{
    switch (status) {
    case ND_OK:
        return "ok";
    case ND_ERR_INPUT:
        return "invalid input";
    case ND_ERR_IO:
        return "input/output error";
    case ND_ERR_NOMEM:
        return "out of memory";
    case ND_ERR_SAFETY:
        return "refused for safety";
    case ND_ERR_INTERNAL:
        return "internal error";
    }
    return "unknown status";
}

int nd_status_exit_code(nd_status status)
{
    switch (status) {
    case ND_OK:
        return 0;
    case ND_ERR_INPUT:
        return 2;
    case ND_ERR_SAFETY:
        return 3;
    default:
        return 1;
    }
}
