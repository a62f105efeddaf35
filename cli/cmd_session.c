/* needle session: record what was done and seen; list predicted vs observed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "practice.h"

static const char *SESSION_HELP =
    "Usage: needle session record PLAN_ID --date YYYY-MM-DD --number N --zone SPEC ...\n"
    "                             [--complications TEXT] [--notes TEXT]\n"
    "       needle session list PATIENT\n"
    "\n"
    "  record  records a session carried out under plan PLAN_ID: the settings\n"
    "          actually used in each zone and what was seen.  A zone whose depth\n"
    "          went beyond the plan's limit for it is recorded and flagged, with a\n"
    "          warning; the record says what was done.\n"
    "  list    every session of a patient (id, name or pseudonym), the plan's\n"
    "          settings and predictions beside what was used and seen.\n"
    "\n"
    "A zone SPEC is ZONE:KEY=VALUE,KEY=VALUE,...  ZONE is a zone of the plan\n"
    "(forehead, cheek_left, ...) or a group of them (cheeks, temples,\n"
    "periorbital, jawline, perioral, full_face), which records the same values\n"
    "for each.  Keys:\n"
    "  depth_mm=0.5          depth setting used (needle length for rollers, stamps); required\n"
    "  passes=4              passes made; required\n"
    "  device=NAME           device used, when not the plan's\n"
    "  pain=3                pain the patient reported, VAS 0..10\n"
    "  redness=mild          erythema: none, mild, moderate, severe (or 0..3)\n"
    "  bleeding=pinpoint     none, pinpoint, diffuse, or an estimate in points per cm2\n"
    "  bleeding_per_cm2=40   the estimate alone, beside a grade\n"
    "Example:\n"
    "  needle session record 2 --date 2026-03-02 --number 1 \\\n"
    "      --zone forehead:depth_mm=0.5,passes=4,pain=2,redness=mild,bleeding=none \\\n"
    "      --zone cheeks:depth_mm=1.5,passes=6,pain=4,redness=moderate,bleeding=pinpoint\n"
    "\n"
    "Options:\n"
    "  -d, --date DATE          the day of the session (not in the future)\n"
    "  -n, --number N           its place in the plan's series, 1..sessions\n"
    "  -z, --zone SPEC          a zone as treated (repeat for each zone)\n"
    "  -c, --complications TEXT complications seen\n"
    "      --notes TEXT         free notes\n" CLI_DB_HELP_LINE
    "  -h, --help               this help\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input, 3 refused for safety.\n";

enum { OPT_NOTES = 2000 };

typedef struct {
    const char *date, *number, *complications, *notes, *db;
    int n_zones;
    char **zones;
} session_args;

static int parse_args(const char *cmd, int argc, char **argv, session_args *a)
{
    static const struct option opts[] = {
        {"date", required_argument, 0, 'd'},
        {"number", required_argument, 0, 'n'},
        {"zone", required_argument, 0, 'z'},
        {"complications", required_argument, 0, 'c'},
        {"notes", required_argument, 0, OPT_NOTES},
        {"help", no_argument, 0, 'h'},
        CLI_DB_OPTION,
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":d:n:z:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            a->date = optarg;
            break;
        case 'n':
            a->number = optarg;
            break;
        case 'z': {
            char **grown = realloc(a->zones, (size_t)(a->n_zones + 1) * sizeof *grown);
            if (!grown) return cli_usage(cmd, "out of memory");
            grown[a->n_zones++] = optarg;
            a->zones = grown;
            break;
        }
        case 'c':
            a->complications = optarg;
            break;
        case OPT_NOTES:
            a->notes = optarg;
            break;
        case CLI_OPT_DB:
            a->db = optarg;
            break;
        case 'h':
            fputs(SESSION_HELP, stdout);
            return -1;
        default:
            return cli_getopt_error(cmd, c, argv);
        }
    }
    return 0;
}

/* ---- Zone specs --------------------------------------------------------- */

