/* needle plan: plan a treatment series for a patient of the practice,
 * checked for contraindications and zone limits and chosen by the simulator
 * (include/needle/planner.h), and store it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "needle/planner.h"
#include "practice.h"

static const char *PLAN_HELP =
    "Usage: needle plan PATIENT --indication I [--zones Z1,Z2|all]\n"
    "                   [--max-downtime-days N] [--max-pain N] [--acknowledge CODE ...]\n"
    "                   [--device PRESET] [--depth ZONE=MM ...] [--date YYYY-MM-DD]\n"
    "                   [--seed N] [--db FILE] [--json]\n"
    "\n"
    "Plan a series of needling sessions for a patient: per zone the device\n"
    "depth, passes and directions, the numbing cream and its time, the number\n"
    "of sessions and their interval, with the pain, redness, bleeding, downtime\n"
    "and collagen the simulator predicts and the reason for each choice.  The\n"
    "plan is stored and its id printed.  PATIENT is an id, or a name or\n"
    "pseudonym that belongs to one patient only.\n"
    "\n"
    "Safety comes first.  The patient's history is screened on the plan's date\n"
    "(data/contraindications.csv): an absolute contraindication refuses the\n"
    "plan; a relative one refuses it until acknowledged with --acknowledge CODE,\n"
    "and then makes it more careful (shallower, fewer passes, longer interval or\n"
    "no cream, as the table says).  No zone is planned deeper than its limit\n"
    "(data/zone_limits.csv, lower for Fitzpatrick IV-VI); a --depth beyond it is\n"
    "refused, never clamped.  When no setting keeps the patient's limits, the\n"
    "plan is refused rather than broken.\n"
    "\n"
    "Options:\n"
    "  -i, --indication I        acne_scars, wrinkles, stretch_marks, pigmentation,\n"
    "                            pores or dull_skin\n"
    "  -z, --zones LIST          zones or groups, comma-separated (cheeks, temples,\n"
    "                            periorbital, jawline, perioral, neck, ...);\n"
    "                            default all: the full face without the neck\n"
    "      --max-downtime-days N the longest downtime (visible redness) the patient\n"
    "                            accepts, days\n"
    "      --max-pain N          the most pain the patient accepts, 0..10 (VAS)\n"
    "  -a, --acknowledge CODE    accept a relative contraindication (its code is\n"
    "                            named when the plan is refused); repeatable\n"
    "  -d, --device PRESET       device preset (needle presets); default pen_12\n"
    "      --depth ZONE=MM       fix a zone's depth (or a roller's needle length);\n"
    "                            checked against the zone's limit; repeatable\n"
    "      --date YYYY-MM-DD     the plan's date (default today): contraindication\n"
    "                            windows are counted to it\n"
    "      --seed N              seed of the simulation (default 1)\n"
    "      --json                print the plan as JSON\n" CLI_DB_HELP_LINE
    "  -h, --help                this help\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input (nothing is\n"
    "written), 3 refused for safety: a contraindication, a depth over a zone's\n"
    "limit, or limits no setting can keep.\n";

enum { OPT_MAX_DOWNTIME = 2000, OPT_MAX_PAIN, OPT_DEPTH, OPT_DATE, OPT_SEED, OPT_JSON };

#define MAX_ARGS 64

typedef struct {
    const char *patient, *indication, *zones, *device, *date, *seed, *db;
    const char *max_downtime, *max_pain;
    int n_ack, n_depth;
    const char *ack[MAX_ARGS], *depth[MAX_ARGS];
    int json;
} plan_args;

static int parse_args(int argc, char **argv, plan_args *a)
{
    static const struct option opts[] = {
        {"indication", required_argument, 0, 'i'},
        {"zones", required_argument, 0, 'z'},
        {"max-downtime-days", required_argument, 0, OPT_MAX_DOWNTIME},
        {"max-pain", required_argument, 0, OPT_MAX_PAIN},
        {"acknowledge", required_argument, 0, 'a'},
        {"device", required_argument, 0, 'd'},
        {"depth", required_argument, 0, OPT_DEPTH},
        {"date", required_argument, 0, OPT_DATE},
        {"seed", required_argument, 0, OPT_SEED},
        {"json", no_argument, 0, OPT_JSON},
        {"help", no_argument, 0, 'h'},
        CLI_DB_OPTION,
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":i:z:a:d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            a->indication = optarg;
            break;
        case 'z':
            a->zones = optarg;
            break;
        case OPT_MAX_DOWNTIME:
            a->max_downtime = optarg;
            break;
        case OPT_MAX_PAIN:
            a->max_pain = optarg;
            break;
        case 'a':
            if (a->n_ack == MAX_ARGS) return cli_usage("plan", "too many --acknowledge");
            a->ack[a->n_ack++] = optarg;
            break;
        case 'd':
            a->device = optarg;
            break;
        case OPT_DEPTH:
            if (a->n_depth == MAX_ARGS) return cli_usage("plan", "too many --depth");
            a->depth[a->n_depth++] = optarg;
            break;
        case OPT_DATE:
            a->date = optarg;
            break;
        case OPT_SEED:
            a->seed = optarg;
            break;
        case OPT_JSON:
            a->json = 1;
            break;
        case CLI_OPT_DB:
            a->db = optarg;
            break;
        case 'h':
            fputs(PLAN_HELP, stdout);
            return -1;
        default:
            return cli_getopt_error("plan", c, argv);
        }
    }
    if (optind < argc) a->patient = argv[optind++];
    if (optind < argc) return cli_usage("plan", "unexpected argument '%s'", argv[optind]);
    if (!a->patient) return cli_usage("plan", "name the PATIENT (an id, a name or a pseudonym)");
    if (!a->indication) return cli_usage("plan", "give --indication");
    return 0;
}

/* Every name of a list ("cheeks,nose") into zone ids, each once. */
static nd_status parse_zones(const char *list, nd_plan_request *req, nd_error *err)
{
    req->n_zones = 0;
    if (!strcmp(list, "all")) return ND_OK;
    char buf[512];
    if (strlen(list) >= sizeof buf)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--zones", "list too long");
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int ids[ND_ZONE_COUNT];
        int n = nd_zone_expand(tok, ids);
        if (n == 0)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--zones",
                               "unknown zone '%s' (zones: forehead, glabella, temples, "
                               "periorbital, nose, cheeks, upper_lip, chin, jawline, neck, "
                               "perioral, full_face, or one side: cheek_left ...)",
                               tok);
        for (int k = 0; k < n; k++) {
            int seen = 0;
            for (int j = 0; j < req->n_zones; j++) seen |= req->zones[j] == ids[k];
            if (!seen) req->zones[req->n_zones++] = ids[k];
        }
    }
    if (req->n_zones == 0)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--zones", "no zone named");
    return ND_OK;
}

