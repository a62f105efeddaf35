/* Scenario files: reading, defaults, ranges, cross-field checks and the
 * messages a user sees when a file is wrong. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/suggest.h"
#include "needle/data.h"
#include "needle/scenario.h"

/* ---- helpers ---------------------------------------------------------- */

static const char *source_dir(void)
{
    /* ctest sets ND_SOURCE_DIR; run by hand, the tree is where this file is. */
    static char from_file[1024];
    const char *env = getenv("ND_SOURCE_DIR");
    if (env && env[0]) return env;
    snprintf(from_file, sizeof from_file, "%s", __FILE__);
    char *cut = strstr(from_file, "/tests/unit/");
    if (cut) *cut = '\0';
    return from_file;
}

static nd_status parse(const char *yaml, nd_scenario *sc, nd_error *err)
{
    nd_error_clear(err);
    return nd_scenario_parse(yaml, strlen(yaml), "case.yaml", sc, err);
}

static double param(const char *name)
{
    nd_table *t = NULL;
    nd_error err;
    assert_int_equal(nd_table_load("parameters.csv", &t, &err), ND_OK);
    double v = NAN;
    assert_int_equal(nd_param(t, name, &v, &err), ND_OK);
    nd_table_free(t);
    return v;
}

/* 1-based line of the first occurrence of needle in text. */
static int line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    assert_non_null(at);
    int line = 1;
    for (const char *p = text; p < at; p++) line += *p == '\n';
    return line;
}

static void near_(double a, double b, double tol, const char *expr, const char *file, int line)
{
    if (fabs(a - b) <= tol) return;
    print_message("%s: %.17g, expected %.17g (within %g)\n", expr, a, b, tol);
    _fail(file, line);
}
#define assert_near(a, b, tol) near_((a), (b), (tol), #a, __FILE__, __LINE__)

static void show_error(const nd_error *err)
{
    char buf[1200];
    nd_error_format(err, buf, sizeof buf);
    print_message("    got: %s\n", buf);
}

/* Parse yaml and require an input error at line (0: do not check) in field,
 * whose message contains each of the NULL-terminated fragments. */
static void expect_error(const char *yaml, int line, const char *field, ...)
{
    nd_scenario sc;
    nd_error err;
    nd_status st = parse(yaml, &sc, &err);
    if (st != ND_ERR_INPUT || strcmp(err.field, field) != 0 || (line && err.line != line)) {
        print_message("  expected line %d field %s\n", line, field);
        show_error(&err);
        print_message("  in:\n%s\n", yaml);
    }
    assert_int_equal(st, ND_ERR_INPUT);
    assert_string_equal(err.field, field);
    assert_string_equal(err.file, "case.yaml");
    if (line) assert_int_equal(err.line, line);
    assert_true(err.column > 0 || line == 0);
    va_list ap;
    va_start(ap, field);
    for (const char *frag; (frag = va_arg(ap, const char *));) {
        if (!strstr(err.message, frag)) {
            print_message("  message lacks \"%s\"\n", frag);
            show_error(&err);
        }
        assert_non_null(strstr(err.message, frag));
    }
    va_end(ap);
}

static void expect_ok(const char *yaml, nd_scenario *sc)
{
    nd_error err;
    nd_status st = parse(yaml, sc, &err);
    if (st != ND_OK) {
        show_error(&err);
        print_message("  in:\n%s\n", yaml);
    }
    assert_int_equal(st, ND_OK);
}

#define PAT       "patient: {age_y: 40, sex: female, fitzpatrick: III}\n"
#define PEN       "device: {preset: pen_12}\n"
#define ROLLER    "device: {preset: dermaroller_192}\n"
#define STAMP     "device: {preset: stamp_35}\n"
#define ESTAMP    "device: {preset: estamp_35}\n"
#define PEN_ZONE  "protocol:\n  zones:\n    - {zone: forehead, depth_mm: 0.5}\n"
#define HAND_ZONE "protocol:\n  zones:\n    - {zone: forehead}\n"

/* ---- the shipped scenarios -------------------------------------------- */

static void default_scenario_in_si(void **state)
{
    (void)state;
    nd_scenario sc;
    nd_error err;
    assert_int_equal(nd_scenario_default(&sc, &err), ND_OK);
    assert_string_equal(sc.name, "default full-face session (fine lines, 12-needle pen)");
    assert_string_equal(sc.source, "built-in default");
    assert_true(sc.seed == 1);
    assert_near(sc.patient.age_y, 40, 0);
    assert_int_equal(sc.patient.sex, ND_SEX_FEMALE);
    assert_int_equal(sc.patient.fitzpatrick, 3);

    const nd_device_spec *d = &sc.device;
    assert_int_equal(d->kind, ND_DEVICE_PEN);
    assert_string_equal(d->preset, "pen_12");
    assert_near(d->needle_length_m, 2.5e-3, 1e-12);
    assert_near(d->needle_diameter_m, 0.25e-3, 1e-12);
    assert_near(d->tip_radius_m, 5e-6, 1e-15);
    assert_int_equal(d->rows, 3);
    assert_int_equal(d->cols, 4);
    assert_near(d->pitch_m, 1e-3, 1e-12);
    assert_near(d->frequency_hz, 110, 0);
    assert_near(d->motor_stroke_m, param("motor_stroke_m"), 0);
    assert_int_equal(d->rings, 0);
    assert_int_equal(nd_device_needles(d), 12);
    assert_true(nd_device_is_motorised(d));

    const nd_protocol *p = &sc.protocol;
    assert_int_equal(p->numbing.cream, ND_CREAM_EMLA);
    assert_near(p->numbing.application_s, 45 * 60, 1e-9);
    assert_int_equal(p->numbing.occluded, 0);
    assert_near(p->jitter_m, param("jitter_m"), 0);

    /* forehead, glabella, temples (2), periorbital (2), nose, cheeks (2),
     * upper_lip, chin, jawline (2), neck */
    static const struct {
        int zone;
        double depth_mm;
    } want[] = {
        {ND_ZONE_FOREHEAD, 0.5},
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
        {ND_ZONE_JAWLINE_RIGHT, 1.0},
        {ND_ZONE_NECK, 0.5},
    };
    assert_int_equal(p->n_zones, 14);
    for (int i = 0; i < 14; i++) {
        const nd_zone_plan *z = &p->zones[i];
        assert_int_equal(z->zone, want[i].zone);
        assert_near(z->depth_m, want[i].depth_mm * 1e-3, 1e-12);
        assert_int_equal(z->passes, 2);
        assert_int_equal(z->n_directions, 2);
        assert_int_equal(z->directions[0], ND_DIR_HORIZONTAL);
        assert_int_equal(z->directions[1], ND_DIR_VERTICAL);
        assert_int_equal(z->motion, ND_MOTION_GLIDE);
        assert_near(z->speed_m_s, 0.05, 1e-12);
        assert_near(z->force_n, 0, 0);
        assert_near(z->dwell_s, 0, 0);
        assert_near(z->overlap, param("overlap"), 0);
    }
    assert_string_equal(sc.output.dir, "out/default");
    assert_near(sc.output.grid_m, 1e-3, 1e-15);
    assert_int_equal(sc.output.raw_punctures, 0);
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_OK);
}

static void default_yaml_is_the_example_file(void **state)
{
    (void)state;
    char path[1200];
    snprintf(path, sizeof path, "%s/examples/default.yaml", source_dir());
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    assert_string_equal(nd_scenario_default_yaml(), text);

    nd_scenario a, b;
    nd_error err;
    assert_int_equal(nd_scenario_load(path, &a, &err), ND_OK);
    assert_int_equal(nd_scenario_default(&b, &err), ND_OK);
    assert_string_equal(a.source, path);
    assert_int_equal(a.protocol.n_zones, b.protocol.n_zones);
    assert_near(a.protocol.zones[7].depth_m, b.protocol.zones[7].depth_m, 0);
}

static void load_example(const char *name, nd_scenario *sc)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/examples/%s", source_dir(), name);
    nd_error err;
    nd_status st = nd_scenario_load(path, sc, &err);
    if (st) show_error(&err);
    assert_int_equal(st, ND_OK);
    assert_int_equal(nd_scenario_validate(sc, &err), ND_OK);
}