static nd_status zone_value(const char *field, const char *key, const char *val, nd_session_zone *z,
                            int *have, nd_error *err)
{
    nd_status st = ND_OK;
    double v;
    int g;
    char opt[ND_ERROR_FIELD_MAX];
    snprintf(opt, sizeof opt, "%s %s", field, key);
    if (!strcmp(key, "depth_mm")) {
        if (!(st = cli_parse_real(opt, val, 0.01, 5.0, &v, err))) z->depth_m = v / 1e3;
        *have |= 1;
    } else if (!strcmp(key, "passes")) {
        st = cli_parse_int(opt, val, 1, 100, &z->passes, err);
        *have |= 2;
    } else if (!strcmp(key, "pain")) {
        st = cli_parse_real(opt, val, 0, 10, &z->pain_vas, err);
    } else if (!strcmp(key, "redness")) {
        if ((g = nd_redness_from_name(val)) >= 0)
            z->redness = g;
        else if (cli_parse_int(opt, val, 0, 3, &z->redness, err))
            st = nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, opt,
                             "must be none, mild, moderate or severe (or 0..3), got '%s'", val);
    } else if (!strcmp(key, "bleeding")) {
        if ((g = nd_bleeding_from_name(val)) >= 0)
            z->bleeding = g;
        else if (cli_parse_real(opt, val, 0, 1e5, &z->bleeding_points_per_cm2, err))
            st = nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, opt,
                             "must be none, pinpoint, diffuse or points per cm2, got '%s'", val);
    } else if (!strcmp(key, "bleeding_per_cm2")) {
        st = cli_parse_real(opt, val, 0, 1e5, &z->bleeding_points_per_cm2, err);
    } else if (!strcmp(key, "device")) {
        if (!*val || strlen(val) >= sizeof z->device)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, opt, "must be 1..%d characters",
                               ND_NAME_MAX - 1);
        snprintf(z->device, sizeof z->device, "%s", val);
    } else {
        st = nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field,
                         "unknown key '%s'; keys: depth_mm, passes, device, pain, redness, "
                         "bleeding, bleeding_per_cm2",
                         key);
    }
    return st;
}

/* "ZONE:depth_mm=..,passes=..[,...]" into one zone, or each zone of a group. */
static nd_status parse_zone(const char *spec, nd_session_record *s, nd_error *err)
{
    const char *colon = strchr(spec, ':');
    char name[64], field[96];
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), spec);
    snprintf(field, sizeof field, "--zone %s", name);
    int ids[ND_ZONE_COUNT];
    int count = nd_zone_expand(name, ids);
    if (count == 0)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--zone",
                           "unknown zone '%s' (forehead, cheek_left, cheeks, ...)", name);
    if (!colon)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field,
                           "give the settings used: %s:depth_mm=..,passes=..", name);
    nd_session_zone z;
    memset(&z, 0, sizeof z);
    z.pain_vas = -1;
    z.redness = ND_REDNESS_UNRECORDED;
    z.bleeding = ND_BLEED_UNRECORDED;
    z.bleeding_points_per_cm2 = -1;
    char buf[1024];
    if (strlen(colon + 1) >= sizeof buf)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field, "too long");
    snprintf(buf, sizeof buf, "%s", colon + 1);
    int have = 0;
    for (char *save = NULL, *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field, "'%s' is not KEY=VALUE", kv);
        *eq = '\0';
        nd_status st = zone_value(field, kv, eq + 1, &z, &have, err);
        if (st) return st;
    }
    if (!(have & 1)) return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field, "needs depth_mm=");
    if (!(have & 2)) return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field, "needs passes=");
    for (int i = 0; i < count; i++) {
        for (int k = 0; k < s->n_zones; k++)
            if (s->zones[k].zone == ids[i])
                return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field, "%s is given twice",
                                   nd_zone_name(ids[i]));
        if (s->n_zones == ND_ZONE_COUNT)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, field, "too many zones");
        s->zones[s->n_zones] = z;
        s->zones[s->n_zones++].zone = ids[i];
    }
    return ND_OK;
}

static nd_status copy_text(const char *option, const char *in, char *out, size_t size,
                           nd_error *err)
{
    if (!in) return ND_OK;
    if (strlen(in) >= size)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option, "at most %zu characters",
                           size - 1);
    snprintf(out, size, "%s", in);
    return ND_OK;
}

/* The library names record fields; the user wrote options. */
static void name_option(nd_error *err, const nd_session_record *s)
{
    int i;
    if (!strcmp(err->field, "plan"))
        snprintf(err->field, sizeof err->field, "PLAN_ID");
    else if (!strcmp(err->field, "date") || !strcmp(err->field, "number") ||
             !strcmp(err->field, "complications") || !strcmp(err->field, "notes")) {
        char f[32];
        snprintf(f, sizeof f, "--%.20s", err->field);
        snprintf(err->field, sizeof err->field, "%s", f);
    } else if (sscanf(err->field, "zones[%d]", &i) == 1 && i >= 0 && i < s->n_zones)
        snprintf(err->field, sizeof err->field, "--zone %s", nd_zone_name(s->zones[i].zone));
}

