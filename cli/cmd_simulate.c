/* needle simulate / check / presets / help. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "needle/outcome.h"
#include "needle/report.h"
#include "needle/scenario.h"
#include "needle/session.h"
#include "needle/sites.h"
#include "progress.h"

static const char *SIMULATE_HELP =
    "Usage: needle simulate [SCENARIO.yaml] [options]\n"
    "\n"
    "Simulate a skin-needling session: every needle strike of the device over\n"
    "each facial zone, whether it pierced, how deep it reached and which skin\n"
    "layer it ended in.  Without a scenario file, runs the built-in default\n"
    "full-face session (examples/default.yaml) into out/default/.\n"
    "\n"
    "Options:\n"
    "  -o, --out DIR        run folder (default: the scenario's output.dir)\n"
    "  -s, --seed N         random seed (overrides the scenario's seed)\n"
    "  -t, --threads N      threads (default: all cores); results do not depend on it\n"
    "      --raw-punctures  also write punctures.csv, one row per needle event\n"
    "      --tissue-sites N run the 3-D tissue solver at N sites per zone (0..4)\n"
    "                       through the whole series: tissue.csv (at the default\n"
    "                       2 mm windows of 20 um voxels, about 22 s a site\n"
    "                       on one core; output.tissue_voxel_um and\n"
    "                       output.tissue_width_mm set them)\n"
    "  -q, --quiet          no progress bar, no summary on stdout\n"
    "  -h, --help           this help\n"
    "\n"
    "Outputs (in the run folder, which appears whole or not at all):\n"
    "  summary.json         per zone: punctures_per_cm2, depth_mean_mm, depth_p95_mm,\n"
    "                       layer_fraction, coverage_fraction, uniformity_cv, ...;\n"
    "                       totals; the scenario with every default filled in\n"
    "  zones.csv            the same, one row per zone\n"
    "  field.csv            per grid cell: density, depth, layers, repeat hits\n"
    "  histograms.csv       per zone: depth histogram in 10 um bins\n"
    "  report.html          the practitioner's report: warnings, what the numbers\n"
    "                       mean, a table per zone, face maps, depth histograms\n"
    "  figures/             the report's figures as PNG: density, depth, layer,\n"
    "                       coverage, depth_histograms\n"
    "  timecourse.csv       per zone and time: numbing, pain, redness, swelling,\n"
    "                       open channels, collagen, elastin, serum\n"
    "  strokes.csv          per stroke: times, depths, the numbing it met, its pain\n"
    "  punctures.csv        with --raw-punctures only\n"
    "  tissue.csv           with --tissue-sites (or output.tissue_sites) only\n"
    "\n"
    "Scenario files are YAML; keys carry their units (depth_mm, speed_mm_s).\n"
    "See README.md and examples/ for the format, docs/model.md for the models.\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input, 3 refused for safety.\n";

static const char *CHECK_HELP =
    "Usage: needle check SCENARIO.yaml\n"
    "\n"
    "Validate a scenario file without running it: YAML syntax, every key and\n"
    "its range, and the consistency of device and protocol.  Errors name the\n"
    "file, line, column and field.  Exit code 0 when valid, 2 when not.\n";

static const char *PRESETS_HELP = "Usage: needle presets\n\nList the built-in device presets.\n";

int cli_fail(const nd_error *err)
{
    char buf[2048];
    nd_error_format(err, buf, sizeof buf);
    fprintf(stderr, "needle: error: %s\n", buf);
    return nd_status_exit_code(err->status ? err->status : ND_ERR_INTERNAL);
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "needle %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'needle help %s'.\n", cmd);
    return 2;
}

int cli_help(const char *command)
{
    if (!strcmp(command, "simulate"))
        fputs(SIMULATE_HELP, stdout);
    else if (!strcmp(command, "check"))
        fputs(CHECK_HELP, stdout);
    else if (!strcmp(command, "presets"))
        fputs(PRESETS_HELP, stdout);
    else if (!strcmp(command, "report"))
        return cli_report_help();
    else if (!strcmp(command, "patient") || !strcmp(command, "plan") ||
             !strcmp(command, "session") || !strcmp(command, "export") || !strcmp(command, "db")) {
        /* The practice commands print their own help. */
        char name[16], flag[] = "--help";
        snprintf(name, sizeof name, "%s", command);
        char *argv[] = {name, flag, NULL};
        int (*fn)(int, char **) = !strcmp(command, "patient")   ? cli_patient
                                  : !strcmp(command, "plan")    ? cli_plan
                                  : !strcmp(command, "session") ? cli_session
                                  : !strcmp(command, "export")  ? cli_export
                                                                : cli_db;
        return fn(2, argv);
    } else {
        fprintf(stderr, "needle: no help for unknown command '%s'\n", command);
        return 2;
    }
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == '-' || *s == '\0') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

