/* needle — command-line front end.  All the work is in libneedle; this file
 * parses arguments, prints, and turns statuses into exit codes
 * (0 ok, 1 runtime failure, 2 bad usage or input, 3 refused for safety). */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const char *USAGE =
    "needle " ND_VERSION " — skin-needling simulator\n"
    "\n"
    "Usage: needle COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  simulate [SCENARIO.yaml]   simulate a session; writes a run folder\n"
    "  report RUN_DIR             draw a run folder's report.html again\n"
    "  check SCENARIO.yaml        validate a scenario file without running it\n"
    "  presets                    list the built-in device presets\n"
    "\n"
    "Practice (database: --db FILE, else $NEEDLE_DB, else ./needle.db):\n"
    "  patient add|edit|show|list register and look up patients\n"
    "  plan PATIENT --indication I  plan a treatment series, checked by the simulator\n"
    "  session record|list        record what was done and seen; predicted vs observed\n"
    "  export                     patients, plans and sessions as CSV or JSON\n"
    "  db backup FILE|check|info  copy the database safely while in use; check it\n"
    "  help [COMMAND]             show help for a command\n"
    "\n"
    "Options:\n"
    "  -h, --help                 show this help\n"
    "  -V, --version              show the version\n"
    "\n"
    "Run 'needle help simulate' for the scenario format and outputs.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("needle %s\n", ND_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "help")) {
        if (argc < 3) {
            fputs(USAGE, stdout);
            return 0;
        }
        return cli_help(argv[2]);
    }
    if (!strcmp(cmd, "simulate")) return cli_simulate(argc - 1, argv + 1);
    if (!strcmp(cmd, "report")) return cli_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "check")) return cli_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "presets")) return cli_presets(argc - 1, argv + 1);
    if (!strcmp(cmd, "patient")) return cli_patient(argc - 1, argv + 1);
    if (!strcmp(cmd, "plan")) return cli_plan(argc - 1, argv + 1);
    if (!strcmp(cmd, "session")) return cli_session(argc - 1, argv + 1);
    if (!strcmp(cmd, "export")) return cli_export(argc - 1, argv + 1);
    if (!strcmp(cmd, "db")) return cli_db(argc - 1, argv + 1);
    fprintf(stderr, "needle: unknown command '%s'\n\n", cmd);
    fputs(USAGE, stderr);
    return 2;
}