static void example_roller(void **state)
{
    (void)state;
    nd_scenario sc;
    load_example("roller.yaml", &sc);
    const nd_device_spec *d = &sc.device;
    assert_int_equal(d->kind, ND_DEVICE_ROLLER);
    assert_string_equal(d->preset, "dermaroller_192");
    assert_int_equal(nd_device_needles(d), 192);
    assert_int_equal(d->rings, 24);
    assert_int_equal(d->needles_per_ring, 8);
    assert_near(d->drum_diameter_m, 20e-3, 1e-12);
    assert_near(d->drum_width_m, 20e-3, 1e-12);
    assert_near(d->needle_length_m, 1.5e-3, 1e-12);
    assert_false(nd_device_is_motorised(d));
    assert_near(d->frequency_hz, 0, 0);
    assert_near(d->motor_stroke_m, 0, 0);
    const nd_protocol *p = &sc.protocol;
    assert_int_equal(p->n_zones, 3);
    assert_int_equal(p->zones[0].zone, ND_ZONE_CHEEK_LEFT);
    assert_int_equal(p->zones[1].zone, ND_ZONE_CHEEK_RIGHT);
    assert_int_equal(p->zones[2].zone, ND_ZONE_FOREHEAD);
    for (int i = 0; i < 3; i++) {
        assert_near(p->zones[i].depth_m, d->needle_length_m, 0);
        assert_int_equal(p->zones[i].motion, ND_MOTION_GLIDE);
        assert_int_equal(p->zones[i].n_directions, 4);
        assert_near(p->zones[i].speed_m_s, 0.02, 1e-12);
    }
    assert_int_equal(p->zones[0].passes, 8);
    assert_near(p->zones[0].force_n, 10, 0);
    assert_int_equal(p->zones[2].passes, 4);
    assert_near(p->zones[2].force_n, 6, 0);
    assert_int_equal(p->numbing.cream, ND_CREAM_EMLA);
    assert_int_equal(p->numbing.occluded, 1);
    assert_near(sc.output.grid_m, 0.5e-3, 1e-15);
}

static void example_stamp(void **state)
{
    (void)state;
    nd_scenario sc;
    load_example("stamp.yaml", &sc);
    const nd_device_spec *d = &sc.device;
    assert_int_equal(d->kind, ND_DEVICE_STAMP);
    assert_string_equal(d->preset, "");
    assert_int_equal(nd_device_needles(d), 20);
    assert_near(d->pitch_m, 1.2e-3, 1e-12);
    assert_near(d->tip_radius_m, 4e-6, 1e-15);
    const nd_zone_plan *z = &sc.protocol.zones[1];
    assert_int_equal(z->zone, ND_ZONE_CHIN);
    assert_int_equal(z->motion, ND_MOTION_STAMP);
    assert_int_equal(z->passes, 4);
    assert_near(z->force_n, 10, 0);
    assert_near(z->press_speed_m_s, 0.01, 1e-12);
    assert_near(z->stamp_rate_hz, 2, 0);
    assert_near(z->depth_m, 0.5e-3, 1e-12);
    assert_near(z->speed_m_s, 0, 0);
    assert_int_equal(sc.output.raw_punctures, 1);
}

static void example_estamp(void **state)
{
    (void)state;
    nd_scenario sc;
    load_example("estamp.yaml", &sc);
    const nd_device_spec *d = &sc.device;
    assert_int_equal(d->kind, ND_DEVICE_ESTAMP);
    assert_near(d->frequency_hz, 80, 0);
    assert_near(d->needle_length_m, 2e-3, 1e-12);
    const nd_protocol *p = &sc.protocol;
    assert_int_equal(p->n_zones, 5);
    assert_int_equal(p->zones[0].zone, ND_ZONE_PERIORBITAL_LEFT);
    assert_int_equal(p->zones[0].motion, ND_MOTION_STAMP);
    assert_near(p->zones[0].dwell_s, 0.3, 1e-12);
    assert_near(p->zones[2].dwell_s, 0.5, 1e-12);
    assert_int_equal(p->zones[3].motion, ND_MOTION_GLIDE);
    assert_near(p->zones[3].dwell_s, 0, 0);
    assert_near(p->zones[3].speed_m_s, 0.01, 1e-12);
    assert_int_equal(p->numbing.cream, ND_CREAM_BLT);
    assert_string_equal(sc.output.dir, "out/estamp");
}

static void example_pen(void **state)
{
    (void)state;
    nd_scenario sc;
    load_example("pen.yaml", &sc);
    assert_int_equal(sc.device.kind, ND_DEVICE_PEN);
    assert_int_equal(nd_device_needles(&sc.device), 36);
    assert_near(sc.device.frequency_hz, 120, 0);
    assert_int_equal(sc.protocol.n_zones, 6);
    assert_near(sc.protocol.zones[0].depth_m, 1.5e-3, 1e-12);
    assert_int_equal(sc.protocol.zones[0].passes, 8);
    assert_int_equal(sc.protocol.zones[2].passes, 4);
    assert_true(sc.seed == 2024);
}

/* Every file in tests/cli/bad fails at the line and field its EXPECT line names. */
static void bad_files_match_expect(void **state)
{
    (void)state;
    char path[1200];
    snprintf(path, sizeof path, "%s/tests/cli/bad/EXPECT", source_dir());
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char row[600], file[256], field[256];
    int line, count = 0;
    while (fgets(row, sizeof row, f)) {
        if (row[0] == '#' || row[0] == '\n') continue;
        assert_int_equal(sscanf(row, "%255s %d %255s", file, &line, field), 3);
        char yaml[1200];
        snprintf(yaml, sizeof yaml, "%s/tests/cli/bad/%s", source_dir(), file);
        nd_scenario sc;
        nd_error err;
        nd_status st = nd_scenario_load(yaml, &sc, &err);
        if (st != ND_ERR_INPUT || err.line != line ||
            strcmp(err.field, strcmp(field, "-") == 0 ? "" : field) != 0) {
            print_message("  %s: expected line %d field %s\n", file, line, field);
            show_error(&err);
        }
        assert_int_equal(st, ND_ERR_INPUT);
        assert_int_equal(err.line, line);
        assert_string_equal(err.field, strcmp(field, "-") == 0 ? "" : field);
        assert_string_equal(err.file, yaml);
        count++;
    }
    fclose(f);
    assert_true(count >= 12);
}

/* ---- defaults --------------------------------------------------------- */

static void defaults_filled_roller(void **state)
{
    (void)state;
    nd_scenario sc;
    nd_error err;
    const char *yaml = PAT ROLLER HAND_ZONE;
    assert_int_equal(nd_scenario_parse(yaml, strlen(yaml), "runs/my first.yaml", &sc, &err), ND_OK);
    assert_string_equal(sc.name, "my_first");
    assert_string_equal(sc.output.dir, "out/my_first");
    assert_string_equal(sc.source, "runs/my first.yaml");
    assert_true(sc.seed == 1);
    assert_near(sc.output.grid_m, 1e-3, 1e-15);
    assert_int_equal(sc.output.raw_punctures, 0);
    assert_int_equal(sc.protocol.numbing.cream, ND_CREAM_NONE);
    assert_near(sc.protocol.numbing.application_s, 0, 0);
    assert_int_equal(sc.protocol.numbing.occluded, 0);
    assert_near(sc.protocol.jitter_m, param("jitter_m"), 0);
    const nd_zone_plan *z = &sc.protocol.zones[0];
    assert_int_equal(z->n_directions, 4);
    for (int i = 0; i < 4; i++) assert_int_equal(z->directions[i], i);
    assert_int_equal(z->passes, 4);
    assert_int_equal(z->motion, ND_MOTION_GLIDE);
    assert_near(z->depth_m, 1.5e-3, 1e-12);
    assert_near(z->speed_m_s, param("roller_speed_m_s"), 0);
    assert_near(z->force_n, param("roller_force_n"), 0);
    assert_near(z->overlap, param("overlap"), 0);
    assert_near(z->press_speed_m_s, 0, 0);
    assert_near(z->stamp_rate_hz, 0, 0);
    assert_near(z->dwell_s, 0, 0);
}

