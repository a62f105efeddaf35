/* The planner's parts, private to the library; see include/needle/planner.h
 * and docs/planner.md. */
#ifndef ND_PLANNER_INTERNAL_H
#define ND_PLANNER_INTERNAL_H

#include "needle/outcome.h"
#include "needle/planner.h"
#include "needle/protocol.h"

/* ---- Rules (data/plan_rules.csv, data/plan_indications.csv) ------------ */

typedef struct {
    double fitz_iv_v;    /* depth-limit factor for Fitzpatrick IV and V */
    double fitz_vi;      /* ... and for VI */
    double tie;          /* collagen gains closer than this share count as equal */
    double patch_side_m; /* side of the simulated square patch */
    double patch_cell_m; /* skin sampling cell inside the patch */
} nd_plan_rules;

nd_status nd_plan_rules_load(nd_plan_rules *r, nd_error *err);

/* The skin-type factor on every depth limit (1 for I-III). */
double nd_plan_fitz_factor(const nd_plan_rules *r, int fitzpatrick);

typedef struct {
    int sessions;
    double interval_s, follow_up_s;
    double max_bleeding; /* points per cm^2 per session; < 0: no cap */
    char series_source[512], bleeding_source[512];
} nd_plan_series;

nd_status nd_plan_series_load(int indication, nd_plan_series *s, nd_error *err);

/* ---- Candidate settings (data/plan_candidates.csv) ---------------------- */

#define ND_PLAN_MAX_DEPTHS  64
#define ND_PLAN_MAX_PASSES  16
#define ND_PLAN_MAX_NUMBING 8

typedef struct {
    int n_depth;
    double depth_m[ND_PLAN_MAX_DEPTHS]; /* ascending */
    int n_passes;
    int passes[ND_PLAN_MAX_PASSES]; /* ascending */
    int n_numbing;
    nd_numbing numbing[ND_PLAN_MAX_NUMBING]; /* [0]: none; then by application time */
} nd_plan_grid;

nd_status nd_plan_grid_load(nd_device_kind kind, nd_plan_grid *g, nd_error *err);

/* ---- Zone limits --------------------------------------------------------- */

/* The zone's limit before the skin-type factor, and its source. */
nd_status nd_plan_zone_base_limit(int zone, int indication, double *limit_m, char *source,
                                  unsigned long size, nd_error *err);

/* ---- Patch simulation ---------------------------------------------------- */

/* A patient's skin and the strike machinery, set up once per plan. */
typedef struct nd_patch_sim nd_patch_sim;

nd_status nd_patch_sim_create(const nd_scenario *sc, const nd_plan_rules *rules, nd_patch_sim **out,
                              nd_error *err);
void nd_patch_sim_free(nd_patch_sim *ps);

/* Needle a patch of the zone of sc's single zone plan (sc->protocol.zones[0],
 * whose passes is the most that will be asked for) and read it after each
 * number of passes in marks[0..n_marks) (ascending): in[k] holds the density,
 * depths and layers after marks[k] passes, with area_cm2 the whole zone's and
 * t_start_s, t_end_s the whole zone's needling in a session that starts with
 * the needling (no cream); dermal_m[k] (may be NULL) the mean length of
 * dermis a channel crosses. */
nd_status nd_patch_run(nd_patch_sim *ps, const nd_scenario *sc, const int *marks, int n_marks,
                       nd_outcome_input *in, double *dermal_m, nd_error *err);

/* ---- The search ------------------------------------------------------------ */

/* Everything the search needs for one plan. */
typedef struct {
    const nd_plan_request *req;
    nd_scenario base; /* patient, device, series; protocol.zones filled per zone */
    nd_plan_rules rules;
    nd_plan_series series;
    nd_plan_grid grid;
    nd_outcome_params mid, lo, hi;
    double max_bleeding;    /* after relative contraindications; < 0: no cap */
    double depth_factor;    /* product of the acknowledged relative factors */
    int max_passes;         /* -1: no cap */
    int no_numbing;         /* an acknowledged contraindication forbids the cream */
    double interval_factor; /* largest acknowledged factor */
    nd_patch_sim *sim;
} nd_plan_context;

/* Screen, load the rules and set up the simulation for a request (refusing
 * absolute and unacknowledged relative contraindications); free with
 * nd_plan_context_free.  cis receives what the screening found. */
nd_status nd_plan_context_init(nd_plan_context *ctx, const nd_plan_request *req,
                               nd_contraindication *cis, int *n_cis, nd_error *err);
void nd_plan_context_free(nd_plan_context *ctx);

/* A zone's limit in this plan: the zone limit, the skin-type factor and the
 * acknowledged contraindications' factor. */
typedef struct {
    double zone_m; /* the zone's limit for this indication and skin type */
    double plan_m; /* times the contraindications' depth factor */
    char source[ND_REASON_MAX];
} nd_plan_limit;

nd_status nd_plan_context_limit(const nd_plan_context *ctx, int zone, nd_plan_limit *lim,
                                nd_error *err);

/* Every candidate of one zone, for every numbing option: *out malloc'ed,
 * ordered by depth, then passes, then numbing option. */
nd_status nd_plan_zone_candidates(nd_plan_context *ctx, int zone, nd_plan_candidate **out, int *n,
                                  nd_error *err);

/* The search's choice among the feasible candidates with numbing option
 * numbing: the most collagen_mm; among those within tie (a share of the
 * best) of it, the least downtime, then pain, passes, depth.  -1: none. */
int nd_plan_pick(const nd_plan_candidate *c, int n, int numbing, double tie);

#endif
