/* Reader-facing names; see labels.h. */
#include "report/labels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "needle/face.h"
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
