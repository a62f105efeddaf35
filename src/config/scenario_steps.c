/* A session as a sequence of steps (protocol.steps): numbing, needling,
 * topical products, waits and occlusion, in any order.  Reading them from
 * YAML, the default sequence, and the checks of a filled list.
 *
 *   steps:
 *     - needling: {depth_mm: 0.25, passes: 1}      # a quick shallow pass first
 *     - numbing: {cream: lmx4, application_min: 20}
 *     - needling: {}                               # every zone as planned
 *     - topical: {product: hyaluronic_acid, contact_min: 20}
 *     - occlusion_h: 12
 *
 * One numbing cream and one topical product per session keep the read-outs
 * one column each; up to four needling steps. */
#include <stdio.h>
#include <string.h>

#include "config/scenario_load.h"
#include "config/suggest.h"
#include "needle/data.h"

static const char *const step_names[] = {"numbing",  "needling",    "topical",
                                         "wait_min", "occlusion_h", NULL};

const char *nd_step_kind_name(nd_step_kind kind)
{
    static const char *const names[] = {"numbing", "needling", "topical", "wait", "occlusion"};
    return (int)kind >= 0 && kind < ND_STEP_KIND_COUNT ? names[kind] : "unknown";
}

int nd_protocol_steps(const nd_protocol *p, nd_step *out)
{
    if (p->n_steps > 0) {
        int n = p->n_steps < ND_MAX_STEPS ? p->n_steps : ND_MAX_STEPS;
        memcpy(out, p->steps, sizeof *out * (size_t)n);
        return n;
    }
    int n = 0;
    if (p->numbing.cream != ND_CREAM_NONE) {
        memset(&out[n], 0, sizeof out[n]);
        out[n].kind = ND_STEP_NUMBING;
        out[n++].duration_s = p->numbing.application_s;
    }
    memset(&out[n], 0, sizeof out[n]);
    out[n++].kind = ND_STEP_NEEDLING;
    return n;
}

/* Ranges in file units; the reasons are in the messages. */
#define WAIT_MAX_MIN      240.0
#define CONTACT_MIN_MIN   0.5
#define CONTACT_MAX_MIN   240.0
#define OCCLUSION_MIN_H   0.5
#define OCCLUSION_MAX_H   72.0 /* the Brogden group's patches were worn up to 3 days */
#define STEP_PASSES_MAX   50
#define STEP_DEPTH_MIN_MM 0.05
#define STEP_DEPTH_MAX_MM 3.0

static nd_status read_range(nd_loader *L, const nd_ynode *v, const char *path, double lo, double hi,
                            const char *unit, int whole, double *out)
{
    nd_status st = nd_yread_number(&L->r, v, path, whole, out);
    if (st) return st;
    if (*out < lo || *out > hi)
        return nd_yfail(&L->r, v, path, "must be between %g and %g%s%s, found %g", lo, hi,
                        unit[0] ? " " : "", unit, *out);
    return ND_OK;
}

/* zones: [names or groups], each one the protocol plans. */
static nd_status read_step_zones(nd_loader *L, const nd_ynode *v, const char *path, nd_step *s)
{
    if (!nd_ynode_is_sequence(v) || nd_ynode_size(v) == 0) {
        char found[128];
        nd_ynode_describe(v, found, sizeof found);
        return nd_yfail(&L->r, v, path,
                        "expected a list of zones such as [forehead, cheeks], found %s", found);
    }
    for (size_t i = 0; i < nd_ynode_size(v); i++) {
        char ipath[ND_ERROR_FIELD_MAX + 24];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        const nd_ynode *item = nd_yseq_item(L->r.doc, v, i);
        char name[ND_NAME_MAX];
        nd_status st = nd_yread_text(&L->r, item, ipath, name, sizeof name);
        if (st) return st;
        int ids[ND_ZONE_COUNT];
        int n = nd_zone_expand(name, ids);
        if (n <= 0) {
            const char *near = nd_suggest(name, nd_zone_all_names());
            if (near)
                return nd_yfail(&L->r, item, ipath, "unknown zone '%s'; did you mean '%s'?", name,
                                near);
            return nd_yfail(&L->r, item, ipath, "unknown zone '%s'", name);
        }
        for (int j = 0; j < n; j++) s->zone_mask |= 1u << ids[j];
    }
    return ND_OK;
}

