/* Time stepping: a stabilising-correction (Douglas) step, made second order
 * and error controlled by step doubling with local extrapolation.
 *
 * The base step from u, with F(u) = (A_x + A_y + A_z) u + surface source + M u
 * (diffusion by directions, kinetics M), is
 *
 *     d  = dt F(u)                        explicit, the whole operator
 *     d <- (I - dt A_x)^-1 d, then A_y     x, y lines  (tissue_pass_down.c)
 *     d <- (I - dt (A_z + m))^-1 d         z lines     (down, then up)
 *     d <- phi1(dt M) d                    kinetics of what does not move
 *     u <- u + d
 *
 * m is a moving species' own first-order rate at each level (clearance).
 * It is corrected inside the vertical solve because it differs between
 * levels: applied after the solve as phi1, a level without clearance took
 * back the clearance of the levels below for the whole step, and with steps
 * of hours its values flipped sign and grew (tests/unit/test_tissue.c).
 * Species that neither move nor steer what moves, and exchange nothing with
 * the stepped ones, are left out of the steps and carried exactly by
 * exp(M dt) at the end of each run (split_lazy).
 *
 * (Douglas & Rachford 1956; Hundsdorfer & Verwer, Numerical Solution of
 * Time-Dependent Advection-Diffusion-Reaction Equations, 2003, IV.3.2, with
 * theta = 1 and the kinetics' correction phi1 in place of (I - dt M)^-1).
 * Each correction is a tridiagonal solve along grid lines or a 9 x 9 product
 * per voxel, as cheap as plain directional splitting -- but a steady state of
 * the full problem (F(u) = 0) is left exactly where it is, for any dt.  Plain
 * splitting (locally one-dimensional backward Euler, as BioFVM does) is not:
 * at a channel mouth, where the surface feeds a quasi-steady column that leaks
 * sideways, its error grows with dt without bound (33 % of C0 at dt = 30 s in
 * the test geometry), so error control held it to 0.05 s steps.  Kinetics
 * of what does not move are integrated exactly (d = (exp(dt M) - I) u).
 * Stability: each factor damps its own stiff modes; the amplification of
 * the diffusion part, 1 + (z_x + z_y + z_z) / ((1 - z_x)(1 - z_y)(1 - z_z))
 * for eigenvalues z <= 0, stays in 0..1 (Hundsdorfer & Verwer IV.3.2,
 * theta >= 1/2) but tends to 1 for modes stiff along two or three axes: a
 * sharp feature across columns decays slowly at long steps, and the error
 * control is what keeps it small.
 *
 * Each attempt takes one full step A = S(dt) u and two half steps
 * B = S(dt/2) S(dt/2) u.  Their difference estimates the local error of B
 * (Hairer, Norsett & Wanner, Solving ODEs I, II.4); the step is accepted when
 * max |B - A| / (atol + rtol |B|) <= 1 over every voxel and species, and the
 * next step is dt 0.9 err^(-1/2), within 0.2..4 times the last.  Order 2 keeps
 * the extrapolation 2B - A (the dt^2 term of the local error cancels: second
 * order in time); order 1 keeps B.  The error is a max, not a sum, so it is
 * the same for any number of threads. */
#include <math.h>
#include <stdlib.h>

#include "tissue/tissue_internal.h"

static double *dalloc(size_t count)
{
    return nd_tissue_alloc(count, 0);
}

static nd_status buffers(nd_tissue *t, nd_error *err)
{
    for (int s = 0; s < NS; s++) {
        if (!nd_tissue_stepped(t, s) || (t->a[s] && t->b[s])) continue;
        if (!t->a[s]) t->a[s] = dalloc(t->n);
        if (!t->b[s]) t->b[s] = dalloc(t->n);
        if (!t->a[s] || !t->b[s])
            return nd_error_set(err, ND_ERR_NOMEM, "out of memory for the tissue step buffers");
    }
    return ND_OK;
}

/* Which species are live: held at the surface, or nonzero somewhere, or fed
 * through the kinetics by a live species.  A species that is none of these
 * stays exactly zero, so skipping it changes no bit of the others.  The
 * scan is one read of each array, done only after an outside change (a
 * puncture, a surface set, new data, new kinetics). */
static void liveness(nd_tissue *t)
{
    for (int s = 0; s < NS; s++) {
        int on = t->surface_on[s];
        const double *u = t->u[s];
        for (size_t v = 0; !on && v < t->n; v++) on = u[v] != 0.0;
        t->active[s] = on;
    }
    for (int changed = 1; changed;) {
        changed = 0;
        for (int s = 0; s < NS; s++) {
            if (t->active[s]) continue;
            for (int k = 0; k < t->nz && !t->active[s]; k++)
                for (int f = 0; f < NS; f++)
                    if (f != s && t->active[f] && t->mk[((size_t)k * NS + s) * NS + f] != 0.0) {
                        t->active[s] = changed = 1;
                        break;
                    }
        }
    }
    for (int s = 0; s < NS; s++) t->diffuses[s] = t->moves[s] && t->active[s];
    t->recheck = 0;
}

