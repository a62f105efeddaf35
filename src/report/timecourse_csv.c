/* timecourse.csv: one row per treated zone and sample time; see
 * timecourse_csv.h for why its columns are one table.
 *
 * Each column keeps the digits its curve needs and no more (the file has a
 * row per zone and sample, thousands of rows): time to the 0.36 s that
 * tells the 10-minute samples apart, the fast signs to 3-4 digits, collagen
 * to 5, since its changes of a few tenths of a percent matter. */
#include "report/timecourse_csv.h"

#include <errno.h>
#include <string.h>

#include "needle/report.h"
#include "report/csv_read.h"
#include "report/json_writer.h"
#include "report/labels.h"

typedef struct {
    const char *name;
    int digits; /* significant digits; time: decimals of a fixed format */
} column;

static const column COLUMNS[ND_TC_COLUMNS] = {
    [ND_TC_TIME] = {"time_h", 4},
    [ND_TC_ANALGESIA] = {"anesthesia_depth_mm", 4},
    [ND_TC_PAIN] = {"pain_vas", 3},
    [ND_TC_ERYTHEMA] = {"erythema_index", 4},
    [ND_TC_EDEMA] = {"edema_rel", 4},
    [ND_TC_CHANNELS] = {"open_channel_fraction", 4},
    [ND_TC_COLLAGEN_I] = {"collagen_I_rel", 5},
    [ND_TC_COLLAGEN_III] = {"collagen_III_rel", 5},
    [ND_TC_ELASTIN] = {"elastin_rel", 5},
    [ND_TC_TOPICAL] = {"topical_depth_mm", 4},
};

const char *nd_timecourse_column_name(int col)
{
    return col >= 0 && col < ND_TC_COLUMNS ? COLUMNS[col].name : NULL;
}

double nd_timecourse_get(const nd_timecourse_row *r, int col)
{
    switch (col) {
    case ND_TC_TIME:
        return r->time_s / 3600.0;
    case ND_TC_ANALGESIA:
        return r->anesthesia_depth_m * 1e3;
    case ND_TC_PAIN:
        return r->pain_vas;
    case ND_TC_ERYTHEMA:
        return r->erythema_index;
    case ND_TC_EDEMA:
        return r->edema_rel;
    case ND_TC_CHANNELS:
        return r->open_channel_fraction;
    case ND_TC_COLLAGEN_I:
        return r->collagen_I_rel;
    case ND_TC_COLLAGEN_III:
        return r->collagen_III_rel;
    case ND_TC_TOPICAL:
        return r->topical_depth_m * 1e3;
    default:
        return r->elastin_rel;
    }
}

void nd_timecourse_set(nd_timecourse_row *r, int col, double v)
{
    switch (col) {
    case ND_TC_TIME:
        r->time_s = v * 3600.0;
        break;
    case ND_TC_ANALGESIA:
        r->anesthesia_depth_m = v * 1e-3;
        break;
    case ND_TC_PAIN:
        r->pain_vas = v;
        break;
    case ND_TC_ERYTHEMA:
        r->erythema_index = v;
        break;
    case ND_TC_EDEMA:
        r->edema_rel = v;
        break;
    case ND_TC_CHANNELS:
        r->open_channel_fraction = v;
        break;
    case ND_TC_COLLAGEN_I:
        r->collagen_I_rel = v;
        break;
    case ND_TC_COLLAGEN_III:
        r->collagen_III_rel = v;
        break;
    case ND_TC_TOPICAL:
        r->topical_depth_m = v * 1e-3;
        break;
    default:
        r->elastin_rel = v;
        break;
    }
}

char *nd_timecourse_format(char *buf, unsigned long size, int col, double v)
{
    if (col == ND_TC_TIME) return nd_label_fixed(buf, size, v, COLUMNS[col].digits);
    return nd_fmt_number(buf, size, v, COLUMNS[col].digits);
}

void nd_timecourse_quantise(nd_timecourse_row *r)
{
    char buf[48];
    for (int c = 0; c < ND_TC_COLUMNS; c++) {
        nd_timecourse_format(buf, sizeof buf, c, nd_timecourse_get(r, c));
        double v;
        if (nd_csv_parse_number(buf, &v)) nd_timecourse_set(r, c, v);
    }
}

nd_status nd_write_timecourse_csv(const nd_scenario *sc, const nd_outcome_set *o, FILE *out,
                                  nd_error *err)
{
    char buf[48];
    fputs("zone", out);
    for (int c = 0; c < ND_TC_COLUMNS; c++) fprintf(out, ",%s", COLUMNS[c].name);
    fputc('\n', out);
    for (int i = 0; i < sc->protocol.n_zones && !ferror(out); i++) {
        int zone = sc->protocol.zones[i].zone, n;
        const nd_timecourse_row *r = nd_outcome_set_timecourse(o, zone, &n);
        for (int k = 0; k < n && !ferror(out); k++, r++) {
            fputs(nd_zone_name(zone), out);
            for (int c = 0; c < ND_TC_COLUMNS; c++) {
                fputc(',', out);
                fputs(nd_timecourse_format(buf, sizeof buf, c, nd_timecourse_get(r, c)), out);
            }
            fputc('\n', out);
        }
    }
    if (ferror(out))
        return nd_error_set(err, ND_ERR_IO, "cannot write timecourse.csv: %s", strerror(errno));
    return ND_OK;
}
