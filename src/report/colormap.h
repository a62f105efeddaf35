/*
 * Colour maps for the face-map figures (private).
 *
 * viridis (van der Walt & Smith, matplotlib, CC0): perceptually uniform, still
 * ordered when printed in grey, and readable with the common forms of colour
 * blindness, so a clinician never has to guess which end of the scale is "more".
 */
#ifndef ND_REPORT_COLORMAP_H
#define ND_REPORT_COLORMAP_H

typedef struct {
    double r, g, b; /* 0..1 */
} nd_rgb;

/* Colour at t in [0, 1] (clamped; NaN gives the low end). */
nd_rgb nd_viridis(double t);

#endif