/* The columns through channels, in voxel order, and room for their rows
 * and factors (tissue_columns.c).  Channels only ever open, so the list
 * only grows. */
static nd_status columns(nd_tissue *t, nd_error *err)
{
    int n = 0;
    for (size_t v = 0; v < t->plane; v++)
        if (t->zgen[v]) t->zcol[n++] = (int)v;
    t->ncol = n;
    if (n <= t->zcap) return ND_OK;
    for (int s = 0; s < NS; s++) {
        if (!t->moves[s]) continue;
        free(t->zrow[s]);
        if (!(t->zrow[s] = dalloc((size_t)n * (5 * (size_t)t->nz + 2)))) {
            t->zcap = 0;
            return nd_error_set(err, ND_ERR_NOMEM, "out of memory for the channel columns");
        }
    }
    t->zcap = n;
    return ND_OK;
}

/* Which live species a run can carry apart: those that react but neither
 * move nor steer what moves (openness sets the channels' conductances), and
 * exchange nothing with a species that stays in the steps.  Their kinetics
 * form a closed linear system, exactly solved over the whole run by
 * exp(M dt): the steps then cost nothing for them (at a site, the wound's
 * blood and signal and the healing chain, while the agent sets the step).
 * Only when something diffuses; otherwise every step is already exact. */
static void split_lazy(nd_tissue *t)
{
    int ndiff = 0;
    for (int s = 0; s < NS; s++) ndiff += t->diffuses[s];
    for (int s = 0; s < NS; s++)
        t->lazy[s] =
            ndiff > 0 && t->active[s] && t->reacts[s] && !t->moves[s] && s != ND_TISSUE_OPENNESS;
    for (int changed = 1; changed;) {
        changed = 0;
        for (int s = 0; s < NS; s++)
            for (int f = 0; t->lazy[s] && f < NS; f++) {
                if (f == s || !t->active[f] || t->lazy[f]) continue;
                for (int k = 0; k < t->nz; k++) {
                    const double *mk = t->mk + (size_t)k * NS * NS;
                    if (mk[s * NS + f] != 0.0 || mk[f * NS + s] != 0.0) {
                        t->lazy[s] = 0, changed = 1;
                        break;
                    }
                }
            }
    }
}

/* Carry the lazy species over dt: u <- exp(M_k dt) u, voxel by voxel. */
static void carry_lazy(nd_tissue *t, double dt)
{
    int idx[NS], m = 0;
    for (int s = 0; s < NS; s++)
        if (t->lazy[s]) idx[m++] = s;
    if (m == 0 || !(dt > 0.0)) return;
    nd_tissue_expm(t, dt, t->prop);
    const size_t plane = t->plane;
    /* In chunks of voxels, species by species across the chunk, so the
     * products vectorise (the same sums in the same order per voxel). */
    enum { CHUNK = 256 };
#pragma omp parallel for num_threads(t->threads) schedule(static)
    for (int k = 0; k < t->nz; k++) {
        const double *e = t->prop + (size_t)k * NS * NS;
        double in[NS][CHUNK];
        for (size_t v0 = (size_t)k * plane; v0 < (size_t)(k + 1) * plane; v0 += CHUNK) {
            const size_t n =
                (size_t)(k + 1) * plane - v0 < CHUNK ? (size_t)(k + 1) * plane - v0 : CHUNK;
            for (int b = 0; b < m; b++)
                for (size_t v = 0; v < n; v++) in[b][v] = t->u[idx[b]][v0 + v];
            for (int a = 0; a < m; a++) {
                double *out = t->u[idx[a]] + v0;
                for (size_t v = 0; v < n; v++) out[v] = 0.0;
                for (int b = 0; b < m; b++) {
                    const double c = e[idx[a] * NS + idx[b]], *x = in[b];
#pragma omp simd
                    for (size_t v = 0; v < n; v++) out[v] += c * x[v];
                }
            }
        }
    }
    t->stats.voxel_updates += (uint64_t)m * t->n;
}