static void defaults_filled_per_kind(void **state)
{
    (void)state;
    nd_scenario sc;
    expect_ok(PAT STAMP HAND_ZONE, &sc);
    const nd_zone_plan *z = &sc.protocol.zones[0];
    assert_string_equal(sc.name, "case");
    assert_int_equal(z->motion, ND_MOTION_STAMP);
    assert_near(z->force_n, param("stamp_force_n"), 0);
    assert_near(z->press_speed_m_s, param("stamp_press_speed_m_s"), 0);
    assert_near(z->stamp_rate_hz, param("stamp_rate_hz"), 0);
    assert_near(z->depth_m, 1e-3, 1e-12);
    assert_near(z->speed_m_s, 0, 0);

    expect_ok(PAT ESTAMP PEN_ZONE, &sc);
    z = &sc.protocol.zones[0];
    assert_int_equal(z->motion, ND_MOTION_STAMP);
    assert_near(z->dwell_s, param("dwell_s"), 0);
    assert_near(z->speed_m_s, param("glide_speed_m_s"), 0);
    assert_near(z->force_n, 0, 0);
    assert_near(sc.device.motor_stroke_m, param("motor_stroke_m"), 0);

    expect_ok(PAT PEN PEN_ZONE, &sc);
    z = &sc.protocol.zones[0];
    assert_int_equal(z->motion, ND_MOTION_GLIDE);
    assert_near(z->dwell_s, 0, 0);
    assert_near(z->speed_m_s, param("glide_speed_m_s"), 0);
    assert_near(z->depth_m, 0.5e-3, 1e-12);

    /* A pen set to stamp takes the dwell default. */
    expect_ok(PAT PEN "protocol:\n  zones:\n    - {zone: nose, depth_mm: 0.25, motion: stamp}\n",
              &sc);
    assert_near(sc.protocol.zones[0].dwell_s, param("dwell_s"), 0);
}

static void protocol_defaults_apply_unless_overridden(void **state)
{
    (void)state;
    nd_scenario sc;
    expect_ok(PAT PEN "protocol:\n"
                      "  defaults: {depth_mm: 0.5, passes: 3, directions: [diagonal], "
                      "speed_mm_s: 30, overlap: 0.25, motion: stamp, dwell_s: 1.5}\n"
                      "  zones:\n"
                      "    - zone: forehead\n"
                      "    - {zone: chin, depth_mm: 1.0, passes: 5, motion: glide}\n",
              &sc);
    const nd_zone_plan *a = &sc.protocol.zones[0], *b = &sc.protocol.zones[1];
    assert_near(a->depth_m, 0.5e-3, 1e-12);
    assert_int_equal(a->passes, 3);
    assert_int_equal(a->n_directions, 1);
    assert_int_equal(a->directions[0], ND_DIR_DIAGONAL);
    assert_near(a->speed_m_s, 0.03, 1e-12);
    assert_near(a->overlap, 0.25, 0);
    assert_int_equal(a->motion, ND_MOTION_STAMP);
    assert_near(a->dwell_s, 1.5, 0);
    assert_near(b->depth_m, 1e-3, 1e-12);
    assert_int_equal(b->passes, 5);
    assert_int_equal(b->motion, ND_MOTION_GLIDE);
    assert_near(b->dwell_s, 0, 0); /* the default dwell is for stamping zones */

    /* passes defaults to the number of directions */
    expect_ok(PAT PEN "protocol:\n  zones:\n"
                      "    - {zone: nose, depth_mm: 0.25, directions: [vertical, horizontal, "
                      "vertical]}\n",
              &sc);
    assert_int_equal(sc.protocol.zones[0].passes, 3);
    assert_int_equal(sc.protocol.zones[0].directions[2], ND_DIR_VERTICAL);
}

static void device_fields_override_preset(void **state)
{
    (void)state;
    nd_scenario sc;
    expect_ok(PAT "device: {kind: pen, preset: pen_9, needle_length_mm: 1.5, frequency_hz: 150, "
                  "motor_stroke_mm: 2.5, pitch_mm: 0.8}\n" PEN_ZONE,
              &sc);
    assert_string_equal(sc.device.preset, "pen_9");
    assert_int_equal(sc.device.rows, 1);
    assert_int_equal(sc.device.cols, 9);
    assert_near(sc.device.needle_length_m, 1.5e-3, 1e-12);
    assert_near(sc.device.frequency_hz, 150, 0);
    assert_near(sc.device.motor_stroke_m, 2.5e-3, 1e-12);
    assert_near(sc.device.pitch_m, 0.8e-3, 1e-12);

    /* Built from fields alone; the stroke takes the model default. */
    expect_ok(PAT "device: {kind: estamp, rows: 2, cols: 3, pitch_mm: 1, needle_length_mm: 1, "
                  "needle_diameter_mm: 0.2, tip_radius_um: 3, frequency_hz: 50}\n" PEN_ZONE,
              &sc);
    assert_string_equal(sc.device.preset, "");
    assert_int_equal(nd_device_needles(&sc.device), 6);
    assert_near(sc.device.motor_stroke_m, param("motor_stroke_m"), 0);
    assert_near(sc.device.tip_radius_m, 3e-6, 1e-15);
}

static void patient_fields(void **state)
{
    (void)state;
    nd_scenario sc;
    static const struct {
        const char *text;
        int type;
    } fitz[] = {{"I", 1}, {"II", 2}, {"iii", 3}, {"IV", 4},
                {"V", 5}, {"VI", 6}, {"1", 1},   {"6", 6}};
    for (size_t i = 0; i < sizeof fitz / sizeof fitz[0]; i++) {
        char yaml[600];
        snprintf(yaml, sizeof yaml,
                 "seed: 18446744073709551615\npatient: {age_y: 63.5, sex: male, fitzpatrick: "
                 "%s}\n" PEN PEN_ZONE "output: {dir: runs/a, grid_mm: 0.25, raw_punctures: yes}\n",
                 fitz[i].text);
        expect_ok(yaml, &sc);
        assert_int_equal(sc.patient.fitzpatrick, fitz[i].type);
    }
    assert_int_equal(sc.patient.sex, ND_SEX_MALE);
    assert_near(sc.patient.age_y, 63.5, 0);
    assert_true(sc.seed == UINT64_MAX);
    assert_string_equal(sc.output.dir, "runs/a");
    assert_near(sc.output.grid_m, 0.25e-3, 1e-15);
    assert_int_equal(sc.output.raw_punctures, 1);
}

/* ---- ranges ----------------------------------------------------------- */

typedef struct {
    const char *path;
    double min, max;
    int whole;
    const char *yaml; /* one %s, where the value goes */
} range_case;

/* The schema's ranges, written out again from the specification so that a
 * slip in the library's table shows up here. */
