/* Report writers: JSON emitter, run folders, summary/zones/field tables and
 * face-map figures.
 *
 * Set ND_TEST_FIGURES=<folder> to keep a full-face pair of figures there for a
 * look by eye. */
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

#include "needle/face.h"
#include "needle/field.h"
#include "needle/report.h"
#include "needle/scenario.h"
#include "report/colormap.h"
#include "report/json_writer.h"

/* Fontconfig, which cairo's text calls load, keeps its configuration for the
 * life of the process and never frees it; that is not a leak of ours.  Read by
 * LeakSanitizer in sanitizer builds, unused otherwise. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

/* ---- helpers ---------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} memout;

static void mem_open(memout *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    assert_non_null(m->f);
}

/* Close the stream and hand back its text (the caller frees it). */
static char *mem_close(memout *m)
{
    assert_int_equal(fclose(m->f), 0);
    return m->buf;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *read_text(const char *path, size_t *len_out)
{
    char *buf = read_text_or_null(path, len_out);
    assert_non_null(buf);
    return buf;
}

/* Entries of dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) n++;
    closedir(d);
    return n;
}

static void assert_png(const char *path)
{
    size_t n;
    char *png = read_text(path, &n);
    assert_true(n > 1000);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    free(png);
}

/* ---- JSON emitter ----------------------------------------------------- */

static void json_escapes_strings(void **state)
{
    (void)state;
    memout m;
    mem_open(&m);
    nd_json j;
    nd_json_init(&j, m.f);
    nd_json_begin_array_inline(&j);
    nd_json_string(&j, "q\"b\\s/\n\r\t\b\f\x01\x1f");
    nd_json_string(&j, "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80"); /* valid UTF-8 stays */
    nd_json_string(&j, "bad\xff\xc3(");                              /* invalid bytes do not */
    nd_json_string(&j, "\xed\xa0\x80");                              /* a lone surrogate */
    nd_json_string(&j, NULL);
    nd_json_end_array(&j);
    assert_int_equal(nd_json_finish(&j), ND_JSON_OK);
    char *out = mem_close(&m);
    assert_string_equal(out, "[\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\", "
                             "\"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80\", "
                             "\"bad\\ufffd\\ufffd(\", \"\\ufffd\\ufffd\\ufffd\", null]\n");
    free(out);
}

static void json_nests_and_indents(void **state)
{
    (void)state;
    memout m;
    mem_open(&m);
    nd_json j;
    nd_json_init(&j, m.f);
    nd_json_begin_object(&j);
    nd_json_kv_string(&j, "name", "x");
    nd_json_key(&j, "list");
    nd_json_begin_array(&j);
    nd_json_int(&j, -3);
    nd_json_begin_object(&j);
    nd_json_kv_bool(&j, "ok", 1);
    nd_json_end_object(&j);
    nd_json_end_array(&j);
    nd_json_key(&j, "empty_obj");
    nd_json_begin_object(&j);
    nd_json_end_object(&j);
    nd_json_key(&j, "empty_arr");
    nd_json_begin_array(&j);
    nd_json_end_array(&j);
    nd_json_key(&j, "dirs");
    nd_json_begin_array_inline(&j);
    nd_json_string(&j, "a");
    nd_json_string(&j, "b");
    nd_json_end_array(&j);
    nd_json_kv_uint(&j, "big", UINT64_MAX);
    nd_json_kv_number(&j, "six", 1234567.0);
    nd_json_kv_number(&j, "nan", NAN);
    nd_json_kv_number(&j, "negzero", -0.0);
    nd_json_key(&j, "exact");
    nd_json_number_exact(&j, 0.1);
    nd_json_key(&j, "third");
    nd_json_number_exact(&j, 1.0 / 3.0);
    nd_json_key(&j, "null");
    nd_json_null(&j);
    nd_json_end_object(&j);
    assert_int_equal(nd_json_finish(&j), ND_JSON_OK);
    char *out = mem_close(&m);
    assert_string_equal(out, "{\n"
                             "  \"name\": \"x\",\n"
                             "  \"list\": [\n"
                             "    -3,\n"
                             "    {\n"
                             "      \"ok\": true\n"
                             "    }\n"
                             "  ],\n"
                             "  \"empty_obj\": {},\n"
                             "  \"empty_arr\": [],\n"
                             "  \"dirs\": [\"a\", \"b\"],\n"
                             "  \"big\": 18446744073709551615,\n"
                             "  \"six\": 1.23457e+06,\n"
                             "  \"nan\": null,\n"
                             "  \"negzero\": 0,\n"
                             "  \"exact\": 0.1,\n"
                             "  \"third\": 0.3333333333333333,\n"
                             "  \"null\": null\n"
                             "}\n");
    free(out);
}

static void json_reports_misuse(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/null", "w");
    assert_non_null(f);
    nd_json j;

    nd_json_init(&j, f); /* a value without a key */
    nd_json_begin_object(&j);
    nd_json_int(&j, 1);
    nd_json_end_object(&j);
    assert_int_equal(nd_json_finish(&j), ND_JSON_EMISUSE);

    nd_json_init(&j, f); /* left open */
    nd_json_begin_array(&j);
    assert_int_equal(nd_json_finish(&j), ND_JSON_EMISUSE);

    nd_json_init(&j, f); /* closed with the wrong bracket */
    nd_json_begin_array(&j);
    nd_json_end_object(&j);
    assert_int_equal(nd_json_finish(&j), ND_JSON_EMISUSE);

    nd_json_init(&j, f); /* a key in an array */
    nd_json_begin_array(&j);
    nd_json_key(&j, "k");
    nd_json_end_array(&j);
    assert_int_equal(nd_json_finish(&j), ND_JSON_EMISUSE);

    nd_json_init(&j, f); /* two top-level values */
    nd_json_int(&j, 1);
    nd_json_int(&j, 2);
    assert_int_equal(nd_json_finish(&j), ND_JSON_EMISUSE);

    nd_json_init(&j, f); /* a key with no value */
    nd_json_begin_object(&j);
    nd_json_key(&j, "k");
    nd_json_end_object(&j);
    assert_int_equal(nd_json_finish(&j), ND_JSON_EMISUSE);

    nd_json_init(&j, f); /* deeper than the writer tracks */
    for (int k = 0; k < ND_JSON_MAX_DEPTH + 1; k++) nd_json_begin_array(&j);
    assert_int_equal(nd_json_finish(&j), ND_JSON_EMISUSE);
    fclose(f);

    char buf[40];
    assert_string_equal(nd_fmt_number(buf, sizeof buf, INFINITY, 6), "");
    assert_string_equal(nd_fmt_number(buf, sizeof buf, 0.25000000000000006, 12), "0.25");
}

static void viridis_ends_and_order(void **state)
{
    (void)state;
    nd_rgb lo = nd_viridis(0), hi = nd_viridis(1), mid = nd_viridis(0.5);
    assert_true(fabs(lo.r - 0.267004) < 1e-9 && fabs(lo.b - 0.329415) < 1e-9);
    assert_true(fabs(hi.r - 0.993248) < 1e-9 && fabs(hi.g - 0.906157) < 1e-9);
    /* matplotlib's entry 128 of 256: 0.127568, 0.566949, 0.550556 */
    assert_true(fabs(mid.r - 0.127568) < 0.004 && fabs(mid.g - 0.566949) < 0.004 &&
                fabs(mid.b - 0.550556) < 0.004);
    nd_rgb clamp = nd_viridis(-1), nan = nd_viridis(NAN);
    assert_true(clamp.r == lo.r && nan.g == lo.g);
    /* Lightness rises monotonically, so the map reads in grey too. */
    double prev = -1;
    for (int k = 0; k <= 100; k++) {
        nd_rgb c = nd_viridis(k / 100.0);
        double y = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
        assert_true(y > prev);
        prev = y;
    }
}

/* ---- run folders ------------------------------------------------------ */

static void rundir_commit_replace_abort(void **state)
{
    (void)state;
    char *root = make_tmp();
    char parent[256], final[300], p[600];
    snprintf(parent, sizeof parent, "%s/a/b", root);
    snprintf(final, sizeof final, "%s/run/", parent); /* trailing slash is fine */
    nd_error e;
    nd_rundir *rd;

    /* First run: missing parents are created, the temp folder is a sibling. */
    assert_int_equal(nd_rundir_begin(final, &rd, &e), ND_OK);
    const char *tmp = nd_rundir_path(rd);
    assert_non_null(strstr(tmp, "/a/b/run.tmp-"));
    assert_true(exists(tmp));
    snprintf(p, sizeof p, "%s/run", parent);
    assert_false(exists(p));
    snprintf(p, sizeof p, "%s/summary.json", tmp);
    write_text(p, "{}\n");
    snprintf(p, sizeof p, "%s/first.txt", tmp);
    write_text(p, "1\n");
    assert_int_equal(nd_rundir_commit(rd, &e), ND_OK);
    snprintf(p, sizeof p, "%s/run/first.txt", parent);
    assert_true(exists(p));
    assert_int_equal(count_prefixed(parent, "run."), 0);
    /* The folder follows the umask like any other, not mkdtemp's 0700. */
    struct stat st;
    snprintf(p, sizeof p, "%s/run", parent);
    assert_int_equal(stat(p, &st), 0);
    mode_t mask = umask(022);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0777 & ~mask);

    /* Second run replaces the first completely. */
    assert_int_equal(nd_rundir_begin(final, &rd, &e), ND_OK);
    snprintf(p, sizeof p, "%s/summary.json", nd_rundir_path(rd));
    write_text(p, "{\"second\": true}\n");
    snprintf(p, sizeof p, "%s/run/first.txt", parent);
    assert_true(exists(p)); /* untouched until commit */
    assert_int_equal(nd_rundir_commit(rd, &e), ND_OK);
    assert_false(exists(p));
    snprintf(p, sizeof p, "%s/run/summary.json", parent);
    char *text = read_text(p, NULL);
    assert_string_equal(text, "{\"second\": true}\n");
    free(text);
    assert_int_equal(count_prefixed(parent, "run."), 0);

    /* Abort leaves the earlier run and no temp folder. */
    assert_int_equal(nd_rundir_begin(final, &rd, &e), ND_OK);
    char tmp_copy[512];
    snprintf(tmp_copy, sizeof tmp_copy, "%s", nd_rundir_path(rd));
    snprintf(p, sizeof p, "%s/figures", tmp_copy);
    assert_int_equal(mkdir(p, 0777), 0);
    snprintf(p, sizeof p, "%s/figures/half.png", tmp_copy);
    write_text(p, "x");
    nd_rundir_abort(rd);
    assert_false(exists(tmp_copy));
    assert_int_equal(count_prefixed(parent, "run."), 0);
    snprintf(p, sizeof p, "%s/run/summary.json", parent);
    assert_true(exists(p));

    rm_tree(root);
    free(root);
}

