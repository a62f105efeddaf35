/* summary.json: the scenario as run, session totals and per-zone statistics.
 *
 * Everything here is a function of the scenario and the field alone (wall time
 * and thread count are left out), so the file is byte-identical for any
 * number of threads and can be compared across runs with diff. */
#include "needle/report.h"

#include "needle/indication.h"
#include "needle/outcome.h"

#include "report/json_writer.h"
#include "report/labels.h"

#ifndef ND_VERSION
#define ND_VERSION "unknown"
#endif

/* Config values are echoed in the units the user wrote them in; SI -> mm
 * leaves rounding noise in the last bits (0.25000000000000006), which twelve
 * significant digits hide without losing anything a user could have typed. */
#define ECHO_DIGITS 12

static void echo(nd_json *j, const char *key, double v)
{
    nd_json_kv_number_prec(j, key, v, ECHO_DIGITS);
}

static const char *sex_name(nd_sex sex)
{
    return sex == ND_SEX_MALE ? "male" : "female";
}

static void write_patient(nd_json *j, const nd_patient *p)
{
    nd_json_key(j, "patient");
    nd_json_begin_object(j);
    echo(j, "age_y", p->age_y);
    nd_json_kv_string(j, "sex", sex_name(p->sex));
    nd_json_kv_string(j, "fitzpatrick", nd_label_fitzpatrick(p->fitzpatrick));
    nd_json_end_object(j);
}

static void write_device(nd_json *j, const nd_device_spec *d)
{
    nd_json_key(j, "device");
    nd_json_begin_object(j);
    nd_json_kv_string(j, "kind", nd_device_kind_name(d->kind));
    /* A device built from fields alone has no preset: the key is left out, as
     * the scenario schema has no "no preset" value and the echo must load. */
    if (d->preset[0]) nd_json_kv_string(j, "preset", d->preset);
    echo(j, "needle_length_mm", d->needle_length_m * 1e3);
    echo(j, "needle_diameter_mm", d->needle_diameter_m * 1e3);
    echo(j, "tip_radius_um", d->tip_radius_m * 1e6);
    if (d->kind == ND_DEVICE_ROLLER) {
        nd_json_kv_int(j, "rings", d->rings);
        nd_json_kv_int(j, "needles_per_ring", d->needles_per_ring);
        echo(j, "drum_diameter_mm", d->drum_diameter_m * 1e3);
        echo(j, "drum_width_mm", d->drum_width_m * 1e3);
    } else {
        nd_json_kv_int(j, "rows", d->rows);
        nd_json_kv_int(j, "cols", d->cols);
        echo(j, "pitch_mm", d->pitch_m * 1e3);
        if (d->kind != ND_DEVICE_STAMP) {
            echo(j, "frequency_hz", d->frequency_hz);
            echo(j, "motor_stroke_mm", d->motor_stroke_m * 1e3);
        }
    }
    nd_json_end_object(j);
}

static void write_zone_plan(nd_json *j, const nd_device_spec *d, const nd_zone_plan *z)
{
    int motorised = nd_device_is_motorised(d);
    nd_json_begin_object(j);
    nd_json_kv_string(j, "zone", nd_zone_name(z->zone));
    /* A roller or stamp reaches as deep as its needles are long; the schema
     * has no depth_mm for them, so the echo can be loaded again as it is. */
    if (motorised) echo(j, "depth_mm", z->depth_m * 1e3);
    nd_json_kv_int(j, "passes", z->passes);
    nd_json_key(j, "directions");
    nd_json_begin_array_inline(j);
    for (int k = 0; k < z->n_directions && k < ND_MAX_DIRECTIONS; k++)
        nd_json_string(j, nd_direction_name(z->directions[k]));
    nd_json_end_array(j);
    nd_json_kv_string(j, "motion", nd_motion_name(z->motion));
    /* Only the fields that drive this device and motion, as in the YAML
     * schema: an echoed force for a motor-driven pen would suggest it matters. */
    if (z->motion == ND_MOTION_GLIDE) echo(j, "speed_mm_s", z->speed_m_s * 1e3);
    if (!motorised) echo(j, "force_n", z->force_n);
    if (d->kind == ND_DEVICE_STAMP) {
        echo(j, "press_speed_mm_s", z->press_speed_m_s * 1e3);
        echo(j, "stamp_rate_hz", z->stamp_rate_hz);
    }
    if (motorised && z->motion == ND_MOTION_STAMP) echo(j, "dwell_s", z->dwell_s);
    echo(j, "overlap", z->overlap);
    nd_json_end_object(j);
}

