/* Reader-facing names; see labels.h. */
#include "report/labels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "needle/face.h"
#include "needle/indication.h"
#include "needle/skin.h"

/* Split "cheek_left" into its site "cheek" and side "left" (or ""). */
static void site_side(int zone, char *site, size_t size, const char **side)
{
    const char *name = nd_zone_name(zone);
    snprintf(site, size, "%s", name ? name : "?");
    *side = "";
    size_t n = strlen(site);
    if (n > 5 && strcmp(site + n - 5, "_left") == 0) {
        site[n - 5] = '\0';
        *side = "left";
    } else if (n > 6 && strcmp(site + n - 6, "_right") == 0) {
        site[n - 6] = '\0';
        *side = "right";
    }
    for (char *p = site; *p; p++)
        if (*p == '_') *p = ' ';
}

/* Periorbital is an adjective; "left periorbital" needs its noun. */
static const char *site_noun(const char *site)
{
    return strcmp(site, "periorbital") == 0 ? " area" : "";
}

void nd_label_zone(int zone, char *buf, size_t size)
{
    char site[64];
    const char *side;
    site_side(zone, site, sizeof site, &side);
    if (side[0])
        snprintf(buf, size, "%s %s%s", side, site, site_noun(site));
    else
        snprintf(buf, size, "%s", site);
}

void nd_label_zone_short(int zone, char *buf, size_t size)
{
    char site[64];
    const char *side;
    site_side(zone, site, sizeof site, &side);
    if (side[0])
        snprintf(buf, size, "%s %c", site, side[0] == 'l' ? 'L' : 'R');
    else
        snprintf(buf, size, "%s", site);
}

int nd_label_zone_mirror(int zone)
{
    const char *name = nd_zone_name(zone);
    if (!name) return -1;
    char other[64];
    size_t n = strlen(name);
    if (n > 5 && strcmp(name + n - 5, "_left") == 0)
        snprintf(other, sizeof other, "%.*s_right", (int)(n - 5), name);
    else if (n > 6 && strcmp(name + n - 6, "_right") == 0)
        snprintf(other, sizeof other, "%.*s_left", (int)(n - 6), name);
    else
        return -1;
    return nd_zone_from_name(other);
}

void nd_label_zone_pair(int zone, char *buf, size_t size)
{
    char site[64];
    const char *side;
    site_side(zone, site, sizeof site, &side);
    if (strcmp(site, "periorbital") == 0)
        snprintf(buf, size, "both periorbital areas");
    else if (strcmp(site, "jawline") == 0)
        snprintf(buf, size, "both sides of the jawline");
    else
        snprintf(buf, size, "both %ss", site);
}

void nd_label_zone_list(const int *zones, int n, int articles, char *buf, size_t size)
{
    int used[ND_ZONE_COUNT] = {0}, names = 0;
    char part[ND_ZONE_COUNT][72]; /* "the " and a name */
    for (int a = 0; a < n && a < ND_ZONE_COUNT; a++) {
        if (used[a]) continue;
        used[a] = 1;
        int mirror = nd_label_zone_mirror(zones[a]), pair = 0;
        for (int b = a + 1; b < n && b < ND_ZONE_COUNT && mirror >= 0 && !pair; b++)
            if (!used[b] && zones[b] == mirror) used[b] = pair = 1;
        char name[64];
        if (pair)
            nd_label_zone_pair(zones[a], name, sizeof name);
        else
            nd_label_zone(zones[a], name, sizeof name);
        /* "both cheeks" takes no article; "the forehead" does. */
        snprintf(part[names++], sizeof part[0], "%s%s", articles && !pair ? "the " : "", name);
    }
    size_t len = 0;
    if (size) buf[0] = '\0';
    for (int i = 0; i < names && len < size; i++) {
        const char *sep = i == 0 ? "" : i == names - 1 ? " and " : ", ";
        int w = snprintf(buf + len, size - len, "%s%s", sep, part[i]);
        if (w < 0) break;
        len += (size_t)w;
    }
}