static void rundir_refuses_other_folders(void **state)
{
    (void)state;
    char *root = make_tmp();
    char dir[512], p[600];
    nd_error e;
    nd_rundir *rd = (nd_rundir *)&e;

    /* A folder of the user's own: refused, left exactly as it was. */
    snprintf(dir, sizeof dir, "%s/photos", root);
    assert_int_equal(mkdir(dir, 0777), 0);
    snprintf(p, sizeof p, "%s/patient.jpg", dir);
    write_text(p, "precious");
    assert_int_equal(nd_rundir_begin(dir, &rd, &e), ND_ERR_IO);
    assert_null(rd);
    assert_non_null(strstr(e.message, "not a needle run folder"));
    assert_string_equal(e.file, dir);
    assert_true(exists(p));
    assert_int_equal(count_prefixed(root, "photos."), 0);

    /* A file where the folder would go. */
    snprintf(p, sizeof p, "%s/file", root);
    write_text(p, "x");
    assert_int_equal(nd_rundir_begin(p, &rd, &e), ND_ERR_IO);

    /* A file where a parent folder would go. */
    snprintf(dir, sizeof dir, "%s/file/run", root);
    assert_int_equal(nd_rundir_begin(dir, &rd, &e), ND_ERR_IO);

    assert_int_equal(nd_rundir_begin("", &rd, &e), ND_ERR_INPUT);

    /* A non-run folder that appears while the run is computed is not replaced. */
    snprintf(dir, sizeof dir, "%s/late", root);
    assert_int_equal(nd_rundir_begin(dir, &rd, &e), ND_OK);
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s", nd_rundir_path(rd));
    assert_int_equal(mkdir(dir, 0777), 0);
    snprintf(p, sizeof p, "%s/mine.txt", dir);
    write_text(p, "mine");
    assert_int_equal(nd_rundir_commit(rd, &e), ND_ERR_IO);
    assert_true(exists(p));
    assert_false(exists(tmp));

    rm_tree(root);
    free(root);
}

