/* Every read-out of a finished session; see include/needle/outcome.h. */
#include <stdlib.h>
#include <string.h>

#include "needle/indication.h"
#include "needle/outcome.h"
#include "needle/session.h"
#include "models.h"

#define MAX_TIMES 20000

struct nd_outcome_set {
    int treated[ND_ZONE_COUNT];
    nd_zone_outcome zone[ND_ZONE_COUNT];
    nd_timecourse_row *course[ND_ZONE_COUNT];
    int n_course;
    int indication_zone;
    nd_indication_result indication[ND_INDICATION_COUNT];
    nd_stroke_pain *stroke_pain;
    long n_strokes;
};

void nd_outcome_set_free(nd_outcome_set *o)
{
    if (!o) return;
    for (int z = 0; z < ND_ZONE_COUNT; z++) free(o->course[z]);
    free(o->stroke_pain);
    free(o);
}

static nd_status stroke_pains(const nd_session *s, const nd_outcome_params *p, nd_outcome_set *o,
                              nd_error *err);

nd_status nd_outcome_set_create(const nd_session *s, nd_outcome_set **out, nd_error *err)
{
    *out = NULL;
    const nd_scenario *sc = nd_session_scenario(s);
    const nd_field *f = nd_session_field(s);
    nd_outcome_params mid, lo, hi;
    nd_status st = nd_outcome_params_load(nd_session_params(s), ND_PARAM_VALUE, &mid, err);
    if (!st) st = nd_outcome_params_load(nd_session_params(s), ND_PARAM_LOW, &lo, err);
    if (!st) st = nd_outcome_params_load(nd_session_params(s), ND_PARAM_HIGH, &hi, err);
    if (st) return st;
    nd_outcome_set *o = calloc(1, sizeof *o);
    double *times = malloc(sizeof *times * MAX_TIMES);
    if (!o || !times) {
        free(o);
        free(times);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    }
    /* Every zone shares the sampling times, so the CSV reads as one table. */
    double session_end = 0;
    for (int i = 0; i < sc->protocol.n_zones; i++) {
        nd_zone_stats zs;
        nd_field_zone_stats(f, sc->protocol.zones[i].zone, &zs);
        if (zs.t_end_s > session_end) session_end = zs.t_end_s;
    }
    o->n_course = nd_outcome_sample_times(sc, session_end, times, MAX_TIMES);
    double largest = -1;
    o->indication_zone = -1;
    for (int i = 0; i < sc->protocol.n_zones && !st; i++) {
        int z = sc->protocol.zones[i].zone;
        nd_outcome_input in;
        nd_outcome_input_from_session(s, z, &in);
        o->treated[z] = 1;
        st = nd_outcome_zone(&mid, &lo, &hi, sc, &in, &o->zone[z], err);
        if (st) break;
        o->course[z] = malloc(sizeof *o->course[z] * (size_t)o->n_course);
        if (!o->course[z]) {
            st = nd_error_set(err, ND_ERR_NOMEM, "out of memory");
            break;
        }
        st = nd_outcome_timecourse(&mid, sc, &in, times, o->n_course, o->course[z], err);
        if (z != ND_ZONE_NECK && in.area_cm2 > largest) {
            largest = in.area_cm2;
            o->indication_zone = z;
        }
    }
    free(times);
    if (!st) st = stroke_pains(s, &mid, o, err);
    int plan = -1;
    for (int i = 0; i < sc->protocol.n_zones; i++)
        if (sc->protocol.zones[i].zone == o->indication_zone) plan = i;
    double cap = 0;
    if (!st && plan >= 0) st = nd_param(nd_session_params(s), "indication_cap", &cap, err);
    for (int k = 0; !st && plan >= 0 && k < ND_INDICATION_COUNT; k++)
        st = nd_indication_expect(sc, plan, &mid, cap, k, &o->indication[k], err);
    if (st) {
        nd_outcome_set_free(o);
        return st;
    }
    *out = o;
    return ND_OK;
}

/* Each stroke's pain under the cream as the session applied it. */
static nd_status stroke_pains(const nd_session *s, const nd_outcome_params *p, nd_outcome_set *o,
                              nd_error *err)
{
    long n;
    const nd_stroke_summary *st = nd_session_strokes(s, &n);
    o->stroke_pain = calloc((size_t)(n > 0 ? n : 1), sizeof *o->stroke_pain);
    if (!o->stroke_pain) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    o->n_strokes = n;
    const nd_scenario *sc = nd_session_scenario(s);
    nd_topical_agent cream;
    nd_topical_cream(p, &sc->protocol.numbing, &cream);
    int zone = -1;
    nd_topical_history h;
    for (long k = 0; k < n; k++) {
        if (st[k].zone != zone) {
            nd_outcome_input in;
            nd_outcome_input_from_session(s, st[k].zone, &in);
            nd_zone_history(p, sc, &in, ND_STEP_NUMBING, &h);
            zone = st[k].zone;
        }
        nd_pain_of_stroke(p, &cream, &h, &st[k], &o->stroke_pain[k]);
    }
    return ND_OK;
}

const nd_stroke_pain *nd_outcome_set_strokes(const nd_outcome_set *o, long *n)
{
    *n = o->n_strokes;
    return o->stroke_pain;
}

const nd_zone_outcome *nd_outcome_set_zone(const nd_outcome_set *o, int zone)
{
    return zone >= 0 && zone < ND_ZONE_COUNT && o->treated[zone] ? &o->zone[zone] : NULL;
}

const nd_timecourse_row *nd_outcome_set_timecourse(const nd_outcome_set *o, int zone, int *n)
{
    *n = 0;
    if (!nd_outcome_set_zone(o, zone)) return NULL;
    *n = o->n_course;
    return o->course[zone];
}

const nd_indication_result *nd_outcome_set_indication(const nd_outcome_set *o, int indication)
{
    if (o->indication_zone < 0 || indication < 0 || indication >= ND_INDICATION_COUNT) return NULL;
    return &o->indication[indication];
}

int nd_outcome_set_indication_zone(const nd_outcome_set *o)
{
    return o->indication_zone;
}
