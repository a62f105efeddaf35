/* Making a plan; see include/needle/planner.h and docs/planner.md.
 *
 * Per zone the search (search.c) gives, for every numbing option, the
 * candidate with the most collagen inside the limits.  One cream serves the
 * whole face, so the option is chosen for the plan: among those whose total
 * collagen is as good as the best (within the tie tolerance), the shortest
 * application whose analgesia reaches the deepest setting chosen; failing
 * that, the shortest one that is as good.  The chosen settings are then
 * simulated once more in treatment order, with the real timeline of the
 * session, and the plan is refused if that breaks a limit. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/planner_internal.h"

static const char *const ROMAN[7] = {"", "I", "II", "III", "IV", "V", "VI"};

/* snprintf for text that may be cut short at the buffer's end: messages and
 * reasons are read by people, and a long source is better cut than refused. */
static void textf(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void textf(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

void nd_plan_request_init(nd_plan_request *req, const nd_patient_record *patient, int indication)
{
    memset(req, 0, sizeof *req);
    req->patient = patient;
    req->indication = indication;
    req->max_downtime_days = -1;
    req->max_pain_vas = -1;
    req->seed = 1;
}

/* The zones of a request, checked. */
static nd_status request_zones(const nd_plan_request *req, int *zones, int *n, nd_error *err)
{
    *n = 0;
    if (req->n_zones == 0) {
        /* The full face: the neck is a separate area (face.h's full_face group). */
        *n = nd_zone_expand("full_face", zones);
        return *n > 0 ? ND_OK : nd_error_set(err, ND_ERR_INTERNAL, "no full_face group");
    }
    if (req->n_zones < 0 || req->n_zones > ND_ZONE_COUNT)
        return nd_error_set(err, ND_ERR_INPUT, "between 1 and %d zones, got %d", ND_ZONE_COUNT,
                            req->n_zones);
    for (int i = 0; i < req->n_zones; i++) {
        int z = req->zones[i];
        if (!nd_zone_name(z))
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "zones", "unknown zone %d", z);
        for (int j = 0; j < i; j++)
            if (req->zones[j] == z)
                return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "zones", "zone %s is named twice",
                                   nd_zone_name(z));
        zones[(*n)++] = z;
    }
    return ND_OK;
}

typedef struct {
    int zone;
    nd_plan_limit lim;
    nd_plan_candidate *c;
    int n;
    int pick[ND_PLAN_MAX_NUMBING];
} zone_search;

/* Which limit an infeasible candidate breaks, in words. */
static void breach(const nd_plan_context *ctx, const nd_plan_candidate *c, char *out, size_t size)
{
    const nd_plan_request *req = ctx->req;
    /* A value that rounds to the limit is said to be just over it. */
    if (req->max_pain_vas >= 0 && c->pain_vas > req->max_pain_vas)
        textf(out, size, "pain %.2f over your %g%s", c->pain_vas, req->max_pain_vas,
              c->pain_vas - req->max_pain_vas < 0.005 ? " (just over)" : "");
    else if (req->max_downtime_days >= 0 && c->downtime_days > req->max_downtime_days)
        textf(out, size, "downtime %.2f d over your %g d%s", c->downtime_days,
              req->max_downtime_days,
              c->downtime_days - req->max_downtime_days < 0.005 ? " (just over)" : "");
    else if (ctx->max_bleeding >= 0 && c->bleeding_points_per_cm2 > ctx->max_bleeding)
        textf(out, size, "%.0f bleeding points/cm2 over the %.0f %s tolerates",
              c->bleeding_points_per_cm2, ctx->max_bleeding, nd_indication_name(req->indication));
    else
        textf(out, size, "a numbing cream this plan cannot use");
}

/* The measure that holds the chosen candidate back, in words: "whose
 * downtime 1.8 d stays under your 2.0 d". */
