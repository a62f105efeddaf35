/* The scenario schema as data, and the names of its enumerations; see
 * scenario_fields.h. */
#include "config/scenario_fields.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ROLLER ND_KIND_BIT(ND_DEVICE_ROLLER)
#define STAMP  ND_KIND_BIT(ND_DEVICE_STAMP)
#define SC(m)  offsetof(nd_scenario, m)
#define ZP(m)  offsetof(nd_zone_plan, m)

/* Ranges are what a real device or session can be, wide enough for any
 * product on the market and narrow enough to catch a unit slip (12 mm for
 * 1.2 mm, 0.5 written as microns). */
const nd_field_spec nd_fields[ND_F_COUNT] = {
    [ND_F_NAME] = {"name", ND_SEC_ROOT, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    [ND_F_SEED] = {"seed", ND_SEC_ROOT, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    [ND_F_AGE] = {"age_y", ND_SEC_PATIENT, ND_FT_REAL, "years", 1, 12, 110, ND_KINDS_ALL, NULL,
                  SC(patient.age_y)},
    [ND_F_SEX] = {"sex", ND_SEC_PATIENT, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    [ND_F_FITZPATRICK] = {"fitzpatrick", ND_SEC_PATIENT, ND_FT_OTHER, "", 1, 1, 6, ND_KINDS_ALL,
                          NULL, 0},
    [ND_F_KIND] = {"kind", ND_SEC_DEVICE, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    [ND_F_PRESET] = {"preset", ND_SEC_DEVICE, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    [ND_F_NEEDLE_LENGTH] = {"needle_length_mm", ND_SEC_DEVICE, ND_FT_REAL, "mm", 1e-3, 0.05, 3.0,
                            ND_KINDS_ALL, NULL, SC(device.needle_length_m)},
    [ND_F_NEEDLE_DIAMETER] = {"needle_diameter_mm", ND_SEC_DEVICE, ND_FT_REAL, "mm", 1e-3, 0.03,
                              0.5, ND_KINDS_ALL, NULL, SC(device.needle_diameter_m)},
    [ND_F_TIP_RADIUS] = {"tip_radius_um", ND_SEC_DEVICE, ND_FT_REAL, "um", 1e-6, 0.5, 100,
                         ND_KINDS_ALL, NULL, SC(device.tip_radius_m)},
    [ND_F_RINGS] = {"rings", ND_SEC_DEVICE, ND_FT_INT, "", 1, 1, 100, ROLLER,
                    "rings describes a roller's drum; its needles are set by rows, cols and "
                    "pitch_mm",
                    SC(device.rings)},
    [ND_F_NEEDLES_PER_RING] = {"needles_per_ring", ND_SEC_DEVICE, ND_FT_INT, "", 1, 1, 100, ROLLER,
                               "needles_per_ring describes a roller's drum; its needles are set "
                               "by rows, cols and pitch_mm",
                               SC(device.needles_per_ring)},
    [ND_F_DRUM_DIAMETER] = {"drum_diameter_mm", ND_SEC_DEVICE, ND_FT_REAL, "mm", 1e-3, 5, 50,
                            ROLLER, "only a roller has a drum", SC(device.drum_diameter_m)},
    [ND_F_DRUM_WIDTH] = {"drum_width_mm", ND_SEC_DEVICE, ND_FT_REAL, "mm", 1e-3, 2, 100, ROLLER,
                         "only a roller has a drum", SC(device.drum_width_m)},
    [ND_F_ROWS] = {"rows", ND_SEC_DEVICE, ND_FT_INT, "", 1, 1, 40, ND_KINDS_ARRAY,
                   "a roller's needles are set by rings and needles_per_ring", SC(device.rows)},
    [ND_F_COLS] = {"cols", ND_SEC_DEVICE, ND_FT_INT, "", 1, 1, 40, ND_KINDS_ARRAY,
                   "a roller's needles are set by rings and needles_per_ring", SC(device.cols)},
    [ND_F_PITCH] = {"pitch_mm", ND_SEC_DEVICE, ND_FT_REAL, "mm", 1e-3, 0.2, 5, ND_KINDS_ARRAY,
                    "a roller's needle spacing follows from rings, needles_per_ring and its drum",
                    SC(device.pitch_m)},
    [ND_F_FREQUENCY] = {"frequency_hz", ND_SEC_DEVICE, ND_FT_REAL, "Hz", 1, 1, 300, ND_KINDS_MOTOR,
                        "only a motorised device (estamp, pen) has a frequency",
                        SC(device.frequency_hz)},
    [ND_F_MOTOR_STROKE] = {"motor_stroke_mm", ND_SEC_DEVICE, ND_FT_REAL, "mm", 1e-3, 0.5, 5,
                           ND_KINDS_MOTOR, "only a motorised device (estamp, pen) has a motor",
                           SC(device.motor_stroke_m)},
    [ND_F_CREAM] = {"cream", ND_SEC_NUMBING, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    [ND_F_APPLICATION] = {"application_min", ND_SEC_NUMBING, ND_FT_REAL, "min", 60, 0, 240,
                          ND_KINDS_ALL, NULL, SC(protocol.numbing.application_s)},
    [ND_F_OCCLUDED] = {"occluded", ND_SEC_NUMBING, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    [ND_F_JITTER] = {"jitter_mm", ND_SEC_PROTOCOL, ND_FT_REAL, "mm", 1e-3, 0, 5, ND_KINDS_ALL, NULL,
                     SC(protocol.jitter_m)},
    /* A series: Harris 2015 found a median of 3 sessions 4 weeks apart; clinics
     * rarely go beyond 8, and more than 20 is not a protocol. */
    [ND_F_SESSIONS] = {"sessions", ND_SEC_PROTOCOL, ND_FT_INT, "", 1, 1, 20, ND_KINDS_ALL, NULL,
                       SC(protocol.sessions)},
    [ND_F_INTERVAL] = {"interval_days", ND_SEC_PROTOCOL, ND_FT_REAL, "days", 86400, 1, 365,
                       ND_KINDS_ALL, NULL, SC(protocol.interval_s)},
    [ND_F_FOLLOW_UP] = {"follow_up_days", ND_SEC_PROTOCOL, ND_FT_REAL, "days", 86400, 0, 730,
                        ND_KINDS_ALL, NULL, SC(protocol.follow_up_s)},
    [ND_F_ZONE] = {"zone", ND_SEC_ZONE, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    /* depth_mm for a roller or stamp has its own message (it names the needle length). */
    [ND_F_DEPTH] = {"depth_mm", ND_SEC_ZONE, ND_FT_REAL, "mm", 1e-3, 0.05, 3.0, ND_KINDS_MOTOR,
                    NULL, ZP(depth_m)},
    [ND_F_PASSES] = {"passes", ND_SEC_ZONE, ND_FT_INT, "", 1, 1, 50, ND_KINDS_ALL, NULL,
                     ZP(passes)},
    [ND_F_DIRECTIONS] = {"directions", ND_SEC_ZONE, ND_FT_OTHER, "", 1, 1, ND_MAX_DIRECTIONS,
                         ND_KINDS_ALL, NULL, 0},
    [ND_F_MOTION] = {"motion", ND_SEC_ZONE, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    [ND_F_SPEED] = {"speed_mm_s", ND_SEC_ZONE, ND_FT_REAL, "mm/s", 1e-3, 1, 500,
                    ROLLER | ND_KINDS_MOTOR,
                    "it is pressed, not glided (see press_speed_mm_s and "
                    "stamp_rate_hz)",
                    ZP(speed_m_s)},
    [ND_F_FORCE] = {"force_n", ND_SEC_ZONE, ND_FT_REAL, "N", 1, 0.1, 100, ND_KINDS_HAND,
                    "it is motor-driven, so its needles reach depth_mm whatever the hand force",
                    ZP(force_n)},
    [ND_F_PRESS_SPEED] = {"press_speed_mm_s", ND_SEC_ZONE, ND_FT_REAL, "mm/s", 1e-3, 1, 500, STAMP,
                          "press_speed_mm_s applies only to a manual stamp", ZP(press_speed_m_s)},
    [ND_F_STAMP_RATE] = {"stamp_rate_hz", ND_SEC_ZONE, ND_FT_REAL, "Hz", 1, 0.1, 10, STAMP,
                         "stamp_rate_hz applies only to a manual stamp (a motorised device "
                         "strikes at frequency_hz)",
                         ZP(stamp_rate_hz)},
    [ND_F_DWELL] = {"dwell_s", ND_SEC_ZONE, ND_FT_REAL, "s", 1, 0.01, 10, ND_KINDS_MOTOR,
                    "dwell_s is how long a motorised device (estamp, pen) rests on each spot",
                    ZP(dwell_s)},
    [ND_F_OVERLAP] = {"overlap", ND_SEC_ZONE, ND_FT_REAL, "", 1, 0, 0.9, ND_KINDS_ALL, NULL,
                      ZP(overlap)},
    [ND_F_DIR] = {"dir", ND_SEC_OUTPUT, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    [ND_F_GRID] = {"grid_mm", ND_SEC_OUTPUT, ND_FT_REAL, "mm", 1e-3, 0.25, 5, ND_KINDS_ALL, NULL,
                   SC(output.grid_m)},
    [ND_F_RAW] = {"raw_punctures", ND_SEC_OUTPUT, ND_FT_OTHER, "", 1, 0, 0, ND_KINDS_ALL, NULL, 0},
    /* Each site is a 3-D run through the whole series: a few per zone tell
     * the spread within it; more is a cohort study's job. */
    [ND_F_TISSUE_SITES] = {"tissue_sites", ND_SEC_OUTPUT, ND_FT_INT, "", 1, 0, 4, ND_KINDS_ALL,
                           NULL, SC(output.tissue_sites)},
    /* 10-20 um resolves a channel (35 um wide) and the epidermis; coarser
     * voxels are faster and move the calibrated depth of analgesia a little
     * (docs/model.md 8). */
    [ND_F_TISSUE_VOXEL] = {"tissue_voxel_um", ND_SEC_OUTPUT, ND_FT_REAL, "um", 1e-6, 10, 50,
                           ND_KINDS_ALL, NULL, SC(output.tissue_voxel_m)},
    [ND_F_TISSUE_WIDTH] = {"tissue_width_mm", ND_SEC_OUTPUT, ND_FT_REAL, "mm", 1e-3, 0.5, 4,
                           ND_KINDS_ALL, NULL, SC(output.tissue_width_m)},
};

const char *nd_section_path(nd_section sec)
{
    switch (sec) {
    case ND_SEC_ROOT:
        return "";
    case ND_SEC_PATIENT:
        return "patient";
    case ND_SEC_DEVICE:
        return "device";
    case ND_SEC_NUMBING:
        return "protocol.numbing";
    case ND_SEC_PROTOCOL:
        return "protocol";
    case ND_SEC_ZONE:
        return "protocol.zones";
    case ND_SEC_OUTPUT:
        return "output";
    case ND_SEC_COUNT:
        break;
    }
    return "";
}

int nd_field_applies(nd_field f, nd_device_kind kind)
{
    return (nd_fields[f].kinds & ND_KIND_BIT(kind)) != 0;
}

int nd_field_in_range(nd_field f, double value, char *msg, size_t size)
{
    const nd_field_spec *s = &nd_fields[f];
    /* Values that went through SI and back may be off in the last bit. */
    double tol = s->type == ND_FT_INT ? 0 : 1e-9 * fmax(fabs(s->min), fabs(s->max));
    if (value >= s->min - tol && value <= s->max + tol) return 1;
    snprintf(msg, size, "must be between %g and %g%s%s, found %.10g", s->min, s->max,
             s->unit[0] ? " " : "", s->unit, value);
    return 0;
}

double nd_field_get(nd_field f, const void *base)
{
    const nd_field_spec *s = &nd_fields[f];
    const char *p = (const char *)base + s->offset;
    if (s->type == ND_FT_INT) {
        int v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    double v;
    memcpy(&v, p, sizeof v);
    return v;
}

void nd_field_set(nd_field f, void *base, double si)
{
    const nd_field_spec *s = &nd_fields[f];
    char *p = (char *)base + s->offset;
    if (s->type == ND_FT_INT) {
        int v = (int)si;
        memcpy(p, &v, sizeof v);
    } else {
        memcpy(p, &si, sizeof si);
    }
}

const char *const nd_kind_names[] = {"roller", "stamp", "estamp", "pen", NULL};
const char *const nd_direction_names[] = {"horizontal", "vertical", "diagonal", "antidiagonal",
                                          NULL};
const char *const nd_cream_names[] = {"none", "emla", "lmx4", "blt", NULL};
const char *const nd_motion_names[] = {"glide", "stamp", NULL};
const char *const nd_sex_names[] = {"female", "male", NULL};

const char *nd_kind_article(nd_device_kind kind)
{
    switch (kind) {
    case ND_DEVICE_ROLLER:
        return "a roller";
    case ND_DEVICE_STAMP:
        return "a manual stamp";
    case ND_DEVICE_ESTAMP:
        return "an electronic stamp (estamp)";
    case ND_DEVICE_PEN:
        return "a pen";
    }
    return "this device";
}

static const char *name_of(const char *const *names, int count, int i)
{
    return i >= 0 && i < count ? names[i] : "unknown";
}

const char *nd_device_kind_name(nd_device_kind kind)
{
    return name_of(nd_kind_names, 4, (int)kind);
}

const char *nd_direction_name(nd_direction dir)
{
    return name_of(nd_direction_names, ND_DIR_COUNT, (int)dir);
}

const char *nd_cream_name(nd_cream cream)
{
    return name_of(nd_cream_names, 4, (int)cream);
}

const char *nd_motion_name(nd_motion motion)
{
    return name_of(nd_motion_names, 2, (int)motion);
}
