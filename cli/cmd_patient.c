/* needle patient: register patients, change their records, look them up. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "commands.h"
#include "practice.h"

static const char *PATIENT_HELP =
    "Usage: needle patient add --name NAME --birth-date YYYY-MM-DD --sex female|male\n"
    "                          --fitzpatrick 1..6 [--history ITEM ...]\n"
    "       needle patient edit PATIENT [--name N] [--birth-date D] [--sex S]\n"
    "                          [--fitzpatrick F] [--add-history ITEM ...]\n"
    "                          [--end-history KIND:UNTIL ...] [--remove-history KIND:SINCE ...]\n"
    "       needle patient show PATIENT\n"
    "       needle patient list [--names]\n"
    "\n"
    "Register the practice's patients and the history that screening for\n"
    "contraindications needs.  PATIENT is an id, or a name or pseudonym that\n"
    "belongs to one patient only (ignoring case); when several match, their ids\n"
    "are listed and nothing is done.\n"
    "\n"
    "  add     registers a patient and prints the new id and pseudonym\n"
    "  edit    changes what is given and keeps the rest\n"
    "  show    the whole record, name included\n"
    "  list    every patient by id and pseudonym; --names adds the names\n"
    "\n"
    "A history ITEM is KIND:SINCE[:UNTIL][:NOTE]: dates YYYY-MM-DD, UNTIL empty\n"
    "while ongoing (KIND:SINCE::NOTE for an ongoing item with a note).  --history\n"
    "and --add-history add an item; --end-history sets the end of the ongoing item\n"
    "of a kind; --remove-history deletes an item entered by mistake.  Kinds:\n"
    "  isotretinoin anticoagulant bleeding_disorder keloid infection herpes\n"
    "  active_acne eczema psoriasis rosacea pregnancy breastfeeding radiotherapy\n"
    "  immunosuppression metal_allergy anesthetic_allergy filler peel laser\n"
    "\n"
    "Options:\n"
    "  -n, --name NAME          name (or the practice's own pseudonym for the person)\n"
    "  -b, --birth-date DATE    date of birth, YYYY-MM-DD\n"
    "  -s, --sex SEX            female or male\n"
    "  -f, --fitzpatrick N      skin type 1..6 (or I..VI)\n"
    "      --names              list: show names\n" CLI_DB_HELP_LINE
    "  -h, --help               this help\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input, 3 refused for safety.\n";

enum {
    OPT_HISTORY = 'H',
    OPT_END = 2000,
    OPT_REMOVE,
    OPT_NAMES,
};

typedef struct {
    const char *name, *birth_date, *sex, *fitzpatrick;
    const char *db;
    int names;
    int n_add, n_end, n_remove;
    char **add, **end, **remove;
} patient_args;

static void free_args(patient_args *a)
{
    free(a->add);
    free(a->end);
    free(a->remove);
}

static int push(char ***list, int *n, char *value)
{
    char **grown = realloc(*list, (size_t)(*n + 1) * sizeof **list);
    if (!grown) return -1;
    grown[(*n)++] = value;
    *list = grown;
    return 0;
}

/* Options for every subcommand; which of them a subcommand accepts is
 * checked after parsing, so the messages can say why. */
static int parse_args(const char *cmd, int argc, char **argv, patient_args *a)
{
    static const struct option opts[] = {
        {"name", required_argument, 0, 'n'},
        {"birth-date", required_argument, 0, 'b'},
        {"sex", required_argument, 0, 's'},
        {"fitzpatrick", required_argument, 0, 'f'},
        {"history", required_argument, 0, OPT_HISTORY},
        {"add-history", required_argument, 0, OPT_HISTORY},
        {"end-history", required_argument, 0, OPT_END},
        {"remove-history", required_argument, 0, OPT_REMOVE},
        {"names", no_argument, 0, OPT_NAMES},
        {"help", no_argument, 0, 'h'},
        CLI_DB_OPTION,
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:b:s:f:h", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'n':
            a->name = optarg;
            break;
        case 'b':
            a->birth_date = optarg;
            break;
        case 's':
            a->sex = optarg;
            break;
        case 'f':
            a->fitzpatrick = optarg;
            break;
        case OPT_HISTORY:
            bad = push(&a->add, &a->n_add, optarg);
            break;
        case OPT_END:
            bad = push(&a->end, &a->n_end, optarg);
            break;
        case OPT_REMOVE:
            bad = push(&a->remove, &a->n_remove, optarg);
            break;
        case OPT_NAMES:
            a->names = 1;
            break;
        case CLI_OPT_DB:
            a->db = optarg;
            break;
        case 'h':
            fputs(PATIENT_HELP, stdout);
            return -1;
        default:
            return cli_getopt_error(cmd, c, argv);
        }
        if (bad) return cli_usage(cmd, "out of memory");
    }
    return 0;
}

