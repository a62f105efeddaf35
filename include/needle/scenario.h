/*
 * needle — a session scenario: patient, device, protocol, seed and output.
 *
 * A scenario is plain data, read from YAML by nd_scenario_load() (config
 * units: mm, mm/s, N, Hz, min) and held here in SI units.  Every field is
 * filled: what the file leaves out takes the documented default, so a
 * scenario can be echoed back in full.
 */
#ifndef NEEDLE_SCENARIO_H
#define NEEDLE_SCENARIO_H

#include <stdint.h>

#include "needle/data.h"
#include "needle/face.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ND_NAME_MAX 128
#define ND_PATH_MAX 1024

typedef enum { ND_SEX_FEMALE, ND_SEX_MALE } nd_sex;

typedef struct {
    double age_y;
    nd_sex sex;
    int fitzpatrick; /* 1..6 (I..VI) */
} nd_patient;

typedef enum { ND_DEVICE_ROLLER, ND_DEVICE_STAMP, ND_DEVICE_ESTAMP, ND_DEVICE_PEN } nd_device_kind;

/* Needle geometry and kinematics of a device.  Roller: rings x needles_per_ring
 * on a drum.  Stamp, estamp, pen: rows x cols at pitch_m.  Electronic devices
 * (estamp, pen) oscillate at frequency_hz and protrude to the zone's depth. */
typedef struct {
    nd_device_kind kind;
    char preset[ND_NAME_MAX]; /* "" when built from fields alone */
    double needle_length_m;
    double needle_diameter_m;
    double tip_radius_m;
    int rings, needles_per_ring;          /* roller */
    double drum_diameter_m, drum_width_m; /* roller */
    int rows, cols;                       /* stamp, estamp, pen */
    double pitch_m;                       /* stamp, estamp, pen */
    double frequency_hz;                  /* estamp, pen */
    double motor_stroke_m;                /* estamp, pen: needle travel per cycle */
} nd_device_spec;

typedef enum {
    ND_DIR_HORIZONTAL,
    ND_DIR_VERTICAL,
    ND_DIR_DIAGONAL,     /* lower left to upper right */
    ND_DIR_ANTIDIAGONAL, /* upper left to lower right */
    ND_DIR_COUNT
} nd_direction;

typedef enum { ND_MOTION_GLIDE, ND_MOTION_STAMP } nd_motion;

#define ND_MAX_DIRECTIONS 8

/* What is done to one zone.  passes are taken in the listed directions in turn. */
typedef struct {
    int zone;
    double depth_m; /* estamp, pen: depth setting; roller, stamp: the needle length */
    int passes;
    int n_directions;
    nd_direction directions[ND_MAX_DIRECTIONS];
    nd_motion motion;       /* roller: glide; stamp: stamp; estamp, pen: either */
    double speed_m_s;       /* glide speed (roller, estamp and pen gliding) */
    double force_n;         /* manual devices (roller, stamp): normal force */
    double press_speed_m_s; /* manual stamp: speed pressed into the skin */
    double stamp_rate_hz;   /* manual stamp: stamps per second */
    double dwell_s;         /* estamp and pen in stamp motion: time on each spot */
    double overlap;         /* fraction of the swath shared by neighbouring strokes */
} nd_zone_plan;

typedef enum { ND_CREAM_NONE, ND_CREAM_EMLA, ND_CREAM_LMX4, ND_CREAM_BLT } nd_cream;

typedef struct {
    nd_cream cream;
    double application_s;
    int occluded;
} nd_numbing;

/* A session is a sequence of steps, taken in order, each starting when the
 * one before it ends.  With no steps given, a session is the numbing cream
 * (when there is one) and then the needling of every zone. */
typedef enum {
    ND_STEP_NUMBING,   /* the numbing cream goes on; it is wiped off after application_s */
    ND_STEP_NEEDLING,  /* the zones are needled (all of protocol.zones, or those in zone_mask) */
    ND_STEP_TOPICAL,   /* a product (serum) goes on and stays for duration_s */
    ND_STEP_WAIT,      /* nothing for duration_s */
    ND_STEP_OCCLUSION, /* a dressing over the skin for duration_s; the next step starts at once */
    ND_STEP_KIND_COUNT
} nd_step_kind;