static void write_numbing(nd_json *j, const nd_numbing *n)
{
    nd_json_key(j, "numbing");
    nd_json_begin_object(j);
    nd_json_kv_string(j, "cream", nd_cream_name(n->cream));
    echo(j, "application_min", n->application_s / 60.0);
    nd_json_kv_bool(j, "occluded", n->occluded);
    nd_json_end_object(j);
}

/* The steps as the scenario file writes them, so the echo reads back. */
static void write_steps(nd_json *j, const nd_protocol *pr)
{
    nd_json_key(j, "steps");
    nd_json_begin_array(j);
    for (int i = 0; i < pr->n_steps && i < ND_MAX_STEPS; i++) {
        const nd_step *s = &pr->steps[i];
        nd_json_begin_object(j);
        switch (s->kind) {
        case ND_STEP_NUMBING:
            write_numbing(j, &pr->numbing);
            break;
        case ND_STEP_NEEDLING:
            nd_json_key(j, "needling");
            nd_json_begin_object(j);
            if (s->zone_mask) {
                nd_json_key(j, "zones");
                nd_json_begin_array(j);
                for (int z = 0; z < ND_ZONE_COUNT; z++)
                    if (s->zone_mask & (1u << z)) nd_json_string(j, nd_zone_name(z));
                nd_json_end_array(j);
            }
            if (s->depth_m > 0) echo(j, "depth_mm", s->depth_m * 1e3);
            if (s->passes > 0) nd_json_kv_int(j, "passes", s->passes);
            nd_json_end_object(j);
            break;
        case ND_STEP_TOPICAL:
            nd_json_key(j, "topical");
            nd_json_begin_object(j);
            nd_json_kv_string(j, "product", s->product);
            echo(j, "contact_min", s->duration_s / 60.0);
            nd_json_kv_bool(j, "occluded", s->occluded);
            nd_json_end_object(j);
            break;
        case ND_STEP_WAIT:
            echo(j, "wait_min", s->duration_s / 60.0);
            break;
        default:
            echo(j, "occlusion_h", s->duration_s / 3600.0);
            break;
        }
        nd_json_end_object(j);
    }
    nd_json_end_array(j);
}

static void write_protocol(nd_json *j, const nd_scenario *sc)
{
    const nd_protocol *pr = &sc->protocol;
    nd_json_key(j, "protocol");
    nd_json_begin_object(j);
    if (pr->n_steps > 0)
        write_steps(j, pr);
    else
        write_numbing(j, &pr->numbing);
    echo(j, "jitter_mm", pr->jitter_m * 1e3);
    nd_json_kv_int(j, "sessions", pr->sessions);
    echo(j, "interval_days", pr->interval_s / 86400.0);
    echo(j, "follow_up_days", pr->follow_up_s / 86400.0);
    nd_json_key(j, "zones");
    nd_json_begin_array(j);
    for (int k = 0; k < pr->n_zones && k < ND_ZONE_COUNT; k++)
        write_zone_plan(j, &sc->device, &pr->zones[k]);
    nd_json_end_array(j);
    nd_json_end_object(j);
}