/* ---- Field values ------------------------------------------------------- */

static nd_status parse_fitzpatrick(const char *s, int *out, nd_error *err)
{
    static const char *const roman[] = {"I", "II", "III", "IV", "V", "VI"};
    for (int i = 0; i < 6; i++)
        if (!strcasecmp(s, roman[i])) {
            *out = i + 1;
            return ND_OK;
        }
    if (cli_parse_int("--fitzpatrick", s, 1, 6, out, err))
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--fitzpatrick",
                           "must be a skin type 1..6 (or I..VI), got '%s'", s);
    return ND_OK;
}

static nd_status parse_kind(const char *option, const char *s, size_t len, nd_history_kind *out,
                            nd_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), s);
    int k = nd_history_kind_from_name(name);
    if (k < 0)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option,
                           "unknown history kind '%s' (needle help patient lists them)", name);
    *out = (nd_history_kind)k;
    return ND_OK;
}

/* "KIND:SINCE[:UNTIL][:NOTE]" */
static nd_status parse_item(const char *option, const char *s, nd_history_item *h, nd_error *err)
{
    memset(h, 0, sizeof *h);
    const char *colon = strchr(s, ':');
    if (!colon)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option,
                           "'%s' is not KIND:SINCE[:UNTIL][:NOTE]", s);
    nd_status st = parse_kind(option, s, (size_t)(colon - s), &h->kind, err);
    if (st) return st;
    const char *since = colon + 1, *rest = strchr(since, ':');
    size_t n = rest ? (size_t)(rest - since) : strlen(since);
    char date[32];
    snprintf(date, sizeof date, "%.*s", (int)(n < 31 ? n : 31), since);
    if (!nd_date_valid(date))
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option,
                           "SINCE '%s' is not a date YYYY-MM-DD", date);
    memcpy(h->since, date, ND_DATE_LEN);
    if (!rest) return ND_OK;
    const char *until = rest + 1, *note = strchr(until, ':');
    n = note ? (size_t)(note - until) : strlen(until);
    if (n > 0) {
        snprintf(date, sizeof date, "%.*s", (int)(n < 31 ? n : 31), until);
        if (!nd_date_valid(date))
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option,
                               "UNTIL '%s' is not a date YYYY-MM-DD (write KIND:SINCE::NOTE "
                               "for an ongoing item with a note)",
                               date);
        memcpy(h->until, date, ND_DATE_LEN);
    }
    if (note) {
        if (strlen(note + 1) >= sizeof h->note)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, option,
                               "the note is longer than %d characters", ND_NOTE_MAX - 1);
        snprintf(h->note, sizeof h->note, "%s", note + 1);
    }
    return ND_OK;
}

/* Set what the options give; the library validates the record as a whole. */
static nd_status apply_identity(const patient_args *a, nd_patient_record *p, nd_error *err)
{
    nd_status st;
    if (a->name) {
        if (strlen(a->name) >= sizeof p->name)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--name", "at most %d characters",
                               ND_NAME_MAX - 1);
        snprintf(p->name, sizeof p->name, "%s", a->name);
    }
    if (a->birth_date && (st = cli_parse_date("--birth-date", a->birth_date, p->birth_date, err)))
        return st;
    if (a->sex) {
        if (!strcmp(a->sex, "female"))
            p->sex = ND_SEX_FEMALE;
        else if (!strcmp(a->sex, "male"))
            p->sex = ND_SEX_MALE;
        else
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--sex",
                               "must be female or male, got '%s'", a->sex);
    }
    if (a->fitzpatrick && (st = parse_fitzpatrick(a->fitzpatrick, &p->fitzpatrick, err))) return st;
    for (int i = 0; i < a->n_add; i++) {
        if (p->n_history == ND_MAX_HISTORY)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--history",
                               "at most %d history items", ND_MAX_HISTORY);
        if ((st = parse_item("--history", a->add[i], &p->history[p->n_history], err))) return st;
        p->n_history++;
    }
    return ND_OK;
}