#define ND_MAX_STEPS          12
#define ND_MAX_NEEDLING_STEPS 4

typedef struct {
    nd_step_kind kind;
    double duration_s; /* topical: contact time; wait, occlusion: their length; numbing: the
                          cream's application_s; needling: 0 (the strokes set it) */
    /* needling */
    unsigned zone_mask; /* bit z set: zone z is needled in this step; 0: every planned zone */
    double depth_m;     /* > 0: every zone at this depth setting (estamp, pen) */
    int passes;         /* > 0: every zone this many passes */
    /* topical */
    char product[ND_NAME_MAX]; /* a product of data/topicals.csv */
    int occluded;              /* topical: under a dressing while it is on */
} nd_step;

typedef struct {
    nd_numbing numbing;
    int n_steps; /* 0: the default sequence (numbing when there is a cream, then needling) */
    nd_step steps[ND_MAX_STEPS];
    double jitter_m;    /* hand jitter (SD of a stroke's lateral wander) */
    int sessions;       /* sessions in the series, each the same protocol */
    double interval_s;  /* from the start of one session to the start of the next */
    double follow_up_s; /* follow-up after the last session */
    int n_zones;
    nd_zone_plan zones[ND_ZONE_COUNT]; /* in treatment order; each zone at most once */
} nd_protocol;

typedef struct {
    char dir[ND_PATH_MAX]; /* run folder */
    double grid_m;         /* field cell size */
    int raw_punctures;     /* write punctures.csv */
    int tissue_sites;      /* 3-D sample sites per zone (tissue.csv); 0: none */
    double tissue_voxel_m; /* their voxel edge */
    double tissue_width_m; /* their window's side */
} nd_output;

typedef struct nd_scenario {
    char name[ND_NAME_MAX];
    char source[ND_PATH_MAX]; /* file it was read from, or "built-in default" */
    uint64_t seed;
    nd_patient patient;
    nd_device_spec device;
    nd_protocol protocol;
    nd_output output;
    int n_params; /* model_parameters: overrides of data/parameters.csv */
    nd_param_override params[ND_MAX_PARAM_OVERRIDES];
} nd_scenario;

/* Read and validate a scenario file.  On failure err names file:line:column and
 * the field, says what was expected and, for a misspelt key, the nearest valid
 * one.  Nothing is clamped: an out-of-range value is an error. */
nd_status nd_scenario_load(const char *path, nd_scenario *out, nd_error *err);

/* The same from YAML text in memory; name is used in messages. */
nd_status nd_scenario_parse(const char *yaml, unsigned long len, const char *name, nd_scenario *out,
                            nd_error *err);

/* The built-in default scenario (examples/default.yaml is the same file). */
nd_status nd_scenario_default(nd_scenario *out, nd_error *err);
/* YAML text of the built-in default. */
const char *nd_scenario_default_yaml(void);

/* Check cross-field consistency of a filled scenario (used after loading and by
 * programs that build scenarios in code).  err names the field. */
nd_status nd_scenario_validate(const nd_scenario *sc, nd_error *err);

/* The steps a session takes: the protocol's own, or the default sequence.
 * Returns their count; out holds ND_MAX_STEPS. */
int nd_protocol_steps(const nd_protocol *p, nd_step *out);
/* "numbing", "needling", "topical", "wait", "occlusion". */
const char *nd_step_kind_name(nd_step_kind kind);

/* Fill a device from a preset name in data/devices.csv. */
nd_status nd_device_preset(const char *name, nd_device_spec *out, nd_error *err);
/* Names of all presets, NULL-terminated; valid for the life of the program. */
const char *const *nd_device_preset_names(void);

const char *nd_device_kind_name(nd_device_kind kind);
const char *nd_direction_name(nd_direction dir);
const char *nd_cream_name(nd_cream cream);
const char *nd_motion_name(nd_motion motion);

/* Needles on the device: rings x needles per ring, or rows x cols. */
int nd_device_needles(const nd_device_spec *dev);
/* Whether depth comes from a motor (estamp, pen) rather than hand force. */
int nd_device_is_motorised(const nd_device_spec *dev);

#ifdef __cplusplus
}
#endif
#endif
