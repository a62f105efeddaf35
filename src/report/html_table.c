/* The report's per-zone table, and the settings line of the page's header;
 * see html_report.h.
 *
 * A setting every zone shares is said once in the header and left out of the
 * table, so the table shows what differs between zones and stays narrow
 * enough for an A4 page.  Numbers are rounded to what a practitioner acts on
 * (0.01 mm of depth, whole percent) but never to a value they are not: a
 * share above zero reads "<1", never "0".  Cells that carry a warning are
 * shaded and bold, so the table says the same as the warnings without
 * relying on colour alone. */
#include "report/html_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/colormap.h"
#include "report/findings.h"
#include "report/html_escape.h"
#include "report/labels.h"

/* One setting of a zone plan: how the table heads it, how the header says it
 * when every zone shares it, and its value ("" where it does not apply). */
typedef struct {
    const char *head, *unit;
    /* printf formats for the header line, one %s: after the setting before
     * it in this list when that one is said too ("2 passes" "in turn ..."),
     * and on its own. */
    const char *attached, *alone;
    int (*applies)(const nd_device_spec *dev, const nd_zone_plan *z);
    void (*value)(char *buf, size_t size, const nd_zone_plan *z);
} setting;

static int always(const nd_device_spec *dev, const nd_zone_plan *z)
{
    (void)dev;
    (void)z;
    return 1;
}

static int gliding(const nd_device_spec *dev, const nd_zone_plan *z)
{
    return dev->kind != ND_DEVICE_STAMP && z->motion == ND_MOTION_GLIDE;
}

static int motorised(const nd_device_spec *dev, const nd_zone_plan *z)
{
    (void)z;
    return nd_device_is_motorised(dev);
}

static int by_hand(const nd_device_spec *dev, const nd_zone_plan *z)
{
    (void)z;
    return !nd_device_is_motorised(dev);
}

static int stamp(const nd_device_spec *dev, const nd_zone_plan *z)
{
    (void)z;
    return dev->kind == ND_DEVICE_STAMP;
}

static int motor_stamping(const nd_device_spec *dev, const nd_zone_plan *z)
{
    return nd_device_is_motorised(dev) && z->motion == ND_MOTION_STAMP;
}

static void passes(char *buf, size_t size, const nd_zone_plan *z)
{
    snprintf(buf, size, "%d", z->passes);
}

static void directions(char *buf, size_t size, const nd_zone_plan *z)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int d = 0; d < z->n_directions && d < ND_MAX_DIRECTIONS && n < size; d++) {
        int w =
            snprintf(buf + n, size - n, "%s%s", d ? ", " : "", nd_direction_name(z->directions[d]));
        if (w < 0) break;
        n += (size_t)w;
    }
}

static void motion(char *buf, size_t size, const nd_zone_plan *z)
{
    snprintf(buf, size, "%s", z->motion == ND_MOTION_STAMP ? "stamping" : "gliding");
}

static void speed(char *buf, size_t size, const nd_zone_plan *z)
{
    nd_label_fixed(buf, size, z->speed_m_s * 1e3, 0);
}

static void force(char *buf, size_t size, const nd_zone_plan *z)
{
    nd_label_fixed(buf, size, z->force_n, 1);
}

static void press_speed(char *buf, size_t size, const nd_zone_plan *z)
{
    nd_label_fixed(buf, size, z->press_speed_m_s * 1e3, 0);
}

static void stamp_rate(char *buf, size_t size, const nd_zone_plan *z)
{
    nd_label_fixed(buf, size, z->stamp_rate_hz, 1);
}

static void dwell(char *buf, size_t size, const nd_zone_plan *z)
{
    nd_label_fixed(buf, size, z->dwell_s, 2);
}

static void overlap(char *buf, size_t size, const nd_zone_plan *z)
{
    nd_label_fixed(buf, size, z->overlap * 100, 0);
}

static const setting SETTINGS[] = {
    {"Passes", NULL, "%s passes", "%s passes", always, passes},
    {"Directions", NULL, "in turn %s", "passes in turn %s", always, directions},
    {"Motion", NULL, "%s", "%s", motorised, motion},
    {"Speed", "mm/s", "at %s mm/s", "speed %s mm/s", gliding, speed},
    {"Force", "N", "pressed with %s N", "pressed with %s N", by_hand, force},
    {"Press speed", "mm/s", "in at %s mm/s", "pressed in at %s mm/s", stamp, press_speed},
    {"Stamps", "per s", "%s stamps per second", "%s stamps per second", stamp, stamp_rate},
    {"Dwell", "s", "for %s s on each spot", "%s s on each spot", motor_stamping, dwell},
    {"Overlap", "%", "strokes overlapping by %s%%", "strokes overlapping by %s%%", always, overlap},
};
#define N_SETTINGS (sizeof SETTINGS / sizeof SETTINGS[0])