static nd_status read_needling(nd_loader *L, const nd_ynode *m, const char *path, nd_step *s)
{
    if (nd_ynode_is_null(m)) return ND_OK; /* "- needling:" alone: every zone as planned */
    if (!nd_ynode_is_mapping(m)) {
        char found[128];
        nd_ynode_describe(m, found, sizeof found);
        return nd_yfail(&L->r, m, path,
                        "expected a mapping such as {} or {depth_mm: 0.25, passes: 1}, found %s",
                        found);
    }
    static const char *const keys[] = {"zones", "depth_mm", "passes", NULL};
    nd_status st = nd_ycheck_keys(&L->r, m, path, keys, NULL);
    if (st) return st;
    const nd_ynode *v;
    char fpath[ND_ERROR_FIELD_MAX];
    if ((v = nd_ymap_get(L->r.doc, m, "zones"))) {
        nd_ypath(fpath, sizeof fpath, path, "zones");
        if ((st = read_step_zones(L, v, fpath, s))) return st;
    }
    if ((v = nd_ymap_get(L->r.doc, m, "depth_mm"))) {
        nd_ypath(fpath, sizeof fpath, path, "depth_mm");
        if (!nd_device_is_motorised(&L->sc->device))
            return nd_yfail(&L->r, v, fpath,
                            "not allowed for %s: it reaches at most its needle length, so a step "
                            "cannot set its depth",
                            nd_kind_article(L->sc->device.kind));
        double mm;
        if ((st = read_range(L, v, fpath, STEP_DEPTH_MIN_MM, STEP_DEPTH_MAX_MM, "mm", 0, &mm)))
            return st;
        s->depth_m = mm * 1e-3;
    }
    if ((v = nd_ymap_get(L->r.doc, m, "passes"))) {
        nd_ypath(fpath, sizeof fpath, path, "passes");
        double n;
        if ((st = read_range(L, v, fpath, 1, STEP_PASSES_MAX, "", 1, &n))) return st;
        s->passes = (int)n;
    }
    return ND_OK;
}

static nd_status read_topical(nd_loader *L, const nd_ynode *m, const char *path, nd_step *s)
{
    if (!nd_ynode_is_mapping(m)) {
        char found[128];
        nd_ynode_describe(m, found, sizeof found);
        return nd_yfail(&L->r, m, path,
                        "expected a mapping such as {product: hyaluronic_acid, contact_min: 20}, "
                        "found %s",
                        found);
    }
    static const char *const keys[] = {"product", "contact_min", "occluded", NULL};
    nd_status st = nd_ycheck_keys(&L->r, m, path, keys, NULL);
    if (st) return st;
    char fpath[ND_ERROR_FIELD_MAX];
    const nd_ynode *v = nd_ymap_get(L->r.doc, m, "product");
    nd_ypath(fpath, sizeof fpath, path, "product");
    if (!v) return nd_yfail(&L->r, m, fpath, "missing; name a product of data/topicals.csv");
    if ((st = nd_yread_text(&L->r, v, fpath, s->product, sizeof s->product))) return st;
    nd_table *t;
    if ((st = nd_table_load("topicals.csv", &t, L->r.err))) return st;
    int known = nd_table_find(t, "name", s->product) >= 0;
    if (!known) {
        const char *names[32];
        size_t n = nd_table_rows(t) < 31 ? nd_table_rows(t) : 31;
        int col = nd_table_column(t, "name");
        for (size_t i = 0; i < n; i++) names[i] = nd_table_cell(t, i, col);
        names[n] = NULL;
        char list[400];
        nd_join_names(names, list, sizeof list);
        const char *near = nd_suggest(s->product, names);
        char hint[ND_NAME_MAX + 40] = "";
        if (near) snprintf(hint, sizeof hint, "did you mean '%s'? ", near);
        st = nd_yfail(&L->r, v, fpath, "unknown product '%s'; %sexpected one of %s", s->product,
                      hint, list);
    }
    nd_table_free(t);
    if (st) return st;
    v = nd_ymap_get(L->r.doc, m, "contact_min");
    nd_ypath(fpath, sizeof fpath, path, "contact_min");
    if (!v) return nd_yfail(&L->r, m, fpath, "missing; how long the product stays on the skin");
    double min;
    if ((st = read_range(L, v, fpath, CONTACT_MIN_MIN, CONTACT_MAX_MIN, "min", 0, &min))) return st;
    s->duration_s = min * 60;
    if ((v = nd_ymap_get(L->r.doc, m, "occluded"))) {
        nd_ypath(fpath, sizeof fpath, path, "occluded");
        if ((st = nd_yread_bool(&L->r, v, fpath, &s->occluded))) return st;
    }
    return ND_OK;
}

