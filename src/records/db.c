/* Opening the practice file, its settings, transactions and integrity; see
 * include/needle/records.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "records/store.h"

/* Create the file owner-only before SQLite sees it: SQLite would create it
 * under the umask, and its -wal and -shm files copy the main file's mode. */
static nd_status create_private(const char *path, nd_error *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return ND_OK; /* another process was first */
        return nd_error_at(err, errno == ENOENT || errno == ENOTDIR ? ND_ERR_INPUT : ND_ERR_IO,
                           path, 0, 0, NULL, "cannot create the database: %s", strerror(errno));
    }
    int bad = fchmod(fd, 0600) != 0;
    bad |= close(fd) != 0;
    if (bad)
        return nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot create the database: %s",
                           strerror(errno));
    return ND_OK;
}

static nd_status load_salt(nd_db *db, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s =
        nd_store_prepare(db, "SELECT value FROM practice WHERE key = 'pseudonym_salt'", &st, err);
    if (s) return s;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        if (rc == SQLITE_DONE)
            return nd_error_at(err, ND_ERR_IO, db->path, 0, 0, NULL,
                               "damaged database: the practice's pseudonym salt is missing");
        return nd_store_fail(db, rc, "reading the practice settings", err);
    }
    const char *hex = (const char *)sqlite3_column_text(st, 0);
    size_t n = hex ? strlen(hex) : 0;
    db->salt_len = 0;
    for (size_t i = 0; i + 1 < n && db->salt_len < (int)sizeof db->salt; i += 2) {
        unsigned v;
        if (sscanf(hex + i, "%2x", &v) != 1) break;
        db->salt[db->salt_len++] = (unsigned char)v;
    }
    sqlite3_finalize(st);
    if (db->salt_len < 16)
        return nd_error_at(err, ND_ERR_IO, db->path, 0, 0, NULL,
                           "damaged database: the practice's pseudonym salt is malformed");
    return ND_OK;
}

static nd_status configure(nd_db *db, nd_error *err)
{
    sqlite3_busy_timeout(db->h, ND_STORE_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    nd_status s = nd_store_exec(db, "PRAGMA foreign_keys = ON", err);
    if (s) return s;
    sqlite3_stmt *st;
    if ((s = nd_store_prepare(db, "PRAGMA journal_mode = WAL", &st, err))) return s;
    int rc = sqlite3_step(st);
    int wal = rc == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return nd_store_fail(db, rc, "switching to the WAL journal", err);
    if (!wal)
        return nd_error_at(err, ND_ERR_IO, db->path, 0, 0, NULL,
                           "the file system does not support the WAL journal");
    /* FULL: a commit is on the disk before the command reports success. */
    return nd_store_exec(db, "PRAGMA synchronous = FULL", err);
}

static nd_status open_db(const char *path, int create, nd_db **out, nd_error *err)
{
    *out = NULL;
    if (!path || !*path) return nd_error_set(err, ND_ERR_INPUT, "no database file given");
    if (strlen(path) >= ND_PATH_MAX)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "database", "path too long");
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT)
            return nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "%s", strerror(errno));
        if (!create)
            return nd_error_at(err, ND_ERR_INPUT, path, 0, 0, NULL,
                               "no database here (needle patient add creates one)");
        nd_status s = create_private(path, err);
        if (s) return s;
    } else if (!S_ISREG(sb.st_mode)) {
        return nd_error_at(err, ND_ERR_INPUT, path, 0, 0, NULL, "not a regular file");
    }
    nd_db *db = calloc(1, sizeof *db);
    if (!db) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    snprintf(db->path, sizeof db->path, "%s", path);
    /* No SQLITE_OPEN_CREATE: the file exists by now, made private above. */
    int rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
    nd_status s = ND_OK;
    if (rc != SQLITE_OK) {
        s = nd_store_fail(db, rc, "opening the database", err);
    } else if (!(s = configure(db, err)) && !(s = nd_store_migrate(db, err))) {
        s = load_salt(db, err);
    }
    if (s) {
        nd_db_close(db);
        return s;
    }
    *out = db;
    return ND_OK;
}

nd_status nd_db_open(const char *path, nd_db **out, nd_error *err)
{
    return open_db(path, 1, out, err);
}

nd_status nd_db_open_existing(const char *path, nd_db **out, nd_error *err)
{
    return open_db(path, 0, out, err);
}

void nd_db_close(nd_db *db)
{
    if (!db) return;
    if (db->h) {
        if (!sqlite3_get_autocommit(db->h)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(db->h);
    }
    free(db);
}

const char *nd_db_path(const nd_db *db)
{
    return db->path;
}

int nd_db_schema_version(const nd_db *db)
{
    return db->version;
}

int nd_records_schema_version(void)
{
    return nd_store_migration_count();
}

nd_status nd_db_begin(nd_db *db, nd_error *err)
{
    return nd_store_exec(db, "BEGIN IMMEDIATE", err);
}

nd_status nd_db_begin_read(nd_db *db, nd_error *err)
{
    return nd_store_exec(db, "BEGIN", err);
}

nd_status nd_db_commit(nd_db *db, nd_error *err)
{
    nd_status s = nd_store_exec(db, "COMMIT", err);
    if (s) nd_db_rollback(db);
    return s;
}

void nd_db_rollback(nd_db *db)
{
    if (db && db->h && !sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* The first row of a check pragma that is not "ok", into msg. */
static nd_status first_problem(nd_db *db, const char *sql, char *msg, size_t size, nd_error *err)
{
    sqlite3_stmt *st;
    nd_status s = nd_store_prepare(db, sql, &st, err);
    if (s) return s;
    msg[0] = '\0';
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (msg[0]) continue;
        int n = sqlite3_column_count(st);
        const char *a = (const char *)sqlite3_column_text(st, 0);
        if (n == 1 && a && !strcmp(a, "ok")) continue;
        if (n == 1)
            snprintf(msg, size, "%s", a ? a : "?");
        else /* foreign_key_check: table, rowid, parent, fkid */
            snprintf(msg, size, "row %lld of %s refers to a missing row of %s",
                     (long long)sqlite3_column_int64(st, 1), a ? a : "?",
                     (const char *)sqlite3_column_text(st, 2));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? ND_OK : nd_store_fail(db, rc, "checking the database", err);
}

nd_status nd_db_check(nd_db *db, nd_error *err)
{
    char msg[512];
    nd_status s = first_problem(db, "PRAGMA integrity_check", msg, sizeof msg, err);
    if (!s && !msg[0]) s = first_problem(db, "PRAGMA foreign_key_check", msg, sizeof msg, err);
    if (s) return s;
    if (msg[0])
        return nd_error_at(err, ND_ERR_IO, db->path, 0, 0, NULL, "damaged database: %s", msg);
    return ND_OK;
}