static nd_status end_item(const char *s, nd_patient_record *p, nd_error *err)
{
    const char *colon = strchr(s, ':');
    nd_history_kind kind;
    char until[ND_DATE_LEN];
    nd_status st;
    if (!colon)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--end-history", "'%s' is not KIND:UNTIL",
                           s);
    if ((st = parse_kind("--end-history", s, (size_t)(colon - s), &kind, err)) ||
        (st = cli_parse_date("--end-history", colon + 1, until, err)))
        return st;
    int found = -1;
    for (int i = 0; i < p->n_history; i++) {
        if (p->history[i].kind != kind || p->history[i].until[0]) continue;
        if (found >= 0)
            return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--end-history",
                               "several ongoing %s items; remove the one entered by mistake",
                               nd_history_name(kind));
        found = i;
    }
    if (found < 0)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--end-history",
                           "no ongoing %s item to end", nd_history_name(kind));
    memcpy(p->history[found].until, until, ND_DATE_LEN);
    return ND_OK;
}

static nd_status remove_item(const char *s, nd_patient_record *p, nd_error *err)
{
    const char *colon = strchr(s, ':');
    nd_history_kind kind;
    char since[ND_DATE_LEN];
    nd_status st;
    if (!colon)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--remove-history",
                           "'%s' is not KIND:SINCE", s);
    if ((st = parse_kind("--remove-history", s, (size_t)(colon - s), &kind, err)) ||
        (st = cli_parse_date("--remove-history", colon + 1, since, err)))
        return st;
    for (int i = 0; i < p->n_history; i++) {
        if (p->history[i].kind != kind || strcmp(p->history[i].since, since)) continue;
        memmove(&p->history[i], &p->history[i + 1],
                (size_t)(p->n_history - i - 1) * sizeof p->history[0]);
        p->n_history--;
        return ND_OK;
    }
    return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "--remove-history", "no %s item since %s",
                       nd_history_name(kind), since);
}

