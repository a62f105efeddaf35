/*
 * needle — the tissue solver: a 3-D voxel micro-volume at one site of the skin.
 *
 * A box of nx x ny x nz cubic voxels of edge h, its top face the skin surface,
 * deep enough to reach the fat, is cut into the site's layers (stratum corneum,
 * viable epidermis, papillary and reticular dermis, fat) and seeded with the
 * site's punctures: each is an open channel of the needle's diameter down to
 * the depth it reached.  Species live on the voxels, one contiguous array each:
 *
 *   agent       a topical agent (an anaesthetic cream), in the unit of the
 *               surface concentration C0: the concentration of the vehicle it
 *               would be in equilibrium with (tissue holds partition x this)
 *   blood       extravasated blood, volume fraction of the voxel
 *   signal      the wound signal (1 = a freshly wounded voxel: damaged, or in
 *               the dermis within the wound radius of a new channel)
 *   fibroblast  fibroblast activity above baseline (relative)
 *   openness    channel openness, 0 (sealed or no channel) .. 1 (fully open)
 *   collagen1, collagen3, elastin   above baseline (relative)
 *
 * Each species diffuses with a layer-dependent diffusivity (the stratum
 * corneum is the barrier; an open channel is a fast path whose diffusivity
 * grows with its openness) and follows linear first-order kinetics per layer:
 * clearance by dermal blood flow, closure of channels, the chain from blood and
 * damage to signal, fibroblasts and matrix (the lumped healing model's time
 * constants, docs/model.md 9.5).  A surface concentration can be
 * held on the top face (a cream on the skin) and removed; every other face is
 * no-flux, or the lateral faces periodic.
 *
 * Numerics (docs/model.md, section 8): a stabilising-correction (Douglas)
 * step -- the explicit increment, corrected by backward-Euler Thomas solves
 * along x, z and y lines and by the exact propagator of the kinetics -- which
 * keeps steady states exact for any step, made second order and error
 * controlled by step doubling with local extrapolation.  Stable from seconds
 * to months; the same bits for any number of threads.  SI units throughout.
 */
#ifndef NEEDLE_TISSUE_H
#define NEEDLE_TISSUE_H

#include <stdint.h>

#include "needle/data.h"
#include "needle/field.h"
#include "needle/skin.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ND_TISSUE_AGENT,
    ND_TISSUE_BLOOD,
    ND_TISSUE_SIGNAL,
    ND_TISSUE_FIBROBLAST,
    ND_TISSUE_OPENNESS,
    ND_TISSUE_COLLAGEN1,
    ND_TISSUE_COLLAGEN3,
    ND_TISSUE_ELASTIN,
    ND_TISSUE_SERUM, /* a product put on after needling (nd_tissue_params_serum) */
    ND_TISSUE_SPECIES
} nd_tissue_species;

/* "agent", "blood", "signal", "fibroblast", "openness", "collagen1", "collagen3",
 * "elastin", "serum"; NULL for anything else. */
const char *nd_tissue_species_name(int species);

/* Model constants.  nd_tissue_params_load fills them from
 * data/tissue_parameters.csv; a caller may change any of them before
 * nd_tissue_create. */
typedef struct {
    /* Diffusivity in each layer (m^2/s); 0 means the species does not move. */
    double diffusivity_m2_s[ND_TISSUE_SPECIES][ND_LAYER_COUNT];
    /* Tissue/vehicle partition coefficient in each layer (1 = none).  The
     * stored value u is the vehicle-equivalent concentration; the amount in a
     * voxel is partition x u x h^3, and the flux is -partition D grad u. */
    double partition[ND_TISSUE_SPECIES][ND_LAYER_COUNT];
    /* Diffusivity in a fully open channel (fluid-filled; partition 1). */
    double channel_diffusivity_m2_s[ND_TISSUE_SPECIES];
    /* Linear kinetics per layer: d u[to]/dt += rate[layer][to][from] u[from]
     * (1/s).  Diagonal entries are losses (negative).  The openness diagonal is
     * set from closure_half_life_s and need not be given here. */
    double rate_per_s[ND_LAYER_COUNT][ND_TISSUE_SPECIES][ND_TISSUE_SPECIES];
    /* What a puncture leaves in each channel voxel, per layer, per unit of
     * channel volume: extravasated blood (volume fraction) and signal. */
    double blood_release[ND_LAYER_COUNT];
    double signal_release[ND_LAYER_COUNT];
    /* First-order channel closure: half-life without and with occlusion (s).
     * The solver starts with closure_half_life_s (nd_tissue_set_closure_half_life
     * changes it); the occluded value is carried for callers. */
    double closure_half_life_s;
    double closure_half_life_occluded_s;
    /* Agent concentration (share of the cream's C0) that blocks pain: the
     * depth of analgesia is where the agent reaches it. */
    double analgesic_threshold;
    /* A puncture into the dermis sets the wound signal to 1 in the dermis
     * within this distance of its channel (0: only in the channel). */
    double wound_radius_m;
} nd_tissue_params;

