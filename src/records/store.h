/*
 * The practice store's insides, shared by its files: the connection, SQL
 * helpers that turn SQLite results into nd_error, and the conversions between
 * the library's SI units and the columns' practice units.  Private to the
 * library.
 */
#ifndef ND_RECORDS_STORE_H
#define ND_RECORDS_STORE_H

#include <sqlite3.h>

#include "needle/records.h"

struct nd_db {
    sqlite3 *h;
    char path[ND_PATH_MAX];
    int version;            /* schema version after migrations */
    unsigned char salt[32]; /* the practice's pseudonym key */
    int salt_len;
};

/* The schema, one script per version; see migrations.c. */
int nd_store_migration_count(void);
const char *nd_store_migration_sql(int version);
/* Writers queue for the file this long before giving up. */
#define ND_STORE_BUSY_TIMEOUT_MS 10000

/* Application id in the file header: "NDLE". */
#define ND_STORE_APPLICATION_ID 0x4E444C45

/* Bring an opened file's schema up to date (each step its own transaction). */
nd_status nd_store_migrate(nd_db *db, nd_error *err);

/* Fill err from SQLite's state after rc, saying what was being done. */
nd_status nd_store_fail(nd_db *db, int rc, const char *doing, nd_error *err);
nd_status nd_store_exec(nd_db *db, const char *sql, nd_error *err);
nd_status nd_store_prepare(nd_db *db, const char *sql, sqlite3_stmt **st, nd_error *err);

/* Every write function runs inside a savepoint of its own, so it is atomic
 * whether or not the caller opened a transaction. */
nd_status nd_store_savepoint(nd_db *db, nd_error *err);
/* Release on success, roll back to the savepoint on failure; returns st. */
nd_status nd_store_release(nd_db *db, nd_status st, nd_error *err);

/* Values that may be unknown: NAN or negative binds NULL, NULL reads back as
 * the given sentinel. */
void nd_store_bind_real(sqlite3_stmt *st, int i, double v, int known);
double nd_store_col_real(sqlite3_stmt *st, int i, double if_null);
int nd_store_col_int(sqlite3_stmt *st, int i, int if_null);
/* Copy a text column (NULL reads as "") into dst. */
void nd_store_col_text(sqlite3_stmt *st, int i, char *dst, size_t size);

/* The pseudonym for a patient id: "P-" and digits hex digits of an HMAC of
 * the id under the practice's salt. */
void nd_store_pseudonym(const nd_db *db, int64_t id, int digits, char out[ND_PSEUDONYM_MAX]);

/* Name lookups over NULL-terminated name lists; -1 when absent. */
int nd_store_name_index(const char *const *names, const char *name);

#define ND_M_PER_MM  1e-3
#define ND_S_PER_DAY 86400.0
#define ND_S_PER_MIN 60.0

#endif
