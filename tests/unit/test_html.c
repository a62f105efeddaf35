/* The practitioner's report: run data read back from a run folder (the same
 * numbers as the run in memory, outcome read-outs and time courses
 * included), refusals of bad run folders, a folder from before the outcome
 * models, HTML escaping of what a user typed, and the warnings and sentences
 * drawn from the numbers. */
#define _XOPEN_SOURCE 700 /* mkdtemp, nftw, open_memstream */

#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit/tmpdir.h"

#include "needle/indication.h"
#include "needle/outcome.h"
#include "needle/report.h"
#include "needle/scenario.h"
#include "needle/session.h"
#include "report/curve_groups.h"
#include "report/figure.h"
#include "report/findings.h"
#include "report/html_escape.h"
#include "report/html_report.h"
#include "report/labels.h"
#include "report/rundata.h"

/* Fontconfig, under cairo's text, keeps its configuration for the life of the
 * process; not a leak of ours (read by LeakSanitizer in sanitizer builds). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* ---- helpers ---------------------------------------------------------- */

static char *read_file(const char *path)
{
    return read_text_or_null(path, NULL);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void path_in(char *buf, size_t size, const char *dir, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* Replace the first occurrence of from in the file with to. */
static void edit_file(const char *path, const char *from, const char *to)
{
    char *text = read_file(path);
    assert_non_null(text);
    char *at = strstr(text, from);
    assert_non_null(at);
    size_t n = strlen(text) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    write_file(path, out);
    free(out);
    free(text);
}

/* Entries of dir whose name contains part (0 when there is no dir). */
static int count_named(const char *dir, const char *part)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, part)) n++;
    closedir(d);
    return n;
}

static void assert_close(double a, double b, double rel)
{
    double tol = rel * fmax(fabs(a), fabs(b)) + 1e-12;
    if (!(fabs(a - b) <= tol)) fail_msg("%.17g != %.17g (relative tolerance %g)", a, b, rel);
}

/* ---- a small real run, shared by the tests that need one ---------------- */

typedef struct {
    nd_session *session;
    nd_outcome_set *outcomes;
    nd_run_view view;
    char *dir; /* a run folder written from it */
} run_fixture;

/* Three zones of the default pen session, one thread: a real run with a
 * skin, so the folder holds layer boundaries, and with the outcome models,
 * so it holds their read-outs, time courses and indications. */
static int run_setup(void **state)
{
    run_fixture *r = calloc(1, sizeof *r);
    assert_non_null(r);
    nd_error e;
    nd_scenario sc;
    assert_int_equal(nd_scenario_default(&sc, &e), ND_OK);
    snprintf(sc.name, sizeof sc.name, "round trip <b>&</b> \"quotes\"");
    nd_zone_plan keep[3];
    int n = 0;
    for (int k = 0; k < sc.protocol.n_zones && n < 3; k++) {
        int z = sc.protocol.zones[k].zone;
        if (z == ND_ZONE_FOREHEAD || z == ND_ZONE_NOSE || z == ND_ZONE_CHEEK_LEFT)
            keep[n++] = sc.protocol.zones[k];
    }
    assert_int_equal(n, 3);
    memcpy(sc.protocol.zones, keep, sizeof keep);
    sc.protocol.n_zones = n;
    assert_int_equal(nd_session_create(&sc, &r->session, &e), ND_OK);
    nd_run_options opt = {1, NULL, NULL, NULL, NULL};
    assert_int_equal(nd_session_run(r->session, &opt, &e), ND_OK);
    assert_int_equal(nd_outcome_set_create(r->session, &r->outcomes, &e), ND_OK);
    nd_run_view v = {nd_session_scenario(r->session),
                     nd_session_face(r->session),
                     nd_session_skin(r->session),
                     nd_session_field(r->session),
                     1,
                     0,
                     r->outcomes,
                     r->session,
                     NULL};
    r->view = v;
    r->dir = make_tmp();
    assert_int_equal(nd_report_write_all(&r->view, r->dir, &e), ND_OK);
    *state = r;
    return 0;
}

static int run_teardown(void **state)
{
    run_fixture *r = *state;
    rm_tree(r->dir);
    free(r->dir);
    nd_outcome_set_free(r->outcomes);
    nd_session_free(r->session);
    free(r);
    return 0;
}

/* A copy of the fixture's run folder to spoil. */
static char *copy_run(const run_fixture *r)
{
    char *dir = make_tmp();
    static const char *const files[] = {"summary.json",   "zones.csv",      "field.csv",
                                        "histograms.csv", "timecourse.csv", "report.html"};
    char from[600], to[600];
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        path_in(from, sizeof from, r->dir, files[k]);
        path_in(to, sizeof to, dir, files[k]);
        char *text = read_file(from);
        assert_non_null(text);
        write_file(to, text);
        free(text);
    }
    return dir;
}

/* ---- round trip --------------------------------------------------------- */

static void compare_scenarios(const nd_scenario *a, const nd_scenario *b)
{
    assert_string_equal(a->name, b->name);
    assert_int_equal(a->seed, b->seed);
    assert_close(a->patient.age_y, b->patient.age_y, 1e-12);
    assert_int_equal(a->patient.sex, b->patient.sex);
    assert_int_equal(a->patient.fitzpatrick, b->patient.fitzpatrick);
    assert_int_equal(a->device.kind, b->device.kind);
    assert_string_equal(a->device.preset, b->device.preset);
    assert_close(a->device.needle_length_m, b->device.needle_length_m, 1e-9);
    assert_int_equal(nd_device_needles(&a->device), nd_device_needles(&b->device));
    assert_int_equal(a->protocol.numbing.cream, b->protocol.numbing.cream);
    assert_close(a->output.grid_m, b->output.grid_m, 1e-12);
    assert_int_equal(a->protocol.n_zones, b->protocol.n_zones);
    for (int k = 0; k < a->protocol.n_zones; k++) {
        const nd_zone_plan *p = &a->protocol.zones[k], *q = &b->protocol.zones[k];
        assert_int_equal(p->zone, q->zone);
        assert_close(p->depth_m, q->depth_m, 1e-9);
        assert_int_equal(p->passes, q->passes);
        assert_int_equal(p->n_directions, q->n_directions);
        assert_int_equal(p->motion, q->motion);
        assert_close(p->speed_m_s, q->speed_m_s, 1e-9);
    }
}