/* ---- tables and figures from a hand-made field ------------------------- */

static void pen_scenario(nd_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    snprintf(sc->name, sizeof sc->name, "report test \"quoted\"");
    sc->seed = 42;
    sc->patient.age_y = 40;
    sc->patient.sex = ND_SEX_FEMALE;
    sc->patient.fitzpatrick = 3;
    nd_device_spec *d = &sc->device;
    d->kind = ND_DEVICE_PEN;
    snprintf(d->preset, sizeof d->preset, "pen_12");
    d->needle_length_m = 2.5e-3;
    d->needle_diameter_m = 0.25e-3;
    d->tip_radius_m = 5e-6;
    d->rows = 3;
    d->cols = 4;
    d->pitch_m = 1e-3;
    d->frequency_hz = 110;
    d->motor_stroke_m = 2.5e-3;
    sc->protocol.numbing.cream = ND_CREAM_EMLA;
    sc->protocol.numbing.application_s = 45 * 60;
    sc->protocol.jitter_m = 0.3e-3;
    snprintf(sc->output.dir, sizeof sc->output.dir, "out/test");
    sc->output.grid_m = 1e-3;
}

static void add_zone(nd_scenario *sc, int zone, double depth_mm)
{
    nd_zone_plan *z = &sc->protocol.zones[sc->protocol.n_zones++];
    z->zone = zone;
    z->depth_m = depth_mm * 1e-3;
    z->passes = 2;
    z->n_directions = 2;
    z->directions[0] = ND_DIR_HORIZONTAL;
    z->directions[1] = ND_DIR_VERTICAL;
    z->motion = ND_MOTION_GLIDE;
    z->speed_m_s = 0.05;
    z->overlap = 0.25;
}

