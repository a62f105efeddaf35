/*
 * State shared by the parts of the scenario reader (scenario_load.c reads the
 * top level, patient, device and output; scenario_protocol.c the protocol).
 * Private to the library.
 */
#ifndef ND_CONFIG_SCENARIO_LOAD_H
#define ND_CONFIG_SCENARIO_LOAD_H

#include "config/scenario_fields.h"
#include "config/yaml_values.h"
#include "needle/scenario.h"

/* Model defaults from data/parameters.csv for what a file leaves out. */
typedef struct {
    double roller_speed_m_s, glide_speed_m_s;
    double roller_force_n, stamp_force_n;
    double stamp_press_speed_m_s, stamp_rate_hz;
    double dwell_s, overlap, jitter_m, motor_stroke_m;
    double interval_s, follow_up_s;
} nd_model_defaults;

typedef struct {
    nd_yreader r;
    nd_scenario *sc;
    nd_scenario_map *map;
    nd_model_defaults def;
} nd_loader;

static inline nd_loc nd_loc_of(const nd_ynode *n)
{
    nd_loc l = {nd_ynode_line(n), nd_ynode_column(n)};
    return l;
}

/* Keys allowed in a section: the schema's fields there plus extra (may be
 * NULL), into out (room for ND_F_COUNT + 8), NULL-terminated. */
void nd_section_keys(nd_section sec, const char *const *extra, const char **out);

/* Where a key that is misplaced belongs, for "it goes in device". */
const char *nd_key_home(const char *key);

/* The value of section key under parent, recorded in the map; NULL when it is
 * absent (an error if required; needs says what it should hold) or, for an
 * optional section, empty. */
nd_status nd_load_section(nd_loader *L, const nd_ynode *parent, nd_loc parent_loc,
                          const char *parent_path, const char *key, nd_section sec, int required,
                          const char *needs, const nd_ynode **out);

/* A REAL or INT field read from node v, range-checked and stored as SI into
 * base (an nd_scenario, or an nd_zone_plan for zone fields). */
nd_status nd_load_field(nd_loader *L, nd_field f, const nd_ynode *v, const char *path, void *base);

/* A numbing mapping {cream, application_min, occluded} at path, into
 * protocol.numbing. */
nd_status nd_load_numbing_map(nd_loader *L, const nd_ynode *m, const char *path);

/* protocol.steps, when given (scenario_steps.c). */
nd_status nd_load_steps(nd_loader *L, const nd_ynode *protocol);

/* protocol: numbing, jitter, defaults and zones.  The device must be read. */
nd_status nd_load_protocol(nd_loader *L, const nd_ynode *protocol);

#endif