static void compare_zones(const nd_rd_zone *a, const nd_rd_zone *b)
{
    const nd_zone_stats *s = &a->stats, *t = &b->stats;
    assert_int_equal(s->zone, t->zone);
    assert_int_equal(s->cells, t->cells);
    assert_int_equal(s->strikes, t->strikes);
    assert_int_equal(s->punctures, t->punctures);
    assert_true(s->punctures > 0);
    /* The tables keep six significant digits. */
    assert_close(s->area_cm2, t->area_cm2, 1e-5);
    assert_close(s->punctures_per_cm2, t->punctures_per_cm2, 1e-5);
    assert_close(s->depth_mean_m, t->depth_mean_m, 1e-5);
    assert_close(s->depth_p95_m, t->depth_p95_m, 1e-5);
    assert_close(s->depth_max_m, t->depth_max_m, 1e-5);
    for (int l = 0; l < ND_LAYER_COUNT; l++)
        assert_close(s->layer_fraction[l], t->layer_fraction[l], 1e-5);
    assert_close(s->coverage_fraction, t->coverage_fraction, 1e-5);
    assert_close(s->uniformity_cv, t->uniformity_cv, 1e-5);
    assert_close(s->repeat_fraction, t->repeat_fraction, 1e-5);
    assert_close(s->t_start_s, t->t_start_s, 1e-5);
    assert_close(s->t_end_s, t->t_end_s, 1e-5);
    assert_true(a->has_bounds && b->has_bounds);
    for (int k = 0; k < ND_RD_BOUNDS; k++) {
        assert_close(a->bottom_m[k], b->bottom_m[k], 1e-5);
        if (k > 0) assert_true(a->bottom_m[k] > a->bottom_m[k - 1]);
    }
    assert_close(a->bin_m, b->bin_m, 1e-12);
    for (int k = 0; k < ND_FIELD_ZONE_BINS; k++) assert_int_equal(a->hist[k], b->hist[k]);
}

/* The outcome read-outs are rounded in memory as the files round them, so
 * the two ways of filling the run data agree to the last bit. */
static void compare_outcomes(const nd_rundata *mem, const nd_rundata *disk,
                             const nd_outcome_set *os)
{
    assert_true(mem->has_outcomes && disk->has_outcomes);
    assert_true(mem->has_timecourse && disk->has_timecourse);
    assert_int_equal(mem->n_times, disk->n_times);
    assert_true(mem->n_times > 100);
    for (int k = 0; k < mem->n_zones; k++) {
        const nd_rd_outcome *a = &mem->zones[k].outcome, *b = &disk->zones[k].outcome;
        const double *x = (const double *)a, *y = (const double *)b;
        for (size_t i = 0; i < sizeof *a / sizeof(double); i++) {
            assert_true(isfinite(x[i]));
            assert_close(x[i], y[i], 1e-15);
        }
        /* ... and within the files' six digits of the models' own numbers. */
        const nd_zone_outcome *o = nd_outcome_set_zone(os, mem->zones[k].stats.zone);
        assert_non_null(o);
        assert_close(a->pain_vas.mid, o->pain_vas.mid, 1e-5);
        assert_close(a->collagen_III_rel.hi, o->collagen_III_rel.hi, 1e-5);
        assert_close(a->anesthesia_depth_m, o->anesthesia_depth_m, 1e-5);
        for (int i = 0; i < mem->n_times; i++) {
            const nd_timecourse_row *p = &mem->zones[k].course[i], *q = &disk->zones[k].course[i];
            assert_close(p->time_s, q->time_s, 1e-15);
            assert_close(p->anesthesia_depth_m, q->anesthesia_depth_m, 1e-15);
            assert_close(p->pain_vas, q->pain_vas, 1e-15);
            assert_close(p->erythema_index, q->erythema_index, 1e-15);
            assert_close(p->edema_rel, q->edema_rel, 1e-15);
            assert_close(p->open_channel_fraction, q->open_channel_fraction, 1e-15);
            assert_close(p->collagen_I_rel, q->collagen_I_rel, 1e-15);
            assert_close(p->collagen_III_rel, q->collagen_III_rel, 1e-15);
            assert_close(p->elastin_rel, q->elastin_rel, 1e-15);
        }
    }
    assert_true(mem->has_indications && disk->has_indications);
    assert_int_equal(mem->indication_zone, ND_ZONE_FOREHEAD);
    assert_int_equal(mem->indication_zone, disk->indication_zone);
    assert_int_equal(mem->n_indications, ND_INDICATION_COUNT);
    assert_int_equal(mem->n_indications, disk->n_indications);
    int none = 0;
    for (int i = 0; i < mem->n_indications; i++) {
        const nd_indication_result *a = &mem->indications[i], *b = &disk->indications[i];
        assert_int_equal(a->indication, b->indication);
        assert_int_equal(a->has_value, b->has_value);
        assert_string_equal(a->measure, b->measure);
        assert_string_equal(a->unit, b->unit);
        assert_string_equal(a->evidence, b->evidence);
        assert_string_equal(a->source, b->source);
        if (a->has_value) {
            assert_close(a->value.lo, b->value.lo, 1e-15);
            assert_close(a->value.mid, b->value.mid, 1e-15);
            assert_close(a->value.hi, b->value.hi, 1e-15);
        }
        none += !a->has_value;
    }
    assert_true(none >= 1); /* enlarged pores: the evidence has no number */
}

