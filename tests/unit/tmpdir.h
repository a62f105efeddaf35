/* Temporary folders for tests that write run folders.  Include after cmocka.h. */
#ifndef ND_TEST_TMPDIR_H
#define ND_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nd_test_rm_entry(const char *p, const struct stat *sb, int t, struct FTW *ftw)
{
    (void)sb;
    (void)t;
    (void)ftw;
    return remove(p);
}

/* Remove a folder and everything in it. */
static inline void rm_tree(const char *path)
{
    nftw(path, nd_test_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A new empty folder under /tmp (the caller frees the name). */
static inline char *make_tmp(void)
{
    char templ[] = "/tmp/nd_test_XXXXXX";
    assert_non_null(mkdtemp(templ));
    return strdup(templ);
}

#endif