typedef struct {
    FILE *f;
    int failed;
} raw_writer;

static void write_raw(void *user, const nd_puncture *p, long n)
{
    raw_writer *w = user;
    for (long k = 0; k < n && !w->failed; k++) {
        const nd_puncture *q = &p[k];
        if (fprintf(w->f, "%.6f,%.4f,%.4f,%s,%d,%d,%.4f,%s\n", q->t_s, q->x_m * 1e3, q->y_m * 1e3,
                    nd_zone_name(q->zone), q->needle, q->layer >= 0, q->depth_m * 1e3,
                    q->layer >= 0 ? nd_layer_name(q->layer) : "") < 0)
            w->failed = 1;
    }
}

static void print_summary(const nd_session *s, const nd_outcome_set *os, const char *dir,
                          double wall)
{
    int threads = nd_session_threads(s);
    const nd_scenario *sc = nd_session_scenario(s);
    const nd_field *f = nd_session_field(s);
    printf("needle: %s\n", sc->name);
    printf("%llu needle events in %.2f s (%d thread%s)\n\n", nd_session_events(s), wall, threads,
           threads == 1 ? "" : "s");
    printf("%-18s %10s %8s %8s %6s %6s %6s %6s %6s %8s\n", "zone", "punct/cm2", "mean_mm", "p95_mm",
           "SC", "epi", "pap", "ret", "fat", "coverage");
    for (int i = 0; i < sc->protocol.n_zones; i++) {
        nd_zone_stats z;
        nd_field_zone_stats(f, sc->protocol.zones[i].zone, &z);
        printf("%-18s %10.0f %8.3f %8.3f %5.0f%% %5.0f%% %5.0f%% %5.0f%% %5.0f%% %7.0f%%\n",
               nd_zone_name(z.zone), z.punctures_per_cm2, z.depth_mean_m * 1e3, z.depth_p95_m * 1e3,
               100 * z.layer_fraction[0], 100 * z.layer_fraction[1], 100 * z.layer_fraction[2],
               100 * z.layer_fraction[3], 100 * z.layer_fraction[4], 100 * z.coverage_fraction);
    }
    printf("\n%-18s %9s %9s %9s %9s %10s %9s\n", "zone", "numb_mm", "pain_vas", "bleed/cm2",
           "downtime", "collagenI", "PIH");
    for (int i = 0; i < sc->protocol.n_zones; i++) {
        const nd_zone_outcome *o = nd_outcome_set_zone(os, sc->protocol.zones[i].zone);
        printf("%-18s %9.2f %9.1f %9.0f %8.1fd %+9.0f%% %8.1f%%\n",
               nd_zone_name(sc->protocol.zones[i].zone), o->anesthesia_depth_m * 1e3,
               o->pain_vas.mid, o->bleeding_points_per_cm2.mid, o->downtime_days.mid,
               100 * (o->collagen_I_rel.mid - 1), 100 * o->pih_risk.mid);
    }
    printf("(collagen at the end of follow-up: %d session%s, %.0f days apart, followed for %.0f "
           "days)\n",
           sc->protocol.sessions, sc->protocol.sessions == 1 ? "" : "s",
           sc->protocol.interval_s / 86400, sc->protocol.follow_up_s / 86400);
    printf("\nRun folder: %s/\n", dir);
    cli_print_report_path(dir);
}