static void rundata_round_trip(void **state)
{
    run_fixture *r = *state;
    nd_error e;
    nd_rundata *mem, *disk;
    assert_int_equal(nd_rundata_from_view(&r->view, &mem, &e), ND_OK);
    if (nd_rundata_load(r->dir, &disk, &e) != ND_OK)
        fail_msg("load: %s:%d: %s", e.file, e.line, e.message);
    assert_string_equal(mem->version, disk->version);
    compare_scenarios(&mem->scenario, &disk->scenario);
    assert_int_equal(mem->n_zones, 3);
    assert_int_equal(mem->n_zones, disk->n_zones);
    for (int k = 0; k < mem->n_zones; k++) compare_zones(&mem->zones[k], &disk->zones[k]);
    compare_outcomes(mem, disk, r->outcomes);

    assert_int_equal(mem->grid.nx, disk->grid.nx);
    assert_int_equal(mem->grid.ny, disk->grid.ny);
    assert_close(mem->grid.x0, disk->grid.x0, 1e-12);
    assert_close(mem->grid.h, disk->grid.h, 1e-12);
    long punctured = 0;
    for (int j = 0; j < mem->grid.ny; j++) {
        for (int i = 0; i < mem->grid.nx; i++) {
            const nd_rd_cell *a = nd_rundata_cell(mem, i, j), *b = nd_rundata_cell(disk, i, j);
            assert_int_equal(a->zone, b->zone);
            assert_int_equal(a->punctures, b->punctures);
            assert_int_equal(a->deepest_layer, b->deepest_layer);
            assert_close(a->punctures_per_cm2, b->punctures_per_cm2, 1e-5);
            assert_close(a->subcell_cover, b->subcell_cover, 1e-12);
            if (a->punctures) assert_close(a->depth_mean_m, b->depth_mean_m, 1e-5);
            punctured += a->punctures > 0;
        }
    }
    assert_true(punctured > 1000);
    assert_null(nd_rundata_cell(mem, -1, 0));
    assert_null(nd_rundata_cell(mem, mem->grid.nx, 0));
    nd_rundata_free(mem);
    nd_rundata_free(disk);
}

/* `needle report` on the folder draws the page again, and only from its files. */
static void report_from_dir_rewrites_the_page(void **state)
{
    run_fixture *r = *state;
    char *dir = copy_run(r);
    char p[600];
    path_in(p, sizeof p, dir, "report.html");
    assert_int_equal(remove(p), 0);
    nd_error e;
    assert_int_equal(nd_report_from_dir(dir, &e), ND_OK);
    char *html = read_file(p);
    assert_non_null(html);
    assert_non_null(strstr(html, "<!DOCTYPE html>"));
    assert_non_null(strstr(html, "data-zone=\"forehead\""));
    assert_non_null(strstr(html, "data-zone=\"cheek_left\""));
    assert_null(strstr(html, "data-zone=\"chin\""));
    assert_non_null(strstr(html, "</html>\n"));
    /* The outcome sections, and not the old claim that there are none. */
    assert_non_null(strstr(html, "<table class=\"zones outcomes\">"));
    assert_non_null(strstr(html, "<span data-col=\"pain_vas_hi\">"));
    assert_non_null(strstr(html, "<tr data-ind=\"wrinkles\">"));
    assert_non_null(strstr(html, "Worked out on the forehead"));
    assert_null(strstr(html, "not model"));
    static const char *const figs[] = {"density",          "depth",   "layer",    "coverage",
                                       "depth_histograms", "numbing", "recovery", "collagen"};
    for (size_t k = 0; k < sizeof figs / sizeof figs[0]; k++) {
        char id[64];
        snprintf(id, sizeof id, "<figure id=\"fig-%s\">", figs[k]);
        assert_non_null(strstr(html, id));
        snprintf(id, sizeof id, "figures/%s.png", figs[k]);
        path_in(p, sizeof p, dir, id);
        struct stat st;
        assert_int_equal(stat(p, &st), 0);
        assert_true(st.st_size > 1000);
    }
    /* No script, nothing fetched (http:// appears only in SVG namespace names). */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href=\"http"));
    assert_null(strstr(html, "url(http"));
    assert_null(strstr(html, "@import"));
    free(html);
    assert_int_equal(count_named(dir, ".tmp-"), 0);
    rm_tree(dir);
    free(dir);
}

/* ---- refusals ----------------------------------------------------------- */

/* A bad folder is refused with the file and line, and report.html stays as it was. */
static void expect_refused(const char *dir, const char *file_end, int line, const char *words)
{
    char p[600];
    path_in(p, sizeof p, dir, "report.html");
    char *before = read_file(p);
    nd_error e;
    nd_error_clear(&e);
    assert_int_equal(nd_report_from_dir(dir, &e), ND_ERR_INPUT);
    size_t n = strlen(e.file), m = strlen(file_end);
    if (n < m || strcmp(e.file + n - m, file_end) != 0)
        fail_msg("error names '%s', expected ...%s (%s)", e.file, file_end, e.message);
    if (line) assert_int_equal(e.line, line);
    if (!strstr(e.message, words)) fail_msg("message '%s' lacks '%s'", e.message, words);
    char *after = read_file(p);
    if (before) {
        assert_non_null(after);
        assert_string_equal(before, after);
    } else {
        assert_null(after);
    }
    free(before);
    free(after);
    assert_int_equal(count_named(dir, ".tmp-"), 0);
}

