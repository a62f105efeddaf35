/* The indication table: what the series may do for each indication, on the
 * scale of the clinical series it rests on; see html_report.h.
 *
 * Each figure keeps the sign and scale of its source (a grade change is
 * negative when the skin improves) and its unit is said in words beside it.
 * Where the evidence has no number the row says so in words and shows no
 * number at all: a number there would be one nobody can stand behind. */
#include "report/html_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/html_escape.h"
#include "report/labels.h"

/* How the unit of indications.csv is shown. */
typedef struct {
    const char *unit;   /* as the file has it */
    double scale;       /* to what the page shows */
    int decimals;       /* -1: one decimal under 10, whole above */
    int is_change;      /* signed: a change, where the sign says better or worse */
    const char *suffix; /* after the number */
    const char *as;     /* data-as, for a test to scale the file's value back */
} unit_style;

static const unit_style UNITS[] = {
    {"grade", 1, 2, 1, " grade", NULL},
    {"fraction", 100, -1, 1, " %", "percent"},
    {"1", 100, 0, 0, " % of patients", "percent"},
};

static unit_style style_of(const char *unit)
{
    for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
        if (strcmp(UNITS[i].unit, unit) == 0) return UNITS[i];
    unit_style other = {unit, 1, 2, 1, NULL, NULL};
    return other;
}

static char *number(char *buf, size_t size, double v, const unit_style *u)
{
    double x = v * u->scale, mag = fabs(x);
    int dec = u->decimals >= 0 ? u->decimals : mag < 9.95 ? 1 : 0;
    char num[32];
    nd_label_small(num, sizeof num, mag, dec);
    int zero = strspn(num, "0.") == strlen(num);
    /* A typographic minus: a hyphen reads as a dash in a table. */
    const char *sign = zero ? "" : x < 0 ? "\xe2\x88\x92" : u->is_change ? "+" : "";
    snprintf(buf, size, "%s%s", sign, num);
    return buf;
}

static void value(FILE *out, const char *col, double v, const unit_style *u)
{
    char buf[48];
    fprintf(out, "<span data-col=\"%s\"", col);
    if (u->as) fprintf(out, " data-as=\"%s\"", u->as);
    fputs(">", out);
    nd_html_escape(out, number(buf, sizeof buf, v, u));
    fputs("</span>", out);
}

static void suffix(FILE *out, const unit_style *u)
{
    if (u->suffix)
        nd_html_escape(out, u->suffix);
    else if (u->unit[0])
        nd_html_escapef(out, " %s", u->unit);
}

static void row(const nd_indication_result *r, FILE *out)
{
    unit_style u = style_of(r->unit);
    int none = strcmp(r->evidence, "none") == 0 || !r->has_value;
    fprintf(out, "<tr data-ind=\"%s\"><th scope=\"row\">", nd_indication_name(r->indication));
    nd_html_escape(out, nd_label_indication(r->indication));
    fputs("</th><td class=\"text\">", out);
    nd_html_escape(out, r->measure);
    fputs("</td>", out);
    if (none) {
        fputs("<td colspan=\"2\" class=\"text no-number\">no number: the evidence has none</td>",
              out);
    } else {
        fputs("<td>", out);
        value(out, "expected", r->value.mid, &u);
        suffix(out, &u);
        fputs("</td><td>", out);
        value(out, "expected_lo", r->value.lo, &u);
        fputs(" to ", out);
        value(out, "expected_hi", r->value.hi, &u);
        if (u.as) fputs(" %", out); /* the range of a percentage is in percent too */
        fputs("</td>", out);
    }
    fprintf(out, "<td class=\"text ev ev-%s\">", none ? "none" : r->evidence);
    nd_html_escape(out, none ? "none" : r->evidence);
    fputs("</td><td class=\"text source\">", out);
    nd_html_escape(out, r->source);
    fputs("</td></tr>\n", out);
}

void nd_html_indication_table(const nd_rundata *rd, FILE *out)
{
    fputs("<div class=\"table-wrap\"><table class=\"zones indications\">\n"
          "<thead><tr><th scope=\"col\" class=\"text\">Indication</th>"
          "<th scope=\"col\" class=\"text\">Measured as</th>"
          "<th scope=\"col\">Expected change</th><th scope=\"col\">Range</th>"
          "<th scope=\"col\" class=\"text\">Evidence</th>"
          "<th scope=\"col\" class=\"text\">Source</th></tr></thead>\n<tbody>\n",
          out);
    for (int i = 0; i < rd->n_indications; i++) row(&rd->indications[i], out);
    fputs("</tbody></table></div>\n", out);
}
