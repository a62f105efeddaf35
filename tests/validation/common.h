/* Helpers shared by the validation tests: build a one-zone scenario in code. */
#ifndef ND_TEST_VALIDATION_COMMON_H
#define ND_TEST_VALIDATION_COMMON_H

#include <stdio.h>
#include <string.h>

#include "needle/scenario.h"
#include "needle/session.h"

/* A scenario that treats one zone with a device preset, every other field
 * from the built-in default (so defaults come from data/parameters.csv). */
static inline int one_zone_scenario(nd_scenario *sc, const char *preset, int zone)
{
    nd_error e;
    if (nd_scenario_default(sc, &e)) return -1;
    nd_zone_plan base = sc->protocol.zones[0];
    if (nd_device_preset(preset, &sc->device, &e)) return -1;
    sc->protocol.n_zones = 1;
    nd_zone_plan *z = &sc->protocol.zones[0];
    *z = base;
    z->zone = zone;
    if (!nd_device_is_motorised(&sc->device)) {
        nd_scenario tmp;
        /* Hand-held devices: the documented hand defaults, found by loading a
         * minimal scenario for this kind. */
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "patient: {age_y: 40, sex: female, fitzpatrick: III}\n"
                 "device: {preset: %s}\n"
                 "protocol: {zones: [{zone: %s}]}\n",
                 preset, nd_zone_name(zone));
        if (nd_scenario_parse(yaml, strlen(yaml), "validation", &tmp, &e)) {
            fprintf(stderr, "%s\n", e.message);
            return -1;
        }
        *z = tmp.protocol.zones[0];
    }
    return 0;
}

static inline int run_zone(const nd_scenario *sc, int threads, nd_zone_stats *zs)
{
    nd_error e;
    nd_session *s;
    if (nd_session_create(sc, &s, &e)) {
        fprintf(stderr, "session: %s (%s)\n", e.message, e.field);
        return -1;
    }
    nd_run_options o = {threads, NULL, NULL, NULL, NULL};
    if (nd_session_run(s, &o, &e)) {
        nd_session_free(s);
        return -1;
    }
    nd_field_zone_stats(nd_session_field(s), sc->protocol.zones[0].zone, zs);
    nd_session_free(s);
    return 0;
}

#endif
