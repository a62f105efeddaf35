/* make bench: throughput of the strike -> puncture -> field path.
 *
 * Runs whole sessions (stroke planning, kinematics, insertion, layer lookup
 * and field accumulation) and reports needle events per second, per core and
 * for all cores.  Best of several repeats, after one warm-up run. */
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "needle/scenario.h"
#include "needle/session.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int bench_session(const char *label, nd_scenario *sc, int threads, int repeats)
{
    nd_error err;
    nd_session *s;
    if (nd_session_create(sc, &s, &err)) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    nd_run_options o = {threads, NULL, NULL, NULL, NULL};
    nd_session_run(s, &o, &err); /* warm-up */
    double best = 1e30;
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
        if (nd_session_run(s, &o, &err)) {
            fprintf(stderr, "bench: %s\n", err.message);
            nd_session_free(s);
            return 1;
        }
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    double ev = (double)nd_session_events(s);
    printf("%-34s %2d thread%s %12.0f events %8.3f s %8.2f M events/s (%.2f M/s per core)\n", label,
           threads, threads == 1 ? " " : "s", ev, best, ev / best / 1e6, ev / best / 1e6 / threads);
    nd_session_free(s);
    return 0;
}

int main(void)
{
    nd_error err;
    nd_scenario sc;
    if (nd_scenario_default(&sc, &err)) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 1;
    }
    int cores = omp_get_num_procs();
    printf("needle bench: strike -> puncture -> field (best of 5)\n");
    int rc = 0;
    rc |= bench_session("default full face, 12-needle pen", &sc, 1, 5);
    if (cores > 1) rc |= bench_session("default full face, 12-needle pen", &sc, cores, 5);

    /* A heavier session: 36-needle cartridge, slow glide, four passes. */
    nd_scenario heavy = sc;
    if (nd_device_preset("pen_36", &heavy.device, &err)) return 1;
    for (int i = 0; i < heavy.protocol.n_zones; i++) {
        heavy.protocol.zones[i].speed_m_s = 0.02;
        heavy.protocol.zones[i].passes = 4;
    }
    rc |= bench_session("full face, 36-needle pen, 4 passes", &heavy, 1, 3);
    if (cores > 1) rc |= bench_session("full face, 36-needle pen, 4 passes", &heavy, cores, 3);
    return rc;
}
