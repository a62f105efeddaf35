/* Screening a patient's history against data/contraindications.csv on the
 * plan's date.  Which items refuse a plan and which call for care, and for
 * how long, is data; this file only matches dated items to the table's
 * windows (see the table's header for the phases). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/planner_internal.h"

typedef enum { PHASE_ACTIVE, PHASE_ENDED, PHASE_SINCE, PHASE_EVER } phase;

static int phase_of(const char *s)
{
    static const char *const names[] = {"active", "ended", "since", "ever"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) return i;
    return -1;
}

/* Whether item h matches a row's phase and window on date; *when gets the
 * window in words. */
static int matches(const nd_history_item *h, phase ph, long from, long to, const char *date,
                   char *when, size_t size)
{
    if (strcmp(h->since, date) > 0) return 0; /* not yet, on the plan's date */
    int ongoing = !h->until[0] || strcmp(h->until, date) >= 0;
    long d = 0;
    switch (ph) {
    case PHASE_ACTIVE:
        snprintf(when, size, "ongoing since %s", h->since);
        return ongoing;
    case PHASE_ENDED:
        if (ongoing) return 0;
        d = nd_date_diff_days(h->until, date);
        if (to < 0)
            snprintf(when, size, "ended %s, %ld days before (window: %ld days on)", h->until, d,
                     from);
        else
            snprintf(when, size, "ended %s, %ld days before (window: %ld to %ld days)", h->until, d,
                     from, to);
        return d >= from && (to < 0 || d <= to);
    case PHASE_SINCE:
        d = nd_date_diff_days(h->since, date);
        snprintf(when, size, "on %s, %ld days before (window: %ld to %ld days)", h->since, d, from,
                 to);
        return d >= from && (to < 0 || d <= to);
    case PHASE_EVER:
        snprintf(when, size, "history since %s (lifelong)", h->since);
        return 1;
    }
    return 0;
}

static nd_status row_number(const nd_table *t, size_t r, const char *col, double *v, nd_error *err)
{
    return nd_table_number(t, r, col, v, err);
}

nd_status nd_plan_screen(const nd_patient_record *p, const char *date,
                         nd_contraindication out[ND_MAX_CONTRAINDICATIONS], int *n, nd_error *err)
{
    *n = 0;
    if (!date || !nd_date_valid(date))
        return nd_error_set(err, ND_ERR_INPUT, "plan date '%s' is not a date YYYY-MM-DD",
                            date ? date : "");
    nd_table *t = NULL;
    nd_status st = nd_table_load("contraindications.csv", &t, err);
    if (st) return st;
    int hc = nd_table_column(t, "history"), pc = nd_table_column(t, "phase"),
        cc = nd_table_column(t, "class"), nc = nd_table_column(t, "numbing"),
        ec = nd_table_column(t, "effect"), sc = nd_table_column(t, "source");
    /* Absolute ones first, so the refusal names the gravest reason. */
    for (int pass = 0; pass < 2 && !st; pass++) {
        for (size_t r = 0; r < nd_table_rows(t) && !st; r++) {
            const char *cls = nd_table_cell(t, r, cc);
            int absolute = !strcmp(cls, "absolute");
            if (!absolute && strcmp(cls, "relative")) {
                st = nd_error_at(err, ND_ERR_INTERNAL, "data/contraindications.csv", 0, 0, "class",
                                 "'%s' is neither absolute nor relative", cls);
                break;
            }
            if (absolute != (pass == 0)) continue;
            int kind = nd_history_kind_from_name(nd_table_cell(t, r, hc));
            int ph = phase_of(nd_table_cell(t, r, pc));
            if (kind < 0 || ph < 0) {
                st = nd_error_at(err, ND_ERR_INTERNAL, "data/contraindications.csv", 0, 0,
                                 "history", "unknown history kind or phase in row %zu", r + 1);
                break;
            }
            double from, to, depth, passes, interval;
            if ((st = row_number(t, r, "from_days", &from, err)) ||
                (st = row_number(t, r, "to_days", &to, err)) ||
                (st = row_number(t, r, "depth_factor", &depth, err)) ||
                (st = row_number(t, r, "max_passes", &passes, err)) ||
                (st = row_number(t, r, "interval_factor", &interval, err)))
                break;
            for (int i = 0; i < p->n_history; i++) {
                const nd_history_item *h = &p->history[i];
                char when[96];
                if ((int)h->kind != kind ||
                    !matches(h, (phase)ph, (long)from, (long)to, date, when, sizeof when))
                    continue;
                if (*n == ND_MAX_CONTRAINDICATIONS) break;
                nd_contraindication *c = &out[(*n)++];
                memset(c, 0, sizeof *c);
                snprintf(c->code, sizeof c->code, "%s", nd_history_name(kind));
                c->history = kind;
                c->item = i;
                c->cls = absolute ? ND_CI_ABSOLUTE : ND_CI_RELATIVE;
                snprintf(c->when, sizeof c->when, "%s", when);
                c->depth_factor = depth;
                c->max_passes = (int)passes;
                c->interval_factor = interval;
                c->no_numbing = !strcmp(nd_table_cell(t, r, nc), "none");
                snprintf(c->effect, sizeof c->effect, "%s", nd_table_cell(t, r, ec));
                snprintf(c->source, sizeof c->source, "%s", nd_table_cell(t, r, sc));
            }
        }
    }
    nd_table_free(t);
    return st;
}