void cli_print_report_path(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--; /* "out/run/" prints as out/run/report.html */
    printf("Report: %.*s/report.html\n", (int)n, dir);
}

/* The run's punctures go to punctures.csv, the tissue sites, or both. */
typedef struct {
    raw_writer *rw;
    nd_sites *sites;
} tee_sink;

static void tee_write(void *user, const nd_puncture *p, long n)
{
    tee_sink *t = user;
    if (t->rw->f) write_raw(t->rw, p, n);
    if (t->sites) nd_sites_collect(t->sites, p, n);
}

/* The 3-D sites at the time course's sample times, so tissue.csv reads
 * beside timecourse.csv. */
static nd_status run_sites(nd_sites *sites, const nd_session *s, const nd_outcome_set *o,
                           int threads, int quiet, nd_error *err)
{
    int n = 0;
    const nd_timecourse_row *rows =
        nd_outcome_set_timecourse(o, nd_session_scenario(s)->protocol.zones[0].zone, &n);
    double *times = malloc(sizeof *times * (size_t)(n > 0 ? n : 1));
    if (!times) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n; i++) times[i] = rows[i].time_s;
    if (!quiet)
        fprintf(stderr, "needle: running the 3-D tissue solver at %d sites...\n",
                nd_sites_count(sites));
    double t0 = cli_now();
    cli_progress prog;
    cli_progress_init(&prog, "tissue sites", quiet);
    nd_sites_set_progress(sites, cli_progress_update, &prog);
    nd_status st = nd_sites_run(sites, s, times, n, threads, err);
    cli_progress_done(&prog);
    if (!st && !quiet)
        fprintf(stderr, "needle: %d sites in %.1f s (%.3g voxel updates)\n", nd_sites_count(sites),
                cli_now() - t0, (double)nd_sites_voxel_updates(sites));
    free(times);
    return st;
}