static nd_status read_step(nd_loader *L, const nd_ynode *item, const char *path, nd_step *s,
                           int counts[ND_STEP_KIND_COUNT])
{
    if (!nd_ynode_is_mapping(item) || nd_ynode_size(item) != 1) {
        char found[128];
        nd_ynode_describe(item, found, sizeof found);
        return nd_yfail(&L->r, item, path,
                        "expected one step such as '- needling: {}', '- wait_min: 10' or "
                        "'- numbing: {cream: emla, application_min: 45}', found %s",
                        found);
    }
    nd_status st = nd_ycheck_keys(&L->r, item, path, step_names, nd_key_home);
    if (st) return st;
    const char *key = nd_ynode_text(nd_ymap_key(L->r.doc, item, 0));
    const nd_ynode *v = nd_ymap_value(L->r.doc, item, 0);
    char kpath[ND_ERROR_FIELD_MAX];
    nd_ypath(kpath, sizeof kpath, path, key);
    memset(s, 0, sizeof *s);
    double x;
    if (!strcmp(key, "numbing")) {
        s->kind = ND_STEP_NUMBING;
        if (counts[ND_STEP_NUMBING])
            return nd_yfail(&L->r, item, kpath,
                            "a session has one numbing step; put the cream on once and give it "
                            "the time it needs (application_min)");
        if (!nd_ynode_is_mapping(v))
            return nd_yfail(&L->r, v, kpath,
                            "expected a mapping such as {cream: emla, application_min: 45}");
        if ((st = nd_load_numbing_map(L, v, kpath))) return st;
        if (L->sc->protocol.numbing.cream == ND_CREAM_NONE)
            return nd_yfail(&L->r, v, kpath,
                            "a numbing step needs a cream (emla, lmx4 or blt); leave the step out "
                            "to needle without one");
        s->duration_s = L->sc->protocol.numbing.application_s;
    } else if (!strcmp(key, "needling")) {
        s->kind = ND_STEP_NEEDLING;
        if (counts[ND_STEP_NEEDLING] == ND_MAX_NEEDLING_STEPS)
            return nd_yfail(&L->r, item, kpath, "at most %d needling steps in a session",
                            ND_MAX_NEEDLING_STEPS);
        if ((st = read_needling(L, v, kpath, s))) return st;
    } else if (!strcmp(key, "topical")) {
        s->kind = ND_STEP_TOPICAL;
        if (counts[ND_STEP_TOPICAL])
            return nd_yfail(&L->r, item, kpath, "a session has at most one topical step");
        if ((st = read_topical(L, v, kpath, s))) return st;
    } else if (!strcmp(key, "wait_min")) {
        s->kind = ND_STEP_WAIT;
        if ((st = read_range(L, v, kpath, 0, WAIT_MAX_MIN, "min", 0, &x))) return st;
        s->duration_s = x * 60;
    } else {
        s->kind = ND_STEP_OCCLUSION;
        if ((st = read_range(L, v, kpath, OCCLUSION_MIN_H, OCCLUSION_MAX_H, "h", 0, &x))) return st;
        s->duration_s = x * 3600;
    }
    counts[s->kind]++;
    return ND_OK;
}