/* data/tissue_parameters.csv with overrides (names of that table) applied;
 * ov may be NULL when n is 0.  An unknown name, or a value outside the row's
 * documented low..high range, is ND_ERR_INPUT. */
nd_status nd_tissue_params_load(const nd_param_override *ov, int n, nd_tissue_params *out,
                                nd_error *err);

/* Lidocaine base, C14H22N2O (g/mol): the reference size from which a
 * product's mobility is scaled (data/topicals.csv), here and in the lumped
 * topical model. */
#define ND_LIDOCAINE_G_MOL 234.3

/* Make the serum species a product of the given molar mass (data/topicals.csv):
 * it moves as the agent does, slowed by its size (Stokes-Einstein: D ~
 * 1 / radius ~ molar mass^(-1/3), from lidocaine's 234.3 g/mol), is cleared
 * as the agent is, partitions into no layer, and cannot cross the intact
 * stratum corneum -- a serum's way in is the channels, as in the lumped
 * model (docs/model.md 9.1).  nd_tissue_params_load leaves the serum still
 * (it never moves or reacts). */
void nd_tissue_params_serum(nd_tissue_params *p, double molar_mass_g_mol);

/* Set the healing chain (signal -> fibroblasts -> collagen III, collagen I,
 * elastin in the dermis) and the wound radius from the lumped model's
 * parameters: params is data/parameters.csv as loaded by nd_params_load
 * (with a scenario's overrides), or NULL for the table as it stands.
 * nd_tissue_params_load calls it with NULL. */
nd_status nd_tissue_params_healing(const nd_table *params, nd_tissue_params *p, nd_error *err);

/* How the solver steps. */
typedef struct {
    int threads;  /* OpenMP threads; 0: the runtime's default */
    int periodic; /* 1: lateral faces periodic (nx, ny >= 3); 0: no flux */
    int order;    /* 2: step doubling with local extrapolation; 1: keep the two half steps */
    double rtol;  /* local error tolerance per step, relative to the value */
    double atol[ND_TISSUE_SPECIES]; /* absolute tolerance; 0: 1e-4 of the species' scale */
    double dt_initial_s;            /* first step, and the step after any event */
    double dt_max_s;                /* 0: no limit */
    double dt_min_s;                /* a step that must shrink below this fails */
    double fixed_dt_s; /* > 0: no error control; order 1 takes plain steps of this size,
                          order 2 extrapolated ones */
} nd_tissue_options;

/* threads 0, no flux, order 2, rtol 1e-3, atol automatic, first step 0.1 s,
 * no maximum, minimum 1e-9 s, adaptive. */
void nd_tissue_options_default(nd_tissue_options *o);

/* The volume.  x and y run 0 .. nx h and 0 .. ny h; depth z from 0 (surface)
 * to nz h, nz = ceil(depth_m / voxel_m).  Voxel (i, j, k) is element
 * i + nx (j + ny k) of every species array. */
typedef struct {
    int nx, ny;
    double voxel_m;
    double depth_m;
    nd_layer_bounds bounds; /* the site's layer boundaries (skin.h) */
} nd_tissue_geometry;

typedef struct nd_tissue nd_tissue;

/* o may be NULL for the defaults.  Every species starts at zero. */
nd_status nd_tissue_create(const nd_tissue_geometry *g, const nd_tissue_params *p,
                           const nd_tissue_options *o, nd_tissue **out, nd_error *err);
void nd_tissue_free(nd_tissue *t);

/* Size of the volume: voxels along x, y, z, and the voxel edge (m). */
void nd_tissue_size(const nd_tissue *t, int *nx, int *ny, int *nz, double *voxel_m);
/* Layer holding the centre of voxel level k (0 = top). */
int nd_tissue_layer(const nd_tissue *t, int k);

/* One puncture, made at the current time. */
typedef struct {
    double x_m, y_m;   /* centre, inside 0 .. nx h and 0 .. ny h */
    double depth_m;    /* depth reached, inside the volume */
    double diameter_m; /* channel diameter */
} nd_tissue_puncture;

