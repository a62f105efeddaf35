/* All report files of one run, written into a folder that already exists. */
#include "needle/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef nd_status (*table_writer)(const nd_run_view *run, FILE *out, nd_error *err);

static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
    return buf;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static nd_status write_file(const nd_run_view *run, const char *dir, const char *name,
                            table_writer writer, nd_error *err)
{
    char ebuf[128];
    char *path = join(dir, name);
    if (!path) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    nd_status s = ND_OK;
    FILE *f = fopen(path, "w");
    if (!f) {
        s = nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot create: %s",
                        errstr(errno, ebuf, sizeof ebuf));
        free(path);
        return s;
    }
    errno = 0;
    s = writer(run, f, err);
    if (s == ND_ERR_IO) {
        /* The writer only knows the stream; name the file the user will look for.
         * errno still holds the reason the stream's write failed. */
        nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot write: %s",
                    errstr(errno ? errno : EIO, ebuf, sizeof ebuf));
    }
    /* Buffered data reaches the disk at fclose, so a full disk often shows
     * only here. */
    errno = 0;
    if (fclose(f) != 0 && s == ND_OK)
        s = nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot write: %s",
                        errstr(errno ? errno : EIO, ebuf, sizeof ebuf));
    free(path);
    return s;
}

nd_status nd_report_write_all(const nd_run_view *run, const char *dir, nd_error *err)
{
    nd_status s;
    if ((s = write_file(run, dir, "summary.json", nd_write_summary_json, err)) != ND_OK) return s;
    if ((s = write_file(run, dir, "zones.csv", nd_write_zones_csv, err)) != ND_OK) return s;
    if ((s = write_file(run, dir, "field.csv", nd_write_field_csv, err)) != ND_OK) return s;

    char *figures = join(dir, "figures");
    if (!figures) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    if (mkdir(figures, 0777) != 0 && errno != EEXIST) {
        char ebuf[128];
        s = nd_error_at(err, ND_ERR_IO, figures, 0, 0, NULL, "cannot create folder: %s",
                        errstr(errno, ebuf, sizeof ebuf));
        free(figures);
        return s;
    }
    static const struct {
        const char *name;
        nd_map_kind kind;
    } maps[] = {{"density.png", ND_MAP_DENSITY}, {"depth.png", ND_MAP_DEPTH}};
    for (size_t k = 0; k < sizeof maps / sizeof maps[0] && s == ND_OK; k++) {
        char *png = join(figures, maps[k].name);
        if (!png) {
            s = nd_error_set(err, ND_ERR_NOMEM, "out of memory");
            break;
        }
        s = nd_figure_face_map(run, maps[k].kind, png, err);
        free(png);
    }
    free(figures);
    return s;
}
