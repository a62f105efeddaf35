/* Online backup of the practice file; see records.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "records/store.h"

static nd_status fail_at(nd_error *err, nd_status st, const char *path, const char *what)
{
    return nd_error_at(err, st, path, 0, 0, NULL, "%s: %s", what, strerror(errno));
}

/* Copy every page in one step: the copy is one snapshot of the source, taken
 * under a read transaction that does not hold up the practice's writers. */
static nd_status copy(nd_db *db, const char *tmp, const char *dest, nd_error *err)
{
    sqlite3 *to = NULL;
    int rc = sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(to, ND_STORE_BUSY_TIMEOUT_MS);
        sqlite3_backup *b = sqlite3_backup_init(to, "main", db->h, "main");
        if (!b) {
            rc = sqlite3_errcode(to);
        } else {
            rc = sqlite3_backup_step(b, -1);
            int fin = sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? fin : rc;
        }
    }
    /* One self-contained file: a WAL journal would need its -wal beside it. */
    if (rc == SQLITE_OK) rc = sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    nd_status s = ND_OK;
    if (rc != SQLITE_OK)
        s = nd_error_at(err, ND_ERR_IO, dest, 0, 0, NULL, "backup failed: %s",
                        to ? sqlite3_errmsg(to) : sqlite3_errstr(rc));
    sqlite3_close_v2(to);
    return s;
}

/* Open the copy as a reader would and check it whole. */
static nd_status read_back(nd_db *db, const char *tmp, const char *dest, nd_error *err)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(tmp, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL);
    sqlite3_stmt *st = NULL;
    const char *problem = NULL;
    char buf[256] = "";
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h,
                                "SELECT (SELECT group_concat(integrity_check, '; ') FROM "
                                "pragma_integrity_check), (SELECT user_version FROM "
                                "pragma_user_version), (SELECT count(*) FROM patients)",
                                -1, &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *ic = (const char *)sqlite3_column_text(st, 0);
        if (!ic || strcmp(ic, "ok")) {
            snprintf(buf, sizeof buf, "the copy does not pass its integrity check: %s",
                     ic ? ic : "?");
            problem = buf;
        } else if (sqlite3_column_int(st, 1) != db->version) {
            problem = "the copy has another schema version";
        }
    } else {
        snprintf(buf, sizeof buf, "the copy cannot be read: %s",
                 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        problem = buf;
    }
    sqlite3_finalize(st);
    sqlite3_close_v2(h);
    return problem ? nd_error_at(err, ND_ERR_IO, dest, 0, 0, NULL, "backup failed: %s", problem)
                   : ND_OK;
}

static void sync_folder(const char *path)
{
    char copy_[ND_PATH_MAX];
    snprintf(copy_, sizeof copy_, "%s", path);
    int fd = open(dirname(copy_), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

nd_status nd_db_backup(nd_db *db, const char *dest, nd_error *err)
{
    if (!dest || !*dest || strlen(dest) + 16 >= ND_PATH_MAX)
        return nd_error_at(err, ND_ERR_INPUT, NULL, 0, 0, "backup", "needs a file name");
    struct stat sb;
    if (lstat(dest, &sb) == 0)
        return nd_error_at(err, ND_ERR_INPUT, dest, 0, 0, NULL,
                           "already exists; back up to a new name");
    char tmp[ND_PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", dest);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return fail_at(err, errno == ENOENT || errno == ENOTDIR ? ND_ERR_INPUT : ND_ERR_IO, dest,
                       "cannot write the backup");
    int bad = fchmod(fd, 0600) != 0;
    bad |= close(fd) != 0;
    nd_status s = bad ? fail_at(err, ND_ERR_IO, dest, "cannot write the backup") : ND_OK;
    if (!s) s = copy(db, tmp, dest, err);
    if (!s) s = read_back(db, tmp, dest, err);
    /* link() rather than rename(): it refuses a file that appeared at dest
     * in the meantime instead of replacing it. */
    if (!s && link(tmp, dest) != 0)
        s = fail_at(err, errno == EEXIST ? ND_ERR_INPUT : ND_ERR_IO, dest,
                    "cannot name the backup");
    unlink(tmp);
    char journal[ND_PATH_MAX + 16];
    snprintf(journal, sizeof journal, "%s-journal", tmp);
    unlink(journal);
    if (!s) sync_folder(dest);
    return s;
}
