/* viridis as 16 evenly spaced anchors with linear interpolation; see colormap.h. */
#include "report/colormap.h"

/* Entries 0, 17, 34, ..., 255 of matplotlib's 256-entry _viridis_data (CC0);
 * they equal R's viridis(16).  Between anchors the published map is smooth
 * enough that linear interpolation stays within about one 8-bit step of it. */
#define ND_VIRIDIS_ANCHORS 16
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
