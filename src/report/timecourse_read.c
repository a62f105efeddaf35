/* timecourse.csv into run data; see timecourse_read.h.
 *
 * The writer puts each zone's rows together, in treatment order, at the
 * sample times every zone shares (needle/outcome.h); anything else means the
 * file was edited or belongs to another run, and the charts would mislead. */
#include "report/timecourse_read.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/csv_read.h"
#include "report/timecourse_csv.h"

/* A run samples a zone a few thousand times; far more is not a needle file,
 * and would only exhaust memory. */
#define MAX_SAMPLES 200000

/* The range each column's model can give. */
static int in_range(int col, double v)
{
    switch (col) {
    case ND_TC_PAIN:
        return v >= 0 && v <= 10;
    case ND_TC_ERYTHEMA:
    case ND_TC_CHANNELS:
        return v >= 0 && v <= 1;
    case ND_TC_COLLAGEN_I:
    case ND_TC_COLLAGEN_III:
    case ND_TC_ELASTIN:
        return v > 0;
    default:
        return v >= 0;
    }
}

static const char *range_text(int col)
{
    switch (col) {
    case ND_TC_PAIN:
        return "a VAS score 0..10";
    case ND_TC_ERYTHEMA:
    case ND_TC_CHANNELS:
        return "a fraction 0..1";
    case ND_TC_COLLAGEN_I:
    case ND_TC_COLLAGEN_III:
    case ND_TC_ELASTIN:
        return "a positive amount relative to baseline";
    default:
        return "0 or more";
    }
}

typedef struct {
    nd_csv c;
    int col[1 + ND_TC_COLUMNS]; /* zone, then the values */
    int k;                      /* treatment-order index of the zone being read */
    int n;                      /* its rows so far */
    int cap;                    /* rows allocated for it */
} reader;

/* The zone of the current row, as a treatment-order index; a row of the next
 * zone ends the current one. */
static nd_status next_zone(nd_rundata *rd, reader *r, nd_error *err)
{
    const char *name = nd_csv_text(&r->c, r->col[0]);
    if (r->k >= 0 && strcmp(name, nd_zone_name(rd->zones[r->k].stats.zone)) == 0) return ND_OK;
    int zone = nd_zone_from_name(name);
    if (zone < 0) return nd_csv_error(&r->c, r->col[0], err, "unknown zone '%s'", name);
    int k = r->k + 1;
    if (k >= rd->n_zones || rd->zones[k].stats.zone != zone) {
        for (int j = 0; j < rd->n_zones; j++)
            if (rd->zones[j].stats.zone == zone)
                return nd_csv_error(&r->c, r->col[0], err,
                                    "zone '%s' is out of the treatment order of summary.json, "
                                    "or its rows are not together",
                                    name);
        return nd_csv_error(&r->c, r->col[0], err,
                            "zone '%s' was not treated in the scenario of summary.json", name);
    }
    if (r->k >= 0 && r->n != rd->n_times)
        return nd_csv_error(&r->c, r->col[0], err, "%s has %d rows; %s has %d",
                            nd_zone_name(rd->zones[r->k].stats.zone), r->n,
                            nd_zone_name(rd->zones[0].stats.zone), rd->n_times);
    r->k = k;
    r->n = 0;
    r->cap = 0;
    return ND_OK;
}