/* Open the channels (openness = share of each voxel inside the channel, the
 * larger of that and what it was), leave blood and signal in them, and set
 * the wound signal to 1 in the dermis within the wound radius of each. */
nd_status nd_tissue_puncture_add(nd_tissue *t, const nd_tissue_puncture *p, int n, nd_error *err);

/* Hold species at c0 on the top face (on = 1: a cream applied), or return that
 * face to no flux (on = 0: removed). */
nd_status nd_tissue_set_surface(nd_tissue *t, int species, int on, double c0, nd_error *err);

/* Channel closure half-life from now on (s), e.g. when occlusion starts or ends. */
nd_status nd_tissue_set_closure_half_life(nd_tissue *t, double half_life_s, nd_error *err);

/* Advance to time t_end_s (s since creation), landing on it exactly. */
nd_status nd_tissue_run_to(nd_tissue *t, double t_end_s, nd_error *err);
double nd_tissue_time(const nd_tissue *t);

/* A species' nx ny nz values.  The pointer is valid until the next
 * nd_tissue_run_to (a step may hand the species a new array). */
const double *nd_tissue_data(const nd_tissue *t, int species);
/* Writable, to set an initial condition; the next step restarts at dt_initial_s. */
double *nd_tissue_data_mut(nd_tissue *t, int species);

/* Amount in the volume: h^3 sum of partition x u (for the agent, the unit of
 * C0 times m^3).  The same bits for any thread count. */
double nd_tissue_total(const nd_tissue *t, int species);

/* Depth (m) of the deepest point where the species is at or above threshold,
 * in the column holding (x_m, y_m), interpolated linearly between voxel
 * centres (and from the centre of the top voxel to the surface); 0 when
 * it is below threshold everywhere. */
double nd_tissue_depth_above(const nd_tissue *t, int species, double threshold, double x_m,
                             double y_m);
/* The same on the laterally averaged profile. */
double nd_tissue_mean_depth_above(const nd_tissue *t, int species, double threshold);
/* Median over the volume's columns of nd_tissue_depth_above: the depth that
 * half the points of the surface are covered to. */
double nd_tissue_median_depth_above(const nd_tissue *t, int species, double threshold);
/* Laterally averaged profile: nz values, top first. */
void nd_tissue_mean_profile(const nd_tissue *t, int species, double *out);
/* Mean of a species over the papillary and reticular dermis (each voxel
 * weighted by its share of dermis); 0 when the volume has no dermis. */
double nd_tissue_dermal_mean(const nd_tissue *t, int species);

/* Open-channel fraction: summed openness over summed openness at puncture
 * (1 just after a puncture, falling as channels close; 0 with no channel). */
double nd_tissue_open_fraction(const nd_tissue *t);

/* What the stepper did since creation. */
typedef struct {
    uint64_t steps;             /* accepted steps */
    uint64_t rejected;          /* steps retried with a smaller dt */
    uint64_t substeps;          /* backward-Euler sweep sets (3 per adaptive attempt) */
    uint64_t voxel_updates;     /* voxels x stepped species x accepted steps */
    uint64_t diffusing_updates; /* the same for the species that diffuse */
    double bytes_streamed;      /* array bytes read + written by the sweeps (model count) */
    double dt_last_s;           /* last accepted step */
    double dt_next_s;           /* step the controller will try next */
} nd_tissue_stats;

void nd_tissue_stats_get(const nd_tissue *t, nd_tissue_stats *out);

/*
 * Sample sites: one micro-volume of a zone run through a whole series, from
 * the first cream to the end of follow-up, with the punctures that fell in
 * it (src/tissue/tissue_site.c, docs/model.md 8.3).
 *
 * The window is a square of the zone (x0, y0 its lower corner on the face
 * map, width its side) with periodic sides: it stands for a zone whose
 * punctures are spread alike, so what leaves one side enters the other and a
 * wound near an edge reaches across it.  Its depth reaches into the fat.
 */
typedef enum {
    ND_SITE_TOPICAL_ON,    /* a cream or serum goes on: the agent is held at c0 on the surface */
    ND_SITE_TOPICAL_OFF,   /* wiped off */
    ND_SITE_OCCLUSION_ON,  /* a dressing: channels close at the occluded half-life */
    ND_SITE_OCCLUSION_OFF, /* open to the air again */
    ND_SITE_SERUM_ON,      /* a serum goes on: the serum held at c0 on the surface */
    ND_SITE_SERUM_OFF,     /* wiped off or absorbed */
    ND_SITE_EVENT_KINDS
} nd_site_event_kind;

