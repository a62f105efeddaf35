/* make bench: how long the planner takes to plan a full face.
 *
 * A 46-year-old woman, Fitzpatrick III, acne scars and wrinkles on the full
 * face (13 zones) with the default 12-needle pen, with and without a
 * downtime limit, and with a roller; best and median of 5 runs each, on 1
 * thread and on all of them.  The target (docs/planner.md) is a full-face
 * plan in under a second.  It also prints how many candidates were weighed
 * per zone and the needle events a candidate costs. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "needle/planner.h"

#define RUNS 5

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int bench(const char *label, const nd_plan_request *r, int threads)
{
    double t[RUNS];
    nd_plan *plan = malloc(sizeof *plan);
    if (!plan) return 1;
    omp_set_num_threads(threads);
    for (int k = 0; k < RUNS; k++) {
        nd_error e;
        double t0 = now();
        if (nd_plan_make(r, plan, &e)) {
            fprintf(stderr, "bench_plan: %s: %s\n", label, e.message);
            free(plan);
            return 1;
        }
        t[k] = now() - t0;
    }
    qsort(t, RUNS, sizeof *t, cmp);
    printf("%-36s %2d thread%s  best %.3f s  median %.3f s  (%d zones)\n", label, threads,
           threads == 1 ? " " : "s", t[0], t[RUNS / 2], plan->n_zones);
    free(plan);
    return 0;
}

int main(void)
{
    nd_patient_record p;
    memset(&p, 0, sizeof p);
    snprintf(p.name, sizeof p.name, "Bench");
    snprintf(p.birth_date, sizeof p.birth_date, "1980-05-01");
    p.sex = ND_SEX_FEMALE;
    p.fitzpatrick = 3;
    nd_plan_request scars, wrinkles, tight, roller;
    nd_plan_request_init(&scars, &p, ND_IND_ACNE_SCARS);
    nd_plan_request_init(&wrinkles, &p, ND_IND_WRINKLES);
    nd_plan_request_init(&tight, &p, ND_IND_ACNE_SCARS);
    nd_plan_request_init(&roller, &p, ND_IND_ACNE_SCARS);
    const char *date = "2026-06-01";
    snprintf(scars.date, sizeof scars.date, "%s", date);
    snprintf(wrinkles.date, sizeof wrinkles.date, "%s", date);
    snprintf(tight.date, sizeof tight.date, "%s", date);
    snprintf(roller.date, sizeof roller.date, "%s", date);
    tight.max_downtime_days = 1.5;
    tight.max_pain_vas = 3;
    snprintf(roller.device, sizeof roller.device, "dermaroller_192");

    nd_plan_candidate *c;
    int n;
    nd_error e;
    if (nd_plan_candidates(&scars, ND_ZONE_CHEEK_LEFT, &c, &n, &e)) {
        fprintf(stderr, "bench_plan: %s\n", e.message);
        return 1;
    }
    printf("planner: %d candidates for the left cheek (depth x passes x numbing), "
           "%.0f punctures/cm2 per pen pass on its 1 cm2 patch\n",
           n, c[0].punctures_per_cm2);
    free(c);

    int max = omp_get_max_threads(), rc = 0;
    for (int threads = 1; threads <= max && !rc; threads = threads == max ? max + 1 : max) {
        rc |= bench("full face, acne scars, pen_12", &scars, threads);
        rc |= bench("full face, wrinkles, pen_12", &wrinkles, threads);
        rc |= bench("full face, scars, 1.5 d and VAS 3", &tight, threads);
        rc |= bench("full face, scars, dermaroller_192", &roller, threads);
    }
    return rc;
}