static nd_status row(nd_rundata *rd, reader *r, nd_error *err)
{
    nd_status s = next_zone(rd, r, err);
    if (s != ND_OK) return s;
    nd_rd_zone *z = &rd->zones[r->k];
    if (r->k > 0 && r->n >= rd->n_times)
        return nd_csv_error(&r->c, -1, err, "more rows for %s than the %d of %s",
                            nd_zone_name(z->stats.zone), rd->n_times,
                            nd_zone_name(rd->zones[0].stats.zone));
    if (r->n >= r->cap) {
        if (r->n >= MAX_SAMPLES)
            return nd_csv_error(&r->c, -1, err,
                                "more than %d rows for one zone: not a needle "
                                "time course",
                                MAX_SAMPLES);
        int cap = r->k > 0 ? rd->n_times : r->cap ? 2 * r->cap : 1024;
        nd_timecourse_row *grown = realloc(z->course, sizeof *grown * (size_t)cap);
        if (!grown) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
        z->course = grown;
        r->cap = cap;
    }
    nd_timecourse_row *out = &z->course[r->n];
    memset(out, 0, sizeof *out);
    for (int c = 0; c < ND_TC_COLUMNS; c++) {
        double v;
        int col = r->col[1 + c];
        if ((s = nd_csv_number(&r->c, col, 0, &v, err))) return s;
        if (!in_range(c, v))
            return nd_csv_error(&r->c, col, err, "expected %s, found '%s'", range_text(c),
                                nd_csv_text(&r->c, col));
        nd_timecourse_set(out, c, v);
    }
    /* Every zone at the first zone's times, each zone's times rising. */
    int tc = r->col[1 + ND_TC_TIME];
    if (r->n > 0 && !(out->time_s > z->course[r->n - 1].time_s))
        return nd_csv_error(&r->c, tc, err, "time %s h does not follow the row before",
                            nd_csv_text(&r->c, tc));
    if (r->k > 0 && out->time_s != rd->zones[0].course[r->n].time_s)
        return nd_csv_error(&r->c, tc, err, "time %s h is not the %s's time of that row",
                            nd_csv_text(&r->c, tc), nd_zone_name(rd->zones[0].stats.zone));
    r->n++;
    if (r->k == 0) rd->n_times = r->n;
    return ND_OK;
}

nd_status nd_timecourse_read(nd_rundata *rd, const char *dir, nd_error *err)
{
    rd->has_timecourse = 0;
    rd->n_times = 0;
    /* Missing is the one thing that is not an error: an older run folder. */
    size_t len = strlen(dir) + sizeof "/timecourse.csv";
    char *path = malloc(len);
    if (!path) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    snprintf(path, len, "%s/timecourse.csv", dir);
    struct stat st;
    int missing = stat(path, &st) != 0 && errno == ENOENT;
    free(path);
    if (missing) return ND_OK;

    reader r = {.k = -1};
    int more = 0;
    nd_status s = nd_csv_open(&r.c, dir, "timecourse.csv", err);
    if (s == ND_OK) s = nd_csv_column(&r.c, "zone", &r.col[0], err);
    for (int c = 0; c < ND_TC_COLUMNS && s == ND_OK; c++)
        s = nd_csv_column(&r.c, nd_timecourse_column_name(c), &r.col[1 + c], err);
    while (s == ND_OK && (s = nd_csv_next(&r.c, &more, err)) == ND_OK && more) s = row(rd, &r, err);
    if (s == ND_OK && r.k > 0 && r.n != rd->n_times)
        s = nd_error_at(err, ND_ERR_INPUT, r.c.path, r.c.line, 0, NULL, "%s has %d rows; %s has %d",
                        nd_zone_name(rd->zones[r.k].stats.zone), r.n,
                        nd_zone_name(rd->zones[0].stats.zone), rd->n_times);
    else if (s == ND_OK && r.k < rd->n_zones - 1)
        s = nd_error_at(err, ND_ERR_INPUT, r.c.path, r.c.line, 0, NULL,
                        "no time course for %s, which summary.json treats",
                        nd_zone_name(rd->zones[r.k + 1].stats.zone));
    if (s == ND_OK && rd->n_zones > 0 && rd->n_times < 2)
        s = nd_error_at(err, ND_ERR_INPUT, r.c.path, r.c.line, 0, NULL,
                        "%d sample%s per zone: too few for a time course", rd->n_times,
                        rd->n_times == 1 ? "" : "s");
    nd_csv_close(&r.c);
    if (s != ND_OK) {
        for (int k = 0; k < rd->n_zones; k++) {
            free(rd->zones[k].course);
            rd->zones[k].course = NULL;
        }
        rd->n_times = 0;
        return s;
    }
    rd->has_timecourse = rd->n_zones > 0;
    return ND_OK;
}
