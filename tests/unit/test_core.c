/* Core: error reports, random streams, embedded tables. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "needle/data.h"
#include "needle/rng.h"
#include "needle/status.h"

static void error_format_names_file_line_field(void **state)
{
    (void)state;
    nd_error e;
    nd_error_at(&e, ND_ERR_INPUT, "a.yaml", 12, 5, "device.frequency_hz", "must be > 0, found %d",
                0);
    char buf[256];
    nd_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "a.yaml:12:5: device.frequency_hz: must be > 0, found 0");
    assert_int_equal(nd_status_exit_code(ND_ERR_INPUT), 2);
    assert_int_equal(nd_status_exit_code(ND_ERR_SAFETY), 3);
    assert_int_equal(nd_status_exit_code(ND_ERR_IO), 1);
    assert_int_equal(nd_status_exit_code(ND_OK), 0);
}

static void streams_are_reproducible_and_distinct(void **state)
{
    (void)state;
    nd_rng a, b, c;
    nd_rng_init(&a, 42, ND_STREAM_STROKE, 3, 7);
    nd_rng_init(&b, 42, ND_STREAM_STROKE, 3, 7);
    nd_rng_init(&c, 42, ND_STREAM_STROKE, 3, 8);
    int same_c = 0;
    for (int i = 0; i < 1000; i++) {
        uint32_t x = nd_rng_u32(&a), y = nd_rng_u32(&b), z = nd_rng_u32(&c);
        assert_int_equal(x, y);
        same_c += x == z;
    }
    assert_true(same_c < 3);
    /* A different seed gives a different stream. */
    nd_rng_init(&a, 42, ND_STREAM_STROKE, 3, 7);
    nd_rng_init(&b, 43, ND_STREAM_STROKE, 3, 7);
    assert_int_not_equal(nd_rng_u32(&a), nd_rng_u32(&b));
}

static void normal_draws_have_unit_moments(void **state)
{
    (void)state;
    nd_rng r;
    nd_rng_init(&r, 1, ND_STREAM_SKIN, 0, 0);
    const int n = 200000;
    double s = 0, s2 = 0, s4 = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
        double z = nd_rng_normal(&r);
        s += z;
        s2 += z * z;
        s4 += z * z * z * z;
        tail += fabs(z) > 1.959964;
    }
    double mean = s / n, var = s2 / n - mean * mean;
    assert_true(fabs(mean) < 0.01);
    assert_true(fabs(var - 1) < 0.01);
    assert_true(fabs(s4 / n - 3) < 0.06);               /* Gaussian kurtosis */
    assert_true(fabs((double)tail / n - 0.05) < 0.003); /* two-sided 5 % */
    assert_true(fabs(nd_normal_quantile(0.975) - 1.959964) < 1e-6);
    assert_true(fabs(nd_normal_quantile(0.001) + 3.090232) < 1e-5);
}

static void tables_parse_quotes_comments_and_report_lines(void **state)
{
    (void)state;
    nd_table *t;
    nd_error e;
    const char *csv = "# comment\nname,value,source\na,1.5,\"x, y \"\"z\"\"\"\nb,2,plain\n";
    assert_int_equal(nd_table_parse(csv, "t.csv", &t, &e), ND_OK);
    assert_int_equal(nd_table_rows(t), 2);
    assert_string_equal(nd_table_cell(t, 0, 2), "x, y \"z\"");
    double v;
    assert_int_equal(nd_param(t, "b", &v, &e), ND_OK);
    assert_true(v == 2.0);
    assert_int_not_equal(nd_param(t, "missing", &v, &e), ND_OK);
    nd_table_free(t);

    assert_int_equal(nd_table_parse("a,b\n1,2\n3\n", "bad.csv", &t, &e), ND_ERR_INPUT);
    assert_int_equal(e.line, 3);
    assert_string_equal(e.file, "bad.csv");
}

/* Every model parameter and every row of the reference tables names its source. */
static void every_data_row_has_a_source(void **state)
{
    (void)state;
    const char *names[] = {"parameters.csv", "skin_layers.csv",       "devices.csv",
                           "face_zones.csv", "tissue_parameters.csv", "indications.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        nd_table *t;
        nd_error e;
        assert_int_equal(nd_table_load(names[i], &t, &e), ND_OK);
        int c = nd_table_column(t, "source");
        assert_true(c >= 0);
        assert_true(nd_table_rows(t) > 0);
        for (size_t r = 0; r < nd_table_rows(t); r++)
            assert_true(strlen(nd_table_cell(t, r, c)) > 8);
        nd_table_free(t);
    }
    /* Parameters say what kind of number they are and give a range. */
    nd_table *p;
    nd_error e;
    assert_int_equal(nd_table_load("parameters.csv", &p, &e), ND_OK);
    int basis = nd_table_column(p, "basis");
    for (size_t r = 0; r < nd_table_rows(p); r++) {
        const char *b = nd_table_cell(p, r, basis);
        assert_true(!strcmp(b, "measured") || !strcmp(b, "derived") || !strcmp(b, "assumption"));
        double v, lo, hi;
        assert_int_equal(nd_table_number(p, r, "value", &v, &e), ND_OK);
        assert_int_equal(nd_table_number(p, r, "low", &lo, &e), ND_OK);
        assert_int_equal(nd_table_number(p, r, "high", &hi, &e), ND_OK);
        assert_true(lo <= v && v <= hi);
    }
    nd_table_free(p);
}

/* docs/model.md lists every parameter with the value in data/parameters.csv. */
static void model_doc_lists_every_parameter(void **state)
{
    (void)state;
    const char *src = getenv("ND_SOURCE_DIR");
    if (!src) skip();
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/model.md", src);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char doc[1 << 18];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    nd_table *t;
    nd_error e;
    assert_int_equal(nd_table_load("parameters.csv", &t, &e), ND_OK);
    int cname = nd_table_column(t, "name"), cvalue = nd_table_column(t, "value");
    for (size_t r = 0; r < nd_table_rows(t); r++) {
        char row[256];
        snprintf(row, sizeof row, "| `%s` | %s |", nd_table_cell(t, r, cname),
                 nd_table_cell(t, r, cvalue));
        if (!strstr(doc, row)) {
            print_error("docs/model.md has no row '%s'\n", row);
            fail();
        }
    }
    nd_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_format_names_file_line_field),
        cmocka_unit_test(streams_are_reproducible_and_distinct),
        cmocka_unit_test(normal_draws_have_unit_moments),
        cmocka_unit_test(tables_parse_quotes_comments_and_report_lines),
        cmocka_unit_test(every_data_row_has_a_source),
        cmocka_unit_test(model_doc_lists_every_parameter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
