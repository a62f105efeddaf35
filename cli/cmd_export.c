/* needle export: the practice's records as CSV or JSON. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "practice.h"

static const char *EXPORT_HELP =
    "Usage: needle export [--format csv|json] [--out PATH] [--table TABLE] [--pseudonymise]\n"
    "\n"
    "Write the practice's records for analysis elsewhere.  Tables: patients,\n"
    "patient_history, plans, plan_zones, plan_acknowledgements, plan_warnings,\n"
    "sessions, session_zones.  Columns carry their units (depth_mm,\n"
    "interval_days); an empty CSV field or a JSON null is a value not recorded.\n"
    "\n"
    "  csv   every table: PATH is a folder (default needle-export/) receiving\n"
    "        TABLE.csv for each; with --table, PATH is the file (default TABLE.csv)\n"
    "  json  one file (default needle-export.json) holding every table, or the one\n"
    "        named by --table\n"
    "PATH '-' writes to standard output (JSON, or CSV with --table).\n"
    "\n"
    "--pseudonymise names each patient only by a pseudonym (P- and hex digits,\n"
    "derived from the patient's id and a secret kept in the database: the same\n"
    "in every export of this database, and not traceable to the patient without\n"
    "it), keeps only the year of birth, and leaves out patient ids and the\n"
    "free-text notes of history and sessions.  Complications and the planner's\n"
    "reasons are kept: do not write names there.\n"
    "\n"
    "Files are owner-only, written under temporary names and renamed only when\n"
    "all are complete; the records are read in one consistent snapshot.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT   csv (default) or json\n"
    "  -o, --out PATH        where to write (see above)\n"
    "  -t, --table TABLE     one table only\n"
    "  -p, --pseudonymise    pseudonyms instead of names (also --pseudonymize)\n" CLI_DB_HELP_LINE
    "  -h, --help            this help\n"
    "\n"
    "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input.\n";

int cli_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, 0, 'f'},
        {"out", required_argument, 0, 'o'},
        {"table", required_argument, 0, 't'},
        {"pseudonymise", no_argument, 0, 'p'},
        {"pseudonymize", no_argument, 0, 'p'},
        {"help", no_argument, 0, 'h'},
        CLI_DB_OPTION,
        {0, 0, 0, 0},
    };
    nd_export_options o = {ND_EXPORT_CSV, NULL, 0};
    const char *out = NULL, *dbopt = NULL;
    optind = 1;
    opterr = 0;
    int c;
    nd_error err;
    nd_error_clear(&err);
    while ((c = getopt_long(argc, argv, ":f:o:t:ph", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "csv"))
                o.format = ND_EXPORT_CSV;
            else if (!strcmp(optarg, "json"))
                o.format = ND_EXPORT_JSON;
            else {
                nd_error_at(&err, ND_ERR_INPUT, NULL, 0, 0, "--format",
                            "must be csv or json, got '%s'", optarg);
                return cli_fail(&err);
            }
            break;
        case 'o':
            out = optarg;
            break;
        case 't':
            o.table = optarg;
            break;
        case 'p':
            o.pseudonymise = 1;
            break;
        case CLI_OPT_DB:
            dbopt = optarg;
            break;
        case 'h':
            fputs(EXPORT_HELP, stdout);
            return 0;
        default:
            return cli_getopt_error("export", c, argv);
        }
    }
    if (optind < argc) return cli_usage("export", "unexpected argument '%s'", argv[optind]);
    int known = !o.table;
    for (const char *const *t = nd_records_export_tables(); *t && !known; t++)
        known = !strcmp(*t, o.table);
    if (!known) {
        nd_error_at(&err, ND_ERR_INPUT, NULL, 0, 0, "--table",
                    "unknown table '%s' (needle help export lists them)", o.table);
        return cli_fail(&err);
    }
    char def[ND_PATH_MAX];
    if (!out) {
        if (o.format == ND_EXPORT_JSON)
            snprintf(def, sizeof def, "needle-export.json");
        else if (o.table)
            snprintf(def, sizeof def, "%s.csv", o.table);
        else
            snprintf(def, sizeof def, "needle-export");
        out = def;
    }
    int to_stdout = !strcmp(out, "-");
    if (to_stdout && o.format == ND_EXPORT_CSV && !o.table)
        return cli_usage("export", "CSV to standard output needs --table");

    nd_db *db;
    int rc = cli_db_open(dbopt, 0, &db, &err);
    if (rc) return rc;
    nd_status st = nd_db_begin_read(db, &err);
    if (!st)
        st = to_stdout ? nd_records_export_stream(db, &o, stdout, &err)
                       : nd_records_export(db, &o, out, &err);
    if (!st && to_stdout && fflush(stdout) != 0)
        st = nd_error_set(&err, ND_ERR_IO, "cannot write to standard output");
    if ((rc = cli_db_finish(db, st, &err))) return rc;
    if (!to_stdout)
        printf("Exported %s%s to %s%s%s\n", o.table ? "table " : "every table",
               o.table ? o.table : "", out, o.format == ND_EXPORT_CSV && !o.table ? "/" : "",
               o.pseudonymise ? " (pseudonymised)" : "");
    return 0;
}
