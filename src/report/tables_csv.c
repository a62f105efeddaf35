/* zones.csv and field.csv.
 *
 * Numbers use one fixed format (six significant digits, '.' as decimal point
 * whatever the C locale) so the files are byte-identical for any thread count.
 * A value that does not exist (the depth of a cell nobody punctured) is an
 * empty cell, which spreadsheets, R and pandas all read as missing. */
#include "needle/report.h"

#include "needle/outcome.h"

#include <inttypes.h>

#include "report/json_writer.h"

/* The same six significant digits as summary.json, so the two agree. */
#define CSV_DIGITS ND_JSON_DIGITS

/* fprintf errors are sticky in the stream; the caller checks ferror once. */
static void num(FILE *out, double v)
{
    char buf[40];
    fputc(',', out);
    fputs(nd_fmt_number(buf, sizeof buf, v, CSV_DIGITS), out);
}

static void depth_mm(FILE *out, double depth_m, uint64_t punctures)
{
    if (punctures == 0)
        fputc(',', out);
    else
        num(out, depth_m * 1e3);
}

static void layer_header(FILE *out)
{
    for (int l = 0; l < ND_LAYER_COUNT; l++) fprintf(out, ",layer_%s", nd_layer_name(l));
}

/* Depth of the bottom of SC, epidermis, papillary and reticular dermis: the
 * cumulative zone-mean thicknesses.  Empty without a skin (a run view made
 * by hand). */
static void layer_bottoms(FILE *out, const nd_skin *skin, int zone)
{
    const nd_zone_layers *zl = skin ? nd_skin_zone(skin, zone) : NULL;
    double depth_m = 0;
    for (int l = 0; l < ND_LAYER_FAT; l++) {
        if (!zl) {
            fputc(',', out);
            continue;
        }
        depth_m += zl->thickness_m[l];
        num(out, depth_m * 1e3);
    }
}

static nd_status finish(FILE *out, const char *what, nd_error *err)
{
    if (ferror(out)) return nd_error_set(err, ND_ERR_IO, "%s: write failed", what);
    return ND_OK;
}

