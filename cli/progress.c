/* Progress bar; see progress.h.  Nothing is drawn in the first second, so
 * short runs stay quiet, and nothing at all when stderr is not a terminal. */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

void cli_progress_init(cli_progress *p, const char *label, int quiet)
{
    p->enabled = !quiet && isatty(fileno(stderr));
    p->shown = 0;
    p->start = cli_now();
    p->last = 0;
    p->label = label;
}

void cli_progress_update(void *user, double fraction)
{
    cli_progress *p = user;
    if (!p->enabled) return;
    double now = cli_now();
    if (now - p->start < 1.0 || now - p->last < 0.1) return;
    p->last = now;
    p->shown = 1;
    const int width = 40;
    int fill = (int)(fraction * width + 0.5);
    double eta = fraction > 0 ? (now - p->start) * (1 - fraction) / fraction : 0;
    fprintf(stderr, "\r%s [", p->label);
    for (int i = 0; i < width; i++) fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %3.0f%%  %.0f s left ", 100 * fraction, eta);
    fflush(stderr);
}

void cli_progress_done(cli_progress *p)
{
    if (p->shown) fprintf(stderr, "\r%*s\r", 80, "");
    p->shown = 0;
}
