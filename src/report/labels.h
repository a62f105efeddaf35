/*
 * Words the report shows a reader (private): zone and layer names as a
 * clinician writes them, rather than the identifiers of the files.
 */
#ifndef ND_REPORT_LABELS_H
#define ND_REPORT_LABELS_H

#include <stddef.h>

#include "needle/scenario.h"

/* "left cheek", "upper lip"; "?" for an invalid id. */
void nd_label_zone(int zone, char *buf, size_t size);
/* "cheek L": short enough for the small zones of a face map. */
void nd_label_zone_short(int zone, char *buf, size_t size);
/* The other side's zone of a left/right pair ("cheek_left" <-> "cheek_right"), or -1. */
int nd_label_zone_mirror(int zone);
/* "both cheeks", for a pair named together. */
void nd_label_zone_pair(int zone, char *buf, size_t size);

/* Zones in a phrase, a left/right pair named together: "forehead, both
 * cheeks and nose"; with articles: "the forehead, both cheeks and the nose". */
void nd_label_zone_list(const int *zones, int n, int articles, char *buf, size_t size);

/* "Wrinkles and fine lines" for ND_IND_WRINKLES; "?" for an invalid id. */
const char *nd_label_indication(int indication);

/* "papillary dermis"; short: "papillary". */
const char *nd_label_layer(int layer);
const char *nd_label_layer_short(int layer);

/* "III"; NULL outside 1..6. */
const char *nd_label_fitzpatrick(int type);
/* "EMLA", "LMX4", "BLT", "none". */
const char *nd_label_cream(nd_cream cream);

/* "0.45": printf("%.*f") with '.' as the decimal point whatever the C locale. */
char *nd_label_fixed(char *buf, size_t size, double v, int decimals);
/* A percentage of a fraction, whole numbers, but never rounded to a value
 * it is not: "<1" for a share above 0 and under 0.5 %, ">99" for one above
 * 99.5 % and under 100 % (within the tables' six digits of 0 or 100 % counts
 * as 0 or 100). */
char *nd_label_percent(char *buf, size_t size, double fraction);

/* v to decimals places, but a value above 0 that would print as 0 prints as
 * "<0.1" (or "<1", "<0.01"): never a nought for something there is. */
char *nd_label_small(char *buf, size_t size, double v, int decimals);
/* A risk (a fraction) in percent: "0", "<0.1", "2.8" under 10 %, "13" above,
 * ">99" just under 100. */
char *nd_label_risk(char *buf, size_t size, double fraction);
/* A relative amount (1 = baseline) as a change in percent: "+23", "+0.3"
 * (one decimal under 10 %), "−4.0", "0"; "+<0.1" for a change too small
 * to print. */
char *nd_label_change(char *buf, size_t size, double rel);

#endif
