/* Figures onto PNG and inline SVG; see figure.h. */
#include "report/figure.h"

#include <cairo-svg.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/afile.h"
#include "report/collagen_chart.h"
#include "report/depth_chart.h"
#include "report/face_map.h"
#include "report/html_escape.h"
#include "report/numbing_chart.h"
#include "report/recovery_chart.h"

static int has_timecourse(const nd_rundata *rd)
{
    return rd->has_timecourse;
}

static const nd_figure FIGURES[] = {
    {"density", "Face map of punctures per square centimetre", nd_face_map_size, nd_face_map_draw,
     ND_MAP_DENSITY, NULL},
    {"depth", "Face map of the mean depth reached", nd_face_map_size, nd_face_map_draw,
     ND_MAP_DEPTH, NULL},
    {"layer", "Face map of the deepest skin layer reached", nd_face_map_size, nd_face_map_draw,
     ND_MAP_LAYER, NULL},
    {"coverage", "Face map of the share of the skin surface punctured", nd_face_map_size,
     nd_face_map_draw, ND_MAP_COVERAGE, NULL},
    {"depth_histograms", "Histograms of the depth reached in each zone, against its layers",
     nd_depth_chart_size, nd_depth_chart_draw, 0, NULL},
    {"numbing", "Depth numbed by the cream and the pain needling would cause, over the session",
     nd_numbing_chart_size, nd_numbing_chart_draw, 0, has_timecourse},
    {"recovery", "Redness and swelling over the days after needling, and open channels over hours",
     nd_recovery_chart_size, nd_recovery_chart_draw, 0, has_timecourse},
    {"collagen", "Collagen I, collagen III and elastin over the series and its follow-up",
     nd_collagen_chart_size, nd_collagen_chart_draw, 0, has_timecourse},
};

int nd_figure_shown(const nd_figure *fig, const nd_rundata *rd)
{
    return !fig->shown || fig->shown(rd);
}

const nd_figure *nd_figures(int *n)
{
    *n = (int)(sizeof FIGURES / sizeof FIGURES[0]);
    return FIGURES;
}

const nd_figure *nd_figure_named(const char *name)
{
    for (size_t k = 0; k < sizeof FIGURES / sizeof FIGURES[0]; k++)
        if (strcmp(FIGURES[k].name, name) == 0) return &FIGURES[k];
    return NULL;
}

static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
    return buf;
}

/* Draw and report cairo's own failures (out of memory, mostly). */
static nd_status draw_on(cairo_surface_t *surf, const nd_figure *fig, const nd_rundata *rd,
                         nd_error *err)
{
    cairo_t *cr = cairo_create(surf);
    nd_status s = fig->draw(cr, rd, fig->arg, err);
    cairo_status_t cst = cairo_status(cr);
    cairo_destroy(cr);
    if (s == ND_OK && cst != CAIRO_STATUS_SUCCESS)
        s = nd_error_set(err, ND_ERR_INTERNAL, "figure %s: drawing failed: %s", fig->name,
                         cairo_status_to_string(cst));
    return s;
}

typedef struct {
    FILE *f;
    int err; /* errno of the first failed write */
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
    sink *k = closure;
    errno = 0;
    if (fwrite(data, 1, len, k->f) == len) return CAIRO_STATUS_SUCCESS;
    if (!k->err) k->err = errno ? errno : EIO;
    return CAIRO_STATUS_WRITE_ERROR;
}

/* Through our own stream rather than cairo_surface_write_to_png, so that a
 * failing fclose (a full disk often shows only there) is caught and the
 * reason reported. */
