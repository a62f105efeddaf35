/* The CLI's commands; each returns the process exit code. */
#ifndef NEEDLE_CLI_COMMANDS_H
#define NEEDLE_CLI_COMMANDS_H

#include "needle/status.h"

int cli_simulate(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_presets(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_report_help(void);
/* The practice: patients, plans, sessions, export and the database itself. */
int cli_patient(int argc, char **argv);
int cli_plan(int argc, char **argv);
int cli_session(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_db(int argc, char **argv);
int cli_help(const char *command);

/* Print "needle: error: file:line:col: field: message" and return the exit code. */
int cli_fail(const nd_error *err);

/* Print "Report: DIR/report.html", the line a user opens in a browser. */
void cli_print_report_path(const char *dir);

#endif