static void refuses_bad_run_folders(void **state)
{
    run_fixture *r = *state;
    char p[600];

    char *root = make_tmp();
    path_in(p, sizeof p, root, "nope");
    expect_refused(p, "/nope", 0, "cannot open the run folder");
    /* A folder of something else: not touched. */
    path_in(p, sizeof p, root, "notes.txt");
    write_file(p, "keep\n");
    expect_refused(root, root, 0, "not a needle run folder");
    assert_int_equal(count_named(root, "report.html"), 0);
    rm_tree(root);
    free(root);

    /* A malformed number in zones.csv, line 3 (the second zone, the nose). */
    char *dir = copy_run(r);
    path_in(p, sizeof p, dir, "zones.csv");
    edit_file(p, "\nnose,", "\nnose,x");
    expect_refused(dir, "/zones.csv", 3, "expected a number, found 'x");
    rm_tree(dir);
    free(dir);

    /* A field.csv row with a field missing. */
    dir = copy_run(r);
    path_in(p, sizeof p, dir, "field.csv");
    edit_file(p, ",forehead,", ",forehead");
    expect_refused(dir, "/field.csv", 0, "the header has");
    rm_tree(dir);
    free(dir);

    /* A run folder from before histograms.csv. */
    dir = copy_run(r);
    path_in(p, sizeof p, dir, "histograms.csv");
    assert_int_equal(remove(p), 0);
    expect_refused(dir, "/histograms.csv", 0, "cannot open");
    rm_tree(dir);
    free(dir);

    /* A histogram that does not add up to the zone's punctures. */
    dir = copy_run(r);
    path_in(p, sizeof p, dir, "histograms.csv");
    edit_file(p, "\nforehead,0,0.01,", "\nforehead,0,0.01,7");
    expect_refused(dir, "/histograms.csv", 0, "punctures in the histogram");
    rm_tree(dir);
    free(dir);

    /* Broken JSON: the line of the problem. */
    dir = copy_run(r);
    path_in(p, sizeof p, dir, "summary.json");
    edit_file(p, "\"seed\":", "\"seed\" ");
    expect_refused(dir, "/summary.json", 5, "malformed JSON");
    rm_tree(dir);
    free(dir);

    /* A zone the scenario did not treat. */
    dir = copy_run(r);
    path_in(p, sizeof p, dir, "zones.csv");
    edit_file(p, "\nnose,", "\nchin,");
    expect_refused(dir, "/zones.csv", 0, "was not treated");
    rm_tree(dir);
    free(dir);
}

/* A spoilt copy of the fixture's folder: the first from in file becomes to;
 * refused at file_end, line (0: any), with words in the message. */
static void spoil(const run_fixture *r, const char *file, const char *from, const char *to,
                  int line, const char *words)
{
    char *dir = copy_run(r), p[600], end[64];
    path_in(p, sizeof p, dir, file);
    edit_file(p, from, to);
    snprintf(end, sizeof end, "/%s", file);
    expect_refused(dir, end, line, words);
    rm_tree(dir);
    free(dir);
}

static void refuses_bad_outcome_files(void **state)
{
    run_fixture *r = *state;
    /* timecourse.csv: a pain score off the scale, at its line. */
    spoil(r, "timecourse.csv", "\nforehead,0.0000,0,", "\nforehead,0.0000,0,12", 2,
          "expected a VAS score 0..10");
    spoil(r, "timecourse.csv", "\nforehead,0.1667,", "\nforehead,x,", 3,
          "expected a number, found 'x'");
    /* Rows of a zone that was not treated, or out of the treatment order. */
    spoil(r, "timecourse.csv", "\nnose,", "\nchin,", 0, "was not treated");
    spoil(r, "timecourse.csv", "\nnose,", "\ncheek_left,", 0, "out of the treatment order");
    /* Times that go back, or differ from the other zones'. */
    spoil(r, "timecourse.csv", "\nforehead,0.1667,", "\nforehead,0.0000,", 3,
          "does not follow the row before");
    spoil(r, "timecourse.csv", "\nnose,0.1667,", "\nnose,0.1668,", 0, "not the forehead's time");
    /* zones.csv: the outcome columns come whole, and each in its range. */
    spoil(r, "zones.csv", ",pain_vas_peak,", ",pain_vas_pique,", 1, "no column 'pain_vas_peak'");
    spoil(r, "zones.csv", ",pain_vas,", ",pain_vas_old,", 1, "no column 'pain_vas'");
    /* summary.json: a number where the evidence has none, an unknown
     * indication, a zone the scenario did not treat. */
    spoil(r, "summary.json", "\"evidence\": \"none\",\n      \"expected\": null",
          "\"evidence\": \"none\",\n      \"expected\": 0.5", 0, "expected null, not a number");
    spoil(r, "summary.json", "\"wrinkles\": {", "\"wrinkels\": {", 0, "unknown indication");
    spoil(r, "summary.json", "\"indications\": {\n    \"zone\": \"forehead\"",
          "\"indications\": {\n    \"zone\": \"chin\"", 0, "was not treated");
    spoil(r, "summary.json", "\"evidence\": \"good\"", "\"evidence\": \"great\"", 0,
          "expected \"good\", \"thin\" or \"none\"");
}

/* Keep the first n comma-separated fields of every line of a file. */
static void keep_fields(const char *path, int n)
{
    char *text = read_file(path);
    assert_non_null(text);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    int field = 0;
    for (const char *c = text; *c; c++) {
        if (*c == '\n') field = 0;
        if (*c == ',') field++;
        if (field < n || *c == '\n') fputc(*c, f);
    }
    assert_int_equal(fclose(f), 0);
    free(text);
}

/* A run folder from before the outcome models: the page without them, and a
 * line that says so; not an error. */