static void value_of(const setting *s, const nd_rundata *rd, int k, char *buf, size_t size)
{
    const nd_zone_plan *z = nd_rundata_plan(rd, k);
    buf[0] = '\0';
    if (s->applies(&rd->scenario.device, z)) s->value(buf, size, z);
}

/* 1 when every zone has the same value (or none has any), so the table
 * leaves the setting out. */
static int shared(const setting *s, const nd_rundata *rd)
{
    char first[128], other[128];
    if (rd->n_zones == 0) return 1;
    value_of(s, rd, 0, first, sizeof first);
    for (int k = 1; k < rd->n_zones; k++) {
        value_of(s, rd, k, other, sizeof other);
        if (strcmp(first, other) != 0) return 0;
    }
    return 1;
}

void nd_html_settings_summary(const nd_rundata *rd, FILE *out)
{
    if (rd->n_zones == 0) {
        fputs("no zone treated", out);
        return;
    }
    double lo = nd_rundata_plan(rd, 0)->depth_m, hi = lo;
    for (int k = 1; k < rd->n_zones; k++) {
        lo = fmin(lo, nd_rundata_plan(rd, k)->depth_m);
        hi = fmax(hi, nd_rundata_plan(rd, k)->depth_m);
    }
    char a[32], b[32], v[128], phrase[192];
    fputs(nd_device_is_motorised(&rd->scenario.device) ? "depth " : "needle length ", out);
    if (hi - lo < 1e-9)
        fprintf(out, "%s mm", nd_label_fixed(a, sizeof a, lo * 1e3, 2));
    else
        fprintf(out, "%s\xe2\x80\x93%s mm by zone", nd_label_fixed(a, sizeof a, lo * 1e3, 2),
                nd_label_fixed(b, sizeof b, hi * 1e3, 2));
    int said_previous = 0;
    for (size_t s = 0; s < N_SETTINGS; s++) {
        value_of(&SETTINGS[s], rd, 0, v, sizeof v);
        if (!shared(&SETTINGS[s], rd) || !v[0]) {
            said_previous = 0;
            continue;
        }
        /* Formats come from SETTINGS above, never from the run. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        snprintf(phrase, sizeof phrase, said_previous ? SETTINGS[s].attached : SETTINGS[s].alone,
                 v);
#pragma GCC diagnostic pop
        if (s == 0 && strcmp(v, "1") == 0) snprintf(phrase, sizeof phrase, "1 pass");
        /* A setting with its own attached wording ("at 50 mm/s") continues
         * the one before; others stand as their own phrase. */
        int attach = said_previous && strcmp(SETTINGS[s].attached, SETTINGS[s].alone) != 0;
        fputs(attach ? " " : "; ", out);
        nd_html_escape(out, phrase);
        said_previous = 1;
    }
}

static void num_cell(FILE *out, const char *col, const char *cls, const char *text)
{
    fprintf(out, "<td data-col=\"%s\"%s%s%s>", col, cls ? " class=\"" : "", cls ? cls : "",
            cls ? "\"" : "");
    nd_html_escape(out, text);
    fputs("</td>", out);
}

static void fixed_cell(FILE *out, const char *col, double v, int decimals, int exists)
{
    char buf[32];
    num_cell(out, col, NULL,
             exists ? nd_label_fixed(buf, sizeof buf, v, decimals) : "\xe2\x80\x94");
}