static const range_case ranges[] = {
    {"patient.age_y", 12, 110, 0,
     "patient: {age_y: %s, sex: female, fitzpatrick: III}\n" PEN PEN_ZONE},
    {"device.needle_length_mm", 0.05, 3.0, 0,
     PAT "device: {preset: pen_12, motor_stroke_mm: 5,\n  needle_length_mm: %s}\n"
         "protocol:\n  zones:\n    - {zone: forehead, depth_mm: 0.05}\n"},
    {"device.needle_diameter_mm", 0.03, 0.5, 0,
     PAT "device:\n  preset: pen_12\n  needle_diameter_mm: %s\n" PEN_ZONE},
    {"device.tip_radius_um", 0.5, 100, 0,
     PAT "device:\n  preset: pen_12\n  tip_radius_um: %s\n" PEN_ZONE},
    {"device.rings", 1, 100, 1,
     PAT "device:\n  preset: dermaroller_192\n  drum_width_mm: 100\n  rings: %s\n" HAND_ZONE},
    {"device.needles_per_ring", 1, 100, 1,
     PAT "device:\n  preset: dermaroller_192\n  needles_per_ring: %s\n" HAND_ZONE},
    {"device.drum_diameter_mm", 5, 50, 0,
     PAT "device:\n  preset: dermaroller_192\n  drum_diameter_mm: %s\n" HAND_ZONE},
    {"device.drum_width_mm", 2, 100, 0,
     PAT "device:\n  preset: dermaroller_192\n  rings: 1\n  drum_width_mm: %s\n" HAND_ZONE},
    {"device.rows", 1, 40, 1, PAT "device:\n  preset: pen_12\n  rows: %s\n" PEN_ZONE},
    {"device.cols", 1, 40, 1, PAT "device:\n  preset: stamp_35\n  cols: %s\n" HAND_ZONE},
    {"device.pitch_mm", 0.2, 5, 0,
     PAT "device:\n  preset: estamp_35\n  needle_diameter_mm: 0.1\n  pitch_mm: %s\n" PEN_ZONE},
    {"device.frequency_hz", 1, 300, 0,
     PAT "device:\n  preset: pen_12\n  frequency_hz: %s\n" PEN_ZONE},
    {"device.motor_stroke_mm", 0.5, 5, 0,
     PAT "device:\n  preset: pen_12\n  motor_stroke_mm: %s\n"
         "protocol:\n  zones:\n    - {zone: forehead, depth_mm: 0.25}\n"},
    {"protocol.numbing.application_min", 0, 240, 0,
     PAT PEN "protocol:\n  numbing:\n    cream: emla\n    application_min: %s\n"
             "  zones:\n    - {zone: forehead, depth_mm: 0.5}\n"},
    {"protocol.jitter_mm", 0, 5, 0,
     PAT PEN "protocol:\n  jitter_mm: %s\n  zones:\n    - {zone: forehead, depth_mm: 0.5}\n"},
    {"protocol.zones[0].depth_mm", 0.05, 3.0, 0,
     PAT "device: {preset: pen_12, needle_length_mm: 3, motor_stroke_mm: 5}\n"
         "protocol:\n  zones:\n    - zone: forehead\n      depth_mm: %s\n"},
    {"protocol.zones[0].passes", 1, 50, 1,
     PAT PEN "protocol:\n  zones:\n    - {zone: forehead, depth_mm: 0.5,\n       passes: %s}\n"},
    {"protocol.zones[0].speed_mm_s", 1, 500, 0,
     PAT PEN "protocol:\n  zones:\n    - zone: forehead\n      depth_mm: 0.5\n"
             "      speed_mm_s: %s\n"},
    {"protocol.zones[0].force_n", 0.1, 100, 0,
     PAT ROLLER "protocol:\n  zones:\n    - zone: forehead\n      force_n: %s\n"},
    {"protocol.zones[0].press_speed_mm_s", 1, 500, 0,
     PAT STAMP "protocol:\n  zones:\n    - zone: forehead\n      press_speed_mm_s: %s\n"},
    {"protocol.zones[0].stamp_rate_hz", 0.1, 10, 0,
     PAT STAMP "protocol:\n  zones:\n    - zone: forehead\n      stamp_rate_hz: %s\n"},
    {"protocol.zones[0].dwell_s", 0.01, 10, 0,
     PAT ESTAMP "protocol:\n  zones:\n    - {zone: forehead, depth_mm: 0.5,\n"
                "       dwell_s: %s}\n"},
    {"protocol.zones[0].overlap", 0, 0.9, 0,
     PAT ROLLER "protocol:\n  zones:\n    - zone: forehead\n      overlap: %s\n"},
    {"protocol.defaults.overlap", 0, 0.9, 0,
     PAT ROLLER "protocol:\n  defaults:\n    overlap: %s\n  zones:\n    - zone: forehead\n"},
    {"output.grid_mm", 0.25, 5, 0, PAT PEN PEN_ZONE "output:\n  grid_mm: %s\n"},
};

static void every_range_is_checked(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        const range_case *c = &ranges[i];
        double step = c->whole ? 1 : (c->max - c->min) * 0.01;
        double values[4] = {c->min, c->max, c->min - step, c->max + step};
        int line = line_of(c->yaml, "%s");
        for (int k = 0; k < 4; k++) {
            char text[32], yaml[1200];
            snprintf(text, sizeof text, "%.10g", values[k]);
            snprintf(yaml, sizeof yaml, c->yaml, text);
            if (k < 2) {
                nd_scenario sc;
                expect_ok(yaml, &sc);
            } else {
                char found[64];
                snprintf(found, sizeof found, "found %s", text);
                expect_error(yaml, line, c->path, "must be between", found, NULL);
            }
        }
    }
}

static void range_message_names_unit(void **state)
{
    (void)state;
    expect_error(PAT "device:\n  preset: dermaroller_192\n  needle_length_mm: 12\n" HAND_ZONE, 4,
                 "device.needle_length_mm", "must be between 0.05 and 3 mm, found 12", NULL);
    expect_error(PAT "device:\n  kind: pen\n  preset: pen_12\n  frequency_hz: 0\n" PEN_ZONE, 5,
                 "device.frequency_hz", "must be between 1 and 300 Hz, found 0", NULL);
}

/* ---- what cannot go together ------------------------------------------ */

static void depth_must_fit_needle_and_stroke(void **state)
{
    (void)state;
    const char *deep = PAT "device:\n  preset: pen_12\n  needle_length_mm: 1.0\n"
                           "protocol:\n  zones:\n"
                           "    - {zone: forehead, depth_mm: 0.5}\n"
                           "    - {zone: cheeks, depth_mm: 1.5}\n";
    expect_error(deep, line_of(deep, "cheeks"), "protocol.zones[1].depth_mm",
                 "depth 1.5 mm is deeper than the needle (needle_length_mm 1)", NULL);
    /* equal to the needle is allowed */
    nd_scenario sc;
    expect_ok(PAT "device: {preset: pen_12, needle_length_mm: 1.0}\n"
                  "protocol:\n  zones:\n    - {zone: forehead, depth_mm: 1.0}\n",
              &sc);
    /* a depth from protocol.defaults is reported where it is written */
    const char *def = PAT "device: {preset: pen_12, needle_length_mm: 1.0}\n"
                          "protocol:\n  defaults:\n    depth_mm: 2.0\n  zones:\n"
                          "    - zone: nose\n";
    expect_error(def, line_of(def, "depth_mm"), "protocol.defaults.depth_mm",
                 "deeper than the needle", "zone nose", NULL);
    const char *stroke = PAT "device: {preset: pen_12, motor_stroke_mm: 1.0}\n"
                             "protocol:\n  zones:\n    - {zone: forehead, depth_mm: 1.0}\n";
    expect_error(stroke, line_of(stroke, "depth_mm"), "protocol.zones[0].depth_mm", "motor stroke",
                 "motor_stroke_mm 1", NULL);
    /* a needle shortened below a depth the file set earlier: point at the depth */
    expect_error(PAT "device: {preset: estamp_35, needle_length_mm: 0.3}\n" PEN_ZONE, 5,
                 "protocol.zones[0].depth_mm", "deeper than the needle", NULL);
}

static void manual_devices_refuse_motor_keys(void **state)
{
    (void)state;
    const char *y = PAT ROLLER "protocol:\n  zones:\n    - zone: cheeks\n      depth_mm: 1.0\n";
    expect_error(y, line_of(y, "depth_mm"), "protocol.zones[0].depth_mm",
                 "not allowed for a roller", "needle_length_mm 1.5", NULL);
    y = PAT STAMP "protocol:\n  defaults:\n    depth_mm: 1.0\n  zones:\n    - zone: chin\n";
    expect_error(y, line_of(y, "depth_mm"), "protocol.defaults.depth_mm",
                 "not allowed for a manual stamp", NULL);
    y = PAT "device:\n  preset: dermaroller_192\n  frequency_hz: 100\n" HAND_ZONE;
    expect_error(y, line_of(y, "frequency_hz"), "device.frequency_hz", "not allowed for a roller",
                 "motorised", NULL);
    y = PAT "device:\n  preset: stamp_35\n  motor_stroke_mm: 2\n" HAND_ZONE;
    expect_error(y, line_of(y, "motor_stroke"), "device.motor_stroke_mm",
                 "not allowed for a manual stamp", NULL);
    y = PAT STAMP "protocol:\n  zones:\n    - zone: chin\n      speed_mm_s: 20\n";
    expect_error(y, line_of(y, "speed_mm_s"), "protocol.zones[0].speed_mm_s",
                 "not allowed for a manual stamp", "pressed, not glided", NULL);
    y = PAT ROLLER "protocol:\n  zones:\n    - zone: chin\n      press_speed_mm_s: 20\n";
    expect_error(y, line_of(y, "press_speed"), "protocol.zones[0].press_speed_mm_s",
                 "not allowed for a roller", NULL);
    y = PAT ROLLER "protocol:\n  zones:\n    - zone: chin\n      dwell_s: 1\n";
    expect_error(y, line_of(y, "dwell_s"), "protocol.zones[0].dwell_s", "not allowed for a roller",
                 NULL);
    y = PAT ROLLER "protocol:\n  zones:\n    - zone: chin\n      motion: stamp\n";
    expect_error(y, line_of(y, "motion"), "protocol.zones[0].motion", "a roller can only glide",
                 NULL);
    y = PAT STAMP "protocol:\n  defaults: {motion: glide}\n  zones:\n    - zone: chin\n";
    expect_error(y, line_of(y, "motion"), "protocol.defaults.motion",
                 "a manual stamp can only stamp", NULL);
}