static void older_folder_omits_the_outcomes(void **state)
{
    run_fixture *r = *state;
    char p[600];
    /* Without timecourse.csv only: the table stays, the figures go. */
    char *dir = copy_run(r);
    path_in(p, sizeof p, dir, "timecourse.csv");
    assert_int_equal(remove(p), 0);
    nd_error e;
    if (nd_report_from_dir(dir, &e) != ND_OK) fail_msg("%s:%d: %s", e.file, e.line, e.message);
    path_in(p, sizeof p, dir, "report.html");
    char *html = read_file(p);
    assert_non_null(strstr(html, "<table class=\"zones outcomes\">"));
    assert_non_null(strstr(html, "timecourse.csv is not in the run folder"));
    assert_null(strstr(html, "id=\"fig-numbing\""));
    assert_non_null(strstr(html, "<tr data-ind=\"acne_scars\">"));
    free(html);
    path_in(p, sizeof p, dir, "figures/numbing.png");
    struct stat st;
    assert_int_not_equal(stat(p, &st), 0);

    /* Without any read-out: zones.csv cut back to its first 23 columns,
     * summary.json without its indications. */
    path_in(p, sizeof p, dir, "zones.csv");
    keep_fields(p, 23);
    path_in(p, sizeof p, dir, "summary.json");
    char *json = read_file(p);
    char *at = strstr(json, ",\n  \"indications\": {");
    assert_non_null(at);
    strcpy(at, "\n}\n");
    write_file(p, json);
    free(json);
    if (nd_report_from_dir(dir, &e) != ND_OK) fail_msg("%s:%d: %s", e.file, e.line, e.message);
    nd_rundata *rd;
    assert_int_equal(nd_rundata_load(dir, &rd, &e), ND_OK);
    assert_false(rd->has_outcomes || rd->has_timecourse || rd->has_indications);
    nd_rundata_free(rd);
    path_in(p, sizeof p, dir, "report.html");
    html = read_file(p);
    assert_non_null(strstr(html, "no outcome read-outs"));
    assert_null(strstr(html, "zones outcomes"));
    assert_null(strstr(html, "id=\"courses\""));
    assert_null(strstr(html, "data-ind="));
    assert_null(strstr(html, "expected to hurt"));
    assert_non_null(strstr(html, "id=\"fig-depth_histograms\""));
    free(html);
    rm_tree(dir);
    free(dir);
}

/* ---- escaping ----------------------------------------------------------- */

