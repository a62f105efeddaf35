/*
 * The report's figures (private): each drawn once with cairo, onto a PNG for
 * figures/ and onto an SVG that the HTML page carries inline.
 */
#ifndef ND_REPORT_FIGURE_H
#define ND_REPORT_FIGURE_H

#include <cairo.h>
#include <stdio.h>

#include "needle/status.h"
#include "report/rundata.h"

typedef struct {
    const char *name;  /* figures/<name>.png; prefix of the ids in its SVG */
    const char *title; /* what it shows, for readers who cannot see it */
    /* Size in pixels (PNG) or points (SVG); some depend on the run. */
    void (*size)(const nd_rundata *rd, int arg, int *w, int *h);
    /* Draw everything, background included, from (0, 0). */
    nd_status (*draw)(cairo_t *cr, const nd_rundata *rd, int arg, nd_error *err);
    int arg;
    /* Whether the run data has what the figure shows; NULL: always. */
    int (*shown)(const nd_rundata *rd);
} nd_figure;

/* Whether fig is drawn for rd (a run without outcome time courses has no
 * time-course figures). */
int nd_figure_shown(const nd_figure *fig, const nd_rundata *rd);

/* The report's figures in page order; *n gets their number. */
const nd_figure *nd_figures(int *n);
/* The figure called name, or NULL. */
const nd_figure *nd_figure_named(const char *name);

/* Draw fig into a PNG file at path; atomic: under a temporary name, renamed
 * into place when complete. */
nd_status nd_figure_png(const nd_figure *fig, const nd_rundata *rd, const char *path, int atomic,
                        nd_error *err);

/* Write fig as an <svg> element for an HTML page: no XML declaration, ids
 * prefixed with the figure's name so that several figures can share a page,
 * and a <title> for screen readers. */
nd_status nd_figure_svg(const nd_figure *fig, const nd_rundata *rd, FILE *out, nd_error *err);

#endif