/* "ZONE=MM" (a zone or a group). */
static nd_status parse_depth(const char *s, nd_plan_request *req, nd_error *err)
{
    const char *eq = strchr(s, '=');
    char name[64];
    if (!eq || eq == s || (size_t)(eq - s) >= sizeof name)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--depth", "'%s' is not ZONE=MM", s);
    snprintf(name, sizeof name, "%.*s", (int)(eq - s), s);
    int ids[ND_ZONE_COUNT], n = nd_zone_expand(name, ids);
    if (n == 0)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--depth", "unknown zone '%s'", name);
    double mm;
    nd_status st = cli_parse_real("--depth", eq + 1, 0.01, 5.0, &mm, err);
    if (st) return st;
    for (int k = 0; k < n; k++) req->depth_m[ids[k]] = mm * 1e-3;
    return ND_OK;
}

/* Check every option before anything is opened, so bad input writes nothing. */
static nd_status build_request(const plan_args *a, nd_plan_request *req, nd_error *err)
{
    nd_plan_request_init(req, NULL, nd_indication_from_name(a->indication));
    if (req->indication < 0)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--indication",
                           "unknown indication '%s' (acne_scars, wrinkles, stretch_marks, "
                           "pigmentation, pores, dull_skin)",
                           a->indication);
    nd_status st = ND_OK;
    if (a->zones && (st = parse_zones(a->zones, req, err))) return st;
    if (a->max_downtime && (st = cli_parse_real("--max-downtime-days", a->max_downtime, 0, 365,
                                                &req->max_downtime_days, err)))
        return st;
    if (a->max_pain &&
        (st = cli_parse_real("--max-pain", a->max_pain, 0, 10, &req->max_pain_vas, err)))
        return st;
    for (int i = 0; i < a->n_ack; i++) {
        if (nd_history_kind_from_name(a->ack[i]) < 0)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--acknowledge",
                               "'%s' is not a contraindication code (the history kinds: needle "
                               "help patient)",
                               a->ack[i]);
        int seen = 0;
        for (int j = 0; j < req->n_acknowledged; j++)
            seen |= !strcmp(req->acknowledged[j], a->ack[i]);
        if (!seen && req->n_acknowledged < ND_HX_COUNT)
            snprintf(req->acknowledged[req->n_acknowledged++], ND_CODE_MAX, "%s", a->ack[i]);
    }
    if (a->device) {
        nd_device_spec dev;
        if (strlen(a->device) >= sizeof req->device || nd_device_preset(a->device, &dev, err))
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--device",
                               "unknown device preset '%s' (needle presets lists them)", a->device);
        snprintf(req->device, sizeof req->device, "%s", a->device);
    }
    for (int i = 0; i < a->n_depth; i++)
        if ((st = parse_depth(a->depth[i], req, err))) return st;
    if (a->date && (st = cli_parse_date("--date", a->date, req->date, err))) return st;
    if (a->seed) {
        int64_t seed;
        if ((st = cli_parse_id("--seed", a->seed, &seed, err))) return st;
        req->seed = (uint64_t)seed;
    }
    return ND_OK;
}