static void header(const nd_rundata *rd, FILE *out, const int *show)
{
    int motorised_dev = nd_device_is_motorised(&rd->scenario.device);
    fputs("<thead><tr><th rowspan=\"2\" scope=\"col\" class=\"text\">Zone</th>", out);
    fprintf(out, "<th rowspan=\"2\" scope=\"col\">%s<br><span class=\"unit\">mm</span></th>",
            motorised_dev ? "Depth set" : "Needle");
    for (size_t s = 0; s < N_SETTINGS; s++) {
        if (!show[s]) continue;
        fprintf(out, "<th rowspan=\"2\" scope=\"col\"%s>%s",
                SETTINGS[s].unit ? "" : " class=\"text\"", SETTINGS[s].head);
        if (SETTINGS[s].unit) fprintf(out, "<br><span class=\"unit\">%s</span>", SETTINGS[s].unit);
        fputs("</th>", out);
    }
    fputs("<th rowspan=\"2\" scope=\"col\">Punctures<br><span class=\"unit\">per "
          "cm\xc2\xb2</span></th>"
          "<th colspan=\"2\" scope=\"colgroup\">Depth reached<br><span class=\"unit\">mm</span>"
          "</th>"
          "<th colspan=\"5\" scope=\"colgroup\">Layer reached<br><span class=\"unit\">% of "
          "punctures</span></th>"
          "<th rowspan=\"2\" scope=\"col\">Cells<br>punctured<br><span class=\"unit\">%</span>"
          "</th>"
          "<th rowspan=\"2\" scope=\"col\">Uni&shy;formity<br><span class=\"unit\">CV</span></th>"
          "</tr>\n<tr><th scope=\"col\">mean</th><th scope=\"col\">p95</th>",
          out);
    for (int l = 0; l < ND_LAYER_COUNT; l++) {
        char hex[8];
        nd_rgb_hex(nd_layer_colour(l), hex);
        fprintf(out,
                "<th scope=\"col\" title=\"%s\"><span class=\"sw\" style=\"background:%s\">"
                "</span>%s</th>",
                nd_label_layer(l), hex, nd_label_layer_short(l));
    }
    fputs("</tr></thead>\n", out);
}

static void row(const nd_rundata *rd, int k, FILE *out, const int *show)
{
    const nd_rd_zone *z = &rd->zones[k];
    const nd_zone_stats *st = &z->stats;
    const nd_zone_plan *plan = nd_rundata_plan(rd, k);
    char name[64], buf[128];
    nd_label_zone(st->zone, name, sizeof name);
    if (name[0] >= 'a' && name[0] <= 'z') name[0] = (char)(name[0] - 'a' + 'A');
    fprintf(out, "<tr data-zone=\"%s\"><th scope=\"row\">", nd_zone_name(st->zone));
    nd_html_escape(out, name);
    fputs("</th>", out);
    fixed_cell(out, "depth_setting_mm", plan->depth_m * 1e3, 2, 1);
    for (size_t s = 0; s < N_SETTINGS; s++) {
        if (!show[s]) continue;
        value_of(&SETTINGS[s], rd, k, buf, sizeof buf);
        fprintf(out, "<td%s>", SETTINGS[s].unit ? "" : " class=\"text\"");
        nd_html_escape(out, buf[0] ? buf : "\xe2\x80\x94");
        fputs("</td>", out);
    }
    fixed_cell(out, "punctures_per_cm2", st->punctures_per_cm2, 0, 1);
    fixed_cell(out, "depth_mean_mm", st->depth_mean_m * 1e3, 2, st->punctures > 0);
    fixed_cell(out, "depth_p95_mm", st->depth_p95_m * 1e3, 2, st->punctures > 0);
    /* The same tests as the warnings. */
    int shallow_deep = plan->depth_m <= ND_SHALLOW_SETTING_M + 1e-9 &&
                       st->layer_fraction[ND_LAYER_RETICULAR] + st->layer_fraction[ND_LAYER_FAT] >=
                           ND_PATTERN_SHARE;
    for (int l = 0; l < ND_LAYER_COUNT; l++) {
        char col[64];
        snprintf(col, sizeof col, "layer_%s", nd_layer_name(l));
        double f = st->layer_fraction[l];
        const char *cls = l == ND_LAYER_FAT && f > 0                         ? "alert"
                          : l == ND_LAYER_RETICULAR && shallow_deep && f > 0 ? "caution"
                                                                             : NULL;
        num_cell(out, col, cls, nd_label_percent(buf, sizeof buf, f));
    }
    num_cell(out, "coverage_fraction", NULL,
             nd_label_percent(buf, sizeof buf, st->coverage_fraction));
    fixed_cell(out, "uniformity_cv", st->uniformity_cv, 2, st->punctures > 0);
    fputs("</tr>\n", out);
}

void nd_html_zone_table(const nd_rundata *rd, FILE *out)
{
    int show[N_SETTINGS];
    for (size_t s = 0; s < N_SETTINGS; s++) show[s] = !shared(&SETTINGS[s], rd);
    fputs("<div class=\"table-wrap\"><table class=\"zones\">\n", out);
    header(rd, out, show);
    fputs("<tbody>\n", out);
    for (int k = 0; k < rd->n_zones; k++) row(rd, k, out, show);
    fputs("</tbody></table></div>\n", out);
}
