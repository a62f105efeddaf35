/*
 * What the outcome read-outs say, in sentences (private): the warnings and
 * the "what this means" paragraphs drawn from numbing, pain, bleeding,
 * redness, collagen and PIH.  Called by findings.c; nothing is written when
 * the run data has no outcome read-outs.
 */
#ifndef ND_REPORT_OUTCOME_FINDINGS_H
#define ND_REPORT_OUTCOME_FINDINGS_H

#include "report/findings.h"

/* Pain above ND_PAIN_WARN_VAS; a PIH risk from ND_PIH_WARN_RISK in
 * Fitzpatrick IV-VI.  Returns the number written (at most max). */
int nd_outcome_warnings(const nd_rundata *rd, nd_finding *out, int max);

/* Up to three paragraphs: numbing and pain; bleeding, bruising, redness,
 * swelling and channels; collagen, elastin and PIH over the series. */
int nd_outcome_meaning(const nd_rundata *rd, nd_finding *out, int max);

#endif