static void held(const nd_plan_context *ctx, const nd_plan_candidate *c,
                 const nd_plan_candidate *over, char *out, size_t size)
{
    const nd_plan_request *req = ctx->req;
    if (req->max_pain_vas >= 0 && over->pain_vas > req->max_pain_vas)
        textf(out, size, "whose pain %.2f stays under your %g", c->pain_vas, req->max_pain_vas);
    else if (req->max_downtime_days >= 0 && over->downtime_days > req->max_downtime_days)
        textf(out, size, "whose downtime %.2f d stays under your %g d", c->downtime_days,
              req->max_downtime_days);
    else
        textf(out, size, "whose %.0f bleeding points/cm2 stay within the %.0f %s tolerates",
              c->bleeding_points_per_cm2, ctx->max_bleeding, nd_indication_name(req->indication));
}

static const char *plural(int n)
{
    return n == 1 ? "" : "es";
}

/* Why this setting, in plain words. */
static void reason(const nd_plan_context *ctx, const zone_search *zs, const nd_plan_candidate *c,
                   char *out, size_t size)
{
    const nd_plan_request *req = ctx->req;
    const char *zname = nd_zone_name(zs->zone);
    char depth[320], passes[200], why[160], lowered[160] = "";
    /* The next deeper depth and the next pass count among the candidates. */
    const nd_plan_candidate *deeper = NULL, *more = NULL;
    for (int i = 0; i < zs->n; i++) {
        const nd_plan_candidate *k = &zs->c[i];
        if (k->numbing != c->numbing) continue;
        if (k->passes == c->passes && k->depth_m > c->depth_m &&
            (!deeper || k->depth_m < deeper->depth_m))
            deeper = k;
        if (k->depth_m == c->depth_m && k->passes > c->passes &&
            (!more || k->passes < more->passes))
            more = k;
    }
    if (zs->lim.plan_m < zs->lim.zone_m - 1e-12)
        textf(lowered, sizeof lowered,
              ", lowered from %.2f mm for the acknowledged "
              "contraindications",
              zs->lim.zone_m * 1e3);
    else if (req->patient->fitzpatrick >= 4)
        textf(lowered, sizeof lowered, ", lowered for Fitzpatrick %s skin",
              ROMAN[req->patient->fitzpatrick]);
    if (req->depth_m[zs->zone] > 0) {
        textf(depth, sizeof depth, "%.2f mm as you fixed it, within the %s limit %.2f mm%s",
              c->depth_m * 1e3, zname, zs->lim.plan_m * 1e3, lowered);
    } else if (!deeper) {
        textf(depth, sizeof depth, "%.2f mm: deepest setting within the %s limit %.2f mm%s",
              c->depth_m * 1e3, zname, zs->lim.plan_m * 1e3, lowered);
    } else if (!deeper->feasible) {
        char b[160];
        held(ctx, c, deeper, why, sizeof why);
        breach(ctx, deeper, b, sizeof b);
        textf(depth, sizeof depth, "%.2f mm: deepest setting %s (%.2f mm: %s)", c->depth_m * 1e3,
              why, deeper->depth_m * 1e3, b);
    } else {
        /* Deeper needles pass the dermis into fat: no more dermis to wound. */
        textf(depth, sizeof depth,
              "%.2f mm: deeper settings wound under %.0f %% more dermis (the channels already "
              "reach its base) for more downtime (%.2f mm: %.1f d)",
              c->depth_m * 1e3, ctx->rules.tie * 100, deeper->depth_m * 1e3, deeper->downtime_days);
    }
    if (!more) {
        textf(passes, sizeof passes, "%d pass%s, the most %s", c->passes, plural(c->passes),
              ctx->max_passes > 0 ? "the acknowledged contraindications allow"
                                  : "the search weighs");
    } else if (!more->feasible) {
        char b[160];
        breach(ctx, more, b, sizeof b);
        textf(passes, sizeof passes, "%d pass%s (%d: %s)", c->passes, plural(c->passes),
              more->passes, b);
    } else {
        textf(passes, sizeof passes,
              "%d pass%s (more passes add under %.0f %% collagen: the healing stimulus is "
              "already saturated)",
              c->passes, plural(c->passes), ctx->rules.tie * 100);
    }
    textf(out, size, "%s; %s; collagen I x%.2f over %.2f mm of dermis by the end of follow-up",
          depth, passes, c->collagen_I_rel, c->dermal_depth_m * 1e3);
}