/* The library names record fields; the user wrote options. */
static void name_option(nd_error *err)
{
    static const char *const map[][2] = {{"name", "--name"},
                                         {"birth_date", "--birth-date"},
                                         {"sex", "--sex"},
                                         {"fitzpatrick", "--fitzpatrick"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(err->field, map[i][0])) {
            snprintf(err->field, sizeof err->field, "%s", map[i][1]);
            return;
        }
    int item;
    char rest[64];
    if (sscanf(err->field, "history[%d]%63s", &item, rest) == 2 ||
        sscanf(err->field, "history[%d]", &item) == 1) {
        char f[ND_ERROR_FIELD_MAX];
        int has_rest = sscanf(err->field, "history[%d].%63s", &item, rest) == 2;
        snprintf(f, sizeof f, "history item %d%s%s", item + 1, has_rest ? " " : "",
                 has_rest ? rest : "");
        snprintf(err->field, sizeof err->field, "%s", f);
    }
}

/* ---- Subcommands -------------------------------------------------------- */

static int patient_add(patient_args *a, int argc, char **argv)
{
    if (optind < argc) return cli_usage("patient add", "unexpected argument '%s'", argv[optind]);
    if (a->n_end || a->n_remove || a->names)
        return cli_usage("patient add", "--end-history, --remove-history and --names belong to "
                                        "edit and list");
    const char *missing = !a->name          ? "--name"
                          : !a->birth_date  ? "--birth-date"
                          : !a->sex         ? "--sex"
                          : !a->fitzpatrick ? "--fitzpatrick"
                                            : NULL;
    nd_error err;
    nd_error_clear(&err);
    if (missing) {
        nd_error_at(&err, ND_ERR_INPUT, NULL, 0, 0, missing, "is required to add a patient");
        return cli_fail(&err);
    }
    nd_patient_record p;
    memset(&p, 0, sizeof p);
    nd_status st = apply_identity(a, &p, &err);
    if (st) return cli_fail(&err);
    if ((st = nd_patient_validate(&p, NULL, &err))) {
        name_option(&err);
        return cli_fail(&err);
    }
    nd_db *db;
    int rc = cli_db_open(a->db, 1, &db, &err);
    if (rc) return rc;
    int64_t id = 0;
    nd_patient_summary ps;
    st = nd_db_begin(db, &err);
    if (!st) st = nd_db_patient_add(db, &p, &id, &err);
    if (!st) st = nd_db_patient_summary(db, id, &ps, &err);
    if (st) name_option(&err);
    if ((rc = cli_db_finish(db, st, &err))) return rc;
    printf("Added patient %lld (%s).\n", (long long)id, ps.pseudonym);
    return 0;
}

static int patient_edit(patient_args *a, int argc, char **argv)
{
    if (optind >= argc) return cli_usage("patient edit", "needs a PATIENT (id, name or pseudonym)");
    if (optind + 1 < argc)
        return cli_usage("patient edit", "unexpected argument '%s'", argv[optind + 1]);
    if (a->names) return cli_usage("patient edit", "--names belongs to list");
    if (!a->name && !a->birth_date && !a->sex && !a->fitzpatrick && !a->n_add && !a->n_end &&
        !a->n_remove)
        return cli_usage("patient edit", "nothing to change");
    nd_error err;
    nd_db *db;
    int rc = cli_db_open(a->db, 0, &db, &err);
    if (rc) return rc;
    nd_patient_record *p = malloc(sizeof *p);
    nd_status st = p ? nd_db_begin(db, &err) : nd_error_set(&err, ND_ERR_NOMEM, "out of memory");
    int64_t id = 0;
    if (!st) st = cli_patient_resolve(db, argv[optind], &id, &err);
    if (!st) st = nd_db_patient_get(db, id, p, &err);
    for (int i = 0; !st && i < a->n_remove; i++) st = remove_item(a->remove[i], p, &err);
    for (int i = 0; !st && i < a->n_end; i++) st = end_item(a->end[i], p, &err);
    if (!st) st = apply_identity(a, p, &err);
    if (!st) st = nd_db_patient_update(db, p, &err);
    if (st) name_option(&err);
    free(p);
    if ((rc = cli_db_finish(db, st, &err))) return rc;
    printf("Updated patient %lld.\n", (long long)id);
    return 0;
}

static const char *ROMAN[] = {"?", "I", "II", "III", "IV", "V", "VI"};

static int show_plan(void *user, const nd_plan_summary *p)
{
    (void)user;
    printf("    plan %lld  %s  %s with %s, %d session%s every %.0f days, %d zone%s, %d recorded\n",
           (long long)p->id, p->created, p->indication, p->device, p->sessions,
           p->sessions == 1 ? "" : "s", p->interval_s / 86400, p->n_zones,
           p->n_zones == 1 ? "" : "s", p->n_recorded);
    return 0;
}

static int patient_show(patient_args *a, int argc, char **argv)
{
    if (optind >= argc) return cli_usage("patient show", "needs a PATIENT (id, name or pseudonym)");
    if (optind + 1 < argc)
        return cli_usage("patient show", "unexpected argument '%s'", argv[optind + 1]);
    if (a->name || a->birth_date || a->sex || a->fitzpatrick || a->n_add || a->n_end ||
        a->n_remove || a->names)
        return cli_usage("patient show", "takes no options but --db");
    nd_error err;
    nd_db *db;
    int rc = cli_db_open(a->db, 0, &db, &err);
    if (rc) return rc;
    nd_patient_record *p = malloc(sizeof *p);
    nd_patient_summary ps;
    int64_t id = 0;
    nd_status st =
        p ? nd_db_begin_read(db, &err) : nd_error_set(&err, ND_ERR_NOMEM, "out of memory");
    if (!st) st = cli_patient_resolve(db, argv[optind], &id, &err);
    if (!st) st = nd_db_patient_get(db, id, p, &err);
    if (!st) st = nd_db_patient_summary(db, id, &ps, &err);
    if (!st) {
        char today[ND_DATE_LEN];
        nd_date_today(today);
        printf("Patient %lld  %s\n", (long long)id, ps.pseudonym);
        printf("  name         %s\n", p->name);
        printf("  birth date   %s (%ld years)\n", p->birth_date, (long)nd_patient_age_y(p, today));
        printf("  sex          %s\n", p->sex == ND_SEX_MALE ? "male" : "female");
        printf("  Fitzpatrick  %s\n", ROMAN[p->fitzpatrick]);
        printf("  history%s\n", p->n_history ? "" : "      none recorded");
        for (int i = 0; i < p->n_history; i++) {
            const nd_history_item *h = &p->history[i];
            printf("    %-18s since %s  %s%s%s%s\n", nd_history_name(h->kind), h->since,
                   h->until[0] ? "until " : "", h->until[0] ? h->until : "(ongoing)",
                   h->note[0] ? "  " : "", h->note);
        }
        printf("  plans        %d, sessions recorded %d\n", ps.n_plans, ps.n_sessions);
        st = nd_db_plan_list(db, id, show_plan, NULL, &err);
    }
    free(p);
    return cli_db_finish(db, st, &err);
}

static int list_row(void *user, const nd_patient_summary *p)
{
    const patient_args *a = user;
    char today[ND_DATE_LEN];
    nd_date_today(today);
    nd_patient_record r;
    r.n_history = 0;
    snprintf(r.birth_date, sizeof r.birth_date, "%s", p->birth_date);
    printf("%6lld  %-14s %-6s  %-4s %4ld %6d %9d", (long long)p->id, p->pseudonym,
           p->sex == ND_SEX_MALE ? "male" : "female", ROMAN[p->fitzpatrick],
           (long)nd_patient_age_y(&r, today), p->n_plans, p->n_sessions);
    if (a->names) printf("  %s", p->name);
    putchar('\n');
    return 0;
}

static int patient_list(patient_args *a, int argc, char **argv)
{
    if (optind < argc) return cli_usage("patient list", "unexpected argument '%s'", argv[optind]);
    if (a->name || a->birth_date || a->sex || a->fitzpatrick || a->n_add || a->n_end || a->n_remove)
        return cli_usage("patient list", "takes only --names and --db");
    nd_error err;
    nd_db *db;
    int rc = cli_db_open(a->db, 0, &db, &err);
    if (rc) return rc;
    nd_status st = nd_db_begin_read(db, &err);
    if (!st) {
        printf("%6s  %-14s %-6s  %-4s %4s %6s %9s%s\n", "id", "pseudonym", "sex", "fitz", "age",
               "plans", "sessions", a->names ? "  name" : "");
        st = nd_db_patient_list(db, list_row, a, &err);
    }
    return cli_db_finish(db, st, &err);
}

int cli_patient(int argc, char **argv)
{
    if (argc < 2) return cli_usage("patient", "needs add, edit, show or list");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(PATIENT_HELP, stdout);
        return 0;
    }
    static const char *const subs[] = {"add", "edit", "show", "list"};
    int which = -1;
    for (int i = 0; i < 4; i++)
        if (!strcmp(argv[1], subs[i])) which = i;
    if (which < 0)
        return cli_usage("patient", "unknown subcommand '%s' (add, edit, show or list)", argv[1]);
    char cmd[32];
    snprintf(cmd, sizeof cmd, "patient %s", subs[which]);
    patient_args a;
    int rc = parse_args(cmd, argc - 1, argv + 1, &a);
    if (rc == 0) {
        argc--, argv++;
        rc = which == 0   ? patient_add(&a, argc, argv)
             : which == 1 ? patient_edit(&a, argc, argv)
             : which == 2 ? patient_show(&a, argc, argv)
                          : patient_list(&a, argc, argv);
    } else if (rc < 0) {
        rc = 0; /* --help */
    }
    free_args(&a);
    return rc;
}
