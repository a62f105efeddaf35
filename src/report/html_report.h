/*
 * The practitioner's report, report.html (private): one self-contained page
 * (inline CSS and SVG figures, no script, nothing fetched) that opens from
 * the file system and prints to A4.
 */
#ifndef ND_REPORT_HTML_REPORT_H
#define ND_REPORT_HTML_REPORT_H

#include <stdio.h>

#include "report/rundata.h"

/* Write the page.  Figures are drawn as inline SVG; the page links their PNG
 * copies at figures/<name>.png beside it. */
nd_status nd_write_report_html(const nd_rundata *rd, FILE *out, nd_error *err);

/* The page's stylesheet. */
const char *nd_html_style(void);

/* The per-zone table: settings and results, a row per treated zone.  Each
 * row carries data-zone (the zone's name in the files) and each number cell
 * data-col (its zones.csv column), so a test can hold the page to the data. */
void nd_html_zone_table(const nd_rundata *rd, FILE *out);

/* The outcome table: numbing, pain, bleeding, bruising, redness, swelling,
 * downtime, channels, collagen, elastin and PIH, a row per treated zone, each
 * number with data-col (its zones.csv column) and, where shown in percent,
 * data-as ("percent" or "change"); ranges under their values.  Only for run
 * data that has_outcomes. */
void nd_html_outcome_table(const nd_rundata *rd, FILE *out);

/* The expected change per indication, from summary.json's "indications": a
 * row per indication with data-ind (its name in the file) and data-col on
 * each number.  Only for run data that has_indications. */
void nd_html_indication_table(const nd_rundata *rd, FILE *out);

/* A figure of the page: its inline SVG, caption and PNG link. */
nd_status nd_html_figure(const nd_rundata *rd, FILE *out, const char *name, const char *caption,
                         nd_error *err);

/* The settings in a line: the depth range, and what every zone shares (which
 * the table then leaves out). */
void nd_html_settings_summary(const nd_rundata *rd, FILE *out);

#endif
