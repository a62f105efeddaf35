/*
 * What the numbers of a run say, in sentences (private): the report's
 * warnings and its "what this means" paragraph.  Every sentence is built from
 * the run's own numbers and only when they call for it, so a reader never
 * meets a sentence that would read the same for any run.
 */
#ifndef ND_REPORT_FINDINGS_H
#define ND_REPORT_FINDINGS_H

#include "report/rundata.h"

#define ND_FINDING_MAX  1536
#define ND_FINDINGS_MAX 12

/* Depth settings up to this are the superficial ones (fine lines, thin skin
 * round the eyes), chosen to stay above the reticular dermis. */
#define ND_SHALLOW_SETTING_M 0.5e-3
/* A share of punctures that is a pattern rather than the tail of the depth
 * spread: one in twenty. */
#define ND_PATTERN_SHARE 0.05

/* Expected pain above this on the 0-10 VAS: the middle of the scale, above
 * which pain is moderate to severe on the usual cut points (Serlin 1995:
 * 1-4 mild, 5-6 moderate, 7-10 severe), and a longer numbing time is worth
 * weighing. */
#define ND_PAIN_WARN_VAS 5.0
/* A risk of post-inflammatory hyperpigmentation from this share (one in
 * twenty, as ND_PATTERN_SHARE) is warned of in the skin types where it is a
 * known complication of needling (Fitzpatrick IV-VI). */
#define ND_PIH_WARN_RISK        0.05
#define ND_PIH_WARN_FITZPATRICK 4
/* A bruising risk from this is named in "what this means" (it prints as 1 %
 * or more in a sentence). */
#define ND_BRUISE_MENTION 0.005

#define ND_FINDING_ITEM_MAX 320

/* Plain UTF-8 text: a sentence, then (for a warning) one item per zone or
 * left/right pair with its numbers, then a closing note. */
typedef struct {
    char text[ND_FINDING_MAX];
    int n_items;
    char items[ND_ZONE_COUNT][ND_FINDING_ITEM_MAX];
    char note[ND_FINDING_ITEM_MAX];
} nd_finding;

/* Settings were chosen, but this should be checked: punctures into fat, the
 * reticular dermis reached at a shallow setting, zones without punctures,
 * patchy or uneven coverage; with the outcome read-outs, pain above
 * ND_PAIN_WARN_VAS and a PIH risk from ND_PIH_WARN_RISK in Fitzpatrick IV-VI
 * (outcome_findings.c).  Returns the number written (at most max). */
int nd_findings_warnings(const nd_rundata *rd, nd_finding *out, int max);

/* The paragraph for a reader: where punctures end and what that means
 * (bleeding), depth reached against depth set, density and evenness; with
 * the outcome read-outs, numbing and pain, bleeding, bruising, redness and
 * channels, and collagen and PIH over the series. */
int nd_findings_meaning(const nd_rundata *rd, nd_finding *out, int max);

#endif
