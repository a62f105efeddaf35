/*
 * The scenario schema as data: every key a scenario file may hold, its unit,
 * its range and the device kinds it applies to.  The YAML reader and the
 * checker of filled scenarios share it, so a range is written down once.
 * Private to the library.
 */
#ifndef ND_CONFIG_SCENARIO_FIELDS_H
#define ND_CONFIG_SCENARIO_FIELDS_H

#include <stddef.h>

#include "needle/scenario.h"

typedef enum {
    ND_SEC_ROOT,
    ND_SEC_PATIENT,
    ND_SEC_DEVICE,
    ND_SEC_NUMBING,
    ND_SEC_PROTOCOL,
    ND_SEC_ZONE, /* an entry of protocol.zones, or protocol.defaults */
    ND_SEC_OUTPUT,
    ND_SEC_COUNT
} nd_section;

typedef enum {
    ND_F_NAME,
    ND_F_SEED,
    ND_F_AGE,
    ND_F_SEX,
    ND_F_FITZPATRICK,
    ND_F_KIND,
    ND_F_PRESET,
    ND_F_NEEDLE_LENGTH,
    ND_F_NEEDLE_DIAMETER,
    ND_F_TIP_RADIUS,
    ND_F_RINGS,
    ND_F_NEEDLES_PER_RING,
    ND_F_DRUM_DIAMETER,
    ND_F_DRUM_WIDTH,
    ND_F_ROWS,
    ND_F_COLS,
    ND_F_PITCH,
    ND_F_FREQUENCY,
    ND_F_MOTOR_STROKE,
    ND_F_CREAM,
    ND_F_APPLICATION,
    ND_F_OCCLUDED,
    ND_F_JITTER,
    ND_F_SESSIONS,
    ND_F_INTERVAL,
    ND_F_FOLLOW_UP,
    ND_F_ZONE,
    ND_F_DEPTH,
    ND_F_PASSES,
    ND_F_DIRECTIONS,
    ND_F_MOTION,
    ND_F_SPEED,
    ND_F_FORCE,
    ND_F_PRESS_SPEED,
    ND_F_STAMP_RATE,
    ND_F_DWELL,
    ND_F_OVERLAP,
    ND_F_DIR,
    ND_F_GRID,
    ND_F_RAW,
    ND_F_TISSUE_SITES,
    ND_F_TISSUE_VOXEL,
    ND_F_TISSUE_WIDTH,
    ND_F_COUNT
} nd_field;

typedef enum { ND_FT_OTHER, ND_FT_REAL, ND_FT_INT } nd_field_type;

#define ND_KIND_BIT(k) (1u << (k))
#define ND_KINDS_ALL   0xfu
#define ND_KINDS_MOTOR (ND_KIND_BIT(ND_DEVICE_ESTAMP) | ND_KIND_BIT(ND_DEVICE_PEN))
#define ND_KINDS_HAND  (ND_KIND_BIT(ND_DEVICE_ROLLER) | ND_KIND_BIT(ND_DEVICE_STAMP))
#define ND_KINDS_ARRAY (ND_KIND_BIT(ND_DEVICE_STAMP) | ND_KINDS_MOTOR)

typedef struct {
    const char *key; /* as written in the file, unit included */
    nd_section section;
    nd_field_type type;  /* REAL and INT are read and range-checked from this table */
    const char *unit;    /* for messages ("mm", "Hz"; "" for a pure number) */
    double scale;        /* SI value = file value * scale */
    double min, max;     /* in file units, both allowed */
    unsigned kinds;      /* device kinds the key applies to */
    const char *why_not; /* said when it is given for another kind */
    size_t offset;       /* of the SI value in nd_scenario, or in nd_zone_plan for zones */
} nd_field_spec;

extern const nd_field_spec nd_fields[ND_F_COUNT];

/* "device", "protocol.numbing", ...; "" for the top level.  Zone entries have
 * no fixed path ("protocol.zones[i]"). */
const char *nd_section_path(nd_section sec);

int nd_field_applies(nd_field f, nd_device_kind kind);

/* Whether a value in file units lies in the field's range; if not, msg says
 * so ("must be between 0.05 and 3 mm, found 12"). */
int nd_field_in_range(nd_field f, double value, char *msg, size_t size);

/* The SI value of a REAL or INT field held in base (an nd_scenario or, for
 * zone fields, an nd_zone_plan), and storing one. */
double nd_field_get(nd_field f, const void *base);
void nd_field_set(nd_field f, void *base, double si);

/* NULL-terminated names of each enumeration, in enum order. */
extern const char *const nd_kind_names[];
extern const char *const nd_direction_names[];
extern const char *const nd_cream_names[];
extern const char *const nd_motion_names[];
extern const char *const nd_sex_names[];

/* "a roller", "an estamp": for messages. */
const char *nd_kind_article(nd_device_kind kind);

/* Where a value of a loaded scenario was written, so that a check on the filled
 * struct can point back into the file.  line 0: not written there. */
typedef struct {
    int line, column;
} nd_loc;

typedef struct {
    nd_loc section[ND_SEC_COUNT];   /* the key that opens each section */
    nd_loc at[ND_F_COUNT];          /* value of each field outside the zones */
    nd_loc defaults_at[ND_F_COUNT]; /* zone keys set in protocol.defaults */
    struct {
        int entry;             /* index in protocol.zones (a group yields several plans) */
        nd_loc item;           /* that entry */
        nd_loc at[ND_F_COUNT]; /* zone keys the entry set itself */
    } zone[ND_ZONE_COUNT];
    nd_loc step[ND_MAX_STEPS]; /* each entry of protocol.steps */
    const char *preset;        /* device preset named in the file, or NULL */
} nd_scenario_map;

/* Range and cross-field checks of a filled scenario.  With a map, an error
 * points at the line where the offending value was written. */
nd_status nd_scenario_check(const nd_scenario *sc, const nd_scenario_map *map, nd_error *err);
/* The part of it for protocol.steps (scenario_steps.c). */
nd_status nd_steps_check(const nd_scenario *sc, const nd_scenario_map *map, nd_error *err);

#endif