static nd_puncture hit(int zone, double x_mm, double y_mm, double depth_mm, int layer, double t)
{
    nd_puncture p;
    memset(&p, 0, sizeof p);
    p.t_s = t;
    p.x_m = (float)(x_mm * 1e-3);
    p.y_m = (float)(y_mm * 1e-3);
    p.depth_m = (float)(depth_mm * 1e-3);
    p.zone = (int16_t)zone;
    p.layer = (int8_t)layer;
    return p;
}

/* The field of the first CSV line that starts with prefix, column col. */
static long csv_int(const char *csv, const char *prefix, int col)
{
    const char *line = csv;
    while (line && strncmp(line, prefix, strlen(prefix)) != 0) {
        line = strchr(line, '\n');
        if (line) line++;
    }
    assert_non_null(line);
    for (int k = 0; k < col; k++) {
        line = strchr(line, ',');
        assert_non_null(line);
        line++;
    }
    return strtol(line, NULL, 10);
}

static void tables_count_punctures(void **state)
{
    (void)state;
    nd_error e;
    nd_face *face;
    nd_field *field;
    assert_int_equal(nd_face_create(&face, &e), ND_OK);
    assert_int_equal(nd_field_create(face, 1e-3, &field, &e), ND_OK);
    assert_int_equal(nd_face_zone_at(face, 0.0, 0.030), ND_ZONE_FOREHEAD);
    assert_int_equal(nd_face_zone_at(face, 0.0, 0.172), ND_ZONE_CHIN);

    nd_scenario sc;
    pen_scenario(&sc);
    /* Chin first: the files follow treatment order, not zone ids. */
    add_zone(&sc, ND_ZONE_CHIN, 1.0);
    add_zone(&sc, ND_ZONE_FOREHEAD, 0.5);

    nd_puncture hits[] = {
        hit(ND_ZONE_FOREHEAD, 0.2, 30.2, 0.50, 2, 1.0),
        hit(ND_ZONE_FOREHEAD, 0.4, 30.4, 0.48, 2, 1.1),
        hit(ND_ZONE_FOREHEAD, 0.6, 30.6, 0.10, 1, 1.2),
        hit(ND_ZONE_FOREHEAD, 5.5, 30.5, 0.52, 2, 1.3),
        hit(ND_ZONE_FOREHEAD, 5.5, 31.5, 0.0, -1, 1.4), /* glanced off: a strike only */
        hit(ND_ZONE_CHIN, 0.5, 172.5, 1.0, 3, 9.0),
        hit(ND_ZONE_CHIN, 0.5, 172.5, 0.9, 3, 9.5),
    };
    nd_field_add(field, hits, (long)(sizeof hits / sizeof hits[0]));
    nd_field_note_time(field, ND_ZONE_FOREHEAD, 1.0, 1.4);
    nd_field_note_time(field, ND_ZONE_CHIN, 9.0, 9.5);

    nd_run_view run = {&sc, face, NULL, field, 7, 123.0, NULL, NULL, NULL};
    memout m;

    mem_open(&m);
    assert_int_equal(nd_write_zones_csv(&run, m.f, &e), ND_OK);
    char *zones = mem_close(&m);
    assert_true(strncmp(zones,
                        "zone,area_cm2,strikes,punctures,punctures_per_cm2,depth_mean_mm,"
                        "depth_p95_mm,depth_max_mm,layer_stratum_corneum,layer_epidermis,"
                        "layer_papillary_dermis,layer_reticular_dermis,layer_fat,"
                        "coverage_fraction,uniformity_cv,repeat_fraction,t_start_s,t_end_s\n",
                        strlen("zone,")) == 0);
    assert_int_equal(csv_int(zones, "forehead,", 2), 5);
    assert_int_equal(csv_int(zones, "forehead,", 3), 4);
    assert_int_equal(csv_int(zones, "chin,", 2), 2);
    assert_int_equal(csv_int(zones, "chin,", 3), 2);
    assert_true(strstr(zones, "\nchin,") < strstr(zones, "\nforehead,"));
    /* Header, two zones. */
    int lines = 0;
    for (const char *c = zones; *c; c++) lines += *c == '\n';
    assert_int_equal(lines, 3);
    free(zones);

    mem_open(&m);
    assert_int_equal(nd_write_field_csv(&run, m.f, &e), ND_OK);
    char *fieldcsv = mem_close(&m);
    assert_true(strncmp(fieldcsv, "x_mm,y_mm,zone,punctures,", 25) == 0);
    /* The three forehead punctures near (0.4, 30.4) share cell x 0..1, y 30..31. */
    assert_non_null(strstr(fieldcsv, "\n0.5,30.5,forehead,3,300,"));
    assert_non_null(strstr(fieldcsv, "\n0.5,172.5,chin,2,200,"));
    long total = 0;
    for (const char *line = strchr(fieldcsv, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
        total += csv_int(line + 1, "", 3);
    assert_int_equal(total, 6);
    /* Unpunctured cells have no depth: empty, not zero. */
    assert_non_null(strstr(fieldcsv, ",forehead,0,0,,,,"));
    free(fieldcsv);

    mem_open(&m);
    assert_int_equal(nd_write_summary_json(&run, m.f, &e), ND_OK);
    char *json = mem_close(&m);
    assert_true(strncmp(json, "{\n  \"needle_version\": \"", 23) == 0);
    assert_non_null(strstr(json, "\"name\": \"report test \\\"quoted\\\"\""));
    assert_non_null(strstr(json, "\"fitzpatrick\": \"III\""));
    assert_non_null(strstr(json, "\"application_min\": 45,"));
    assert_non_null(strstr(json, "\"directions\": [\"horizontal\", \"vertical\"],"));
    assert_non_null(strstr(json, "\"depth_mm\": 0.5,"));
    assert_non_null(strstr(json, "\"speed_mm_s\": 50,"));
    assert_null(strstr(json, "force_n")); /* a pen is motor-driven */
    assert_non_null(strstr(json, "\"totals\": {\n    \"strikes\": 7,\n    \"punctures\": 6,"));
    assert_non_null(strstr(json, "\"session_duration_s\": 8.5\n"));
    const char *zchin = strstr(json, "\n    \"chin\": {");
    const char *zfore = strstr(json, "\n    \"forehead\": {");
    assert_non_null(zchin);
    assert_non_null(zfore);
    assert_true(zchin < zfore);
    assert_non_null(strstr(zfore, "\"strikes\": 5,\n      \"punctures\": 4,"));
    assert_non_null(strstr(zfore, "\"papillary_dermis\": 0.75,"));
    assert_non_null(strstr(zfore, "\"depth_max_mm\": 0.52,"));
    /* Nothing that depends on the machine or the thread count. */
    assert_null(strstr(json, "wall"));
    assert_null(strstr(json, "thread"));

    /* The same run with another thread count and wall time: the same bytes. */
    nd_run_view run2 = run;
    run2.threads = 1;
    run2.wall_s = 9.0;
    mem_open(&m);
    assert_int_equal(nd_write_summary_json(&run2, m.f, &e), ND_OK);
    char *json2 = mem_close(&m);
    assert_string_equal(json, json2);
    free(json2);
    free(json);

    /* Everything into a folder, as a run does. */
    char *dir = make_tmp();
    assert_int_equal(nd_report_write_all(&run, dir, &e), ND_OK);
    char p[600];
    const char *files[] = {"summary.json", "zones.csv", "field.csv"};
    for (int k = 0; k < 3; k++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[k]);
        assert_true(exists(p));
    }
    snprintf(p, sizeof p, "%s/figures/density.png", dir);
    assert_png(p);
    snprintf(p, sizeof p, "%s/figures/depth.png", dir);
    assert_png(p);
    rm_tree(dir);
    free(dir);

    /* A folder that cannot be written names the file. */
    assert_int_equal(nd_report_write_all(&run, "/nonexistent/nd", &e), ND_ERR_IO);
    assert_string_equal(e.file, "/nonexistent/nd/summary.json");
    assert_int_equal(nd_figure_face_map(&run, ND_MAP_DEPTH, "/nonexistent/nd/x.png", &e),
                     ND_ERR_IO);
    assert_string_equal(e.file, "/nonexistent/nd/x.png");
    /* A full disk: the figure's last bytes fail at fclose, a long table on the way. */
    if (exists("/dev/full")) {
        assert_int_equal(nd_figure_face_map(&run, ND_MAP_DENSITY, "/dev/full", &e), ND_ERR_IO);
        assert_non_null(strstr(e.message, "No space"));
        FILE *full = fopen("/dev/full", "w");
        assert_non_null(full);
        assert_int_equal(nd_write_field_csv(&run, full, &e), ND_ERR_IO);
        fclose(full);
    }

    nd_field_free(field);
    nd_face_free(face);
}

/* Deterministic 0..1 from two integers (no global RNG state in a test). */
static double hash01(uint32_t a, uint32_t b)
{
    uint32_t h = a * 0x9E3779B1u ^ (b + 0x7F4A7C15u) * 0x85EBCA77u;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    h *= 0x297A2D39u;
    h ^= h >> 15;
    return h / 4294967296.0;
}

/* A full-face pen session, roughly as the simulator makes it: 4 to 14
 * punctures per 1 mm cell, depth near the zone's setting, the neck left
 * untreated and a few cells missed. */
static void full_face_figures(void **state)
{
    (void)state;
    nd_error e;
    nd_face *face;
    nd_field *field;
    assert_int_equal(nd_face_create(&face, &e), ND_OK);
    assert_int_equal(nd_field_create(face, 1e-3, &field, &e), ND_OK);
    nd_scenario sc;
    pen_scenario(&sc);
    snprintf(sc.name, sizeof sc.name, "default full-face session (fine lines, 12-needle pen)");
    const struct {
        int zone;
        double depth;
    } plan[] = {{ND_ZONE_FOREHEAD, 0.5},
                {ND_ZONE_GLABELLA, 0.5},
                {ND_ZONE_TEMPLE_LEFT, 0.5},
                {ND_ZONE_TEMPLE_RIGHT, 0.5},
                {ND_ZONE_PERIORBITAL_LEFT, 0.25},
                {ND_ZONE_PERIORBITAL_RIGHT, 0.25},
                {ND_ZONE_NOSE, 0.25},
                {ND_ZONE_CHEEK_LEFT, 1.25},
                {ND_ZONE_CHEEK_RIGHT, 1.25},
                {ND_ZONE_UPPER_LIP, 0.5},
                {ND_ZONE_CHIN, 1.0},
                {ND_ZONE_JAWLINE_LEFT, 1.0},
                {ND_ZONE_JAWLINE_RIGHT, 1.0}};
    double depth_of[ND_ZONE_COUNT] = {0};
    for (size_t k = 0; k < sizeof plan / sizeof plan[0]; k++) {
        add_zone(&sc, plan[k].zone, plan[k].depth);
        depth_of[plan[k].zone] = plan[k].depth;
    }
    const nd_grid *g = nd_field_grid(field);
    nd_puncture buf[64];
    double t = 0;
    for (int j = 0; j < g->ny; j++) {
        for (int i = 0; i < g->nx; i++) {
            int z = nd_field_cell_zone(field, i, j);
            if (z < 0 || depth_of[z] == 0) continue;
            /* Density falls off towards the right cheek, where strokes overlapped less. */
            double base = 8 + 6 * hash01((uint32_t)i, (uint32_t)j) -
                          (z == ND_ZONE_CHEEK_RIGHT ? 4 * (double)(g->nx - i) / g->nx : 0);
            int n = hash01((uint32_t)j, (uint32_t)i * 7u) < 0.02 ? 0 : (int)base;
            for (int k = 0; k < n && k < 64; k++) {
                double u = hash01((uint32_t)(i * 131 + k), (uint32_t)j);
                double w = hash01((uint32_t)(j * 137 + k), (uint32_t)i);
                double d = depth_of[z] * (0.75 + 0.2 * u + 0.1 * w);
                int layer = d < 0.02 ? 0 : d < 0.1 ? 1 : d < 0.5 ? 2 : d < 2 ? 3 : 4;
                buf[k] = hit(z, (g->x0 + (i + u) * g->h) * 1e3, (g->y0 + (j + w) * g->h) * 1e3, d,
                             layer, t);
                t += 0.01;
            }
            nd_field_add(field, buf, n < 64 ? n : 64);
        }
    }
    nd_run_view run = {&sc, face, NULL, field, 1, 0, NULL, NULL, NULL};
    const char *keep = getenv("ND_TEST_FIGURES");
    char *dir = keep ? NULL : make_tmp();
    const char *out = keep ? keep : dir;
    char p[600];
    snprintf(p, sizeof p, "%s/density.png", out);
    assert_int_equal(nd_figure_face_map(&run, ND_MAP_DENSITY, p, &e), ND_OK);
    assert_png(p);
    snprintf(p, sizeof p, "%s/depth.png", out);
    assert_int_equal(nd_figure_face_map(&run, ND_MAP_DEPTH, p, &e), ND_OK);
    assert_png(p);
    if (dir) {
        rm_tree(dir);
        free(dir);
    }
    nd_field_free(field);
    nd_face_free(face);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_escapes_strings),
        cmocka_unit_test(json_nests_and_indents),
        cmocka_unit_test(json_reports_misuse),
        cmocka_unit_test(viridis_ends_and_order),
        cmocka_unit_test(rundir_commit_replace_abort),
        cmocka_unit_test(rundir_refuses_other_folders),
        cmocka_unit_test(tables_count_punctures),
        cmocka_unit_test(full_face_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
