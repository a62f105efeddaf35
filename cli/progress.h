/* A progress bar on stderr for runs longer than a second. */
#ifndef NEEDLE_CLI_PROGRESS_H
#define NEEDLE_CLI_PROGRESS_H

typedef struct {
    int enabled;  /* stderr is a terminal and --quiet was not given */
    int shown;    /* something has been drawn */
    double start; /* monotonic seconds */
    double last;  /* last redraw */
    const char *label;
} cli_progress;

void cli_progress_init(cli_progress *p, const char *label, int quiet);
/* nd_progress_fn-compatible */
void cli_progress_update(void *p, double fraction);
void cli_progress_done(cli_progress *p);
double cli_now(void);

#endif
