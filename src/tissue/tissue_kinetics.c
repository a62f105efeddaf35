/* Kinetics: linear first-order terms, integrated exactly.
 *
 * In each voxel du/dt = M u, with M the layer's rate matrix (volume-weighted
 * over the layers the voxel spans).  Every term of the model is linear --
 * clearance by blood flow, closure of channels, the chain blood -> signal ->
 * fibroblasts -> collagen and elastin -- so over a step the exact increment
 * is u(t + dt) - u(t) = (exp(M dt) - I) u = phi1(M dt) (dt M u), with
 * phi1(Z) = Z^-1 (exp(Z) - I) = sum Z^p / (p + 1)!.  The step (tissue_step.c) applies phi1(M dt)
 * as the kinetics' correction of the increment: kinetics alone are then
 * integrated exactly at any step, however stiff, and a steady state stays
 * steady.  phi1 is computed once per depth level and step length (a few
 * distinct levels, 9 x 9 each) with exp(Z), by scaling and squaring
 * (Higham, Functions of Matrices, 2008, 10.7.4); a step of the kinetics is
 * then one small matrix-vector product per voxel: no Newton iteration, no
 * error control of its own.  A per-voxel stiff ODE solver (CVODE) would spend
 * function evaluations and a Jacobian factorisation per voxel to approximate
 * the same thing (docs/model.md, section 8).
 *
 * Scaling and squaring with Taylor series (Moler & Van Loan, SIAM Rev 45:3,
 * 2003, "method 3"): scale until ||Z||_1 <= 1/2, sum the series to double
 * precision (at most 18 terms), double back. */
#include <math.h>
#include <string.h>

#include "tissue/tissue_internal.h"

static void matmul(int n, const double *a, const double *b, double *c)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
}

void nd_tissue_kinetics_init(nd_tissue *t)
{
    memcpy(t->rate, t->p.rate_per_s, sizeof t->rate);
    double close = log(2.0) / t->p.closure_half_life_s; /* 0 for an infinite half-life */
    for (int l = 0; l < NL; l++) t->rate[l][ND_TISSUE_OPENNESS][ND_TISSUE_OPENNESS] = -close;
    for (int s = 0; s < NS; s++) t->reacts[s] = 0;
    for (int k = 0; k < t->nz; k++) {
        double *mk = t->mk + (size_t)k * NS * NS;
        for (int i = 0; i < NS * NS; i++) {
            double v = 0.0;
            for (int l = 0; l < NL; l++) v += t->frac[k * NL + l] * (&t->rate[l][0][0])[i];
            mk[i] = v;
            if (v != 0.0) t->reacts[i / NS] = 1;
        }
        t->msame[k] = k > 0 && memcmp(mk, mk - NS * NS, sizeof(double) * NS * NS) == 0;
    }
}

/* exp(Z) and phi1(Z) together: Taylor series of both at Z / 2^q, then q
 * doublings, exp(2Z) = exp(Z)^2 and phi1(2Z) = (exp(Z) + I) phi1(Z) / 2. */
static void exp_phi1(const double *z, double *e, double *f)
{
    enum { N = NS * NS };
    double a[N], term[N], tmp[N], tmp2[N];
    double norm = 0.0;
    for (int j = 0; j < NS; j++) {
        double col = 0.0;
        for (int i = 0; i < NS; i++) col += fabs(z[i * NS + j]);
        if (col > norm) norm = col;
    }
    int q = 0;
    double scale = 1.0;
    while (norm > 0.5 && q < 2000) norm *= 0.5, scale *= 0.5, q++;
    for (int i = 0; i < N; i++) a[i] = z[i] * scale;
    /* exp = sum A^p / p!, phi1 = sum A^p / (p + 1)! */
    for (int i = 0; i < N; i++) {
        term[i] = (i % (NS + 1) == 0) ? 1.0 : 0.0;
        e[i] = term[i];
        f[i] = term[i];
    }
    for (int p = 1; p <= 30; p++) {
        matmul(NS, term, a, tmp);
        double tn = 0.0;
        for (int i = 0; i < N; i++) {
            term[i] = tmp[i] / p;
            e[i] += term[i];
            f[i] += term[i] / (p + 1);
            tn += fabs(term[i]);
        }
        if (tn <= 1e-18) break;
    }
    for (int r = 0; r < q; r++) {
        for (int i = 0; i < N; i++) tmp[i] = 0.5 * (e[i] + ((i % (NS + 1) == 0) ? 1.0 : 0.0));
        matmul(NS, tmp, f, tmp2);
        memcpy(f, tmp2, sizeof tmp2);
        matmul(NS, e, e, tmp2);
        memcpy(e, tmp2, sizeof tmp2);
    }
}

/* exp(M_k dt) into ex and phi1(M_k dt) into ph, for every level; either
 * may be NULL. */
static void per_level(nd_tissue *t, double dt, double *ex, double *ph)
{
    enum { N = NS * NS };
    double z[N], e0[N], f0[N];
    for (int k = 0; k < t->nz; k++) {
        double *ek = ex ? ex + (size_t)k * N : e0, *fk = ph ? ph + (size_t)k * N : f0;
        if (t->msame[k]) {
            if (ex) memcpy(ek, ek - N, sizeof(double) * N);
            if (ph) memcpy(fk, fk - N, sizeof(double) * N);
            continue;
        }
        const double *mk = t->mk + (size_t)k * N;
        for (int i = 0; i < N; i++) z[i] = mk[i] * dt;
        exp_phi1(z, ek, fk);
    }
}

void nd_tissue_expm(nd_tissue *t, double dt, double *e)
{
    per_level(t, dt, e, NULL);
}

void nd_tissue_phi1(nd_tissue *t, double dt, double *e)
{
    per_level(t, dt, NULL, e);
}
