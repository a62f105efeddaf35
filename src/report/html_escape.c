/* HTML escaping; see html_escape.h. */
#include "report/html_escape.h"

#include <stdarg.h>
#include <stdlib.h>

void nd_html_escape(FILE *out, const char *s)
{
    if (!s) return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
                fputs("\xef\xbf\xbd", out);
            else
                fputc(*p, out);
        }
    }
}

void nd_html_escapef(FILE *out, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof buf) {
        nd_html_escape(out, buf);
        return;
    }
    /* Longer than the buffer: format again into one that fits. */
    char *big = malloc((size_t)n + 1);
    if (!big) {
        nd_html_escape(out, buf);
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    nd_html_escape(out, big);
    free(big);
}
