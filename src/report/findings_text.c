/* Building the report's sentences; see findings_text.h. */
#include "report/findings_text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/labels.h"

void nd_text_add(nd_text *t, const char *fmt, ...)
{
    if (t->len + 1 >= t->size) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->s + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    if (n > 0) t->len += (size_t)n < t->size - t->len ? (size_t)n : t->size - t->len - 1;
}

int nd_group_zones(const nd_rundata *rd, const int *ks, int n, nd_zone_group *g)
{
    int used[ND_ZONE_COUNT] = {0}, ng = 0;
    for (int a = 0; a < n; a++) {
        if (used[a]) continue;
        int zone = rd->zones[ks[a]].stats.zone, mirror = nd_label_zone_mirror(zone);
        nd_zone_group *gr = &g[ng++];
        gr->k[0] = ks[a];
        gr->n = 1;
        used[a] = 1;
        for (int b = a + 1; b < n && mirror >= 0; b++) {
            if (!used[b] && rd->zones[ks[b]].stats.zone == mirror) {
                gr->k[gr->n++] = ks[b];
                used[b] = 1;
                break;
            }
        }
        if (gr->n == 2)
            nd_label_zone_pair(zone, gr->name, sizeof gr->name);
        else
            nd_label_zone(zone, gr->name, sizeof gr->name);
    }
    return ng;
}

/* ", " between items and " and " before the last. */
static const char *sep(int i, int n)
{
    return i == 0 ? "" : i == n - 1 ? " and " : ", ";
}

void nd_text_names(nd_text *t, const nd_zone_group *g, int ng)
{
    for (int i = 0; i < ng; i++)
        nd_text_add(t, "%s%s%s", sep(i, ng), g[i].n == 1 ? "the " : "", g[i].name);
}

void nd_text_range(nd_text *t, nd_fmt_fn f, const double *v, int n)
{
    double lo = v[0], hi = v[0];
    for (int i = 1; i < n; i++) {
        lo = fmin(lo, v[i]);
        hi = fmax(hi, v[i]);
    }
    char a[32], b[32];
    f(a, sizeof a, lo);
    f(b, sizeof b, hi);
    if (strcmp(a, b) == 0)
        nd_text_add(t, "%s", a);
    else if (strchr("<>", a[0]) || strchr("<>", b[0]))
        /* "56 to over 99", not "56–>99". */
        nd_text_add(t, "%s%s to %s%s", a[0] == '<' ? "under " : "", a + (a[0] == '<'),
                    b[0] == '>' ? "over " : "", b + (b[0] == '>'));
    else
        nd_text_add(t, "%s\xe2\x80\x93%s", a, b);
}

void nd_text_group_range(nd_text *t, const nd_rundata *rd, const nd_zone_group *g,
                         nd_zone_stat stat, nd_fmt_fn f)
{
    double v[2];
    for (int i = 0; i < g->n; i++) v[i] = stat(rd, g->k[i]);
    nd_text_range(t, f, v, g->n);
}

int nd_select_zones(const nd_rundata *rd, nd_zone_test test, int *ks)
{
    int n = 0;
    for (int k = 0; k < rd->n_zones; k++)
        if (test(rd, k)) ks[n++] = k;
    return n;
}

int nd_run_zone_checks(const nd_rundata *rd, const nd_zone_check *checks, int nchecks,
                       nd_finding *out, int max)
{
    int n = 0;
    for (int c = 0; c < nchecks && n < max; c++) {
        int ks[ND_ZONE_COUNT], nk = nd_select_zones(rd, checks[c].test, ks);
        if (nk == 0) continue;
        nd_zone_group g[ND_ZONE_COUNT];
        int ng = nd_group_zones(rd, ks, nk, g);
        memset(&out[n], 0, sizeof out[n]);
        checks[c].write(rd, &out[n], g, ng, nk);
        n++;
    }
    return n;
}

void nd_finding_lead(nd_finding *f, const char *what, int nzones)
{
    snprintf(f->text, sizeof f->text, "%s in %d zone%s:", what, nzones, nzones == 1 ? "" : "s");
}

nd_text nd_finding_item(nd_finding *f, const nd_zone_group *g)
{
    nd_text t = {f->items[f->n_items], sizeof f->items[0], 0};
    f->items[f->n_items++][0] = '\0';
    nd_text_add(
        &t, "%c%s: ", g->name[0] >= 'a' && g->name[0] <= 'z' ? g->name[0] - 'a' + 'A' : g->name[0],
        g->name + 1);
    return t;
}