static void motorised_devices_refuse_hand_keys(void **state)
{
    (void)state;
    const char *y = PAT PEN
        "protocol:\n  zones:\n    - zone: forehead\n      depth_mm: 0.5\n      force_n: 5\n";
    expect_error(y, line_of(y, "force_n"), "protocol.zones[0].force_n", "not allowed for a pen",
                 "motor-driven", NULL);
    y = PAT ESTAMP "protocol:\n  defaults: {force_n: 5, depth_mm: 0.5}\n  zones:\n"
                   "    - zone: chin\n";
    expect_error(y, line_of(y, "defaults"), "protocol.defaults.force_n", "motor-driven", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: chin, depth_mm: 1, stamp_rate_hz: 2}\n";
    expect_error(y, 5, "protocol.zones[0].stamp_rate_hz", "manual stamp", NULL);
    y = PAT "device:\n  preset: pen_12\n  rings: 3\n" PEN_ZONE;
    expect_error(y, line_of(y, "rings"), "device.rings", "not allowed for a pen", "roller", NULL);
    y = PAT "device:\n  preset: dermaroller_192\n  pitch_mm: 1\n" HAND_ZONE;
    expect_error(y, line_of(y, "pitch_mm"), "device.pitch_mm", "not allowed for a roller", NULL);
    /* dwell on a gliding zone is a mistake; from defaults it is for the stamping zones */
    y = PAT PEN "protocol:\n  zones:\n    - zone: chin\n      depth_mm: 1\n      dwell_s: 1\n";
    expect_error(y, line_of(y, "dwell_s"), "protocol.zones[0].dwell_s", "motion: stamp", NULL);
    nd_scenario sc;
    expect_ok(PAT PEN "protocol:\n  defaults: {dwell_s: 1}\n  zones:\n"
                      "    - {zone: chin, depth_mm: 1}\n",
              &sc);
}

static void device_geometry_must_be_possible(void **state)
{
    (void)state;
    const char *y = PAT "device:\n  preset: pen_12\n  needle_diameter_mm: 0.03\n  "
                        "tip_radius_um: 20\n" PEN_ZONE;
    expect_error(y, line_of(y, "tip_radius"), "device.tip_radius_um",
                 "larger than the needle itself", NULL);
    /* the smallest needle still holds the smallest tip */
    y = PAT
        "device:\n  preset: pen_12\n  tip_radius_um: 0.5\n  needle_diameter_mm: 0.03\n" PEN_ZONE;
    expect_ok(y, &(nd_scenario){0});
    y = PAT "device:\n  kind: pen\n  preset: pen_12\n  pitch_mm: 0.2\n" PEN_ZONE;
    expect_error(y, line_of(y, "pitch_mm"), "device.pitch_mm", "would touch", NULL);
    y = PAT "device:\n  preset: dermaroller_192\n  rings: 100\n" HAND_ZONE;
    expect_error(y, line_of(y, "rings"), "device.rings", "do not fit across a 20 mm drum", NULL);
    y = PAT "device:\n  preset: dermaroller_192\n  drum_diameter_mm: 5\n  needles_per_ring: "
            "70\n" HAND_ZONE;
    expect_error(y, line_of(y, "needles_per_ring"), "device.needles_per_ring", "do not fit around",
                 NULL);
    /* the preset's rings with a drum made too narrow: the drum is what was written */
    y = PAT "device:\n  preset: dermaroller_192\n  drum_width_mm: 5\n" HAND_ZONE;
    expect_error(y, line_of(y, "drum_width"), "device.drum_width_mm", "24 rings", NULL);
}

static void kind_and_preset_must_agree(void **state)
{
    (void)state;
    const char *y = PAT "device:\n  kind: roller\n  preset: pen_12\n" PEN_ZONE;
    expect_error(y, line_of(y, "kind"), "device.kind", "preset pen_12 is a pen", NULL);
    nd_scenario sc;
    expect_ok(PAT "device: {kind: pen, preset: pen_12}\n" PEN_ZONE, &sc);
}

static void numbing_must_be_consistent(void **state)
{
    (void)state;
    const char *y = PAT PEN "protocol:\n  numbing:\n    application_min: 30\n"
                            "  zones:\n"
                            "    - {zone: forehead, depth_mm: 0.5}\n";
    expect_error(y, line_of(y, "application_min"), "protocol.numbing.application_min", "no cream",
                 NULL);
    y = PAT PEN "protocol:\n  numbing: {cream: none, occluded: true}\n  zones:\n"
                "    - {zone: forehead, depth_mm: 0.5}\n";
    expect_error(y, line_of(y, "numbing"), "protocol.numbing.occluded", "no cream", NULL);
    y = PAT PEN "protocol:\n  numbing: {cream: emla, application_min: 0, occluded: off}\n"
                "  zones:\n    - {zone: forehead, depth_mm: 0.5}\n";
    nd_scenario sc;
    expect_ok(y, &sc);
    assert_int_equal(sc.protocol.numbing.cream, ND_CREAM_EMLA);
    /* an empty optional section is the same as leaving it out */
    expect_ok(PAT PEN "protocol:\n  numbing:\n  defaults:\n  zones:\n"
                      "    - {zone: forehead, depth_mm: 0.5}\noutput:\n",
              &sc);
    assert_int_equal(sc.protocol.numbing.cream, ND_CREAM_NONE);
}

/* ---- types, keys and names -------------------------------------------- */