nd_status nd_write_zones_csv(const nd_run_view *run, FILE *out, nd_error *err)
{
    if (!run || !run->scenario || !run->field || !out)
        return nd_error_set(err, ND_ERR_INTERNAL, "zones.csv: missing run data");
    const nd_protocol *pr = &run->scenario->protocol;
    fputs("zone,area_cm2,strikes,punctures,punctures_per_cm2,depth_mean_mm,depth_p95_mm,"
          "depth_max_mm",
          out);
    layer_header(out);
    /* Then what the report draws against the numbers: the zone's setting and
     * its mean layer boundaries, so a run folder holds all the report needs. */
    fputs(",coverage_fraction,uniformity_cv,repeat_fraction,t_start_s,t_end_s,depth_setting_mm,"
          "sc_bottom_mm,epidermis_bottom_mm,papillary_bottom_mm,reticular_bottom_mm",
          out);
    /* The outcome models' read-outs, when they were run; then the interval
     * ends summary.json has and the first version of this table left out
     * (appended, so the columns before keep their places). */
    if (run->outcomes)
        fputs(",anesthesia_depth_mm,pain_vas,pain_vas_lo,pain_vas_hi,pain_vas_peak,"
              "bleeding_points_per_cm2,bruising_risk,erythema_peak,edema_peak,downtime_days,"
              "downtime_days_lo,downtime_days_hi,channel_half_life_h,collagen_I_rel,"
              "collagen_I_rel_lo,collagen_I_rel_hi,collagen_III_rel,elastin_rel,pih_risk,"
              "bleeding_points_per_cm2_lo,bleeding_points_per_cm2_hi,bruising_risk_lo,"
              "bruising_risk_hi,collagen_III_rel_lo,collagen_III_rel_hi,elastin_rel_lo,"
              "elastin_rel_hi,pih_risk_lo,pih_risk_hi,topical_depth_mm",
              out);
    fputc('\n', out);
    for (int k = 0; k < pr->n_zones && k < ND_ZONE_COUNT; k++) {
        nd_zone_stats st;
        nd_field_zone_stats(run->field, pr->zones[k].zone, &st);
        const char *name = nd_zone_name(st.zone);
        if (!name)
            return nd_error_set(err, ND_ERR_INTERNAL, "zones.csv: invalid zone id %d", st.zone);
        fputs(name, out);
        num(out, st.area_cm2);
        fprintf(out, ",%" PRIu64 ",%" PRIu64, st.strikes, st.punctures);
        num(out, st.punctures_per_cm2);
        depth_mm(out, st.depth_mean_m, st.punctures);
        depth_mm(out, st.depth_p95_m, st.punctures);
        depth_mm(out, st.depth_max_m, st.punctures);
        for (int l = 0; l < ND_LAYER_COUNT; l++) num(out, st.layer_fraction[l]);
        num(out, st.coverage_fraction);
        num(out, st.uniformity_cv);
        num(out, st.repeat_fraction);
        num(out, st.t_start_s);
        num(out, st.t_end_s);
        num(out, pr->zones[k].depth_m * 1e3);
        layer_bottoms(out, run->skin, st.zone);
        const nd_zone_outcome *o =
            run->outcomes ? nd_outcome_set_zone(run->outcomes, st.zone) : NULL;
        if (o) {
            const double v[] = {o->anesthesia_depth_m * 1e3,
                                o->pain_vas.mid,
                                o->pain_vas.lo,
                                o->pain_vas.hi,
                                o->pain_vas_peak,
                                o->bleeding_points_per_cm2.mid,
                                o->bruising_risk.mid,
                                o->erythema_peak,
                                o->edema_peak,
                                o->downtime_days.mid,
                                o->downtime_days.lo,
                                o->downtime_days.hi,
                                o->channel_half_life_h,
                                o->collagen_I_rel.mid,
                                o->collagen_I_rel.lo,
                                o->collagen_I_rel.hi,
                                o->collagen_III_rel.mid,
                                o->elastin_rel.mid,
                                o->pih_risk.mid,
                                o->bleeding_points_per_cm2.lo,
                                o->bleeding_points_per_cm2.hi,
                                o->bruising_risk.lo,
                                o->bruising_risk.hi,
                                o->collagen_III_rel.lo,
                                o->collagen_III_rel.hi,
                                o->elastin_rel.lo,
                                o->elastin_rel.hi,
                                o->pih_risk.lo,
                                o->pih_risk.hi,
                                o->topical_depth_m * 1e3};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) num(out, v[i]);
        }
        fputc('\n', out);
    }
    return finish(out, "zones.csv", err);
}

nd_status nd_write_field_csv(const nd_run_view *run, FILE *out, nd_error *err)
{
    if (!run || !run->field || !out)
        return nd_error_set(err, ND_ERR_INTERNAL, "field.csv: missing run data");
    const nd_grid *g = nd_field_grid(run->field);
    fputs("x_mm,y_mm,zone,punctures,punctures_per_cm2,depth_mean_mm,depth_p95_mm,depth_max_mm",
          out);
    layer_header(out);
    fputs(",repeat_hits\n", out);
    char buf[40];
    for (int j = 0; j < g->ny; j++) {
        for (int i = 0; i < g->nx; i++) {
            if (nd_field_cell_zone(run->field, i, j) < 0) continue;
            nd_cell_stats cs;
            nd_field_cell_stats(run->field, i, j, &cs);
            const char *name = nd_zone_name(cs.zone);
            if (!name)
                return nd_error_set(err, ND_ERR_INTERNAL, "field.csv: invalid zone id %d", cs.zone);
            fputs(nd_fmt_number(buf, sizeof buf, (g->x0 + (i + 0.5) * g->h) * 1e3, CSV_DIGITS),
                  out);
            num(out, (g->y0 + (j + 0.5) * g->h) * 1e3);
            fprintf(out, ",%s,%" PRIu32, name, cs.punctures);
            num(out, cs.punctures_per_cm2);
            depth_mm(out, cs.depth_mean_m, cs.punctures);
            depth_mm(out, cs.depth_p95_m, cs.punctures);
            depth_mm(out, cs.depth_max_m, cs.punctures);
            for (int l = 0; l < ND_LAYER_COUNT; l++) num(out, cs.layer_fraction[l]);
            fprintf(out, ",%" PRIu32 "\n", cs.repeat_hits);
            /* A full disk should stop a million-row loop early. */
            if (ferror(out)) return finish(out, "field.csv", err);
        }
    }
    return finish(out, "field.csv", err);
}