static int session_record(session_args *a, int argc, char **argv)
{
    const char *cmd = "session record";
    if (optind >= argc) return cli_usage(cmd, "needs the PLAN_ID the session carried out");
    if (optind + 1 < argc) return cli_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
    nd_error err;
    nd_error_clear(&err);
    const char *missing = !a->date      ? "--date"
                          : !a->number  ? "--number"
                          : !a->n_zones ? "--zone"
                                        : NULL;
    if (missing) {
        nd_error_at(&err, ND_ERR_INPUT, NULL, 0, 0, missing, "is required to record a session");
        return cli_fail(&err);
    }
    nd_session_record *s = calloc(1, sizeof *s);
    if (!s) return nd_error_set(&err, ND_ERR_NOMEM, "out of memory"), cli_fail(&err);
    nd_status st = cli_parse_id("PLAN_ID", argv[optind], &s->plan_id, &err);
    if (!st) st = cli_parse_date("--date", a->date, s->date, &err);
    if (!st) st = cli_parse_int("--number", a->number, 1, 1000, &s->number, &err);
    for (int i = 0; !st && i < a->n_zones; i++) st = parse_zone(a->zones[i], s, &err);
    if (!st)
        st = copy_text("--complications", a->complications, s->complications,
                       sizeof s->complications, &err);
    if (!st) st = copy_text("--notes", a->notes, s->notes, sizeof s->notes, &err);
    if (st) {
        free(s);
        return cli_fail(&err);
    }
    nd_db *db;
    int rc = cli_db_open(a->db, 0, &db, &err);
    if (rc) {
        free(s);
        return rc;
    }
    st = nd_db_begin(db, &err);
    if (!st) st = nd_db_session_record(db, s, &err);
    if (st) name_option(&err, s);
    if (!(rc = cli_db_finish(db, st, &err))) {
        printf("Recorded session %lld: plan %lld, number %d, %s, %d zone%s.\n", (long long)s->id,
               (long long)s->plan_id, s->number, s->date, s->n_zones, s->n_zones == 1 ? "" : "s");
        for (int i = 0; i < s->n_zones; i++)
            if (s->zones[i].depth_exceeded)
                cli_warn("%s: depth %.2f mm was beyond the plan's limit of %.2f mm; flagged in "
                         "the record",
                         nd_zone_name(s->zones[i].zone), s->zones[i].depth_m * 1e3,
                         s->zones[i].depth_limit_m * 1e3);
    }
    free(s);
    return rc;
}

/* ---- Listing ------------------------------------------------------------ */

static void cell(char *buf, size_t size, const char *fmt, double v, int known)
{
    if (known && isfinite(v))
        snprintf(buf, size, fmt, v);
    else
        snprintf(buf, size, "-");
}

static void seen_bleeding(const nd_session_zone *z, char *buf, size_t size)
{
    const char *g = nd_bleeding_name(z->bleeding);
    if (g && z->bleeding_points_per_cm2 >= 0)
        snprintf(buf, size, "%s,%.0f", g, z->bleeding_points_per_cm2);
    else if (g)
        snprintf(buf, size, "%s", g);
    else if (z->bleeding_points_per_cm2 >= 0)
        snprintf(buf, size, "%.0f/cm2", z->bleeding_points_per_cm2);
    else
        snprintf(buf, size, "-");
}