static char *escaped(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    nd_html_escape(f, s);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void html_escapes_text(void **state)
{
    (void)state;
    char *s = escaped("<script>alert(\"x\")</script> & 'co' caf\xc3\xa9 \x01");
    assert_string_equal(s, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39; "
                           "caf\xc3\xa9 \xef\xbf\xbd");
    free(s);
    s = escaped(NULL);
    assert_string_equal(s, "");
    free(s);
}

/* The scenario name, typed by a user, shows as text wherever the page has
 * it, and never as markup: in memory and after the round trip through
 * summary.json. */
static void page_escapes_the_scenario_name(void **state)
{
    run_fixture *r = *state;
    const char *evil = "<script>alert(\"x\")</script> & 'co'";
    const char *safe = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;";
    nd_scenario sc = *r->view.scenario;
    snprintf(sc.name, sizeof sc.name, "%s", evil);
    nd_run_view v = r->view;
    v.scenario = &sc;
    char *dir = make_tmp();
    nd_error e;
    assert_int_equal(nd_report_write_all(&v, dir, &e), ND_OK);
    char p[600];
    path_in(p, sizeof p, dir, "report.html");
    for (int pass = 0; pass < 2; pass++) {
        char *html = read_file(p);
        assert_non_null(html);
        assert_null(strstr(html, "<script"));
        assert_null(strstr(html, evil));
        char title[256];
        snprintf(title, sizeof title, "<title>%s \xe2\x80\x94 needle report</title>", safe);
        assert_non_null(strstr(html, title));
        char h1[256];
        snprintf(h1, sizeof h1, "<h1>%s</h1>", safe);
        assert_non_null(strstr(html, h1));
        free(html);
        /* Again, from the files. */
        assert_int_equal(nd_report_from_dir(dir, &e), ND_OK);
    }
    rm_tree(dir);
    free(dir);
}

/* ---- findings ----------------------------------------------------------- */

/* Run data made by hand: zones at a setting with the given layer shares. */
static nd_rundata *hand_made(void)
{
    nd_rundata *rd = calloc(1, sizeof *rd);
    assert_non_null(rd);
    rd->scenario.device.kind = ND_DEVICE_PEN;
    rd->grid.h = 1e-3;
    return rd;
}

static void add_zone(nd_rundata *rd, int zone, double set_mm, const double share[ND_LAYER_COUNT],
                     double coverage, double cv)
{
    int k = rd->n_zones++;
    rd->scenario.protocol.n_zones = rd->n_zones;
    nd_zone_plan *p = &rd->scenario.protocol.zones[k];
    p->zone = zone;
    p->depth_m = set_mm * 1e-3;
    nd_rd_zone *z = &rd->zones[k];
    z->stats.zone = zone;
    z->stats.punctures = z->stats.strikes = 1000;
    z->stats.cells = 100; /* 10 punctures per cell */
    z->stats.punctures_per_cm2 = 1500;
    z->stats.depth_mean_m = 0.9 * p->depth_m;
    for (int l = 0; l < ND_LAYER_COUNT; l++) z->stats.layer_fraction[l] = share[l];
    z->stats.coverage_fraction = coverage;
    z->stats.uniformity_cv = cv;
    z->has_bounds = 1;
    const double bottom_mm[ND_RD_BOUNDS] = {0.014, 0.07, 0.33, 0.98};
    for (int b = 0; b < ND_RD_BOUNDS; b++) z->bottom_m[b] = bottom_mm[b] * 1e-3;
}

static void warnings_name_zones_and_numbers(void **state)
{
    (void)state;
    static const double fat[ND_LAYER_COUNT] = {0, 0, 0, 0.2, 0.8};
    static const double fat2[ND_LAYER_COUNT] = {0, 0, 0, 0.4, 0.6};
    static const double deep[ND_LAYER_COUNT] = {0, 0, 0.1, 0.9, 0};
    static const double pap[ND_LAYER_COUNT] = {0, 0, 0.97, 0.03, 0};
    nd_rundata *rd = hand_made();
    add_zone(rd, ND_ZONE_CHEEK_LEFT, 1.25, fat, 1, 0.25);
    add_zone(rd, ND_ZONE_CHEEK_RIGHT, 1.25, fat2, 1, 0.25);
    add_zone(rd, ND_ZONE_FOREHEAD, 0.5, deep, 0.7, 0.25);
    add_zone(rd, ND_ZONE_NOSE, 0.25, pap, 1, 0.8);
    nd_finding w[ND_FINDINGS_MAX];
    int n = nd_findings_warnings(rd, w, ND_FINDINGS_MAX);
    assert_int_equal(n, 4);
    assert_string_equal(w[0].text, "Subcutaneous fat reached in 2 zones:");
    assert_int_equal(w[0].n_items, 1);
    assert_string_equal(w[0].items[0],
                        "Both cheeks: 60\xe2\x80\x93"
                        "80% of punctures (set 1.25 mm; the dermis ends at 0.98 mm)");
    assert_string_equal(
        w[1].text, "Reticular dermis reached at a shallow setting (0.5 mm or less) in 1 zone:");
    assert_string_equal(w[1].items[0], "Forehead: 90% of punctures (set 0.50 mm; the papillary "
                                       "dermis ends at 0.33 mm)");
    /* Measured against what random placement of 10 punctures per cell gives. */
    assert_string_equal(w[2].items[0], "Forehead: 30% of 1 mm cells without a puncture (random "
                                       "placement at this density: <1%)");
    assert_string_equal(w[3].items[0], "Nose: punctures per 1 mm cell vary with a coefficient of "
                                       "variation of 0.80 (random placement at this density: "
                                       "0.32)");

    nd_finding m[ND_FINDINGS_MAX];
    n = nd_findings_meaning(rd, m, ND_FINDINGS_MAX);
    assert_true(n >= 1);
    assert_non_null(strstr(m[0].text, "In the nose, most punctures (97%) stop in the papillary "
                                      "dermis, which carries the capillary loops: pinpoint "
                                      "bleeding is expected."));
    assert_non_null(strstr(m[0].text, "In both cheeks, most punctures (60\xe2\x80\x93"
                                      "80%) go through the whole dermis into subcutaneous fat"));
    nd_rundata_free(rd);

    /* A clean run has no warnings; nor has a sparse one whose gaps and
     * unevenness are what chance gives at its density (0.5 per cell). */
    rd = hand_made();
    add_zone(rd, ND_ZONE_NOSE, 0.25, pap, 1, 0.25);
    add_zone(rd, ND_ZONE_CHIN, 0.25, pap, 1 - exp(-0.5), 1 / sqrt(0.5));
    rd->zones[1].stats.cells = 2000;
    assert_int_equal(nd_findings_warnings(rd, w, ND_FINDINGS_MAX), 0);
    nd_rundata_free(rd);
}

/* ---- outcome findings --------------------------------------------------- */

/* The outcome read-outs of hand-made zone k: pain, numbing and PIH as given,
 * the rest plausible. */
static void set_outcome(nd_rundata *rd, int k, double pain, double numbed_mm, double pih)
{
    nd_rd_outcome *o = &rd->zones[k].outcome;
    o->anesthesia_depth_m = numbed_mm * 1e-3;
    o->pain_vas = (nd_interval){pain / 2, pain, fmin(10, pain * 4 / 3)};
    o->pain_vas_peak = fmin(10, pain * 7 / 6);
    o->bleeding_points_per_cm2 = (nd_interval){300, 750, 1500};
    o->bruising_risk = (nd_interval){0, 0, 0};
    o->erythema_peak = 0.9;
    o->edema_peak = 0.27;
    o->downtime_days = (nd_interval){1.2, 2.1, 3.0};
    o->channel_half_life_h = 0.8;
    o->collagen_I_rel = (nd_interval){1.16, 1.23, 1.30};
    o->collagen_III_rel = (nd_interval){1.002, 1.003, 1.004};
    o->elastin_rel = (nd_interval){1.016, 1.04, 1.096};
    o->pih_risk = (nd_interval){pih / 10, pih, fmin(1, pih * 4.6)};
    rd->has_outcomes = 1;
}

static nd_rundata *painful_run(int fitzpatrick, nd_cream cream, double numbed_mm)
{
    static const double deep[ND_LAYER_COUNT] = {0, 0, 0.1, 0.9, 0};
    nd_rundata *rd = hand_made();
    rd->scenario.patient.fitzpatrick = fitzpatrick;
    rd->scenario.protocol.sessions = 1;
    rd->scenario.protocol.follow_up_s = 90 * 86400.0;
    rd->scenario.protocol.numbing = (nd_numbing){cream, 45 * 60.0, 0};
    add_zone(rd, ND_ZONE_CHEEK_LEFT, 1.2, deep, 1, 0.25);
    add_zone(rd, ND_ZONE_CHEEK_RIGHT, 1.2, deep, 1, 0.25);
    add_zone(rd, ND_ZONE_FOREHEAD, 0.5, deep, 1, 0.25);
    set_outcome(rd, 0, 6.0, numbed_mm, 0.13);
    set_outcome(rd, 1, 6.0, numbed_mm, 0.13);
    set_outcome(rd, 2, 0.6, numbed_mm, 0.02);
    return rd;
}

/* The finding whose text starts with lead, or NULL. */
static const nd_finding *find(const nd_finding *f, int n, const char *lead)
{
    for (int i = 0; i < n; i++)
        if (strncmp(f[i].text, lead, strlen(lead)) == 0) return &f[i];
    return NULL;
}

static void outcome_warnings_name_zones_and_numbers(void **state)
{
    (void)state;
    nd_finding w[ND_FINDINGS_MAX], m[ND_FINDINGS_MAX];
    /* Cheeks needled to 1.08 mm under skin numbed to 0.80 mm, Fitzpatrick V. */
    nd_rundata *rd = painful_run(5, ND_CREAM_EMLA, 0.8);
    int n = nd_findings_warnings(rd, w, ND_FINDINGS_MAX);
    const nd_finding *pain = find(w, n, "Pain above 5/10 expected in 2 zones:");
    assert_non_null(pain);
    assert_int_equal(pain->n_items, 1);
    assert_string_equal(pain->items[0], "Both cheeks: VAS 6.0 (range 3.0 to 8.0; up to 7.0 where "
                                        "its punctures go deepest); numbed to 0.80 mm, the "
                                        "needles reach 1.08 mm");
    assert_non_null(strstr(pain->note, "a longer application, or occlusion, would numb deeper"));
    const nd_finding *pih =
        find(w, n,
             "Risk of post-inflammatory hyperpigmentation of 5% or more (Fitzpatrick V) "
             "in 2 zones:");
    assert_non_null(pih);
    assert_string_equal(pih->items[0], "Both cheeks: 13% over the series (range 1.3 to 60%)");

    n = nd_findings_meaning(rd, m, ND_FINDINGS_MAX);
    const nd_finding *numb = find(m, n,
                                  "With EMLA cream for 45 min, not occluded, the skin is "
                                  "numb to 0.80 mm while the zones are needled; the "
                                  "needles reach below it in both cheeks (1.08 mm)");
    assert_non_null(numb);
    assert_non_null(strstr(numb->text, "The needling is expected to hurt 0.6\xe2\x80\x93"
                                       "6.0 out of 10 (VAS), most in both cheeks (6.0; range 3.0 "
                                       "to 8.0, and up to 7.0 where the punctures go deepest)."));
    const nd_finding *bleed = find(m, n,
                                   "About 750 pinpoint bleeding points per cm\xc2\xb2 are "
                                   "expected in every zone (the model's range 300 to 1500).");
    assert_non_null(bleed);
    assert_non_null(strstr(bleed->text, "stays visible for about 2.1 days, 3.0 days at the slow "
                                        "end of the model's range."));
    const nd_finding *coll = find(m, n,
                                  "After one session and 90 days of follow-up, collagen I "
                                  "is expected to have changed by +23% from before "
                                  "treatment (+16 to +30%) in every zone; collagen III by "
                                  "+0.3% and elastin by +4.0%.");
    assert_non_null(coll);
    assert_non_null(strstr(coll->text, "is 2.0\xe2\x80\x93"
                                       "13% for Fitzpatrick V skin (up to "
                                       "60% at the model's high end)."));
    nd_rundata_free(rd);

    /* Fitzpatrick III: the same risk is no warning; numbed below the
     * needles: a longer application would not help. */
    rd = painful_run(3, ND_CREAM_LMX4, 1.5);
    n = nd_findings_warnings(rd, w, ND_FINDINGS_MAX);
    assert_null(find(w, n, "Risk of post-inflammatory"));
    pain = find(w, n, "Pain above 5/10");
    assert_non_null(pain);
    assert_non_null(strstr(pain->note, "already reaches below the needles"));
    n = nd_findings_meaning(rd, m, ND_FINDINGS_MAX);
    assert_non_null(find(m, n,
                         "With LMX4 cream for 45 min, not occluded, the skin is numb to "
                         "1.50 mm while the zones are needled, deeper than the needles "
                         "reach in every zone (at most 1.08 mm)."));
    nd_rundata_free(rd);

    /* No cream at all. */
    rd = painful_run(3, ND_CREAM_NONE, 0);
    n = nd_findings_warnings(rd, w, ND_FINDINGS_MAX);
    pain = find(w, n, "Pain above 5/10");
    assert_non_null(pain);
    assert_non_null(strstr(pain->note, "No numbing cream was used"));
    nd_rundata_free(rd);

    /* Without read-outs: neither warnings nor sentences about them. */
    rd = painful_run(5, ND_CREAM_EMLA, 0.8);
    rd->has_outcomes = 0;
    n = nd_findings_warnings(rd, w, ND_FINDINGS_MAX);
    assert_null(find(w, n, "Pain above"));
    n = nd_findings_meaning(rd, m, ND_FINDINGS_MAX);
    assert_null(find(m, n, "With EMLA"));
    nd_rundata_free(rd);
}

/* Numbers never round to a value they are not. */
static void labels_never_round_to_nothing(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(nd_label_change(b, sizeof b, 1.23472), "+23");
    assert_string_equal(nd_label_change(b, sizeof b, 1.00311), "+0.3");
    assert_string_equal(nd_label_change(b, sizeof b, 1.0004), "+<0.1");
    assert_string_equal(nd_label_change(b, sizeof b, 1.0), "0");
    assert_string_equal(nd_label_change(b, sizeof b, 0.95), "\xe2\x88\x92"
                                                            "5.0");
    assert_string_equal(nd_label_risk(b, sizeof b, 0), "0");
    assert_string_equal(nd_label_risk(b, sizeof b, 0.0004), "<0.1");
    assert_string_equal(nd_label_risk(b, sizeof b, 0.028), "2.8");
    assert_string_equal(nd_label_risk(b, sizeof b, 0.131), "13");
    assert_string_equal(nd_label_risk(b, sizeof b, 0.996), ">99");
    assert_string_equal(nd_label_small(b, sizeof b, 0.04, 1), "<0.1");
    assert_string_equal(nd_label_small(b, sizeof b, 0.3, 0), "<1");
    assert_string_equal(nd_label_small(b, sizeof b, 0, 1), "0.0");
    int zones[] = {ND_ZONE_FOREHEAD, ND_ZONE_CHEEK_LEFT, ND_ZONE_NOSE, ND_ZONE_CHEEK_RIGHT};
    char list[128];
    nd_label_zone_list(zones, 4, 0, list, sizeof list);
    assert_string_equal(list, "forehead, both cheeks and nose");
    nd_label_zone_list(zones, 4, 1, list, sizeof list);
    assert_string_equal(list, "the forehead, both cheeks and the nose");
}

/* ---- time courses and their figures --------------------------------------- */

static double t_pain(const nd_timecourse_row *r)
{
    return r->pain_vas;
}

static double t_redness(const nd_timecourse_row *r)
{
    return r->erythema_index;
}

/* Hand-made time courses: every 600 s over a day, each zone reddening when
 * it is needled and fading with tau; pain as given. */
static void add_course(nd_rundata *rd, int k, double needled_s, double pain, double tau_s)
{
    enum { N = 145 };
    nd_rd_zone *z = &rd->zones[k];
    z->stats.t_start_s = needled_s - 50;
    z->stats.t_end_s = needled_s + 50;
    z->course = calloc(N, sizeof *z->course);
    assert_non_null(z->course);
    for (int i = 0; i < N; i++) {
        nd_timecourse_row *r = &z->course[i];
        r->time_s = 600.0 * i;
        double since = r->time_s - needled_s;
        r->pain_vas = pain;
        r->anesthesia_depth_m = fmin(1.2e-3, 1e-3 * r->time_s / 2700);
        r->erythema_index = since >= 0 ? 0.9 * exp(-since / tau_s) : 0;
        r->edema_rel = 0.3 * r->erythema_index;
        r->open_channel_fraction = since >= 0 ? exp(-since / 3000) : 0;
        r->collagen_I_rel = 1 + 0.2 * r->time_s / 86400;
        r->collagen_III_rel = 1 + 0.1 * r->time_s / 86400;
        r->elastin_rel = 1 + 0.01 * r->time_s / 86400;
    }
    rd->n_times = N;
    rd->has_timecourse = 1;
}

static void curves_merge_zones_alike(void **state)
{
    (void)state;
    static const double deep[ND_LAYER_COUNT] = {0, 0, 0.1, 0.9, 0};
    nd_rundata *rd = hand_made();
    rd->scenario.protocol.sessions = 3;
    rd->scenario.protocol.interval_s = 28 * 86400.0;
    rd->scenario.protocol.follow_up_s = 90 * 86400.0;
    add_zone(rd, ND_ZONE_FOREHEAD, 0.5, deep, 1, 0.25);
    add_zone(rd, ND_ZONE_NOSE, 0.5, deep, 1, 0.25);
    add_zone(rd, ND_ZONE_CHIN, 1.0, deep, 1, 0.25);
    /* Forehead and nose alike but needled ten minutes apart; the chin hurts more. */
    add_course(rd, 0, 3000, 1.0, 20000);
    add_course(rd, 1, 3650, 1.0, 20000);
    add_course(rd, 2, 4200, 3.0, 40000);
    nd_curve_panel pain = {t_pain, 0, 80000, 0, 0.15};
    nd_curve_group g[ND_ZONE_COUNT];
    assert_int_equal(nd_curve_groups(rd, &pain, 1, g), 2);
    assert_int_equal(g[0].n, 2);
    char key[256];
    nd_curve_group_key(rd, g, 2, 0, key, sizeof key);
    assert_string_equal(key, "needles reach 0.45 mm: forehead and nose");
    /* Redness counted from each zone's own needling lines the two up; counted
     * from the cream going on, they are ten minutes apart and differ. */
    nd_curve_panel red = {t_redness, 0, 80000, 1, 0.015};
    assert_int_equal(nd_curve_groups(rd, &red, 1, g), 2);
    red.from_needling = 0;
    assert_int_equal(nd_curve_groups(rd, &red, 1, g), 3);

    /* The three time-course figures draw from such data, with and without
     * the read-outs, and with no numbing cream. */
    static const char *const figs[] = {"numbing", "recovery", "collagen"};
    for (int pass = 0; pass < 2; pass++) {
        if (pass) {
            for (int k = 0; k < rd->n_zones; k++) set_outcome(rd, k, 2.0, 0.8, 0.01);
            rd->scenario.protocol.numbing.cream = ND_CREAM_NONE;
        }
        for (size_t f = 0; f < sizeof figs / sizeof figs[0]; f++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&buf, &len);
            assert_non_null(out);
            nd_error e;
            const nd_figure *fig = nd_figure_named(figs[f]);
            assert_non_null(fig);
            assert_true(nd_figure_shown(fig, rd));
            assert_int_equal(nd_figure_svg(fig, rd, out, &e), ND_OK);
            assert_int_equal(fclose(out), 0);
            assert_non_null(strstr(buf, "<svg"));
            free(buf);
        }
    }
    rd->has_timecourse = 0;
    assert_false(nd_figure_shown(nd_figure_named("numbing"), rd));
    nd_rundata_free(rd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rundata_round_trip),
        cmocka_unit_test(report_from_dir_rewrites_the_page),
        cmocka_unit_test(refuses_bad_run_folders),
        cmocka_unit_test(refuses_bad_outcome_files),
        cmocka_unit_test(older_folder_omits_the_outcomes),
        cmocka_unit_test(page_escapes_the_scenario_name),
    };
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(html_escapes_text),
        cmocka_unit_test(warnings_name_zones_and_numbers),
        cmocka_unit_test(outcome_warnings_name_zones_and_numbers),
        cmocka_unit_test(labels_never_round_to_nothing),
        cmocka_unit_test(curves_merge_zones_alike),
    };
    int failed = cmocka_run_group_tests_name("with a run", tests, run_setup, run_teardown);
    return failed | cmocka_run_group_tests_name("without a run", plain, NULL, NULL);
}
