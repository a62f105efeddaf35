/* needle db: the practice database itself. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "practice.h"

static const char *DB_HELP =
    "Usage: needle db backup FILE\n"
    "       needle db check\n"
    "       needle db init\n"
    "       needle db info\n"
    "\n"
    "  backup  copy the database to FILE while it is in use (SQLite's online\n"
    "          backup): one consistent snapshot, as a single self-contained,\n"
    "          owner-only file, checked by reading it back before it takes its\n"
    "          name.  An existing FILE is never overwritten.\n"
    "  check   verify the file: SQLite's integrity check and every foreign key\n"
    "  init    create an empty practice database (owner-only, 0600)\n"
    "  info    the file, its schema version and how many records it holds\n"
    "\n"
    "Opening a database made by an older needle brings its schema up to date;\n"
    "one made by a newer needle is refused.\n"
    "\n"
    "Options:\n" CLI_DB_HELP_LINE "  -h, --help       this help\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure or a damaged file, 2 bad usage or input.\n";

static int count_patients(void *user, const nd_patient_summary *p)
{
    int *n = user;
    n[0]++;
    n[1] += p->n_plans;
    n[2] += p->n_sessions;
    return 0;
}

int cli_db(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, 0, 'h'},
        CLI_DB_OPTION,
        {0, 0, 0, 0},
    };
    if (argc < 2) return cli_usage("db", "needs backup, check, init or info");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(DB_HELP, stdout);
        return 0;
    }
    const char *sub = argv[1], *dbopt = NULL;
    if (strcmp(sub, "backup") && strcmp(sub, "check") && strcmp(sub, "init") && strcmp(sub, "info"))
        return cli_usage("db", "unknown subcommand '%s' (backup, check, init or info)", sub);
    char cmd[32];
    snprintf(cmd, sizeof cmd, "db %s", sub);
    argc--, argv++;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(DB_HELP, stdout);
            return 0;
        }
        if (c != CLI_OPT_DB) return cli_getopt_error(cmd, c, argv);
        dbopt = optarg;
    }
    int backup = !strcmp(sub, "backup");
    if (backup && optind >= argc) return cli_usage(cmd, "needs the FILE to write");
    if (optind + backup < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind + backup]);

    nd_error err;
    nd_db *db;
    int init = !strcmp(sub, "init");
    int rc = cli_db_open(dbopt, init, &db, &err);
    if (rc) return rc;
    nd_status st = ND_OK;
    int counts[3] = {0, 0, 0};
    if (backup) {
        /* The backup reads its own snapshot; no transaction around it. */
        st = nd_db_backup(db, argv[optind], &err);
        nd_db_close(db);
        if (st) return cli_fail(&err);
        printf("Backed up %s to %s\n", cli_db_path(dbopt), argv[optind]);
        return 0;
    }
    st = nd_db_begin_read(db, &err);
    if (!st && !strcmp(sub, "check")) st = nd_db_check(db, &err);
    if (!st && !strcmp(sub, "info")) st = nd_db_patient_list(db, count_patients, counts, &err);
    int version = nd_db_schema_version(db);
    if ((rc = cli_db_finish(db, st, &err))) return rc;
    if (!strcmp(sub, "check")) printf("%s: ok\n", cli_db_path(dbopt));
    if (init) printf("%s: ready (schema version %d)\n", cli_db_path(dbopt), version);
    if (!strcmp(sub, "info"))
        printf("file            %s\nschema version  %d (this needle knows %d)\npatients        "
               "%d\nplans           %d\nsessions        %d\n",
               cli_db_path(dbopt), version, nd_records_schema_version(), counts[0], counts[1],
               counts[2]);
    return 0;
}