/* Why no plan keeps the limits: the zone and what its gentlest setting breaks. */
static nd_status refuse_infeasible(const nd_plan_context *ctx, const zone_search *zs, int nz,
                                   nd_error *err)
{
    int o = ctx->no_numbing ? 0 : ctx->grid.n_numbing - 1;
    for (int i = 0; i < nz; i++) {
        if (zs[i].pick[o] >= 0) continue;
        const char *zname = nd_zone_name(zs[i].zone);
        if (zs[i].n == 0)
            return nd_error_set(err, ND_ERR_SAFETY,
                                "refused: %s has no setting within this plan's limit of %.2f mm "
                                "(the zone's %.2f mm for Fitzpatrick %s, times %.2f for the "
                                "acknowledged contraindications); the shallowest candidate is "
                                "%.2f mm",
                                zname, zs[i].lim.plan_m * 1e3, zs[i].lim.zone_m * 1e3,
                                ROMAN[ctx->req->patient->fitzpatrick], ctx->depth_factor,
                                ctx->grid.depth_m[0] * 1e3);
        const nd_plan_candidate *g = NULL;
        for (int k = 0; k < zs[i].n; k++) {
            const nd_plan_candidate *c = &zs[i].c[k];
            if (c->numbing != o) continue;
            if (!g || c->depth_m < g->depth_m ||
                (c->depth_m == g->depth_m && c->passes < g->passes))
                g = c;
        }
        char b[160] = "";
        if (g) breach(ctx, g, b, sizeof b);
        return nd_error_set(
            err, ND_ERR_SAFETY,
            "refused: no setting for %s keeps within the limits; the gentlest "
            "(%.2f mm, %d pass%s%s) gives %s",
            zname, g ? g->depth_m * 1e3 : 0, g ? g->passes : 0, plural(g ? g->passes : 0),
            ctx->grid.numbing[o].cream == ND_CREAM_NONE ? ", no cream" : ", longest numbing", b);
    }
    return nd_error_set(err, ND_ERR_SAFETY,
                        "refused: no single numbing option keeps every zone within the limits");
}

/* Pick the plan's numbing option; -1 when none keeps every zone feasible. */
static int choose_numbing(const nd_plan_context *ctx, const zone_search *zs, int nz)
{
    const nd_plan_grid *g = &ctx->grid;
    double total[ND_PLAN_MAX_NUMBING], best = -INFINITY;
    int ok[ND_PLAN_MAX_NUMBING];
    for (int o = 0; o < g->n_numbing; o++) {
        ok[o] = 1;
        total[o] = 0;
        for (int i = 0; i < nz; i++) {
            if (zs[i].pick[o] < 0) {
                ok[o] = 0;
                break;
            }
            total[o] += zs[i].c[zs[i].pick[o]].collagen_mm;
        }
        if (ok[o] && total[o] > best) best = total[o];
    }
    int first = -1;
    for (int o = 0; o < g->n_numbing; o++) {
        if (!ok[o] || total[o] < best - ctx->rules.tie * fabs(best)) continue;
        if (first < 0) first = o;
        double deepest = 0;
        for (int i = 0; i < nz; i++) deepest = fmax(deepest, zs[i].c[zs[i].pick[o]].depth_m);
        double reach = nd_analgesia_depth(&ctx->mid, &g->numbing[o], g->numbing[o].application_s);
        if (reach >= deepest) return o;
    }
    return first;
}

