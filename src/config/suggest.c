/* Nearest valid name to a misspelt one; see suggest.h. */
#include "config/suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Names in a scenario are short; longer words are not worth the table. */
#define WORD_MAX 64

int nd_edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > WORD_MAX || m > WORD_MAX) return (int)(n > m ? n : m);
    int d[WORD_MAX + 1][WORD_MAX + 1];
    for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            int best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

/* A key written without its unit ("depth" for "depth_mm") is the other common
 * slip, and too far from the right key by edit distance to be caught. */
static int is_unit_less(const char *word, const char *candidate)
{
    static const char *const units[] = {"mm", "mm_s", "um", "hz", "n", "min", "s", "y"};
    size_t n = strlen(word);
    if (n < 3 || strncasecmp(word, candidate, n) != 0 || candidate[n] != '_') return 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(candidate + n + 1, units[i]) == 0) return 1;
    return 0;
}

const char *nd_suggest(const char *word, const char *const *candidates)
{
    if (!word || !candidates) return NULL;
    const char *best = NULL;
    int best_d = 0;
    for (const char *const *c = candidates; *c; c++) {
        if (is_unit_less(word, *c)) return *c;
        int d = nd_edit_distance(word, *c);
        size_t len = strlen(*c) > strlen(word) ? strlen(*c) : strlen(word);
        int limit = (int)(len / 3) > 1 ? (int)(len / 3) : 1;
        if (d <= limit && (!best || d < best_d)) {
            best = *c;
            best_d = d;
        }
    }
    return best;
}

void nd_join_names(const char *const *candidates, char *buf, size_t size)
{
    size_t n = 0, count = 0;
    if (size == 0) return;
    buf[0] = '\0';
    while (candidates[count]) count++;
    for (size_t i = 0; i < count && n < size; i++) {
        const char *sep = i == 0 ? "" : (i + 1 == count ? " or " : ", ");
        int w = snprintf(buf + n, size - n, "%s%s", sep, candidates[i]);
        if (w > 0) n += (size_t)w;
    }
}
