/*
 * "Did you mean ...?": the nearest valid name to a misspelt one.  Private to
 * the library.
 */
#ifndef ND_CONFIG_SUGGEST_H
#define ND_CONFIG_SUGGEST_H

#include <stddef.h>

/* Edit distance counting insertions, deletions, substitutions and swaps of
 * two neighbouring characters (optimal string alignment), ignoring case. */
int nd_edit_distance(const char *a, const char *b);

/* The candidate (NULL-terminated list) that word is most likely a misspelling
 * of, or NULL when none is close enough to be worth suggesting. */
const char *nd_suggest(const char *word, const char *const *candidates);

/* candidates joined as "a, b, c or d" into buf, for "expected one of ...". */
void nd_join_names(const char *const *candidates, char *buf, size_t size);

#endif