static void write_scenario(nd_json *j, const nd_scenario *sc)
{
    nd_json_key(j, "scenario");
    nd_json_begin_object(j);
    nd_json_kv_string(j, "name", sc->name);
    nd_json_kv_uint(j, "seed", sc->seed);
    write_patient(j, &sc->patient);
    write_device(j, &sc->device);
    write_protocol(j, sc);
    nd_json_key(j, "output");
    nd_json_begin_object(j);
    nd_json_kv_string(j, "dir", sc->output.dir);
    echo(j, "grid_mm", sc->output.grid_m * 1e3);
    nd_json_kv_bool(j, "raw_punctures", sc->output.raw_punctures);
    nd_json_kv_int(j, "tissue_sites", sc->output.tissue_sites);
    echo(j, "tissue_voxel_um", sc->output.tissue_voxel_m * 1e6);
    echo(j, "tissue_width_mm", sc->output.tissue_width_m * 1e3);
    nd_json_end_object(j);
    /* Overridden model parameters, in data/parameters.csv units. */
    nd_json_key(j, "model_parameters");
    nd_json_begin_object(j);
    for (int i = 0; i < sc->n_params; i++) echo(j, sc->params[i].name, sc->params[i].value);
    nd_json_end_object(j);
    nd_json_end_object(j);
}

/* Depths of a zone nobody punctured do not exist; null says so, where 0 would
 * read as "punctured to zero depth". */
static void depth_mm(nd_json *j, const char *key, double depth_m, uint64_t punctures)
{
    nd_json_key(j, key);
    if (punctures == 0)
        nd_json_null(j);
    else
        nd_json_number(j, depth_m * 1e3);
}

/* A read-out with its interval: key, key_lo, key_hi. */
static void interval(nd_json *j, const char *key, nd_interval v, double scale)
{
    char k[96];
    nd_json_kv_number(j, key, v.mid * scale);
    snprintf(k, sizeof k, "%s_lo", key);
    nd_json_kv_number(j, k, v.lo * scale);
    snprintf(k, sizeof k, "%s_hi", key);
    nd_json_kv_number(j, k, v.hi * scale);
}

static void write_outcome(nd_json *j, const nd_zone_outcome *o)
{
    nd_json_kv_number(j, "anesthesia_depth_mm", o->anesthesia_depth_m * 1e3);
    interval(j, "pain_vas", o->pain_vas, 1);
    nd_json_kv_number(j, "pain_vas_peak", o->pain_vas_peak);
    interval(j, "bleeding_points_per_cm2", o->bleeding_points_per_cm2, 1);
    interval(j, "bruising_risk", o->bruising_risk, 1);
    nd_json_kv_number(j, "erythema_peak", o->erythema_peak);
    nd_json_kv_number(j, "edema_peak", o->edema_peak);
    interval(j, "downtime_days", o->downtime_days, 1);
    nd_json_kv_number(j, "channel_half_life_h", o->channel_half_life_h);
    interval(j, "collagen_I_rel", o->collagen_I_rel, 1);
    interval(j, "collagen_III_rel", o->collagen_III_rel, 1);
    interval(j, "elastin_rel", o->elastin_rel, 1);
    interval(j, "pih_risk", o->pih_risk, 1);
    nd_json_kv_number(j, "topical_depth_mm", o->topical_depth_m * 1e3);
}

static void write_indications(nd_json *j, const nd_outcome_set *os)
{
    nd_json_key(j, "indications");
    nd_json_begin_object(j);
    int zone = nd_outcome_set_indication_zone(os);
    if (zone >= 0) nd_json_kv_string(j, "zone", nd_zone_name(zone));
    for (int i = 0; i < ND_INDICATION_COUNT; i++) {
        const nd_indication_result *r = nd_outcome_set_indication(os, i);
        if (!r) continue;
        nd_json_key(j, nd_indication_name(i));
        nd_json_begin_object(j);
        nd_json_kv_string(j, "measure", r->measure);
        nd_json_kv_string(j, "unit", r->unit);
        nd_json_kv_string(j, "evidence", r->evidence);
        if (r->has_value) {
            interval(j, "expected", r->value, 1);
        } else {
            nd_json_key(j, "expected");
            nd_json_null(j);
        }
        nd_json_kv_string(j, "source", r->source);
        nd_json_end_object(j);
    }
    nd_json_end_object(j);
}

