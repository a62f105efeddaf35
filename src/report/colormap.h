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

/* Colour at t in [0, 1] (clamped; NaN gives the low end): linear between
 * ND_VIRIDIS_ANCHORS evenly spaced anchors. */
#define ND_VIRIDIS_ANCHORS 16
nd_rgb nd_viridis(double t);

/* The colour of a skin layer (nd_layer), from the Okabe-Ito palette (Okabe &
 * Ito 2008): eight colours told apart with every common colour-vision
 * deficiency.  Grey for an invalid layer. */
nd_rgb nd_layer_colour(int layer);

/* c mixed with white: t = 0 gives c, 1 white (for backgrounds behind data). */
nd_rgb nd_rgb_tint(nd_rgb c, double t);

/* "#rrggbb" into buf (8 bytes). */
void nd_rgb_hex(nd_rgb c, char buf[8]);

#endif
