/* Run a scenario written as YAML through the whole pipeline and the outcome
 * models, for the validation tests. */
#ifndef ND_TEST_OUTCOME_COMMON_H
#define ND_TEST_OUTCOME_COMMON_H

#include <stdio.h>
#include <string.h>

#include "needle/outcome.h"
#include "needle/scenario.h"
#include "needle/session.h"

static inline int outcome_of(const char *yaml_body, int zone, nd_zone_outcome *out,
                             nd_outcome_input *in_out)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, "seed: 3\n%s", yaml_body);
    nd_scenario sc;
    nd_error e;
    if (nd_scenario_parse(yaml, strlen(yaml), "validation", &sc, &e)) {
        fprintf(stderr, "scenario: %s (%s line %d)\n", e.message, e.field, e.line);
        return -1;
    }
    nd_session *s;
    if (nd_session_create(&sc, &s, &e)) return -1;
    nd_run_options o = {0, NULL, NULL, NULL, NULL};
    if (nd_session_run(s, &o, &e)) return -1;
    nd_outcome_params mid, lo, hi;
    if (nd_outcome_params_load(NULL, ND_PARAM_VALUE, &mid, &e) ||
        nd_outcome_params_load(NULL, ND_PARAM_LOW, &lo, &e) ||
        nd_outcome_params_load(NULL, ND_PARAM_HIGH, &hi, &e))
        return -1;
    nd_outcome_input in;
    nd_outcome_input_from_field(nd_session_field(s), zone, &in);
    int rc = nd_outcome_zone(&mid, &lo, &hi, &sc, &in, out, &e) ? -1 : 0;
    if (in_out) *in_out = in;
    nd_session_free(s);
    return rc;
}

#define PATIENT(fitz) "patient: {age_y: 45, sex: female, fitzpatrick: " fitz "}\n"

#endif
