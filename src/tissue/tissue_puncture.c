/* Seeding the volume with punctures.
 *
 * A puncture is a cylinder of the needle's diameter from the surface down to
 * the depth reached.  Each voxel it touches gets the share of its volume
 * inside the cylinder (lateral share sampled on a 16 x 16 grid of points,
 * vertical share exact) as its openness: a needle thinner than a voxel opens
 * a fraction of one, and the voxel's vertical conductance is then the
 * area-weighted mean of channel and tissue, which is right for flux along the
 * channel.  The same share of the voxel's layers sets what the damage leaves
 * behind: blood where the layer has vessels, signal where it is alive.
 * Lines that cross a channel are marked, to be solved voxel by voxel.
 *
 * The wound reaches further than the channel: its growth factors (TGF-beta,
 * Aust 2010) recruit fibroblasts within a radius r of it (the lumped model's
 * wound_radius_m, docs/model.md 9.5).  So a puncture that reaches the dermis
 * sets the signal to 1 in every dermal voxel whose centre lies within r of
 * the channel (its axis from the surface to the tip): set, not added, as the
 * lumped stimulus is the share of the zone within r of some channel, however
 * many.  The dermal mean of that signal, and so of the fibroblast activity it
 * drives, is the lumped stimulus 1 - exp(-density pi r^2) for channels
 * spread at random through the whole dermis. */
#include <math.h>
#include <stdio.h>

#include "tissue/tissue_internal.h"

#define SUB 16

/* Share of voxel column (i, j) inside the circle (x, y, r); periodic sides
 * measure distance to the nearest image. */
static double areal_share(const nd_tissue *t, int i, int j, double x, double y, double r)
{
    const double h = t->h, wx = t->nx * h, wy = t->ny * h;
    int in = 0;
    for (int a = 0; a < SUB; a++) {
        double px = (i + (a + 0.5) / SUB) * h - x;
        if (t->o.periodic) px -= wx * nearbyint(px / wx);
        for (int b = 0; b < SUB; b++) {
            double py = (j + (b + 0.5) / SUB) * h - y;
            if (t->o.periodic) py -= wy * nearbyint(py / wy);
            in += px * px + py * py <= r * r;
        }
    }
    return (double)in / (SUB * SUB);
}

/* Level k's centre lies in the papillary or reticular dermis. */
static int dermal_level(const nd_tissue *t, int k)
{
    return t->layer[k] == ND_LAYER_PAPILLARY || t->layer[k] == ND_LAYER_RETICULAR;
}

static void mark_lines(nd_tissue *t, int i, int j, int k)
{
    t->xgen[(size_t)k * t->ny + j] = 1;
    t->ygen[(size_t)k * t->nx + i] = 1;
    t->zgen[(size_t)j * t->nx + i] = 1;
}

static void open_column(nd_tissue *t, int i, int j, double share, double depth)
{
    const double h = t->h;
    double *o = t->u[ND_TISSUE_OPENNESS], *blood = t->u[ND_TISSUE_BLOOD];
    double *sig = t->u[ND_TISSUE_SIGNAL];
    for (int k = 0; k < t->nz && k * h < depth; k++) {
        double z0 = k * h, z1 = fmin((k + 1) * h, depth), len[NL];
        nd_tissue_overlap(&t->bounds, z0, z1, len);
        double cap = share * (z1 - z0) / h, b = 0.0, s = 0.0;
        for (int l = 0; l < NL; l++) {
            b += len[l] / h * t->p.blood_release[l];
            s += len[l] / h * t->p.signal_release[l];
        }
        size_t v = (size_t)i + (size_t)t->nx * ((size_t)j + (size_t)t->ny * k);
        if (cap > o[v]) o[v] = cap;
        if (cap > t->chan[v]) t->chan[v] = cap;
        blood[v] += share * b;
        if (!dermal_level(t, k)) sig[v] += share * s; /* the dermis: wound() */
        mark_lines(t, i, j, k);
    }
}

/* Set the signal to 1 in dermal voxels within r of the channel at (x, y) down
 * to depth; periodic sides measure to the nearest image. */