static nd_status write_png(cairo_surface_t *surf, const char *path, int atomic, nd_error *err)
{
    char ebuf[128];
    nd_afile af = {0};
    sink k = {NULL, 0};
    if (atomic) {
        nd_status s = nd_afile_open(&af, path, err);
        if (s != ND_OK) return s;
        k.f = af.f;
    } else if (!(k.f = fopen(path, "wb"))) {
        return nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot create: %s",
                           errstr(errno, ebuf, sizeof ebuf));
    }
    cairo_status_t cst = cairo_surface_write_to_png_stream(surf, sink_write, &k);
    if (k.err || cst != CAIRO_STATUS_SUCCESS) {
        int e = k.err ? k.err : EIO;
        if (atomic)
            nd_afile_abort(&af);
        else
            fclose(k.f);
        if (cst != CAIRO_STATUS_WRITE_ERROR && !k.err)
            return nd_error_at(err, ND_ERR_INTERNAL, path, 0, 0, NULL,
                               "cannot encode the figure: %s", cairo_status_to_string(cst));
        return nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot write the figure: %s",
                           errstr(e, ebuf, sizeof ebuf));
    }
    if (atomic) return nd_afile_commit(&af, err);
    int e = ferror(k.f) ? EIO : 0;
    errno = 0;
    if (fclose(k.f) != 0 && !e) e = errno ? errno : EIO;
    if (e)
        return nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot write the figure: %s",
                           errstr(e, ebuf, sizeof ebuf));
    return ND_OK;
}

nd_status nd_figure_png(const nd_figure *fig, const nd_rundata *rd, const char *path, int atomic,
                        nd_error *err)
{
    int w, h;
    fig->size(rd, fig->arg, &w, &h);
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return nd_error_set(err, ND_ERR_NOMEM, "figure %s: cannot create a %dx%d image", fig->name,
                            w, h);
    }
    nd_status s = draw_on(surf, fig, rd, err);
    if (s == ND_OK) s = write_png(surf, path, atomic, err);
    cairo_surface_destroy(surf);
    return s;
}

/* Copy cairo's SVG into the page: ids made unique to the figure, as every
 * inline SVG shares the page's one id space (cairo names the glyphs of every
 * figure "glyph0-1", ...), and the XML declaration dropped, as HTML has none
 * inside a page. */
static void copy_svg(const nd_figure *fig, const char *svg, FILE *out)
{
    const char *p = strstr(svg, "<svg");
    if (!p) p = svg;
    const char *open_end = strchr(p, '>');
    if (open_end) {
        /* The opening tag, then a title for screen readers and tooltips. */
        fwrite(p, 1, (size_t)(open_end - p), out);
        fprintf(out, " role=\"img\" aria-labelledby=\"%s-title\"><title id=\"%s-title\">",
                fig->name, fig->name);
        nd_html_escape(out, fig->title);
        fputs("</title>", out);
        p = open_end + 1;
    }
    static const char *const refs[] = {"id=\"", "href=\"#", "url(#"};
    while (*p) {
        size_t k, n = 0;
        for (k = 0; k < sizeof refs / sizeof refs[0]; k++) {
            n = strlen(refs[k]);
            if (strncmp(p, refs[k], n) == 0) break;
        }
        if (k < sizeof refs / sizeof refs[0]) {
            fwrite(p, 1, n, out);
            fprintf(out, "%s-", fig->name);
            p += n;
        } else {
            fputc(*p++, out);
        }
    }
}

nd_status nd_figure_svg(const nd_figure *fig, const nd_rundata *rd, FILE *out, nd_error *err)
{
    int w, h;
    fig->size(rd, fig->arg, &w, &h);
    char *buf = NULL;
    size_t len = 0;
    sink k = {open_memstream(&buf, &len), 0};
    if (!k.f) return nd_error_set(err, ND_ERR_NOMEM, "figure %s: out of memory", fig->name);
    cairo_surface_t *surf = cairo_svg_surface_create_for_stream(sink_write, &k, w, h);
    nd_status s = ND_OK;
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        s = nd_error_set(err, ND_ERR_NOMEM, "figure %s: cannot create an SVG surface", fig->name);
    if (s == ND_OK) s = draw_on(surf, fig, rd, err);
    /* The SVG is written out when the surface is finished. */
    cairo_surface_finish(surf);
    if (s == ND_OK && (k.err || cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS))
        s = nd_error_set(err, ND_ERR_NOMEM, "figure %s: cannot write the SVG: %s", fig->name,
                         cairo_status_to_string(cairo_surface_status(surf)));
    cairo_surface_destroy(surf);
    if (fclose(k.f) != 0 && s == ND_OK)
        s = nd_error_set(err, ND_ERR_NOMEM, "figure %s: out of memory", fig->name);
    if (s == ND_OK && buf) copy_svg(fig, buf, out);
    free(buf);
    return s;
}