static int list_session(void *user, const nd_session_record *s, const nd_plan *plan)
{
    (void)user;
    printf("\nSession %lld: plan %lld (%s, %s), number %d of %d, %s\n", (long long)s->id,
           (long long)plan->id, plan->indication,
           plan->device.preset[0] ? plan->device.preset : nd_device_kind_name(plan->device.kind),
           s->number, plan->sessions, s->date);
    printf("  %-18s %-17s %-9s %-11s %-15s %-s\n", "", "depth_mm", "passes", "pain_vas", "redness",
           "bleeding");
    printf("  %-18s %5s %5s %5s %4s %4s %5s %5s %5s %-9s %8s %s\n", "zone", "plan", "used", "limit",
           "plan", "used", "pred", "seen", "pred", "seen", "pred/cm2", "seen");
    for (int i = 0; i < s->n_zones; i++) {
        const nd_session_zone *z = &s->zones[i];
        const nd_plan_zone *pz = NULL;
        for (int k = 0; k < plan->n_zones; k++)
            if (plan->zones[k].zone == z->zone) pz = &plan->zones[k];
        char pdepth[16], ppasses[16], ppain[16], spain[16], pred[16], pbleed[16], sbleed[32];
        cell(pdepth, sizeof pdepth, "%.2f", pz ? pz->depth_m * 1e3 : NAN, pz != NULL);
        cell(ppasses, sizeof ppasses, "%.0f", pz ? pz->passes : NAN, pz != NULL);
        cell(ppain, sizeof ppain, "%.1f", pz ? pz->pain_vas : NAN, pz != NULL);
        cell(spain, sizeof spain, "%.1f", z->pain_vas, z->pain_vas >= 0);
        cell(pred, sizeof pred, "%.2f", pz ? pz->erythema_peak : NAN, pz != NULL);
        cell(pbleed, sizeof pbleed, "%.0f", pz ? pz->bleeding_points_per_cm2 : NAN, pz != NULL);
        seen_bleeding(z, sbleed, sizeof sbleed);
        const char *red = nd_redness_name(z->redness);
        printf("  %-18s %5s %5.2f %5.2f %4s %4d %5s %5s %5s %-9s %8s %s%s\n", nd_zone_name(z->zone),
               pdepth, z->depth_m * 1e3, z->depth_limit_m * 1e3, ppasses, z->passes, ppain, spain,
               pred, red ? red : "-", pbleed, sbleed,
               z->depth_exceeded ? "  DEPTH OVER LIMIT" : "");
    }
    for (int i = 0; i < s->n_zones; i++)
        if (strcmp(s->zones[i].device, plan->device.preset[0]
                                           ? plan->device.preset
                                           : nd_device_kind_name(plan->device.kind)))
            printf("  %s: device used %s\n", nd_zone_name(s->zones[i].zone), s->zones[i].device);
    printf("  complications: %s\n", s->complications[0] ? s->complications : "none recorded");
    if (s->notes[0]) printf("  notes: %s\n", s->notes);
    return 0;
}

static int session_list(session_args *a, int argc, char **argv)
{
    const char *cmd = "session list";
    if (optind >= argc) return cli_usage(cmd, "needs a PATIENT (id, name or pseudonym)");
    if (optind + 1 < argc) return cli_usage(cmd, "unexpected argument '%s'", argv[optind + 1]);
    if (a->date || a->number || a->n_zones || a->complications || a->notes)
        return cli_usage(cmd, "takes no options but --db");
    nd_error err;
    nd_db *db;
    int rc = cli_db_open(a->db, 0, &db, &err);
    if (rc) return rc;
    int64_t id = 0;
    nd_patient_summary ps;
    nd_status st = nd_db_begin_read(db, &err);
    if (!st) st = cli_patient_resolve(db, argv[optind], &id, &err);
    if (!st) st = nd_db_patient_summary(db, id, &ps, &err);
    if (!st) {
        printf("Patient %lld (%s): %d session%s recorded\n", (long long)id, ps.pseudonym,
               ps.n_sessions, ps.n_sessions == 1 ? "" : "s");
        if (ps.n_sessions)
            printf("(plan: the plan's setting or prediction; used, seen: as recorded; redness "
                   "pred is the\n predicted peak as a share of the maximum, seen the grade)\n");
        st = nd_db_session_list(db, id, list_session, NULL, &err);
    }
    return cli_db_finish(db, st, &err);
}

int cli_session(int argc, char **argv)
{
    if (argc < 2) return cli_usage("session", "needs record or list");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(SESSION_HELP, stdout);
        return 0;
    }
    int rec = !strcmp(argv[1], "record");
    if (!rec && strcmp(argv[1], "list"))
        return cli_usage("session", "unknown subcommand '%s' (record or list)", argv[1]);
    session_args a;
    int rc = parse_args(rec ? "session record" : "session list", argc - 1, argv + 1, &a);
    if (rc == 0)
        rc = rec ? session_record(&a, argc - 1, argv + 1) : session_list(&a, argc - 1, argv + 1);
    else if (rc < 0)
        rc = 0;
    free(a.zones);
    return rc;
}