int cli_simulate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'},
        {"seed", required_argument, 0, 's'},
        {"threads", required_argument, 0, 't'},
        {"raw-punctures", no_argument, 0, 'r'},
        {"tissue-sites", required_argument, 0, 'T'},
        {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *out_dir = NULL;
    uint64_t seed = 0;
    int have_seed = 0, threads = 0, raw = 0, quiet = 0, sites_per_zone = -1, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:s:t:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out_dir = optarg;
            break;
        case 's':
            if (parse_u64(optarg, &seed))
                return usage_error("simulate", "--seed must be a non-negative integer, got '%s'",
                                   optarg);
            have_seed = 1;
            break;
        case 't': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1024)
                return usage_error("simulate", "--threads must be 1..1024, got '%s'", optarg);
            threads = (int)v;
            break;
        }
        case 'r':
            raw = 1;
            break;
        case 'T': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 4)
                return usage_error("simulate", "--tissue-sites must be 0..4, got '%s'", optarg);
            sites_per_zone = (int)v;
            break;
        }
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(SIMULATE_HELP, stdout);
            return 0;
        case ':':
            return usage_error("simulate", "option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("simulate", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind > 1)
        return usage_error("simulate", "one scenario file at most, got '%s'", argv[optind + 1]);

    nd_error err;
    nd_error_clear(&err);
    nd_scenario sc;
    nd_status st =
        optind < argc ? nd_scenario_load(argv[optind], &sc, &err) : nd_scenario_default(&sc, &err);
    if (st == ND_ERR_IO) err.status = ND_ERR_INPUT; /* an unreadable scenario is bad usage */
    if (st) return cli_fail(&err);
    if (have_seed) sc.seed = seed;
    if (out_dir) snprintf(sc.output.dir, sizeof sc.output.dir, "%s", out_dir);
    if (raw) sc.output.raw_punctures = 1;
    if (sites_per_zone >= 0) sc.output.tissue_sites = sites_per_zone;

    nd_session *s = NULL;
    nd_rundir *rd = NULL;
    nd_outcome_set *outcomes = NULL;
    nd_sites *sites = NULL;
    raw_writer rw = {NULL, 0};
    if ((st = nd_session_create(&sc, &s, &err))) return cli_fail(&err);
    if (sc.output.tissue_sites > 0 &&
        (st = nd_sites_create(s, sc.output.tissue_sites, &sites, &err))) {
        nd_session_free(s);
        return cli_fail(&err);
    }
    if ((st = nd_rundir_begin(sc.output.dir, &rd, &err))) {
        nd_session_free(s);
        return cli_fail(&err);
    }
    char path[ND_PATH_MAX + 64];
    if (sc.output.raw_punctures) {
        snprintf(path, sizeof path, "%s/punctures.csv", nd_rundir_path(rd));
        if (!(rw.f = fopen(path, "w"))) {
            nd_error_set(&err, ND_ERR_IO, "cannot write %s: %s", path, strerror(errno));
            goto fail;
        }
        fputs("time_s,x_mm,y_mm,zone,needle,pierced,depth_mm,layer\n", rw.f);
    }
    cli_progress prog;
    cli_progress_init(&prog, "simulating", quiet);
    tee_sink tee = {&rw, sites};
    nd_run_options ro = {threads, cli_progress_update, &prog, rw.f || sites ? tee_write : NULL,
                         &tee};
    double t0 = cli_now();
    st = nd_session_run(s, &ro, &err);
    double wall = cli_now() - t0;
    cli_progress_done(&prog);
    if (st) goto fail;
    if (rw.f) {
        int bad = rw.failed | (fclose(rw.f) != 0);
        rw.f = NULL;
        if (bad) {
            nd_error_set(&err, ND_ERR_IO, "cannot write %s", path);
            goto fail;
        }
    }
    if ((st = nd_outcome_set_create(s, &outcomes, &err))) goto fail;
    if (sites && (st = run_sites(sites, s, outcomes, threads, quiet, &err))) goto fail;
    nd_run_view view = {nd_session_scenario(s),
                        nd_session_face(s),
                        nd_session_skin(s),
                        nd_session_field(s),
                        nd_session_threads(s),
                        wall,
                        outcomes,
                        s,
                        sites};
    if ((st = nd_report_write_all(&view, nd_rundir_path(rd), &err))) goto fail;
    if ((st = nd_rundir_commit(rd, &err))) {
        rd = NULL;
        goto fail;
    }
    if (!quiet) print_summary(s, outcomes, sc.output.dir, wall);
    nd_sites_free(sites);
    nd_outcome_set_free(outcomes);
    nd_session_free(s);
    return 0;
fail:
    if (rw.f) fclose(rw.f);
    if (rd) nd_rundir_abort(rd);
    nd_sites_free(sites);
    nd_outcome_set_free(outcomes);
    nd_session_free(s);
    return cli_fail(&err);
}

int cli_check(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(CHECK_HELP, stdout);
        return 0;
    }
    if (argc != 2) return usage_error("check", "needs exactly one scenario file%s", "");
    nd_error err;
    nd_error_clear(&err);
    nd_scenario sc;
    if (nd_scenario_load(argv[1], &sc, &err)) {
        if (err.status == ND_ERR_IO) err.status = ND_ERR_INPUT;
        return cli_fail(&err);
    }
    printf("%s: ok (%s, %d zone%s, seed %" PRIu64 ")\n", argv[1],
           nd_device_kind_name(sc.device.kind), sc.protocol.n_zones,
           sc.protocol.n_zones == 1 ? "" : "s", sc.seed);
    return 0;
}

int cli_presets(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) return usage_error("presets", "takes no arguments%s", "");
    nd_error err;
    nd_error_clear(&err);
    for (const char *const *p = nd_device_preset_names(); p && *p; p++) {
        nd_device_spec d;
        if (nd_device_preset(*p, &d, &err)) return cli_fail(&err);
        printf("%-18s %-7s %4d needles  %.2f mm long", *p, nd_device_kind_name(d.kind),
               nd_device_needles(&d), d.needle_length_m * 1e3);
        if (d.frequency_hz > 0) printf("  %.0f Hz", d.frequency_hz);
        printf("\n");
    }
    return 0;
}
