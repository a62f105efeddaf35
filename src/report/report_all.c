/* All report files of one run, written into a folder that already exists. */
#include "needle/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_render.h"
#include "report/rundata.h"

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

static nd_status timecourse_writer(const nd_run_view *run, FILE *out, nd_error *err)
{
    return nd_write_timecourse_csv(run->scenario, run->outcomes, out, err);
}

nd_status nd_report_write_all(const nd_run_view *run, const char *dir, nd_error *err)
{
    nd_status s;
    if ((s = write_file(run, dir, "summary.json", nd_write_summary_json, err)) != ND_OK) return s;
    if ((s = write_file(run, dir, "zones.csv", nd_write_zones_csv, err)) != ND_OK) return s;
    if ((s = write_file(run, dir, "field.csv", nd_write_field_csv, err)) != ND_OK) return s;
    if ((s = write_file(run, dir, "histograms.csv", nd_write_histograms_csv, err)) != ND_OK)
        return s;
    if (run->outcomes &&
        (s = write_file(run, dir, "timecourse.csv", timecourse_writer, err)) != ND_OK)
        return s;
    if (run->outcomes && run->session &&
        (s = write_file(run, dir, "strokes.csv", nd_write_strokes_csv, err)) != ND_OK)
        return s;
    if (run->sites && (s = write_file(run, dir, "tissue.csv", nd_write_tissue_csv, err)) != ND_OK)
        return s;
    /* The report is drawn from the same run data `needle report` reads back
     * from these files, so the two draw the same page. */
    nd_rundata *rd;
    if ((s = nd_rundata_from_view(run, &rd, err)) != ND_OK) return s;
    s = nd_report_render(rd, dir, 0, err);
    nd_rundata_free(rd);
    return s;
}