nd_status nd_load_steps(nd_loader *L, const nd_ynode *protocol)
{
    const nd_ynode *k = nd_ymap_get_key(L->r.doc, protocol, "steps");
    if (!k) return ND_OK;
    const nd_ynode *v = nd_ymap_get(L->r.doc, protocol, "steps");
    const nd_ynode *nk = nd_ymap_get_key(L->r.doc, protocol, "numbing");
    if (nk)
        return nd_yfail(&L->r, nk, "protocol.numbing",
                        "with protocol.steps the numbing cream is a step; move it into the list "
                        "(- numbing: {...}) where it happens");
    if (!nd_ynode_is_sequence(v) || nd_ynode_size(v) == 0) {
        char found[128];
        nd_ynode_describe(v, found, sizeof found);
        return nd_yfail(&L->r, v, "protocol.steps",
                        "expected a list of steps (- numbing: {...}, - needling: {}), found %s",
                        found);
    }
    size_t n = nd_ynode_size(v);
    if (n > ND_MAX_STEPS)
        return nd_yfail(&L->r, v, "protocol.steps", "at most %d steps in a session, found %zu",
                        ND_MAX_STEPS, n);
    int counts[ND_STEP_KIND_COUNT] = {0};
    nd_protocol *pr = &L->sc->protocol;
    for (size_t i = 0; i < n; i++) {
        char path[ND_ERROR_FIELD_MAX];
        snprintf(path, sizeof path, "protocol.steps[%zu]", i);
        const nd_ynode *item = nd_yseq_item(L->r.doc, v, i);
        nd_status st = read_step(L, item, path, &pr->steps[i], counts);
        if (st) return st;
        L->map->step[i] = nd_loc_of(item);
    }
    pr->n_steps = (int)n;
    if (!counts[ND_STEP_NEEDLING])
        return nd_yfail(&L->r, v, "protocol.steps",
                        "no needling step; a session needles at least once (- needling: {})");
    return ND_OK;
}

/* The zones a needling step treats must be planned, and the step's depth must
 * fit the device's stroke like any zone's. */
nd_status nd_steps_check(const nd_scenario *sc, const nd_scenario_map *map, nd_error *err)
{
    const nd_protocol *pr = &sc->protocol;
    if (pr->n_steps < 0 || pr->n_steps > ND_MAX_STEPS)
        return nd_error_at(err, ND_ERR_INPUT, sc->source, 0, 0, "protocol.steps",
                           "must list 0 to %d steps, found %d", ND_MAX_STEPS, pr->n_steps);
    unsigned planned = 0;
    for (int i = 0; i < pr->n_zones; i++) planned |= 1u << pr->zones[i].zone;
    int counts[ND_STEP_KIND_COUNT] = {0};
    for (int i = 0; i < pr->n_steps; i++) {
        const nd_step *s = &pr->steps[i];
        nd_loc at = map ? map->step[i] : (nd_loc){0, 0};
        char path[ND_ERROR_FIELD_MAX];
        snprintf(path, sizeof path, "protocol.steps[%d]", i);
#define FAIL(...) nd_error_at(err, ND_ERR_INPUT, sc->source, at.line, at.column, path, __VA_ARGS__)
        if ((int)s->kind < 0 || s->kind >= ND_STEP_KIND_COUNT)
            return FAIL("unknown step kind %d", (int)s->kind);
        counts[s->kind]++;
        if (s->duration_s < 0) return FAIL("duration must not be negative");
        if (s->kind == ND_STEP_NEEDLING) {
            unsigned extra = s->zone_mask & ~planned;
            for (int z = 0; z < ND_ZONE_COUNT; z++)
                if (extra & (1u << z))
                    return FAIL("needles %s, which protocol.zones does not plan; add it there "
                                "with its settings",
                                nd_zone_name(z));
            if (s->depth_m > 0 && s->depth_m > sc->device.motor_stroke_m)
                return FAIL("depth_mm %g is beyond the device's motor stroke (%g mm)",
                            s->depth_m * 1e3, sc->device.motor_stroke_m * 1e3);
        }
        if (s->kind == ND_STEP_NUMBING && sc->protocol.numbing.cream == ND_CREAM_NONE)
            return FAIL("a numbing step needs a cream");
        if (s->kind == ND_STEP_TOPICAL && !s->product[0])
            return FAIL("a topical step needs a product");
#undef FAIL
    }
    if (pr->n_steps > 0 &&
        (!counts[ND_STEP_NEEDLING] || counts[ND_STEP_NEEDLING] > ND_MAX_NEEDLING_STEPS ||
         counts[ND_STEP_NUMBING] > 1 || counts[ND_STEP_TOPICAL] > 1))
        return nd_error_at(err, ND_ERR_INPUT, sc->source, 0, 0, "protocol.steps",
                           "needs 1 to %d needling steps, at most one numbing and one topical "
                           "step",
                           ND_MAX_NEEDLING_STEPS);
    if (pr->n_steps > 0 && pr->numbing.cream != ND_CREAM_NONE && !counts[ND_STEP_NUMBING])
        return nd_error_at(err, ND_ERR_INPUT, sc->source, 0, 0, "protocol.steps",
                           "names a numbing cream but has no numbing step");
    return ND_OK;
}
