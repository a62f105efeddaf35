/*
 * Text into HTML (private): every string that comes from a scenario file (the
 * name above all, which a user types freely) goes through here, so it shows
 * as written and can never become markup.
 */
#ifndef ND_REPORT_HTML_ESCAPE_H
#define ND_REPORT_HTML_ESCAPE_H

#include <stdio.h>

/* Write s (UTF-8) with & < > " ' as character references, safe both in text
 * and in a quoted attribute; control characters other than tab and line
 * breaks, which HTML does not allow, become U+FFFD.  NULL writes nothing. */
void nd_html_escape(FILE *out, const char *s);

/* printf-style, then escaped. */
void nd_html_escapef(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