typedef struct {
    double t_s; /* from the start of the series */
    nd_site_event_kind kind;
    double c0; /* ND_SITE_TOPICAL_ON: concentration in the unit of the calibrated cream (EMLA);
                  ND_SITE_SERUM_ON: in the serum's own unit */
} nd_site_event;

typedef struct {
    double t_s;        /* from the start of the series */
    double x_m, y_m;   /* on the face map, inside the window */
    double depth_m;    /* depth reached */
    double diameter_m; /* channel diameter */
} nd_site_puncture;

typedef struct {
    nd_layer_bounds bounds; /* the site's layers */
    double x0_m, y0_m, width_m;
    double voxel_m;                      /* 0: 20 um */
    double depth_m;                      /* 0: 0.3 mm below the reticular dermis */
    double closure_half_life_s;          /* 0: the parameters' open half-life */
    double closure_half_life_occluded_s; /* 0: the parameters' occluded half-life */
    int threads;                         /* 0: 1 (sites are run side by side) */
    double rtol;                         /* 0: 1e-2 (the read-outs are window means) */
    /* With no cream on, the agent is dropped (set to zero) once it is below
     * this share of the analgesic threshold everywhere, and a serum alike
     * once it is off: 0: 0.25; < 0: never (docs/model.md 8.3). */
    double agent_drop_fraction;
    /* The serum's molar mass (nd_tissue_params_serum); 0: no serum, and
     * ND_SITE_SERUM_ON is refused. */
    double serum_molar_mass_g_mol;
} nd_site_spec;

/* The state of a site at one sample time. */
typedef struct {
    double time_s;
    /* Depth of analgesia: the median over the window's columns of the depth
     * where the agent is at or above the analgesic threshold (capped at the
     * volume's depth). */
    double analgesia_depth_m;
    double open_fraction; /* nd_tissue_open_fraction */
    double blood_m3;      /* extravasated blood in the window (volume) */
    double signal_mean;   /* wound signal, dermal mean */
    double collagen1_rel, collagen3_rel, elastin_rel; /* dermal means, 1 = baseline */
    /* The serum's depth: the median over the columns of the depth where it
     * is at or above the analgesic threshold's share of its surface
     * concentration -- the lumped topical_depth_mm's index; 0 with none. */
    double serum_depth_m;
} nd_site_sample;

/* Run a site: punctures (any order) and events (any order; at one time, in
 * the order given) happen at their exact times, and each of the n_times
 * sample times (ascending, from 0) is read after whatever happens at that
 * time.  Steps are adaptive, so one call covers seconds to months.  stats
 * (may be NULL) receives the solver's counts.  Bit-identical for any number
 * of threads. */
nd_status nd_tissue_site_run(const nd_tissue_params *p, const nd_site_spec *spec,
                             const nd_site_puncture *pu, long n_pu, const nd_site_event *ev,
                             int n_ev, const double *times, int n_times, nd_site_sample *out,
                             nd_tissue_stats *stats, nd_error *err);

/* A collector of the punctures that fall in given windows: hand
 * nd_site_collect and the collector to a run as its puncture sink (strikes.h,
 * nd_run_options.raw), then read each window's punctures for
 * nd_tissue_site_run.  Memory is bounded: a window keeps at most cap
 * punctures (the first ones) and counts the rest. */
typedef struct {
    int zone; /* punctures of this zone only; -1: any */
    double x0_m, y0_m, width_m;
    double channel_diameter_m; /* given to each puncture kept */
} nd_site_window;

typedef struct nd_site_collector nd_site_collector;

nd_status nd_site_collector_create(const nd_site_window *w, int n, long cap,
                                   nd_site_collector **out, nd_error *err);
void nd_site_collector_free(nd_site_collector *c);
/* Added to each puncture's session time from now on: the start of the
 * session in the series. */
void nd_site_collector_set_offset(nd_site_collector *c, double t_offset_s);
/* An nd_puncture_sink: user is the collector.  Events that did not pierce
 * (depth 0) are not kept. */
void nd_site_collect(void *user, const nd_puncture *p, long n);
/* Window w's punctures: *n kept, *dropped beyond the cap (either may be NULL). */
const nd_site_puncture *nd_site_collector_punctures(const nd_site_collector *c, int w, long *n,
                                                    long *dropped);

#ifdef __cplusplus
}
#endif
#endif
