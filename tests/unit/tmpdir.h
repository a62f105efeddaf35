/* Temporary folders and files for tests that write run folders.  Include after cmocka.h. */
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

/* A whole file as a string, its length in *len_out (may be NULL); NULL when
 * the file cannot be opened.  The caller frees it. */
static inline char *read_text_or_null(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len_out) *len_out = (size_t)n;
    return buf;
}

#endif
