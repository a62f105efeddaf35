/* SQL helpers of the practice store; see store.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <nettle/hmac.h>

#include "records/store.h"

nd_status nd_store_fail(nd_db *db, int rc, const char *doing, nd_error *err)
{
    const char *msg = db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
    const char *file = db ? db->path : NULL;
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return nd_error_at(err, ND_ERR_IO, file, 0, 0, NULL,
                           "%s: the database stayed locked by another process for %d s", doing, 10);
    case SQLITE_NOMEM:
        return nd_error_set(err, ND_ERR_NOMEM, "%s: out of memory", doing);
    case SQLITE_NOTADB:
        return nd_error_at(err, ND_ERR_INPUT, file, 0, 0, NULL, "not a database file");
    case SQLITE_CORRUPT:
        return nd_error_at(err, ND_ERR_IO, file, 0, 0, NULL, "%s: the database is damaged (%s)",
                           doing, msg);
    case SQLITE_CONSTRAINT:
        /* The library checks input before writing, so a constraint that still
         * fires is a record that contradicts one already there. */
        return nd_error_at(err, ND_ERR_INPUT, file, 0, 0, NULL, "%s: %s", doing, msg);
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_PERM:
        return nd_error_at(err, ND_ERR_IO, file, 0, 0, NULL, "%s: %s", doing, msg);
    default:
        return nd_error_at(err, ND_ERR_INTERNAL, file, 0, 0, NULL, "%s: %s", doing, msg);
    }
}

nd_status nd_store_exec(nd_db *db, const char *sql, nd_error *err)
{
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? ND_OK : nd_store_fail(db, rc, "writing the database", err);
}

nd_status nd_store_prepare(nd_db *db, const char *sql, sqlite3_stmt **st, nd_error *err)
{
    int rc = sqlite3_prepare_v2(db->h, sql, -1, st, NULL);
    return rc == SQLITE_OK ? ND_OK : nd_store_fail(db, rc, "reading the database", err);
}

nd_status nd_store_savepoint(nd_db *db, nd_error *err)
{
    return nd_store_exec(db, "SAVEPOINT nd_write", err);
}

nd_status nd_store_release(nd_db *db, nd_status st, nd_error *err)
{
    if (st == ND_OK) {
        int rc = sqlite3_exec(db->h, "RELEASE nd_write", NULL, NULL, NULL);
        if (rc == SQLITE_OK) return ND_OK;
        st = nd_store_fail(db, rc, "writing the database", err);
    }
    /* Undo this call's writes only; an enclosing transaction stays open for
     * its owner to roll back. */
    sqlite3_exec(db->h, "ROLLBACK TO nd_write", NULL, NULL, NULL);
    sqlite3_exec(db->h, "RELEASE nd_write", NULL, NULL, NULL);
    return st;
}

void nd_store_bind_real(sqlite3_stmt *st, int i, double v, int known)
{
    if (known && isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

double nd_store_col_real(sqlite3_stmt *st, int i, double if_null)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? if_null : sqlite3_column_double(st, i);
}

int nd_store_col_int(sqlite3_stmt *st, int i, int if_null)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? if_null : sqlite3_column_int(st, i);
}

void nd_store_col_text(sqlite3_stmt *st, int i, char *dst, size_t size)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    snprintf(dst, size, "%s", s ? s : "");
}

void nd_store_pseudonym(const nd_db *db, int64_t id, int digits, char out[ND_PSEUDONYM_MAX])
{
    char msg[32];
    int n = snprintf(msg, sizeof msg, "patient:%lld", (long long)id);
    /* HMAC-SHA-256 keyed by the practice's salt (nettle): stable for the
     * database, not reversible without it. */
    uint8_t mac[SHA256_DIGEST_SIZE];
    struct hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, (size_t)db->salt_len, (const uint8_t *)db->salt);
    hmac_sha256_update(&ctx, (size_t)n, (const uint8_t *)msg);
    hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, mac);
    if (digits > ND_PSEUDONYM_MAX - 3) digits = ND_PSEUDONYM_MAX - 3;
    out[0] = 'P';
    out[1] = '-';
    for (int k = 0; k < digits; k++)
        out[2 + k] = "0123456789abcdef"[(mac[k / 2] >> (k % 2 ? 0 : 4)) & 0xf];
    out[2 + digits] = '\0';
}

int nd_store_name_index(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}