const char *nd_label_indication(int indication)
{
    static const char *const names[ND_INDICATION_COUNT] = {
        [ND_IND_WRINKLES] = "Wrinkles and fine lines",
        [ND_IND_ACNE_SCARS] = "Acne scars",
        [ND_IND_STRETCH_MARKS] = "Stretch marks",
        [ND_IND_PIGMENTATION] = "Pigmentation",
        [ND_IND_PORES] = "Enlarged pores",
        [ND_IND_DULL_SKIN] = "Dull skin (texture)",
    };
    return indication >= 0 && indication < ND_INDICATION_COUNT && names[indication]
               ? names[indication]
               : "?";
}

const char *nd_label_layer(int layer)
{
    static const char *const names[ND_LAYER_COUNT] = {"stratum corneum", "viable epidermis",
                                                      "papillary dermis", "reticular dermis",
                                                      "subcutaneous fat"};
    return layer >= 0 && layer < ND_LAYER_COUNT ? names[layer] : "?";
}

const char *nd_label_layer_short(int layer)
{
    static const char *const names[ND_LAYER_COUNT] = {"SC", "epidermis", "papillary", "reticular",
                                                      "fat"};
    return layer >= 0 && layer < ND_LAYER_COUNT ? names[layer] : "?";
}

const char *nd_label_fitzpatrick(int type)
{
    static const char *const roman[] = {"I", "II", "III", "IV", "V", "VI"};
    return type >= 1 && type <= 6 ? roman[type - 1] : NULL;
}

const char *nd_label_cream(nd_cream cream)
{
    switch (cream) {
    case ND_CREAM_EMLA:
        return "EMLA";
    case ND_CREAM_LMX4:
        return "LMX4";
    case ND_CREAM_BLT:
        return "BLT";
    case ND_CREAM_NONE:
        break;
    }
    return "none";
}

char *nd_label_fixed(char *buf, size_t size, double v, int decimals)
{
    if (v == 0) v = 0; /* no "-0.00" */
    snprintf(buf, size, "%.*f", decimals, v);
    for (char *p = buf; *p; p++)
        if (*p == ',') *p = '.';
    if (strcmp(buf, "-0") == 0 || strncmp(buf, "-0.", 3) == 0) {
        int zero = 1;
        for (const char *p = buf + 1; *p; p++) zero &= *p == '0' || *p == '.';
        if (zero) memmove(buf, buf + 1, strlen(buf));
    }
    return buf;
}

/* The tables keep six significant digits, so a sum of shares read back from
 * them can miss 1 (or 0) by a few parts in a million; that is 100 %, not
 * ">99". */
#define PERCENT_EXACT 1e-4

char *nd_label_percent(char *buf, size_t size, double fraction)
{
    double pct = fraction * 100;
    if (fabs(pct - 100) < PERCENT_EXACT) pct = 100;
    if (fabs(pct) < PERCENT_EXACT) pct = 0;
    if (pct > 0 && pct < 0.5)
        snprintf(buf, size, "<1");
    else if (pct >= 99.5 && pct < 100)
        snprintf(buf, size, ">99");
    else
        nd_label_fixed(buf, size, pct, 0);
    return buf;
}

char *nd_label_small(char *buf, size_t size, double v, int decimals)
{
    double unit = pow(10, -decimals);
    if (v > 0 && v < 0.5 * unit) {
        char num[32];
        snprintf(buf, size, "<%s", nd_label_fixed(num, sizeof num, unit, decimals));
        return buf;
    }
    return nd_label_fixed(buf, size, v, decimals);
}

char *nd_label_risk(char *buf, size_t size, double fraction)
{
    double pct = fraction * 100;
    if (pct == 0) {
        snprintf(buf, size, "0");
        return buf;
    }
    if (pct >= 99.5 && pct < 100) {
        snprintf(buf, size, ">99");
        return buf;
    }
    return nd_label_small(buf, size, pct, pct < 9.95 ? 1 : 0);
}

char *nd_label_change(char *buf, size_t size, double rel)
{
    double pct = (rel - 1) * 100, mag = fabs(pct);
    char num[32];
    nd_label_small(num, sizeof num, mag, mag < 9.95 ? 1 : 0);
    if (strcmp(num, "0") == 0 || strcmp(num, "0.0") == 0)
        snprintf(buf, size, "0");
    else
        /* A typographic minus: a hyphen reads as a dash in a table. */
        snprintf(buf, size, "%s%s", pct > 0 ? "+" : "\xe2\x88\x92", num);
    return buf;
}
