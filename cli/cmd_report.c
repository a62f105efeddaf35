/* needle report: the practitioner's report again from a run folder. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "needle/report.h"

static const char *REPORT_HELP =
    "Usage: needle report RUN_DIR [--quiet]\n"
    "\n"
    "Draw the practitioner's report, RUN_DIR/report.html, and its figures in\n"
    "RUN_DIR/figures/ again from the files of a run folder (summary.json,\n"
    "zones.csv, field.csv, histograms.csv), without simulating.  needle simulate\n"
    "writes the same report with every run.\n"
    "\n"
    "The page opens from the file system in any browser, needs no network and\n"
    "prints to A4: warnings, what the numbers mean, a table per zone, face maps\n"
    "and depth histograms against the skin layers.\n"
    "\n"
    "Options:\n"
    "  -q, --quiet   print nothing on success\n"
    "  -h, --help    this help\n"
    "\n"
    "A folder that is missing, is not a run folder or holds a malformed file is\n"
    "refused with the file and line (exit code 2), and nothing in it changes.\n";

int cli_report_help(void)
{
    fputs(REPORT_HELP, stdout);
    return 0;
}

int cli_report(int argc, char **argv)
{
    const char *dir = NULL;
    int quiet = 0;
    for (int k = 1; k < argc; k++) {
        if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) return cli_report_help();
        if (!strcmp(argv[k], "-q") || !strcmp(argv[k], "--quiet")) {
            quiet = 1;
        } else if (argv[k][0] == '-' && argv[k][1] != '\0') {
            fprintf(stderr, "needle report: unknown option '%s'\nTry 'needle help report'.\n",
                    argv[k]);
            return 2;
        } else if (dir) {
            fprintf(stderr,
                    "needle report: one run folder at most, got '%s'\nTry 'needle help "
                    "report'.\n",
                    argv[k]);
            return 2;
        } else {
            dir = argv[k];
        }
    }
    if (!dir) {
        fputs("needle report: needs a run folder\nTry 'needle help report'.\n", stderr);
        return 2;
    }
    nd_error err;
    nd_error_clear(&err);
    if (nd_report_from_dir(dir, &err) != ND_OK) return cli_fail(&err);
    if (!quiet) cli_print_report_path(dir);
    return 0;
}