static void warn(nd_plan *plan, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(nd_plan *plan, const char *fmt, ...)
{
    if (plan->n_warnings == ND_MAX_WARNINGS) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(plan->warnings[plan->n_warnings++], ND_WARNING_MAX, fmt, ap);
    va_end(ap);
}

/* Simulate the chosen settings in treatment order and fill the plan's zones;
 * refuse if the real timeline breaks a limit. */
static nd_status predict(nd_plan_context *ctx, const zone_search *zs, int nz, int o, nd_plan *plan,
                         nd_error *err)
{
    nd_scenario sc = ctx->base;
    sc.protocol.numbing = ctx->grid.numbing[o];
    double clock =
        sc.protocol.numbing.cream == ND_CREAM_NONE ? 0 : sc.protocol.numbing.application_s;
    nd_status st = ND_OK;
    for (int i = 0; i < nz && !st; i++) {
        const nd_plan_candidate *c = &zs[i].c[zs[i].pick[o]];
        nd_plan_zone *pz = &plan->zones[i];
        nd_outcome_input in;
        nd_zone_plan *zp = &sc.protocol.zones[0];
        sc.protocol.n_zones = 1;
        zp->zone = zs[i].zone;
        zp->passes = c->passes;
        zp->n_directions = c->passes < ND_DIR_COUNT ? c->passes : ND_DIR_COUNT;
        for (int d = 0; d < zp->n_directions; d++) zp->directions[d] = (nd_direction)d;
        if (nd_device_is_motorised(&sc.device))
            zp->depth_m = c->depth_m;
        else
            sc.device.needle_length_m = c->depth_m;
        if ((st = nd_patch_run(ctx->sim, &sc, &c->passes, 1, &in, NULL, err))) break;
        double span = in.t_end_s - in.t_start_s;
        in.t_start_s = clock;
        in.t_end_s = clock + span;
        clock += span;
        nd_zone_outcome z;
        if ((st = nd_outcome_zone(&ctx->mid, &ctx->lo, &ctx->hi, &sc, &in, &z, err))) break;
        memset(pz, 0, sizeof *pz);
        pz->zone = zs[i].zone;
        pz->depth_m = c->depth_m;
        pz->depth_limit_m = zs[i].lim.plan_m;
        pz->passes = c->passes;
        pz->n_directions = zp->n_directions;
        memcpy(pz->directions, zp->directions, sizeof pz->directions);
        pz->pain_vas = z.pain_vas.mid;
        pz->pain_vas_peak = z.pain_vas_peak;
        pz->bleeding_points_per_cm2 = z.bleeding_points_per_cm2.mid;
        pz->erythema_peak = z.erythema_peak;
        pz->downtime_days = z.downtime_days.mid;
        pz->collagen_I_rel = z.collagen_I_rel.mid;
        pz->pih_risk = z.pih_risk.mid;
        reason(ctx, &zs[i], c, pz->reason, sizeof pz->reason);
        /* The check every proposed depth goes through. */
        if ((st = nd_plan_check_zone(pz->zone, ctx->req->indication, ctx->req->patient->fitzpatrick,
                                     pz->depth_m, err)))
            break;
        nd_plan_candidate now = *c;
        now.pain_vas = pz->pain_vas;
        now.downtime_days = pz->downtime_days;
        now.bleeding_points_per_cm2 = pz->bleeding_points_per_cm2;
        const nd_plan_request *req = ctx->req;
        if ((req->max_pain_vas >= 0 && now.pain_vas > req->max_pain_vas) ||
            (req->max_downtime_days >= 0 && now.downtime_days > req->max_downtime_days) ||
            (ctx->max_bleeding >= 0 && now.bleeding_points_per_cm2 > ctx->max_bleeding)) {
            char b[160];
            breach(ctx, &now, b, sizeof b);
            st = nd_error_set(err, ND_ERR_SAFETY,
                              "refused: in the session's order %s is needled %.0f min after the "
                              "cream comes off and then gives %s",
                              nd_zone_name(pz->zone),
                              (in.t_start_s - sc.protocol.numbing.application_s) / 60.0, b);
        }
    }
    plan->n_zones = nz;
    return st;
}

static void add_warnings(const nd_plan_context *ctx, const nd_contraindication *cis, int n_cis,
                         const char *date, nd_plan *plan)
{
    const nd_plan_request *req = ctx->req;
    for (int i = 0; i < n_cis; i++)
        if (cis[i].cls == ND_CI_RELATIVE)
            warn(plan, "%s acknowledged (%s): %s", cis[i].code, cis[i].when, cis[i].effect);
    for (int a = 0; a < req->n_acknowledged; a++) {
        int found = 0;
        for (int i = 0; i < n_cis; i++) found |= !strcmp(cis[i].code, req->acknowledged[a]);
        if (!found)
            warn(plan, "acknowledged %s, which does not apply on %s: nothing was changed",
                 req->acknowledged[a], date);
    }
    int fitz = req->patient->fitzpatrick;
    if (fitz >= 4) {
        double pih = 0;
        for (int i = 0; i < plan->n_zones; i++) pih = fmax(pih, plan->zones[i].pih_risk);
        warn(plan,
             "Fitzpatrick %s: hyperpigmentation (PIH) risk up to %.0f %% over the series; depth "
             "limits lowered to %.0f %% (PIH rises with skin type and depth: Dogra 2014, 5 of "
             "36 type IV-V patients)",
             ROMAN[fitz], pih * 100, nd_plan_fitz_factor(&ctx->rules, fitz) * 100);
    }
    if (req->indication == ND_IND_PORES)
        warn(plan, "pores: no plain-microneedling outcome data exist (reference 6.2 gap); the "
                   "plan is judged on collagen alone");
    double deepest = 0;
    for (int i = 0; i < plan->n_zones; i++) deepest = fmax(deepest, plan->zones[i].depth_m);
    double reach = nd_analgesia_depth(&ctx->mid, &plan->numbing, plan->numbing.application_s);
    if (plan->numbing.cream != ND_CREAM_NONE && reach < deepest)
        warn(plan, "the numbing reaches %.2f mm, short of the deepest setting %.2f mm", reach * 1e3,
             deepest * 1e3);
}

nd_status nd_plan_make(const nd_plan_request *req, nd_plan *out, nd_error *err)
{
    memset(out, 0, sizeof *out);
    nd_plan_context ctx;
    nd_contraindication cis[ND_MAX_CONTRAINDICATIONS];
    int n_cis = 0, zones[ND_ZONE_COUNT], nz = 0;
    zone_search zs[ND_ZONE_COUNT];
    memset(zs, 0, sizeof zs);
    nd_status st = nd_plan_context_init(&ctx, req, cis, &n_cis, err);
    if (!st) st = request_zones(req, zones, &nz, err);
    /* Zones are searched independently (each on its own patch and random
     * streams), so they run in parallel and the result does not depend on
     * the number of threads; the first failure in zone order is reported. */
    nd_status zst[ND_ZONE_COUNT] = {ND_OK};
    nd_error zerr[ND_ZONE_COUNT];
    if (!st) {
#pragma omp parallel for schedule(dynamic, 1)
        for (int i = 0; i < nz; i++) {
            nd_error_clear(&zerr[i]);
            zs[i].zone = zones[i];
            zst[i] = nd_plan_context_limit(&ctx, zones[i], &zs[i].lim, &zerr[i]);
            if (!zst[i])
                zst[i] = nd_plan_zone_candidates(&ctx, zones[i], &zs[i].c, &zs[i].n, &zerr[i]);
            for (int o = 0; !zst[i] && o < ctx.grid.n_numbing; o++)
                zs[i].pick[o] = nd_plan_pick(zs[i].c, zs[i].n, o, ctx.rules.tie);
        }
        for (int i = 0; i < nz && !st; i++)
            if (zst[i]) {
                st = zst[i];
                if (err) *err = zerr[i];
            }
    }
    int o = -1;
    if (!st) {
        o = choose_numbing(&ctx, zs, nz);
        if (o < 0) st = refuse_infeasible(&ctx, zs, nz, err);
    }
    if (!st) {
        out->patient_id = req->patient->id;
        if (req->date[0])
            memcpy(out->created, req->date, sizeof out->created);
        else
            nd_date_today(out->created);
        textf(out->indication, sizeof out->indication, "%s", nd_indication_name(req->indication));
        out->device = ctx.base.device;
        out->numbing = ctx.grid.numbing[o];
        out->sessions = ctx.base.protocol.sessions;
        out->interval_s = ctx.base.protocol.interval_s;
        out->max_downtime_days = req->max_downtime_days;
        out->max_pain_vas = req->max_pain_vas;
        for (int i = 0; i < n_cis; i++) {
            int seen = 0;
            for (int a = 0; a < out->n_acknowledged; a++)
                seen |= !strcmp(out->acknowledged[a], cis[i].code);
            if (cis[i].cls == ND_CI_RELATIVE && !seen && out->n_acknowledged < ND_HX_COUNT)
                textf(out->acknowledged[out->n_acknowledged++], ND_CODE_MAX, "%s", cis[i].code);
        }
        st = predict(&ctx, zs, nz, o, out, err);
    }
    if (!st) add_warnings(&ctx, cis, n_cis, out->created, out);
    for (int i = 0; i < nz; i++) free(zs[i].c);
    nd_plan_context_free(&ctx);
    return st;
}
