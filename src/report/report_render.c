/* figures/ and report.html from run data; see report_render.h. */
#include "report/report_render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/afile.h"
#include "report/figure.h"
#include "report/html_report.h"

static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
    return buf;
}

static char *join(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s%s", dir, name, ext);
    return p;
}

static nd_status write_html(const nd_rundata *rd, const char *path, int atomic, nd_error *err)
{
    char ebuf[128];
    nd_afile af = {0};
    FILE *f;
    if (atomic) {
        nd_status s = nd_afile_open(&af, path, err);
        if (s != ND_OK) return s;
        f = af.f;
    } else if (!(f = fopen(path, "w"))) {
        return nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot create: %s",
                           errstr(errno, ebuf, sizeof ebuf));
    }
    errno = 0;
    nd_status s = nd_write_report_html(rd, f, err);
    if (s == ND_ERR_IO)
        nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot write: %s",
                    errstr(errno ? errno : EIO, ebuf, sizeof ebuf));
    if (atomic) {
        if (s != ND_OK) {
            nd_afile_abort(&af);
            return s;
        }
        return nd_afile_commit(&af, err);
    }
    errno = 0;
    if (fclose(f) != 0 && s == ND_OK)
        s = nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot write: %s",
                        errstr(errno ? errno : EIO, ebuf, sizeof ebuf));
    return s;
}

nd_status nd_report_render(const nd_rundata *rd, const char *dir, int atomic, nd_error *err)
{
    char *figures = join(dir, "figures", "");
    if (!figures) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    nd_status s = ND_OK;
    if (mkdir(figures, 0777) != 0 && errno != EEXIST) {
        char ebuf[128];
        s = nd_error_at(err, ND_ERR_IO, figures, 0, 0, NULL, "cannot create folder: %s",
                        errstr(errno, ebuf, sizeof ebuf));
    }
    int n;
    const nd_figure *figs = nd_figures(&n);
    for (int k = 0; k < n && s == ND_OK; k++) {
        if (!nd_figure_shown(&figs[k], rd)) continue;
        char *png = join(figures, figs[k].name, ".png");
        s = png ? nd_figure_png(&figs[k], rd, png, atomic, err)
                : nd_error_set(err, ND_ERR_NOMEM, "out of memory");
        free(png);
    }
    free(figures);
    if (s != ND_OK) return s;
    char *html = join(dir, "report.html", "");
    if (!html) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    s = write_html(rd, html, atomic, err);
    free(html);
    return s;
}