nd_status nd_tissue_run_to(nd_tissue *t, double t_end_s, nd_error *err)
{
    if (!(isfinite(t_end_s) && t_end_s >= t->time))
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "t_end_s",
                           "cannot run to %g s: the volume is already at %g s", t_end_s, t->time);
    const int fixed = t->o.fixed_dt_s > 0.0, plain = fixed && t->o.order == 1;
    nd_status st;
    if (t->recheck) liveness(t);
    if ((st = columns(t, err))) return st;
    for (int s = 0; s < NS; s++) t->lazy[s] = 0;
    if (!fixed) split_lazy(t);
    const double t_start = t->time;
    if (!plain && (st = buffers(t, err))) return st;
    int nstep = 0, ndiff = 0;
    for (int s = 0; s < NS; s++) {
        nstep += nd_tissue_stepped(t, s);
        ndiff += t->diffuses[s];
    }
    double *e1 = t->prop, *e2 = t->prop + (size_t)t->nz * NS * NS;
    /* Plain steps: each step's up part joins the next one's down part
     * (tissue_sweep.c); the last is finished after the loop. */
    nd_tissue_substep pend;
    int pending = 0;
    /* Nothing that moves is live: the step is the exact propagator of the
     * kinetics for any length, so one step goes to the end. */
    const int exact = !fixed && ndiff == 0;
    while (t->time < t_end_s) {
        double remain = t_end_s - t->time, dt = exact ? remain : t->dt_next;
        if (t->o.dt_max_s > 0.0 && dt > t->o.dt_max_s) dt = t->o.dt_max_s;
        int last = dt >= remain - 1e-9 * dt;
        if (last) dt = remain;
        double e = 0.0;
        if (nstep > 0 && plain) {
            double *phi = pending && pend.phi == e1 ? e2 : e1;
            nd_tissue_phi1(t, dt, phi);
            nd_tissue_substep next = {dt, phi, t->u, t->u, NULL, pending ? -pend.dir : 1};
            nd_tissue_sweep(t, pending ? &pend : NULL, &next);
            pend = next, pending = 1;
        } else if (nstep > 0) {
            double *src[NS], *full[NS], *half[NS];
            for (int s = 0; s < NS; s++) {
                int on = nd_tissue_stepped(t, s);
                src[s] = t->u[s];
                full[s] = on ? t->a[s] : t->u[s];
                half[s] = on ? t->b[s] : t->u[s];
            }
            nd_tissue_phi1(t, dt, e1);
            nd_tissue_phi1(t, 0.5 * dt, e2);
            /* The full step, then the two half steps, each one's up part
             * joined to the next one's down part (tissue_sweep.c). */
            nd_tissue_substep a = {dt, e1, src, full, NULL, 1};
            nd_tissue_substep b1 = {0.5 * dt, e2, src, half, NULL, -1};
            nd_tissue_substep b2 = {0.5 * dt, e2, half, half, full, 1};
            nd_tissue_sweep(t, NULL, &a);
            nd_tissue_sweep(t, &a, &b1);
            nd_tissue_sweep(t, &b1, &b2);
            e = nd_tissue_sweep(t, &b2, NULL);
        }
        double grow = e > 0.0 ? 0.9 / sqrt(e) : 4.0;
        grow = grow > 4.0 ? 4.0 : (grow < 0.2 || !(grow == grow) ? 0.2 : grow);
        if (!fixed && !(e <= 1.0)) { /* rejected: the state is untouched */
            t->stats.rejected++;
            t->dt_next = dt * grow;
            if (t->dt_next < t->o.dt_min_s) {
                carry_lazy(t, t->time - t_start);
                for (int s = 0; s < NS; s++) t->lazy[s] = 0;
                return nd_error_set(err, ND_ERR_INTERNAL,
                                    "tissue solver: the step fell below %g s at t = %g s "
                                    "(error estimate %g)",
                                    t->o.dt_min_s, t->time, e);
            }
            continue;
        }
        if (!plain)
            for (int s = 0; s < NS; s++)
                if (nd_tissue_stepped(t, s)) {
                    double *tmp = t->u[s];
                    t->u[s] = t->a[s];
                    t->a[s] = tmp;
                }
        t->time = last ? t_end_s : t->time + dt;
        t->stats.steps++;
        t->stats.voxel_updates += (uint64_t)nstep * t->n;
        t->stats.diffusing_updates += (uint64_t)ndiff * t->n;
        t->stats.dt_last_s = dt;
        if (!fixed && !exact) { /* an exact step says nothing of the next */
            double next = dt * grow;
            /* A step cut short to land on t_end says little about the next. */
            t->dt_next = last && dt < t->dt_next && next < t->dt_next ? t->dt_next : next;
        }
    }
    if (pending) nd_tissue_sweep(t, &pend, NULL);
    carry_lazy(t, t->time - t_start);
    for (int s = 0; s < NS; s++) t->lazy[s] = 0;
    return ND_OK;
}
