/* Files renamed into place when complete; see afile.h. */
#include "report/afile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
    return buf;
}

static void afile_free(nd_afile *a)
{
    free(a->path);
    free(a->tmp);
    a->path = a->tmp = NULL;
    a->f = NULL;
}

nd_status nd_afile_open(nd_afile *a, const char *path, nd_error *err)
{
    memset(a, 0, sizeof *a);
    /* The process id keeps two processes apart; within one process a file is
     * written once at a time.  A name left by a crashed process with the
     * same id is stale and may be overwritten.  Beside the target, so the
     * rename stays on one file system and is atomic. */
    size_t n = strlen(path) + 32;
    a->path = strdup(path);
    a->tmp = malloc(n);
    if (!a->path || !a->tmp) {
        afile_free(a);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    }
    snprintf(a->tmp, n, "%s.tmp-%ld", path, (long)getpid());
    if (!(a->f = fopen(a->tmp, "wb"))) {
        char ebuf[128];
        nd_status s = nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot create: %s",
                                  errstr(errno, ebuf, sizeof ebuf));
        afile_free(a);
        return s;
    }
    return ND_OK;
}

nd_status nd_afile_commit(nd_afile *a, nd_error *err)
{
    char ebuf[128];
    nd_status s = ND_OK;
    int e = ferror(a->f) ? EIO : 0;
    errno = 0;
    /* Buffered data reaches the disk at fclose: a full disk often shows only here. */
    if (fclose(a->f) != 0 && !e) e = errno ? errno : EIO;
    a->f = NULL;
    if (e)
        s = nd_error_at(err, ND_ERR_IO, a->path, 0, 0, NULL, "cannot write: %s",
                        errstr(e, ebuf, sizeof ebuf));
    else if (rename(a->tmp, a->path) != 0)
        s = nd_error_at(err, ND_ERR_IO, a->path, 0, 0, NULL, "cannot rename %s into place: %s",
                        a->tmp, errstr(errno, ebuf, sizeof ebuf));
    if (s != ND_OK) remove(a->tmp);
    afile_free(a);
    return s;
}

void nd_afile_abort(nd_afile *a)
{
    if (!a->tmp) return;
    if (a->f) fclose(a->f);
    remove(a->tmp);
    afile_free(a);
}