static void wrong_types_say_what_was_found(void **state)
{
    (void)state;
    const char *y = PAT ROLLER "protocol:\n  zones:\n    - zone: cheeks\n      passes: two\n";
    expect_error(y, line_of(y, "passes"), "protocol.zones[0].passes",
                 "expected a whole number, found 'two'", NULL);
    y = PAT ROLLER "protocol:\n  zones:\n    - zone: cheeks\n      passes: 2.5\n";
    expect_error(y, 6, "protocol.zones[0].passes", "expected a whole number, found 2.5", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: chin, depth_mm: '0.5'}\n";
    expect_error(y, 5, "protocol.zones[0].depth_mm", "quoted", "without quotes", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: chin, depth_mm: [1]}\n";
    expect_error(y, 5, "protocol.zones[0].depth_mm", "expected a number, found a list", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: chin, depth_mm: }\n";
    expect_error(y, 5, "protocol.zones[0].depth_mm", "expected a number, found nothing", NULL);
    static const char *const not_numbers[] = {"0x10", ".inf", "nan",   "1e",
                                              "1,5",  "1 2",  "1.2.3", "+"};
    for (size_t i = 0; i < sizeof not_numbers / sizeof not_numbers[0]; i++) {
        char yaml[400];
        snprintf(yaml, sizeof yaml, PAT PEN "protocol:\n  jitter_mm: %s\n  zones: [{zone: chin}]\n",
                 not_numbers[i]);
        expect_error(yaml, 4, "protocol.jitter_mm", "expected a number", NULL);
    }
    y = PAT PEN "protocol:\n  numbing: {cream: emla, occluded: maybe}\n  zones: [{zone: chin}]\n";
    expect_error(y, 4, "protocol.numbing.occluded", "expected true or false, found 'maybe'", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: chin, depth_mm: 1, directions: horizontal}\n";
    expect_error(y, 5, "protocol.zones[0].directions", "expected a list of directions", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: chin, depth_mm: 1, directions: []}\n";
    expect_error(y, 5, "protocol.zones[0].directions", "1 to 8 directions, found 0", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: chin, depth_mm: 1, directions: [horizontal, "
                "vertical, diagonal, antidiagonal, horizontal, vertical, diagonal, "
                "antidiagonal, horizontal]}\n";
    expect_error(y, 5, "protocol.zones[0].directions", "found 9", NULL);
    y = PAT PEN
        "protocol:\n  zones:\n    - {zone: chin, depth_mm: 1, directions: [vertical, up]}\n";
    expect_error(y, 5, "protocol.zones[0].directions[1]", "unknown direction 'up'", NULL);
    y = "seed: -3\n" PAT PEN PEN_ZONE;
    expect_error(y, 1, "seed", "0 or more", NULL);
    y = "seed: 18446744073709551616\n" PAT PEN PEN_ZONE;
    expect_error(y, 1, "seed", "at most", NULL);
    y = "name: [a]\n" PAT PEN PEN_ZONE;
    expect_error(y, 1, "name", "expected a text, found a list", NULL);
    y = "name: ''\n" PAT PEN PEN_ZONE;
    expect_error(y, 1, "name", "must not be empty", NULL);
    y = PAT PEN PEN_ZONE "output: {dir: [a, b]}\n";
    expect_error(y, 6, "output.dir", "expected a text", NULL);
    y = "patient: [40, female]\n" PEN PEN_ZONE;
    expect_error(y, 1, "patient", "expected a mapping with age_y, sex and fitzpatrick", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - forehead\n";
    expect_error(y, 5, "protocol.zones[0]", "expected a mapping", "found 'forehead'", NULL);
    y = PAT PEN "protocol:\n  zones: {zone: forehead}\n";
    expect_error(y, 4, "protocol.zones", "expected a list of zone entries", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: [forehead, chin], depth_mm: 1}\n";
    expect_error(y, 5, "protocol.zones[0].zone", "one entry per zone", NULL);
    y = PAT "device:\n  kind: needle\n" PEN_ZONE;
    expect_error(y, 3, "device.kind", "unknown device kind 'needle'",
                 "roller, stamp, estamp or pen", NULL);
    y = "patient: {age_y: 40, sex: x, fitzpatrick: III}\n" PEN PEN_ZONE;
    expect_error(y, 1, "patient.sex", "unknown sex 'x'", "female or male", NULL);
}

static void fitzpatrick_has_six_types(void **state)
{
    (void)state;
    static const char *const bad[] = {"VII", "0", "7", "3.5", "IIII", "type III"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char yaml[400], found[40];
        snprintf(yaml, sizeof yaml,
                 "patient:\n  age_y: 40\n  sex: female\n  fitzpatrick: %s\n" PEN PEN_ZONE, bad[i]);
        snprintf(found, sizeof found, "found '%s'", bad[i]);
        expect_error(yaml, 4, "patient.fitzpatrick", "must be I to VI (or 1 to 6)", found, NULL);
    }
}

static void misspelt_keys_get_a_suggestion(void **state)
{
    (void)state;
    const char *y = PAT PEN "protocol:\n  zones:\n    - zone: forehead\n      depht_mm: 0.5\n";
    expect_error(y, 6, "protocol.zones[0].depht_mm", "unknown key 'depht_mm'",
                 "did you mean 'depth_mm'?", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: forehead, depth: 0.5}\n";
    expect_error(y, 5, "protocol.zones[0].depth", "did you mean 'depth_mm'?", NULL);
    y = PAT "device:\n  preset: pen_12\n  frequency: 100\n" PEN_ZONE;
    expect_error(y, 4, "device.frequency", "did you mean 'frequency_hz'?", NULL);
    y = PAT "device:\n  preset: pen_12\n  needle_lenght_mm: 1\n" PEN_ZONE;
    expect_error(y, 4, "device.needle_lenght_mm", "did you mean 'needle_length_mm'?", NULL);
    y = "pateint: {age_y: 40, sex: female, fitzpatrick: III}\n" PEN PEN_ZONE;
    expect_error(y, 1, "pateint", "did you mean 'patient'?", NULL);
    y = PAT PEN PEN_ZONE "output: {grid: 1}\n";
    expect_error(y, 6, "output.grid", "did you mean 'grid_mm'?", NULL);
    /* nothing close: list what is allowed */
    y = PAT PEN PEN_ZONE "output: {colour: red}\n";
    expect_error(y, 6, "output.colour",
                 "unknown key 'colour'; expected dir, grid_mm, raw_punctures, tissue_sites, "
                 "tissue_voxel_um or tissue_width_mm",
                 NULL);
    /* a real key in the wrong place says where it goes */
    y = PAT PEN "protocol:\n  needle_length_mm: 1\n"
                "  zones: [{zone: chin, depth_mm: 1}]\n";
    expect_error(y, 4, "protocol.needle_length_mm", "it goes in device", NULL);
    y = PAT PEN "zones: [{zone: chin, depth_mm: 1}]\n" PEN_ZONE;
    expect_error(y, 3, "zones", "it goes in protocol", NULL);
    y = PAT "device:\n  preset: pen_12\n  depth_mm: 1\n" PEN_ZONE;
    expect_error(y, 4, "device.depth_mm", "protocol.zones or protocol.defaults", NULL);
    /* names from lists, too */
    y = PAT PEN "protocol:\n  numbing: {cream: emal}\n  zones: [{zone: chin, depth_mm: 1}]\n";
    expect_error(y, 4, "protocol.numbing.cream", "unknown cream 'emal'", "did you mean 'emla'?",
                 NULL);
    y = PAT "device:\n  preset: pen12\n" PEN_ZONE;
    expect_error(y, 3, "device.preset", "unknown preset 'pen12'", "did you mean 'pen_12'?", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: chin, depth_mm: 1, motion: glid}\n";
    expect_error(y, 5, "protocol.zones[0].motion", "did you mean 'glide'?", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: chin, depth_mm: 1, directions: [horizonal]}\n";
    expect_error(y, 5, "protocol.zones[0].directions[0]", "did you mean 'horizontal'?", NULL);
}

static void suggestion_distance(void **state)
{
    (void)state;
    assert_int_equal(nd_edit_distance("depth_mm", "depth_mm"), 0);
    assert_int_equal(nd_edit_distance("depht_mm", "depth_mm"), 1); /* a swap counts once */
    assert_int_equal(nd_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(nd_edit_distance("", "abc"), 3);
    assert_int_equal(nd_edit_distance("ABC", "abc"), 0);
    static const char *const keys[] = {"depth_mm", "passes", "speed_mm_s", "force_n", NULL};
    assert_string_equal(nd_suggest("depht_mm", keys), "depth_mm");
    assert_string_equal(nd_suggest("Passes", keys), "passes");
    assert_string_equal(nd_suggest("speed", keys), "speed_mm_s");
    assert_string_equal(nd_suggest("force", keys), "force_n");
    assert_null(nd_suggest("colour", keys));
    assert_null(nd_suggest("x", keys));
    char buf[100];
    nd_join_names(keys, buf, sizeof buf);
    assert_string_equal(buf, "depth_mm, passes, speed_mm_s or force_n");
}

static void unknown_zone_gets_a_suggestion(void **state)
{
    (void)state;
    const char *y = PAT PEN "protocol:\n  defaults: {depth_mm: 0.5}\n  zones:\n"
                            "    - zone: forehead\n    - zone: forhead\n";
    expect_error(y, 7, "protocol.zones[1].zone", "unknown zone 'forhead'",
                 "did you mean 'forehead'?", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: elbow, depth_mm: 1}\n";
    expect_error(y, 5, "protocol.zones[0].zone", "unknown zone 'elbow'", "full_face", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {depth_mm: 1}\n";
    expect_error(y, 5, "protocol.zones[0].zone", "missing", NULL);
}

/* ---- zones ------------------------------------------------------------ */

static void groups_expand_in_order(void **state)
{
    (void)state;
    nd_scenario sc;
    expect_ok(PAT PEN "protocol:\n  zones:\n"
                      "    - {zone: cheeks, depth_mm: 1.5, passes: 6}\n"
                      "    - {zone: temples, depth_mm: 0.5}\n"
                      "    - {zone: periorbital, depth_mm: 0.25}\n"
                      "    - {zone: jawline, depth_mm: 1.0}\n"
                      "    - {zone: perioral, depth_mm: 0.5}\n",
              &sc);
    static const int want[] = {
        ND_ZONE_CHEEK_LEFT,   ND_ZONE_CHEEK_RIGHT,      ND_ZONE_TEMPLE_LEFT,
        ND_ZONE_TEMPLE_RIGHT, ND_ZONE_PERIORBITAL_LEFT, ND_ZONE_PERIORBITAL_RIGHT,
        ND_ZONE_JAWLINE_LEFT, ND_ZONE_JAWLINE_RIGHT,    ND_ZONE_UPPER_LIP};
    assert_int_equal(sc.protocol.n_zones, 9);
    for (int i = 0; i < 9; i++) assert_int_equal(sc.protocol.zones[i].zone, want[i]);
    /* both halves of a group take the entry's settings */
    assert_int_equal(sc.protocol.zones[1].passes, 6);
    assert_near(sc.protocol.zones[1].depth_m, 1.5e-3, 1e-12);

    expect_ok(PAT PEN "protocol:\n  defaults: {depth_mm: 0.5}\n  zones:\n"
                      "    - zone: full_face\n    - zone: neck\n",
              &sc);
    assert_int_equal(sc.protocol.n_zones, ND_ZONE_COUNT);
    assert_int_equal(sc.protocol.zones[ND_ZONE_COUNT - 1].zone, ND_ZONE_NECK);

    /* an error in a group's later half is reported for the entry in the file */
    const char *y = PAT "device: {preset: pen_12, needle_length_mm: 1}\n"
                        "protocol:\n  zones:\n    - {zone: forehead, depth_mm: 0.5}\n"
                        "    - {zone: jawline, depth_mm: 2}\n";
    expect_error(y, 6, "protocol.zones[1].depth_mm", "deeper than the needle", NULL);
}

static void duplicate_zones_are_refused(void **state)
{
    (void)state;
    const char *y = PAT PEN "protocol:\n  zones:\n    - {zone: cheeks, depth_mm: 1}\n"
                            "    - {zone: forehead, depth_mm: 0.5}\n"
                            "    - {zone: cheek_right, depth_mm: 1}\n";
    expect_error(y, 7, "protocol.zones[2].zone",
                 "zone cheek_right is already treated by "
                 "protocol.zones[0] (cheeks, line 5)",
                 NULL);
    y = PAT PEN "protocol:\n  defaults: {depth_mm: 0.5}\n  zones:\n"
                "    - zone: nose\n    - zone: nose\n";
    expect_error(y, 7, "protocol.zones[1].zone", "already treated by protocol.zones[0] (line 6)",
                 NULL);
    y = PAT PEN "protocol:\n  defaults: {depth_mm: 0.5}\n  zones:\n"
                "    - zone: full_face\n    - zone: glabella\n";
    expect_error(y, 7, "protocol.zones[1].zone", "full_face", NULL);
    y = PAT PEN "protocol:\n  zones: []\n";
    expect_error(y, 4, "protocol.zones", "at least one zone", NULL);
    y = PAT PEN "protocol:\n  jitter_mm: 1\n";
    expect_error(y, 3, "protocol.zones", "missing", NULL);
    y = PAT PEN "protocol:\n  defaults: {zone: chin}\n  zones: [{zone: chin, depth_mm: 1}]\n";
    expect_error(y, 4, "protocol.defaults.zone", "cannot have a default", NULL);
}

/* ---- required keys point at their parent ------------------------------- */

static void missing_keys_point_at_parent(void **state)
{
    (void)state;
    const char *y = "name: x\npatient:\n  sex: female\n  fitzpatrick: III\n" PEN PEN_ZONE;
    expect_error(y, 2, "patient.age_y", "missing", NULL);
    y = "patient: {age_y: 40, fitzpatrick: III}\n" PEN PEN_ZONE;
    expect_error(y, 1, "patient.sex", "missing", NULL);
    y = "patient: {age_y: 40, sex: male}\n" PEN PEN_ZONE;
    expect_error(y, 1, "patient.fitzpatrick", "missing", NULL);
    y = "seed: 2\n" PEN PEN_ZONE;
    expect_error(y, 1, "patient", "missing", NULL);
    y = PAT PEN_ZONE;
    expect_error(y, 1, "device", "missing", NULL);
    y = PAT PEN;
    expect_error(y, 1, "protocol", "missing", NULL);
    y = PAT "device:\n  needle_length_mm: 1\n" PEN_ZONE;
    expect_error(y, 2, "device.kind", "missing", "preset", "pen_12", NULL);
    y = PAT "device:\n  kind: pen\n  rows: 3\n  cols: 4\n  pitch_mm: 1\n  needle_length_mm: 2\n"
            "  needle_diameter_mm: 0.25\n  tip_radius_um: 5\n" PEN_ZONE;
    expect_error(y, 2, "device.frequency_hz", "missing", "frequency_hz", NULL);
    y = PAT "device:\n  kind: roller\n  needle_length_mm: 1\n" HAND_ZONE;
    expect_error(y, 2, "device.needle_diameter_mm", "missing", "rings", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {zone: forehead, depth_mm: 0.5}\n"
                "    - zone: chin\n      passes: 3\n";
    expect_error(y, 6, "protocol.zones[1].depth_mm", "missing", "protocol.defaults", NULL);
}

/* ---- malformed text and files ----------------------------------------- */

static void malformed_yaml_names_line(void **state)
{
    (void)state;
    const char *y = PAT PEN "protocol:\n  zones:\n    - zone: forehead\n        depth_mm: 0.5\n";
    expect_error(y, 6, "protocol.zones[0]", "malformed YAML", "indentation", NULL);
    y = PAT PEN "protocol:\n  defaults:\n    directions: [horizontal, vertical\n"
                "  zones:\n    - {zone: forehead, depth_mm: 0.5}\n";
    expect_error(y, 6, "protocol.defaults.directions", "malformed YAML", "']'", NULL);
    y = "patient:\n\tage_y: 40\n";
    expect_error(y, 2, "patient", "malformed YAML", "tabs", NULL);
    y = PAT PEN PEN_ZONE "---\nseed: 3\n";
    expect_error(y, 6, "", "second YAML document", NULL);
    y = "name: \"unterminated\npatient: {}\n";
    expect_error(y, 3, "name", "malformed YAML", "quoted scalar at line 1", NULL);
    expect_error("", 1, "", "the file is empty", NULL);
    expect_error("# only a comment\n", 1, "", "the file is empty", NULL);
    expect_error("- a\n- b\n", 1, "", "a scenario is a mapping", "found a list", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - zone: forehead\n      depth_mm: 0.5\n"
                "      depth_mm: 0.6\n";
    expect_error(y, 7, "protocol.zones[0].depth_mm", "appears twice (first at line 6)", NULL);
    y = PAT PEN "protocol:\n  zones:\n    - {? [a]: 1}\n";
    expect_error(y, 5, "protocol.zones[0]", "expected a key name", NULL);
}

static void unreadable_file_is_io_error(void **state)
{
    (void)state;
    nd_scenario sc;
    nd_error err;
    const char *path = "/nonexistent/dir/scenario.yaml";
    assert_int_equal(nd_scenario_load(path, &sc, &err), ND_ERR_IO);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, strerror(ENOENT)));
    char buf[1200];
    nd_error_format(&err, buf, sizeof buf);
    assert_non_null(strstr(buf, path));
    /* a folder opens but cannot be read */
    assert_int_equal(nd_scenario_load(source_dir(), &sc, &err), ND_ERR_IO);
    assert_non_null(strstr(err.message, strerror(EISDIR)));
}

/* ---- scenarios built in code ------------------------------------------- */

static void validate_scenario_built_in_code(void **state)
{
    (void)state;
    nd_scenario base, sc;
    nd_error err;
    assert_int_equal(nd_scenario_default(&base, &err), ND_OK);

    sc = base;
    sc.protocol.zones[3].depth_m = 2.8e-3;
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "protocol.zones[3].depth_mm");
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.message, "deeper than the needle"));

    sc = base;
    sc.device.frequency_hz = 0;
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "device.frequency_hz");
    assert_non_null(strstr(err.message, "must be between 1 and 300 Hz, found 0"));

    sc = base;
    sc.protocol.zones[5].zone = sc.protocol.zones[1].zone;
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "protocol.zones[5].zone");
    assert_non_null(strstr(err.message, "already treated by protocol.zones[1]"));

    sc = base;
    sc.protocol.n_zones = 0;
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "protocol.zones");

    sc = base;
    sc.patient.fitzpatrick = 7;
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "patient.fitzpatrick");

    sc = base;
    sc.protocol.zones[0].n_directions = 0;
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "protocol.zones[0].directions");

    sc = base;
    sc.protocol.zones[0].passes = 51;
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "protocol.zones[0].passes");

    sc = base;
    sc.device.kind = (nd_device_kind)9;
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "device.kind");

    sc = base;
    sc.output.dir[0] = '\0';
    assert_int_equal(nd_scenario_validate(&sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "output.dir");

    /* a roller built in code must be given its needle length as depth */
    nd_scenario roller;
    expect_ok(PAT ROLLER HAND_ZONE, &roller);
    roller.protocol.zones[0].depth_m = 1.0e-3;
    assert_int_equal(nd_scenario_validate(&roller, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "protocol.zones[0].depth_mm");
    assert_non_null(strstr(err.message, "needle length"));
    roller.protocol.zones[0].depth_m = roller.device.needle_length_m;
    roller.protocol.zones[0].motion = ND_MOTION_STAMP;
    assert_int_equal(nd_scenario_validate(&roller, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "protocol.zones[0].motion");

    assert_int_equal(nd_scenario_validate(&base, &err), ND_OK);
}

/* ---- presets and names ------------------------------------------------- */

static void presets_from_table(void **state)
{
    (void)state;
    const char *const *names = nd_device_preset_names();
    nd_table *t = NULL;
    nd_error err;
    assert_int_equal(nd_table_load("devices.csv", &t, &err), ND_OK);
    size_t n = 0;
    while (names[n]) n++;
    assert_int_equal(n, nd_table_rows(t));
    nd_table_free(t);
    assert_ptr_equal(nd_device_preset_names(), names);
    for (size_t i = 0; i < n; i++) {
        nd_device_spec d;
        assert_int_equal(nd_device_preset(names[i], &d, &err), ND_OK);
        assert_string_equal(d.preset, names[i]);
        assert_true(nd_device_needles(&d) > 0);
        /* every preset is a valid device on its own */
        char yaml[600];
        snprintf(yaml, sizeof yaml, PAT "device: {preset: %s}\n%s", names[i],
                 nd_device_is_motorised(&d) ? PEN_ZONE : HAND_ZONE);
        nd_scenario sc;
        expect_ok(yaml, &sc);
    }
    nd_device_spec d;
    assert_int_equal(nd_device_preset("dermaroller_192", &d, &err), ND_OK);
    assert_int_equal(d.kind, ND_DEVICE_ROLLER);
    assert_int_equal(nd_device_needles(&d), 192);
    assert_near(d.needle_length_m, 1.5e-3, 1e-12);
    assert_near(d.needle_diameter_m, 0.25e-3, 1e-12);
    assert_near(d.tip_radius_m, 4e-6, 1e-15);
    assert_near(d.drum_diameter_m, 20e-3, 1e-12);
    assert_int_equal(d.rows, 0);
    assert_near(d.motor_stroke_m, 0, 0);
    assert_int_equal(nd_device_preset("pen_12", &d, &err), ND_OK);
    assert_true(nd_device_is_motorised(&d));
    assert_near(d.frequency_hz, 110, 0);
    assert_near(d.motor_stroke_m, param("motor_stroke_m"), 0);
    assert_int_equal(nd_device_preset("stamp_35", &d, &err), ND_OK);
    assert_false(nd_device_is_motorised(&d));
    assert_int_equal(nd_device_needles(&d), 35);

    assert_int_equal(nd_device_preset("dermaroler_192", &d, &err), ND_ERR_INPUT);
    assert_string_equal(err.field, "device.preset");
    assert_non_null(strstr(err.message, "did you mean 'dermaroller_192'?"));
    assert_int_equal(nd_device_preset("zzz", &d, &err), ND_ERR_INPUT);
    assert_non_null(strstr(err.message, "pen_36"));
}

static void enum_names(void **state)
{
    (void)state;
    assert_string_equal(nd_device_kind_name(ND_DEVICE_ROLLER), "roller");
    assert_string_equal(nd_device_kind_name(ND_DEVICE_STAMP), "stamp");
    assert_string_equal(nd_device_kind_name(ND_DEVICE_ESTAMP), "estamp");
    assert_string_equal(nd_device_kind_name(ND_DEVICE_PEN), "pen");
    assert_string_equal(nd_direction_name(ND_DIR_HORIZONTAL), "horizontal");
    assert_string_equal(nd_direction_name(ND_DIR_VERTICAL), "vertical");
    assert_string_equal(nd_direction_name(ND_DIR_DIAGONAL), "diagonal");
    assert_string_equal(nd_direction_name(ND_DIR_ANTIDIAGONAL), "antidiagonal");
    assert_string_equal(nd_cream_name(ND_CREAM_NONE), "none");
    assert_string_equal(nd_cream_name(ND_CREAM_EMLA), "emla");
    assert_string_equal(nd_cream_name(ND_CREAM_LMX4), "lmx4");
    assert_string_equal(nd_cream_name(ND_CREAM_BLT), "blt");
    assert_string_equal(nd_motion_name(ND_MOTION_GLIDE), "glide");
    assert_string_equal(nd_motion_name(ND_MOTION_STAMP), "stamp");
    assert_string_equal(nd_device_kind_name((nd_device_kind)7), "unknown");
    assert_string_equal(nd_direction_name(ND_DIR_COUNT), "unknown");
    assert_int_equal(nd_device_needles(NULL), 0);
    assert_false(nd_device_is_motorised(NULL));
}

static void failed_parse_leaves_output_alone(void **state)
{
    (void)state;
    nd_scenario sc;
    memset(&sc, 0x5a, sizeof sc);
    nd_error err;
    const char *y = PAT PEN "protocol:\n  zones: [{zone: chin, depth_mm: 9}]\n";
    assert_int_equal(nd_scenario_parse(y, strlen(y), NULL, &sc, &err), ND_ERR_INPUT);
    assert_string_equal(err.file, "<memory>");
    unsigned char *b = (unsigned char *)&sc;
    for (size_t i = 0; i < sizeof sc; i++) assert_int_equal(b[i], 0x5a);
    /* a NULL err is allowed */
    assert_int_equal(nd_scenario_parse(y, strlen(y), "x", &sc, NULL), ND_ERR_INPUT);
    /* len bounds the text: the rest is not read */
    const char *good = PAT PEN PEN_ZONE "garbage: [";
    expect_ok(PAT PEN PEN_ZONE, &sc);
    assert_int_equal(nd_scenario_parse(good, strlen(good) - strlen("garbage: ["), "x", &sc, &err),
                     ND_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_scenario_in_si),
        cmocka_unit_test(default_yaml_is_the_example_file),
        cmocka_unit_test(example_roller),
        cmocka_unit_test(example_stamp),
        cmocka_unit_test(example_estamp),
        cmocka_unit_test(example_pen),
        cmocka_unit_test(bad_files_match_expect),
        cmocka_unit_test(defaults_filled_roller),
        cmocka_unit_test(defaults_filled_per_kind),
        cmocka_unit_test(protocol_defaults_apply_unless_overridden),
        cmocka_unit_test(device_fields_override_preset),
        cmocka_unit_test(patient_fields),
        cmocka_unit_test(every_range_is_checked),
        cmocka_unit_test(range_message_names_unit),
        cmocka_unit_test(depth_must_fit_needle_and_stroke),
        cmocka_unit_test(manual_devices_refuse_motor_keys),
        cmocka_unit_test(motorised_devices_refuse_hand_keys),
        cmocka_unit_test(device_geometry_must_be_possible),
        cmocka_unit_test(kind_and_preset_must_agree),
        cmocka_unit_test(numbing_must_be_consistent),
        cmocka_unit_test(wrong_types_say_what_was_found),
        cmocka_unit_test(fitzpatrick_has_six_types),
        cmocka_unit_test(misspelt_keys_get_a_suggestion),
        cmocka_unit_test(suggestion_distance),
        cmocka_unit_test(unknown_zone_gets_a_suggestion),
        cmocka_unit_test(groups_expand_in_order),
        cmocka_unit_test(duplicate_zones_are_refused),
        cmocka_unit_test(missing_keys_point_at_parent),
        cmocka_unit_test(malformed_yaml_names_line),
        cmocka_unit_test(unreadable_file_is_io_error),
        cmocka_unit_test(validate_scenario_built_in_code),
        cmocka_unit_test(presets_from_table),
        cmocka_unit_test(enum_names),
        cmocka_unit_test(failed_parse_leaves_output_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
