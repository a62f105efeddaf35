/*
 * A YAML document loaded whole (libyaml's document API), for the scenario
 * reader to walk.  Every node keeps where it was written, so a complaint about
 * a value can point at its line and column.  Private to the library.
 */
#ifndef ND_CONFIG_YAML_TREE_H
#define ND_CONFIG_YAML_TREE_H

#include <stddef.h>
#include <yaml.h>

#include "needle/status.h"

typedef yaml_node_t nd_ynode;

typedef struct nd_ydoc {
    yaml_document_t doc;
    int loaded; /* doc holds a document that nd_ydoc_free must delete */
} nd_ydoc;

/* Load the single document in text[0..len).  On malformed YAML err carries
 * libyaml's problem at file:line:column and, where it can be told, the path of
 * the mapping or list being read (ND_ERR_INPUT).  doc needs nd_ydoc_free()
 * whatever the result. */
nd_status nd_ydoc_load(nd_ydoc *doc, const char *text, size_t len, const char *file, nd_error *err);
void nd_ydoc_free(nd_ydoc *doc);

/* The top node, or NULL for an empty document. */
nd_ynode *nd_ydoc_root(nd_ydoc *doc);

/* 1-based position of the node's first character. */
int nd_ynode_line(const nd_ynode *n);
int nd_ynode_column(const nd_ynode *n);

int nd_ynode_is_scalar(const nd_ynode *n);
int nd_ynode_is_mapping(const nd_ynode *n);
int nd_ynode_is_sequence(const nd_ynode *n);
/* An unquoted scalar with nothing in it, "~" or "null": what `key:` alone gives. */
int nd_ynode_is_null(const nd_ynode *n);
/* Scalar written without quotes (so 0.5 is a number and "0.5" a string). */
int nd_ynode_is_plain(const nd_ynode *n);
/* Scalar text, NUL-terminated; NULL when the node is not a scalar. */
const char *nd_ynode_text(const nd_ynode *n);
/* "a mapping", "a list", "nothing", or the quoted scalar, for messages. */
void nd_ynode_describe(const nd_ynode *n, char *buf, size_t size);

/* Entries of a mapping or items of a list (0 for a scalar). */
size_t nd_ynode_size(const nd_ynode *n);
nd_ynode *nd_ymap_key(nd_ydoc *doc, const nd_ynode *map, size_t i);
nd_ynode *nd_ymap_value(nd_ydoc *doc, const nd_ynode *map, size_t i);
nd_ynode *nd_yseq_item(nd_ydoc *doc, const nd_ynode *seq, size_t i);
/* Value of the first entry whose key is the scalar key, or NULL. */
nd_ynode *nd_ymap_get(nd_ydoc *doc, const nd_ynode *map, const char *key);
/* The key node of that entry, or NULL. */
nd_ynode *nd_ymap_get_key(nd_ydoc *doc, const nd_ynode *map, const char *key);

#endif
