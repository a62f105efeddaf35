/* Expected improvement per indication.
 *
 * Clinical series report outcomes on their own scales (wrinkle grades, scar
 * grades, MASI), for their own protocols.  The model carries a series' result
 * over to another protocol through the mechanism it shares with them: the
 * collagen the protocol lays down.  Both the user's protocol and the
 * reference protocol are simulated on the same patient and zone, and the
 * reference result (and its interval) is scaled by the ratio of their collagen
 * I gains, capped at indication_cap times the reference.  Where no series
 * has numbers (enlarged pores) no number is given. */
#include <stdio.h>
#include <string.h>

#include "needle/indication.h"
#include "needle/session.h"

static const char *const NAMES[ND_INDICATION_COUNT] = {
    "wrinkles", "acne_scars", "stretch_marks", "pigmentation", "pores", "dull_skin",
};

const char *nd_indication_name(int i)
{
    return i >= 0 && i < ND_INDICATION_COUNT ? NAMES[i] : NULL;
}

int nd_indication_from_name(const char *name)
{
    for (int i = 0; i < ND_INDICATION_COUNT; i++)
        if (!strcmp(name, NAMES[i])) return i;
    return -1;
}

/* Collagen I gain at the end of follow-up for a one-zone scenario. */
static nd_status collagen_gain(const nd_scenario *sc, const nd_outcome_params *p, double *gain,
                               nd_error *err)
{
    nd_session *s;
    nd_status st = nd_session_create(sc, &s, err);
    if (st) return st;
    nd_run_options o = {1, NULL, NULL, NULL, NULL};
    if (!(st = nd_session_run(s, &o, err))) {
        nd_outcome_input in;
        nd_zone_outcome z;
        nd_outcome_input_from_field(nd_session_field(s), sc->protocol.zones[0].zone, &in);
        if (!(st = nd_outcome_zone(p, p, p, sc, &in, &z, err))) *gain = z.collagen_I_rel.mid - 1;
    }
    nd_session_free(s);
    return st;
}

nd_status nd_indication_expect(const nd_scenario *sc, int zone_plan, const nd_outcome_params *p,
                               double cap, int indication, nd_indication_result *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    out->indication = indication;
    nd_table *t = NULL;
    nd_status st = nd_table_load("indications.csv", &t, err);
    if (st) return st;
    long r = nd_table_find(t, "indication", nd_indication_name(indication));
    if (r < 0) {
        nd_table_free(t);
        return nd_error_set(err, ND_ERR_INTERNAL, "data/indications.csv has no row for %s",
                            nd_indication_name(indication));
    }
    enum { VALUE, LO, HI, DEPTH, PASSES, SESSIONS, INTERVAL, FOLLOW_UP, NCOLS };
    static const char *const cols[NCOLS] = {
        "value", "lo", "hi", "depth_mm", "passes", "sessions", "interval_days", "follow_up_days"};
    double v[NCOLS];
    for (int k = 0; !st && k < NCOLS; k++) st = nd_table_number(t, (size_t)r, cols[k], &v[k], err);
    if (st) {
        nd_table_free(t);
        return st;
    }
    snprintf(out->measure, sizeof out->measure, "%s",
             nd_table_cell(t, (size_t)r, nd_table_column(t, "measure")));
    snprintf(out->unit, sizeof out->unit, "%s",
             nd_table_cell(t, (size_t)r, nd_table_column(t, "unit")));
    snprintf(out->evidence, sizeof out->evidence, "%s",
             nd_table_cell(t, (size_t)r, nd_table_column(t, "evidence")));
    snprintf(out->source, sizeof out->source, "%s",
             nd_table_cell(t, (size_t)r, nd_table_column(t, "source")));
    char preset[64];
    snprintf(preset, sizeof preset, "%s",
             nd_table_cell(t, (size_t)r, nd_table_column(t, "device")));
    nd_table_free(t);
    if (!strcmp(out->evidence, "none")) return ND_OK; /* nothing to scale */

    /* The user's protocol on this zone alone, and the reference protocol on the
     * same zone and patient, written as a scenario so that it gets the same
     * defaults as any file would. */
    nd_scenario mine = *sc, ref;
    mine.protocol.zones[0] = sc->protocol.zones[zone_plan];
    mine.protocol.n_zones = 1;
    char yaml[2048], depth[64] = "";
    nd_device_spec dev;
    if ((st = nd_device_preset(preset, &dev, err))) return st;
    if (nd_device_is_motorised(&dev)) snprintf(depth, sizeof depth, ", depth_mm: %g", v[DEPTH]);
    int n = snprintf(yaml, sizeof yaml,
                     "seed: %llu\n"
                     "patient: {age_y: %g, sex: %s, fitzpatrick: %d}\n"
                     "device: {preset: %s}\n"
                     "protocol: {sessions: %d, interval_days: %g, follow_up_days: %g,\n"
                     "  zones: [{zone: %s, passes: %d%s}]}\n",
                     (unsigned long long)sc->seed, sc->patient.age_y,
                     sc->patient.sex == ND_SEX_MALE ? "male" : "female", sc->patient.fitzpatrick,
                     preset, (int)v[SESSIONS], v[INTERVAL], v[FOLLOW_UP],
                     nd_zone_name(mine.protocol.zones[0].zone), (int)v[PASSES], depth);
    if (sc->n_params) n += snprintf(yaml + n, sizeof yaml - (size_t)n, "model_parameters: {");
    for (int k = 0; k < sc->n_params && n < (int)sizeof yaml; k++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n, "%s%s: %.17g", k ? ", " : "",
                      sc->params[k].name, sc->params[k].value);
    if (sc->n_params) n += snprintf(yaml + n, sizeof yaml - (size_t)n, "}\n");
    if (n >= (int)sizeof yaml) return nd_error_set(err, ND_ERR_INTERNAL, "reference too long");
    if ((st = nd_scenario_parse(yaml, (unsigned long)n, "data/indications.csv", &ref, err)))
        return st;
    double g_mine, g_ref;
    if ((st = collagen_gain(&mine, p, &g_mine, err)) || (st = collagen_gain(&ref, p, &g_ref, err)))
        return st;
    double scale = g_ref > 0 ? g_mine / g_ref : 0;
    if (scale > cap) scale = cap;
    if (scale < 0) scale = 0;
    out->scale = scale;
    out->value = (nd_interval){v[LO] * scale, v[VALUE] * scale, v[HI] * scale};
    out->has_value = 1;
    return ND_OK;
}
