/* Face map and skin layers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "needle/face.h"
#include "needle/skin.h"

static void zones_names_groups_and_areas(void **state)
{
    (void)state;
    nd_face *f;
    nd_error e;
    assert_int_equal(nd_face_create(&f, &e), ND_OK);
    int z[ND_ZONE_COUNT];
    assert_int_equal(nd_zone_expand("cheeks", z), 2);
    assert_int_equal(z[0], ND_ZONE_CHEEK_LEFT);
    assert_int_equal(nd_zone_expand("full_face", z), ND_ZONE_COUNT - 1);
    assert_int_equal(nd_zone_expand("chek", z), 0);
    for (int k = 0; k < ND_ZONE_COUNT; k++) {
        assert_int_equal(nd_zone_from_name(nd_zone_name(k)), k);
        /* Every zone is a real patch of skin, between 2 and 80 cm^2. */
        double a = nd_face_zone_area(f, k) * 1e4;
        assert_true(a > 2 && a < 80);
    }
    /* Left and right are mirror images. */
    assert_true(fabs(nd_face_zone_area(f, ND_ZONE_CHEEK_LEFT) -
                     nd_face_zone_area(f, ND_ZONE_CHEEK_RIGHT)) < 1e-12);
    /* A point on the left cheek (viewer's right) and one on the forehead. */
    assert_int_equal(nd_face_zone_at(f, 0.045, 0.120), ND_ZONE_CHEEK_LEFT);
    assert_int_equal(nd_face_zone_at(f, -0.045, 0.120), ND_ZONE_CHEEK_RIGHT);
    assert_int_equal(nd_face_zone_at(f, 0.0, 0.030), ND_ZONE_FOREHEAD);
    assert_int_equal(nd_face_zone_at(f, 0.0, 0.5), -1);
    /* Zones do not overlap: sample a grid and count points claimed twice. */
    int overlaps = 0;
    for (double x = -0.07; x < 0.07; x += 0.001) {
        for (double y = 0; y < 0.26; y += 0.001) {
            int n = 0;
            for (int k = 0; k < ND_ZONE_COUNT; k++) {
                const double *xs, *ys;
                int nv, in = 0;
                nd_face_polygon(f, k, &xs, &ys, &nv);
                for (int i = 0, j = nv - 1; i < nv; j = i++)
                    if ((ys[i] > y) != (ys[j] > y) &&
                        x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i])
                        in = !in;
                n += in;
            }
            overlaps += n > 1;
        }
    }
    assert_int_equal(overlaps, 0);
    nd_face_free(f);
}

static void layers_follow_site_sex_and_age(void **state)
{
    (void)state;
    nd_skin_model *m;
    nd_error e;
    assert_int_equal(nd_skin_model_create(NULL, &m, &e), ND_OK);
    nd_patient young = {30, ND_SEX_FEMALE, 3}, old = {70, ND_SEX_FEMALE, 3},
               man = {30, ND_SEX_MALE, 3};
    nd_zone_layers a, b, c, eye;
    assert_int_equal(nd_skin_zone_layers(m, &young, ND_ZONE_FOREHEAD, &a, &e), ND_OK);
    assert_int_equal(nd_skin_zone_layers(m, &old, ND_ZONE_FOREHEAD, &b, &e), ND_OK);
    assert_int_equal(nd_skin_zone_layers(m, &man, ND_ZONE_FOREHEAD, &c, &e), ND_OK);
    assert_int_equal(nd_skin_zone_layers(m, &young, ND_ZONE_PERIORBITAL_LEFT, &eye, &e), ND_OK);
    /* Thinner with age (Branchet 1990): 6 % a decade either side of the reference age 40. */
    double da = a.thickness_m[ND_LAYER_PAPILLARY] + a.thickness_m[ND_LAYER_RETICULAR];
    double db = b.thickness_m[ND_LAYER_PAPILLARY] + b.thickness_m[ND_LAYER_RETICULAR];
    assert_true(fabs(db / da - (1 - 0.06 * 3) / (1 + 0.06)) < 1e-9);
    /* Men's facial dermis thicker than women's (Meng 2022). */
    assert_true(c.thickness_m[ND_LAYER_RETICULAR] > a.thickness_m[ND_LAYER_RETICULAR]);
    /* The eyelid is the thinnest facial skin. */
    assert_true(eye.thickness_m[ND_LAYER_RETICULAR] < a.thickness_m[ND_LAYER_RETICULAR]);
    /* Papillary dermis ends 0.3-0.4 mm deep on average (Sorrell & Caplan 2004). */
    double pap_bottom = a.thickness_m[0] + a.thickness_m[1] + a.thickness_m[2];
    assert_true(pap_bottom > 0.25e-3 && pap_bottom < 0.45e-3);
    nd_skin_model_free(m);
}