static const char *dir_letter(nd_direction d)
{
    static const char *const L[ND_DIR_COUNT] = {"h", "v", "d", "a"};
    return d < ND_DIR_COUNT ? L[d] : "?";
}

static void numbing_text(const nd_numbing *n, char *out, size_t size)
{
    if (n->cream == ND_CREAM_NONE)
        snprintf(out, size, "none");
    else
        snprintf(out, size, "%s %.0f min%s", nd_cream_name(n->cream), n->application_s / 60.0,
                 n->occluded ? " occluded" : "");
}

static void print_table(const nd_plan *plan, const nd_patient_summary *ps)
{
    char numb[64];
    numbing_text(&plan->numbing, numb, sizeof numb);
    printf("Plan %lld for patient %lld (%s): %s, %s\n", (long long)plan->id, (long long)ps->id,
           ps->pseudonym, plan->indication, plan->created);
    printf("Device %s (%s); numbing: %s; %d sessions, %.0f days apart\n",
           plan->device.preset[0] ? plan->device.preset : nd_device_kind_name(plan->device.kind),
           nd_device_kind_name(plan->device.kind), numb, plan->sessions,
           plan->interval_s / 86400.0);
    printf("Limits: downtime ");
    if (plan->max_downtime_days >= 0)
        printf("<= %.1f d", plan->max_downtime_days);
    else
        printf("none given");
    printf(", pain ");
    if (plan->max_pain_vas >= 0)
        printf("<= %.1f (VAS)\n", plan->max_pain_vas);
    else
        printf("none given\n");
    if (plan->n_acknowledged) {
        printf("Acknowledged:");
        for (int i = 0; i < plan->n_acknowledged; i++) printf(" %s", plan->acknowledged[i]);
        printf("\n");
    }
    printf("\n%-18s %6s %6s %6s %-5s %5s %5s %7s %8s %8s\n", "zone", "depth", "limit", "passes",
           "dirs", "pain", "red", "bleed", "downtime", "collagen");
    printf("%-18s %6s %6s %6s %-5s %5s %5s %7s %8s %8s\n", "", "mm", "mm", "", "", "VAS", "0-1",
           "/cm2", "days", "I x");
    for (int i = 0; i < plan->n_zones; i++) {
        const nd_plan_zone *z = &plan->zones[i];
        char dirs[16] = "";
        for (int d = 0; d < z->n_directions && d < 4; d++)
            strcat(dirs, dir_letter(z->directions[d]));
        printf("%-18s %6.2f %6.2f %6d %-5s %5.1f %5.2f %7.0f %8.1f %8.2f\n", nd_zone_name(z->zone),
               z->depth_m * 1e3, z->depth_limit_m * 1e3, z->passes, dirs, z->pain_vas,
               z->erythema_peak, z->bleeding_points_per_cm2, z->downtime_days, z->collagen_I_rel);
    }
    printf("(directions: h horizontal, v vertical, d diagonal, a antidiagonal, in turn)\n");
    printf("\nReasons:\n");
    for (int i = 0; i < plan->n_zones; i++)
        printf("  %s: %s\n", nd_zone_name(plan->zones[i].zone), plan->zones[i].reason);
    if (plan->n_warnings) {
        printf("\nWarnings:\n");
        for (int i = 0; i < plan->n_warnings; i++) printf("  %s\n", plan->warnings[i]);
    }
    printf("\nStored plan id: %lld\n", (long long)plan->id);
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void print_json(const nd_plan *plan, const nd_patient_summary *ps)
{
    printf("{\"plan_id\": %lld, \"patient_id\": %lld, \"pseudonym\": ", (long long)plan->id,
           (long long)ps->id);
    json_string(ps->pseudonym);
    printf(", \"date\": ");
    json_string(plan->created);
    printf(", \"indication\": ");
    json_string(plan->indication);
    printf(", \"device\": ");
    json_string(plan->device.preset);
    printf(", \"device_kind\": ");
    json_string(nd_device_kind_name(plan->device.kind));
    printf(",\n \"numbing\": {\"cream\": ");
    json_string(nd_cream_name(plan->numbing.cream));
    printf(", \"application_min\": %g, \"occluded\": %s}", plan->numbing.application_s / 60.0,
           plan->numbing.occluded ? "true" : "false");
    printf(", \"sessions\": %d, \"interval_days\": %g,\n", plan->sessions,
           plan->interval_s / 86400.0);
    printf(" \"max_downtime_days\": ");
    if (plan->max_downtime_days >= 0)
        printf("%g", plan->max_downtime_days);
    else
        printf("null");
    printf(", \"max_pain_vas\": ");
    if (plan->max_pain_vas >= 0)
        printf("%g", plan->max_pain_vas);
    else
        printf("null");
    printf(", \"acknowledged\": [");
    for (int i = 0; i < plan->n_acknowledged; i++) {
        if (i) printf(", ");
        json_string(plan->acknowledged[i]);
    }
    printf("],\n \"zones\": [");
    for (int i = 0; i < plan->n_zones; i++) {
        const nd_plan_zone *z = &plan->zones[i];
        printf("%s\n  {\"zone\": ", i ? "," : "");
        json_string(nd_zone_name(z->zone));
        printf(", \"depth_mm\": %.3f, \"depth_limit_mm\": %.3f, \"passes\": %d, \"directions\": [",
               z->depth_m * 1e3, z->depth_limit_m * 1e3, z->passes);
        for (int d = 0; d < z->n_directions; d++) {
            if (d) printf(", ");
            json_string(nd_direction_name(z->directions[d]));
        }
        printf("], \"pain_vas\": %.3f, \"pain_vas_peak\": %.3f, \"erythema_peak\": %.4f, "
               "\"bleeding_points_per_cm2\": %.1f, \"downtime_days\": %.3f, "
               "\"collagen_I_rel\": %.4f, \"pih_risk\": %.4f, \"reason\": ",
               z->pain_vas, z->pain_vas_peak, z->erythema_peak, z->bleeding_points_per_cm2,
               z->downtime_days, z->collagen_I_rel, z->pih_risk);
        json_string(z->reason);
        printf("}");
    }
    printf("],\n \"warnings\": [");
    for (int i = 0; i < plan->n_warnings; i++) {
        if (i) printf(", ");
        json_string(plan->warnings[i]);
    }
    printf("]}\n");
}

int cli_plan(int argc, char **argv)
{
    plan_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc) return rc < 0 ? 0 : rc;
    nd_error err;
    nd_error_clear(&err);
    nd_plan_request req;
    if (build_request(&a, &req, &err)) return cli_fail(&err);

    nd_db *db;
    if ((rc = cli_db_open(a.db, 0, &db, &err))) return rc;
    int64_t id = 0;
    nd_patient_record patient;
    nd_patient_summary ps;
    nd_plan *plan = calloc(1, sizeof *plan);
    nd_status st = plan ? nd_db_begin(db, &err) : nd_error_set(&err, ND_ERR_NOMEM, "out of memory");
    if (!st) st = cli_patient_resolve(db, a.patient, &id, &err);
    if (!st) st = nd_db_patient_get(db, id, &patient, &err);
    if (!st) st = nd_db_patient_summary(db, id, &ps, &err);
    if (!st) {
        req.patient = &patient;
        st = nd_plan_make(&req, plan, &err);
    }
    /* A relative contraindication names its code in err->field. */
    int needs_ack = st == ND_ERR_SAFETY && nd_history_kind_from_name(err.field) >= 0;
    char code[ND_ERROR_FIELD_MAX];
    snprintf(code, sizeof code, "%s", err.field);
    if (!st) {
        plan->patient_id = id;
        st = nd_db_plan_store(db, plan, &plan->id, &err);
    }
    rc = cli_db_finish(db, st, &err);
    if (needs_ack)
        fprintf(stderr, "needle: to plan with it, run again with --acknowledge %s\n", code);
    if (!rc) {
        if (a.json)
            print_json(plan, &ps);
        else
            print_table(plan, &ps);
    }
    free(plan);
    return rc;
}
