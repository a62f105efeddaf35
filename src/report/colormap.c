/* viridis as 16 evenly spaced anchors with linear interpolation; see colormap.h. */
#include "report/colormap.h"

#include <math.h>
#include <stdio.h>

#include "needle/skin.h"

/* Entries 0, 17, 34, ..., 255 of matplotlib's 256-entry _viridis_data (CC0);
 * they equal R's viridis(16).  Between anchors the published map is smooth
 * enough that linear interpolation stays within about one 8-bit step of it. */
static const double viridis_anchor[ND_VIRIDIS_ANCHORS][3] = {
    {0.267004, 0.004874, 0.329415}, /* #440154 */
    {0.282656, 0.100196, 0.422160}, /* #481a6c */
    {0.277134, 0.185228, 0.489898}, /* #472f7d */
    {0.253935, 0.265254, 0.529983}, /* #414487 */
    {0.221989, 0.339161, 0.548752}, /* #39568c */
    {0.190631, 0.407061, 0.556089}, /* #31688e */
    {0.163625, 0.471133, 0.558148}, /* #2a788e */
    {0.139147, 0.533812, 0.555298}, /* #23888e */
    {0.120565, 0.596422, 0.543611}, /* #1f988b */
    {0.134692, 0.658636, 0.517649}, /* #22a884 */
    {0.208030, 0.718701, 0.472873}, /* #35b779 */
    {0.327796, 0.773980, 0.406640}, /* #54c568 */
    {0.477504, 0.821444, 0.318195}, /* #7ad151 */
    {0.647257, 0.858400, 0.209861}, /* #a5db36 */
    {0.824940, 0.884720, 0.106217}, /* #d2e21b */
    {0.993248, 0.906157, 0.143936}, /* #fde725 */
};

nd_rgb nd_viridis(double t)
{
    if (!(t > 0.0)) t = 0.0; /* also catches NaN */
    if (t > 1.0) t = 1.0;
    double x = t * (ND_VIRIDIS_ANCHORS - 1);
    int k = (int)x;
    if (k >= ND_VIRIDIS_ANCHORS - 1) k = ND_VIRIDIS_ANCHORS - 2;
    double f = x - k;
    const double *a = viridis_anchor[k], *b = viridis_anchor[k + 1];
    nd_rgb c = {a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])};
    return c;
}

/* Surface to depth: yellow, orange, sky blue, blue, vermillion.  Warm for the
 * epidermis, blue for the dermis, and the most alarming hue for fat, the
 * layer a facial treatment should not reach. */
nd_rgb nd_layer_colour(int layer)
{
    static const nd_rgb okabe_ito[ND_LAYER_COUNT] = {
        {0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0}, /* stratum corneum: yellow */
        {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0}, /* viable epidermis: orange */
        {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0}, /* papillary dermis: sky blue */
        {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0}, /* reticular dermis: blue */
        {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0}, /* subcutaneous fat: vermillion */
    };
    nd_rgb grey = {0.6, 0.6, 0.6};
    return layer >= 0 && layer < ND_LAYER_COUNT ? okabe_ito[layer] : grey;
}

nd_rgb nd_rgb_tint(nd_rgb c, double t)
{
    nd_rgb r = {c.r + t * (1 - c.r), c.g + t * (1 - c.g), c.b + t * (1 - c.b)};
    return r;
}

static int byte(double v)
{
    return v <= 0 ? 0 : v >= 1 ? 255 : (int)lround(v * 255);
}

void nd_rgb_hex(nd_rgb c, char buf[8])
{
    snprintf(buf, 8, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
}