static void within_zone_field_is_smooth_seeded_with_published_spread(void **state)
{
    (void)state;
    nd_skin_model *m;
    nd_skin *s1, *s2, *s3;
    nd_error e;
    nd_patient p = {40, ND_SEX_FEMALE, 3};
    assert_int_equal(nd_skin_model_create(NULL, &m, &e), ND_OK);
    assert_int_equal(nd_skin_create(m, &p, 7, &s1, &e), ND_OK);
    assert_int_equal(nd_skin_create(m, &p, 7, &s2, &e), ND_OK);
    assert_int_equal(nd_skin_create(m, &p, 8, &s3, &e), ND_OK);
    nd_layer_bounds b1, b2, b3, near;
    nd_skin_bounds_at(s1, ND_ZONE_CHEEK_LEFT, 0.04, 0.12, &b1);
    nd_skin_bounds_at(s2, ND_ZONE_CHEEK_LEFT, 0.04, 0.12, &b2);
    nd_skin_bounds_at(s3, ND_ZONE_CHEEK_LEFT, 0.04, 0.12, &b3);
    nd_skin_bounds_at(s1, ND_ZONE_CHEEK_LEFT, 0.0405, 0.12, &near);
    assert_memory_equal(&b1, &b2, sizeof b1);
    assert_true(b1.bottom_m[3] != b3.bottom_m[3]);
    /* Smooth: half a millimetre changes the dermis by well under its spread. */
    assert_true(fabs(near.bottom_m[3] - b1.bottom_m[3]) / b1.bottom_m[3] < 0.05);
    for (int k = 0; k < 3; k++) assert_true(b1.bottom_m[k] < b1.bottom_m[k + 1]);
    /* Across many seeds, the dermis at one point has the zone mean and the
     * published coefficient of variation (lognormal, mean-preserving). */
    const nd_zone_layers *L = nd_skin_zone(s1, ND_ZONE_CHEEK_LEFT);
    double mean = L->thickness_m[ND_LAYER_PAPILLARY] + L->thickness_m[ND_LAYER_RETICULAR];
    double s = 0, s2sum = 0;
    const int n = 3000;
    for (int seed = 0; seed < n; seed++) {
        nd_skin *sk;
        assert_int_equal(nd_skin_create(m, &p, (uint64_t)seed + 100, &sk, &e), ND_OK);
        nd_layer_bounds b;
        nd_skin_bounds_at(sk, ND_ZONE_CHEEK_LEFT, 0.04, 0.12, &b);
        double d = b.bottom_m[3] - b.bottom_m[1];
        s += d;
        s2sum += d * d;
        nd_skin_free(sk);
    }
    double mu = s / n, sd = sqrt(s2sum / n - mu * mu);
    print_message("dermis at a cheek point over %d seeds: mean %.3f mm (zone %.3f), CV %.3f "
                  "(published %.3f)\n",
                  n, mu * 1e3, mean * 1e3, sd / mu, L->cv[ND_LAYER_RETICULAR]);
    assert_true(fabs(mu / mean - 1) < 0.05);
    assert_true(fabs(sd / mu - L->cv[ND_LAYER_RETICULAR]) < 0.06);
    nd_skin_free(s1);
    nd_skin_free(s2);
    nd_skin_free(s3);
    nd_skin_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zones_names_groups_and_areas),
        cmocka_unit_test(layers_follow_site_sex_and_age),
        cmocka_unit_test(within_zone_field_is_smooth_seeded_with_published_spread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