static void write_zone_stats(nd_json *j, const nd_zone_stats *st, const nd_outcome_set *os)
{
    nd_json_key(j, nd_zone_name(st->zone));
    nd_json_begin_object(j);
    nd_json_kv_number(j, "area_cm2", st->area_cm2);
    nd_json_kv_uint(j, "strikes", st->strikes);
    nd_json_kv_uint(j, "punctures", st->punctures);
    nd_json_kv_number(j, "punctures_per_cm2", st->punctures_per_cm2);
    depth_mm(j, "depth_mean_mm", st->depth_mean_m, st->punctures);
    depth_mm(j, "depth_p95_mm", st->depth_p95_m, st->punctures);
    depth_mm(j, "depth_max_mm", st->depth_max_m, st->punctures);
    nd_json_key(j, "layer_fraction");
    nd_json_begin_object(j);
    for (int l = 0; l < ND_LAYER_COUNT; l++)
        nd_json_kv_number(j, nd_layer_name(l), st->layer_fraction[l]);
    nd_json_end_object(j);
    nd_json_kv_number(j, "coverage_fraction", st->coverage_fraction);
    nd_json_kv_number(j, "uniformity_cv", st->uniformity_cv);
    nd_json_kv_number(j, "repeat_fraction", st->repeat_fraction);
    nd_json_kv_number(j, "t_start_s", st->t_start_s);
    nd_json_kv_number(j, "t_end_s", st->t_end_s);
    const nd_zone_outcome *o = os ? nd_outcome_set_zone(os, st->zone) : NULL;
    if (o) write_outcome(j, o);
    nd_json_end_object(j);
}

nd_status nd_write_summary_json(const nd_run_view *run, FILE *out, nd_error *err)
{
    if (!run || !run->scenario || !run->field || !out)
        return nd_error_set(err, ND_ERR_INTERNAL, "summary.json: missing run data");
    const nd_scenario *sc = run->scenario;
    int nz = sc->protocol.n_zones;
    if (nz < 0 || nz > ND_ZONE_COUNT)
        return nd_error_set(err, ND_ERR_INTERNAL, "summary.json: %d zones in the protocol", nz);

    nd_zone_stats stats[ND_ZONE_COUNT];
    uint64_t strikes = 0, punctures = 0;
    double area_cm2 = 0.0, t_start = 0.0, t_end = 0.0;
    int any = 0;
    for (int k = 0; k < nz; k++) {
        nd_field_zone_stats(run->field, sc->protocol.zones[k].zone, &stats[k]);
        strikes += stats[k].strikes;
        punctures += stats[k].punctures;
        area_cm2 += stats[k].area_cm2;
        /* Needling time from the first strike to the last, pauses between
         * zones included; zones never struck have no times to count. */
        if (stats[k].strikes == 0) continue;
        if (!any || stats[k].t_start_s < t_start) t_start = stats[k].t_start_s;
        if (!any || stats[k].t_end_s > t_end) t_end = stats[k].t_end_s;
        any = 1;
    }

    nd_json j;
    nd_json_init(&j, out);
    nd_json_begin_object(&j);
    nd_json_kv_string(&j, "needle_version", ND_VERSION);
    write_scenario(&j, sc);

    nd_json_key(&j, "totals");
    nd_json_begin_object(&j);
    nd_json_kv_uint(&j, "strikes", strikes);
    nd_json_kv_uint(&j, "punctures", punctures);
    nd_json_kv_number(&j, "punctures_per_cm2", area_cm2 > 0.0 ? (double)punctures / area_cm2 : 0.0);
    nd_json_kv_number(&j, "area_cm2", area_cm2);
    nd_json_kv_number(&j, "session_duration_s", t_end - t_start);
    nd_json_end_object(&j);

    nd_json_key(&j, "zones");
    nd_json_begin_object(&j);
    for (int k = 0; k < nz; k++) write_zone_stats(&j, &stats[k], run->outcomes);
    nd_json_end_object(&j);
    if (run->outcomes) write_indications(&j, run->outcomes);
    nd_json_end_object(&j);

    switch (nd_json_finish(&j)) {
    case ND_JSON_OK:
        return ND_OK;
    case ND_JSON_EIO:
        return nd_error_set(err, ND_ERR_IO, "summary.json: write failed");
    default:
        break;
    }
    return nd_error_set(err, ND_ERR_INTERNAL,
                        "summary.json: malformed document (a zone or "
                        "layer without a name?)");
}