static void wound(nd_tissue *t, double x, double y, double depth, double r)
{
    const double h = t->h, wx = t->nx * h, wy = t->ny * h;
    double *sig = t->u[ND_TISSUE_SIGNAL];
    int i0 = (int)floor((x - r) / h), i1 = (int)floor((x + r) / h);
    int j0 = (int)floor((y - r) / h), j1 = (int)floor((y + r) / h);
    if (t->o.periodic) {
        if (i1 - i0 >= t->nx) i0 = 0, i1 = t->nx - 1;
        if (j1 - j0 >= t->ny) j0 = 0, j1 = t->ny - 1;
    } else {
        i0 = i0 < 0 ? 0 : i0, j0 = j0 < 0 ? 0 : j0;
        i1 = i1 >= t->nx ? t->nx - 1 : i1, j1 = j1 >= t->ny ? t->ny - 1 : j1;
    }
    for (int jj = j0; jj <= j1; jj++)
        for (int ii = i0; ii <= i1; ii++) {
            int i = ((ii % t->nx) + t->nx) % t->nx, j = ((jj % t->ny) + t->ny) % t->ny;
            double dx = (i + 0.5) * h - x, dy = (j + 0.5) * h - y;
            if (t->o.periodic) dx -= wx * nearbyint(dx / wx), dy -= wy * nearbyint(dy / wy);
            double lat2 = dx * dx + dy * dy;
            if (lat2 > r * r) continue;
            for (int k = 0; k < t->nz; k++) {
                double zc = (k + 0.5) * h, dz = zc > depth ? zc - depth : 0.0;
                if (lat2 + dz * dz > r * r) break;
                size_t v = (size_t)i + (size_t)t->nx * ((size_t)j + (size_t)t->ny * k);
                if (dermal_level(t, k) && sig[v] < 1.0) sig[v] = 1.0;
            }
        }
}

nd_status nd_tissue_puncture_add(nd_tissue *t, const nd_tissue_puncture *p, int n, nd_error *err)
{
    const double wx = t->nx * t->h, wy = t->ny * t->h, depth = t->nz * t->h;
    for (int q = 0; q < n; q++) {
        char field[64];
        snprintf(field, sizeof field, "punctures[%d]", q);
        if (!(p[q].x_m >= 0.0 && p[q].x_m < wx && p[q].y_m >= 0.0 && p[q].y_m < wy))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, field,
                               "position (%g, %g) m is outside the %g x %g m volume", p[q].x_m,
                               p[q].y_m, wx, wy);
        if (!(p[q].depth_m > 0.0 && p[q].depth_m <= depth))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, field,
                               "depth %g m is outside the simulated 0..%g m", p[q].depth_m, depth);
        if (!(isfinite(p[q].diameter_m) && p[q].diameter_m > 0.0))
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, field, "diameter must be > 0");
    }
    for (int q = 0; q < n; q++) {
        double r = 0.5 * p[q].diameter_m, x = p[q].x_m, y = p[q].y_m;
        int i0 = (int)floor((x - r) / t->h), i1 = (int)floor((x + r) / t->h);
        int j0 = (int)floor((y - r) / t->h), j1 = (int)floor((y + r) / t->h);
        if (!t->o.periodic) {
            i0 = i0 < 0 ? 0 : i0, j0 = j0 < 0 ? 0 : j0;
            i1 = i1 >= t->nx ? t->nx - 1 : i1, j1 = j1 >= t->ny ? t->ny - 1 : j1;
        } else if (i1 - i0 >= t->nx || j1 - j0 >= t->ny) {
            return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "punctures",
                               "a channel wider than the periodic volume");
        }
        for (int jj = j0; jj <= j1; jj++)
            for (int ii = i0; ii <= i1; ii++) {
                int i = ((ii % t->nx) + t->nx) % t->nx, j = ((jj % t->ny) + t->ny) % t->ny;
                double share = areal_share(t, i, j, x, y, r);
                if (share > 0.0) open_column(t, i, j, share, p[q].depth_m);
            }
        if (p[q].depth_m > t->bounds.bottom_m[ND_LAYER_EPIDERMIS])
            wound(t, x, y, p[q].depth_m, fmax(t->p.wound_radius_m, r));
    }
    if (!(t->o.fixed_dt_s > 0.0)) t->dt_next = t->o.dt_initial_s;
    t->recheck = 1;
    return ND_OK;
}
