/*
 * Building the report's sentences (private): a text buffer, zones named as a
 * clinician names them (a left/right pair together), and ranges of numbers
 * printed as the page prints them.  Shared by the puncture findings
 * (findings.c) and the outcome findings (outcome_findings.c).
 */
#ifndef ND_REPORT_FINDINGS_TEXT_H
#define ND_REPORT_FINDINGS_TEXT_H

#include <stddef.h>

#include "report/findings.h"

/* Text appended to a fixed buffer; what does not fit is cut, never overrun. */
typedef struct {
    char *s;
    size_t size, len;
} nd_text;

void nd_text_add(nd_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Zones that share a finding, a left/right pair merged into one name. */
typedef struct {
    int k[2]; /* treatment-order indices */
    int n;
    char name[64];
} nd_zone_group;

/* Group the zones ks[0..n) (treatment-order indices); returns the groups. */
int nd_group_zones(const nd_rundata *rd, const int *ks, int n, nd_zone_group *g);

/* In a sentence: "the forehead, the nose and both cheeks". */
void nd_text_names(nd_text *t, const nd_zone_group *g, int ng);

/* A number as the page prints it. */
typedef char *(*nd_fmt_fn)(char *buf, size_t size, double v);

/* "62" or "60–62" over the values v[0..n); "56 to over 99" where an end
 * prints as a bound. */
void nd_text_range(nd_text *t, nd_fmt_fn f, const double *v, int n);

/* The range of one statistic over a group. */
typedef double (*nd_zone_stat)(const nd_rundata *rd, int k);
void nd_text_group_range(nd_text *t, const nd_rundata *rd, const nd_zone_group *g,
                         nd_zone_stat stat, nd_fmt_fn f);

/* Zones whose statistic passes a test, in treatment order; returns how many. */
typedef int (*nd_zone_test)(const nd_rundata *rd, int k);
int nd_select_zones(const nd_rundata *rd, nd_zone_test test, int *ks);

/* A warning: the zones it concerns, and how to write it for them. */
typedef struct {
    nd_zone_test test;
    void (*write)(const nd_rundata *rd, nd_finding *f, const nd_zone_group *g, int ng, int nk);
} nd_zone_check;

/* Run each check and write a finding for each that concerns some zone, into
 * out (room for max); returns how many were written. */
int nd_run_zone_checks(const nd_rundata *rd, const nd_zone_check *checks, int nchecks,
                       nd_finding *out, int max);

/* A warning's lead sentence, "... in 3 zones:", before its items. */
void nd_finding_lead(nd_finding *f, const char *what, int nzones);
/* The warning's next item, started with the group's name. */
nd_text nd_finding_item(nd_finding *f, const nd_zone_group *g);

#endif
