/* Run folders that appear whole or not at all; see include/needle/report.h.
 *
 * A run is written into a sibling "<final>.tmp-XXXXXX" (same file system, so
 * the final rename is atomic) and renamed into place only when complete.  An
 * earlier run at the same place is first moved aside to "<final>.old-XXXXXX",
 * so at every instant either the old or the new run sits under the final name,
 * and only then deleted. */
#define _XOPEN_SOURCE 700 /* nftw, mkdtemp, XSI strerror_r */

#include "needle/report.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUMMARY_NAME "summary.json"

struct nd_rundir {
    char *final; /* without trailing slashes */
    char *tmp;
};

/* The message of errno e; strerror() itself may share a static buffer. */
static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
    return buf;
}

static nd_status io_error(nd_error *err, int e, const char *what, const char *path)
{
    char buf[128];
    return nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot %s: %s", what,
                       errstr(e, buf, sizeof buf));
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path) == 0 ? 0 : -1;
}

/* Delete a tree without following symbolic links (a link inside a run folder
 * must not take its target with it). */
static int remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int has_summary(const char *dir)
{
    size_t n = strlen(dir) + sizeof "/" SUMMARY_NAME;
    char *p = malloc(n);
    if (!p) return 0;
    snprintf(p, n, "%s/%s", dir, SUMMARY_NAME);
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
    free(p);
    return ok;
}

/* mkdir -p: create path and every missing folder above it. */
static nd_status make_dirs(const char *path, nd_error *err)
{
    char *p = strdup(path);
    if (!p) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    nd_status s = ND_OK;
    size_t len = strlen(p);
    for (size_t k = 1; k <= len && s == ND_OK; k++) {
        if (p[k] != '/' && p[k] != '\0') continue;
        char saved = p[k];
        p[k] = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            s = io_error(err, errno, "create folder", p);
        } else {
            struct stat st;
            if (stat(p, &st) != 0)
                s = io_error(err, errno, "create folder", p);
            else if (!S_ISDIR(st.st_mode))
                s = nd_error_at(err, ND_ERR_IO, p, 0, 0, NULL,
                                "cannot create the output folder: this path is a file");
        }
        p[k] = saved;
    }
    free(p);
    return s;
}

static char *with_suffix(const char *base, const char *suffix)
{
    size_t n = strlen(base) + strlen(suffix) + 1;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s%s", base, suffix);
    return p;
}

/* Whether final may be replaced: absent (0), an earlier run (1), or not ours
 * (an error, so nothing a user saved there is touched). */
static nd_status check_final(const char *final, int *exists, nd_error *err)
{
    struct stat st;
    *exists = 0;
    if (stat(final, &st) != 0) {
        if (errno == ENOENT) return ND_OK;
        return io_error(err, errno, "check the output folder", final);
    }
    if (!S_ISDIR(st.st_mode))
        return nd_error_at(err, ND_ERR_IO, final, 0, 0, NULL,
                           "output folder exists and is a file; refusing to overwrite it");
    if (!has_summary(final))
        return nd_error_at(err, ND_ERR_IO, final, 0, 0, NULL,
                           "output folder exists and is not a needle run folder (it has no "
                           "%s); refusing to overwrite it: choose another output folder",
                           SUMMARY_NAME);
    *exists = 1;
    return ND_OK;
}

/* mkdtemp makes folders only the owner may read; a run folder should follow the
 * user's umask like any folder they make.  mkdtemp reserves a unique name, which
 * is then re-made with the ordinary mode. */
static int make_temp_dir(char *templ)
{
    size_t n = strlen(templ);
    char *pattern = strdup(templ);
    if (!pattern) {
        errno = ENOMEM;
        return -1;
    }
    int rc = -1;
    for (int attempt = 0; attempt < 16; attempt++) {
        memcpy(templ, pattern, n + 1);
        if (!mkdtemp(templ)) break;
        if (rmdir(templ) == 0 && mkdir(templ, 0777) == 0) {
            rc = 0;
            break;
        }
        if (errno != EEXIST) break; /* EEXIST: another process took the name in between */
    }
    free(pattern);
    return rc;
}

nd_status nd_rundir_begin(const char *final_dir, nd_rundir **out, nd_error *err)
{
    *out = NULL;
    if (!final_dir || !final_dir[0])
        return nd_error_set(err, ND_ERR_INPUT, "output folder: empty path");
    nd_rundir *rd = calloc(1, sizeof *rd);
    if (!rd || !(rd->final = strdup(final_dir))) {
        free(rd);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    }
    size_t len = strlen(rd->final);
    while (len > 1 && rd->final[len - 1] == '/') rd->final[--len] = '\0';

    int exists;
    nd_status s = check_final(rd->final, &exists, err);
    if (s == ND_OK && !exists) {
        char *slash = strrchr(rd->final, '/');
        if (slash && slash != rd->final) {
            *slash = '\0';
            s = make_dirs(rd->final, err);
            *slash = '/';
        }
    }
    if (s == ND_OK) {
        rd->tmp = with_suffix(rd->final, ".tmp-XXXXXX");
        if (!rd->tmp)
            s = nd_error_set(err, ND_ERR_NOMEM, "out of memory");
        else if (make_temp_dir(rd->tmp) != 0)
            s = io_error(err, errno, "create a temporary run folder", rd->tmp);
    }
    if (s != ND_OK) {
        free(rd->tmp);
        free(rd->final);
        free(rd);
        return s;
    }
    *out = rd;
    return ND_OK;
}

const char *nd_rundir_path(const nd_rundir *rd)
{
    return rd->tmp;
}

static void rundir_free(nd_rundir *rd)
{
    free(rd->tmp);
    free(rd->final);
    free(rd);
}

static nd_status replace_final(const nd_rundir *rd, nd_error *err)
{
    int exists;
    /* Checked again: the folder may have appeared while the run was computed. */
    nd_status s = check_final(rd->final, &exists, err);
    if (s != ND_OK) return s;
    if (!exists) {
        if (rename(rd->tmp, rd->final) != 0) return io_error(err, errno, "rename", rd->tmp);
        return ND_OK;
    }
    char *old = with_suffix(rd->final, ".old-XXXXXX");
    if (!old) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    /* rename() over an empty folder replaces it, so mkdtemp's unique empty
     * folder is a safe target for the earlier run. */
    if (!mkdtemp(old)) {
        s = io_error(err, errno, "create a folder for the earlier run", old);
    } else if (rename(rd->final, old) != 0) {
        s = io_error(err, errno, "move the earlier run aside", rd->final);
        rmdir(old);
    } else if (rename(rd->tmp, rd->final) != 0) {
        s = io_error(err, errno, "rename", rd->tmp);
        rename(old, rd->final); /* put the earlier run back */
    } else {
        /* The new run is in place; an old tree that will not go away is
         * clutter, not a failed run, so its removal is best effort. */
        remove_tree(old);
    }
    free(old);
    return s;
}

nd_status nd_rundir_commit(nd_rundir *rd, nd_error *err)
{
    if (!rd) return nd_error_set(err, ND_ERR_INTERNAL, "no run folder to commit");
    nd_status s = replace_final(rd, err);
    if (s != ND_OK) remove_tree(rd->tmp); /* a failed run leaves nothing behind */
    rundir_free(rd);
    return s;
}

void nd_rundir_abort(nd_rundir *rd)
{
    if (!rd) return;
    if (rd->tmp) remove_tree(rd->tmp);
    rundir_free(rd);
}
