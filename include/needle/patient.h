/*
 * needle — a patient of the practice: identity, skin type and the history
 * that screening for contraindications needs.
 *
 * This is the record the planner screens and the practice store keeps.  The
 * history is a list of dated items, each one of a fixed set of kinds; which of
 * them forbid needling (absolute) or call for care (relative), and for how
 * long after the date, is data (data/contraindications.csv), not code.
 * Dates are ISO 8601 calendar dates, "YYYY-MM-DD".
 */
#ifndef NEEDLE_PATIENT_H
#define NEEDLE_PATIENT_H

#include <stdint.h>

#include "needle/scenario.h"
#include "needle/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Kinds of history item.  The names (nd_history_name) are what the CLI takes
 * and the database stores. */
typedef enum {
    ND_HX_ISOTRETINOIN,       /* "isotretinoin": oral isotretinoin or another oral retinoid */
    ND_HX_ANTICOAGULANT,      /* "anticoagulant": anticoagulant or antiplatelet drug */
    ND_HX_BLEEDING_DISORDER,  /* "bleeding_disorder" */
    ND_HX_KELOID,             /* "keloid": keloid or hypertrophic scarring */
    ND_HX_INFECTION,          /* "infection": active skin infection in the area */
    ND_HX_HERPES,             /* "herpes": herpes simplex, active or a history of it */
    ND_HX_ACTIVE_ACNE,        /* "active_acne": inflamed acne in the area */
    ND_HX_ECZEMA,             /* "eczema" in the area */
    ND_HX_PSORIASIS,          /* "psoriasis" in the area */
    ND_HX_ROSACEA,            /* "rosacea" in the area */
    ND_HX_PREGNANCY,          /* "pregnancy" */
    ND_HX_BREASTFEEDING,      /* "breastfeeding" */
    ND_HX_RADIOTHERAPY,       /* "radiotherapy" to the area */
    ND_HX_IMMUNOSUPPRESSION,  /* "immunosuppression": drugs or disease */
    ND_HX_METAL_ALLERGY,      /* "metal_allergy": allergy to nickel or stainless steel */
    ND_HX_ANESTHETIC_ALLERGY, /* "anesthetic_allergy": allergy to topical anaesthetics */
    ND_HX_FILLER,             /* "filler": dermal filler in the area */
    ND_HX_PEEL,               /* "peel": chemical peel */
    ND_HX_LASER,              /* "laser": ablative or non-ablative laser */
    ND_HX_COUNT
} nd_history_kind;

/* The kind's name, or NULL for anything outside the enum. */
const char *nd_history_name(int kind);
/* The kind named, or -1. */
int nd_history_kind_from_name(const char *name);

#define ND_DATE_LEN    11 /* "YYYY-MM-DD" and its terminator */
#define ND_MAX_HISTORY 32
#define ND_NOTE_MAX    256

/* One item of history.  since: when it started (or the day of the treatment,
 * for fillers, peels and laser); until: when it ended, "" while ongoing. */
typedef struct {
    nd_history_kind kind;
    char since[ND_DATE_LEN];
    char until[ND_DATE_LEN];
    char note[ND_NOTE_MAX];
} nd_history_item;

typedef struct {
    int64_t id;             /* the store's id; 0 before it is stored */
    char name[ND_NAME_MAX]; /* name or pseudonym as the practice keeps it */
    char birth_date[ND_DATE_LEN];
    nd_sex sex;
    int fitzpatrick; /* 1..6 */
    int n_history;
    nd_history_item history[ND_MAX_HISTORY];
} nd_patient_record;

/* 1 when s is a valid calendar date "YYYY-MM-DD" (leap years included). */
int nd_date_valid(const char *s);
/* Days from a to b (b - a) for valid dates. */
long nd_date_diff_days(const char *a, const char *b);
/* Today's date in the local time zone (the practice's calendar day) into
 * out[ND_DATE_LEN]. */
void nd_date_today(char out[ND_DATE_LEN]);

/* Check a record: name not empty, valid dates not after today, since <= until,
 * Fitzpatrick 1..6, known kinds.  err->field names the offending field
 * ("birth_date", "history[2].since", ...). */
nd_status nd_patient_validate(const nd_patient_record *p, const char *today, nd_error *err);

/* Age in years on a date. */
double nd_patient_age_y(const nd_patient_record *p, const char *on_date);

#ifdef __cplusplus
}
#endif
#endif
