/* A YAML document loaded whole, with positions; see yaml_tree.h. */
#include "config/yaml_tree.h"

#include <stdio.h>
#include <string.h>

/* Deeper nesting than any scenario has; a path past it is cut short. */
#define PATH_DEPTH 32

typedef struct {
    int is_map;
    int want_key; /* mapping: the next scalar is a key */
    long index;   /* list: the item being read */
    char key[64]; /* mapping: the key whose value is being read */
} path_frame;

static void frame_done_item(path_frame *f)
{
    if (f->is_map)
        f->want_key = !f->want_key;
    else
        f->index++;
}

/* libyaml's document loader does not say where in the tree it gave up, so the
 * text is read again as events up to the error, keeping the path of keys and
 * list indices that were open there: "protocol.zones[2]". */
static void path_at_error(const char *text, size_t len, char *out, size_t size)
{
    path_frame stack[PATH_DEPTH];
    int depth = 0, overflow = 0;
    yaml_parser_t p;
    out[0] = '\0';
    if (!yaml_parser_initialize(&p)) return;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) break;
        yaml_event_type_t type = ev.type;
        if (type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT) {
            if (depth < PATH_DEPTH) {
                path_frame *f = &stack[depth++];
                memset(f, 0, sizeof *f);
                f->is_map = (type == YAML_MAPPING_START_EVENT);
                f->want_key = 1;
            } else {
                overflow++;
            }
        } else if (type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT) {
            if (overflow)
                overflow--;
            else if (depth > 0 && --depth > 0)
                frame_done_item(&stack[depth - 1]);
        } else if ((type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT) && depth > 0 &&
                   !overflow) {
            path_frame *f = &stack[depth - 1];
            if (f->is_map && f->want_key) {
                const char *k =
                    type == YAML_SCALAR_EVENT ? (const char *)ev.data.scalar.value : "*alias";
                snprintf(f->key, sizeof f->key, "%s", k);
            }
            frame_done_item(f);
        }
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT || type == YAML_DOCUMENT_END_EVENT) break;
    }
    yaml_parser_delete(&p);

    /* An error in the innermost list is in its syntax (a missing ']'), not in
     * an item of it, so that list gets no index. */
    size_t n = 0;
    for (int i = 0; i < depth && n < size; i++) {
        const path_frame *f = &stack[i];
        int w = 0;
        if (f->is_map && !f->want_key)
            w = snprintf(out + n, size - n, "%s%s", n ? "." : "", f->key);
        else if (!f->is_map && i + 1 < depth)
            w = snprintf(out + n, size - n, "[%ld]", f->index);
        if (w > 0) n += (size_t)w;
    }
}

static nd_status syntax_error(yaml_parser_t *p, const char *text, size_t len, const char *file,
                              nd_error *err)
{
    if (p->error == YAML_MEMORY_ERROR)
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory reading %s", file);
    int line = (int)p->problem_mark.line + 1;
    int column = (int)p->problem_mark.column + 1;
    char context[160] = "";
    if (p->context) {
        snprintf(context, sizeof context, " (%s at line %d, column %d)", p->context,
                 (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
    }
    /* A tab in the indentation is the commonest way to get here and libyaml's
     * wording does not mention it. */
    const char *hint = "";
    size_t at = p->problem_mark.index;
    if (at < len && text[at] == '\t')
        hint = "; indent with spaces, YAML does not allow tabs";
    else if (p->problem && (strstr(p->problem, "mapping values are not allowed") ||
                            strstr(p->problem, "did not find expected key")))
        hint = "; check the indentation of this line against the lines above";
    char path[ND_ERROR_FIELD_MAX];
    path_at_error(text, len, path, sizeof path);
    return nd_error_at(err, ND_ERR_INPUT, file, line, column, path, "malformed YAML: %s%s%s",
                       p->problem ? p->problem : "syntax error", context, hint);
}

nd_status nd_ydoc_load(nd_ydoc *doc, const char *text, size_t len, const char *file, nd_error *err)
{
    memset(doc, 0, sizeof *doc);
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory reading %s", file);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    nd_status st = ND_OK;
    if (!yaml_parser_load(&p, &doc->doc)) {
        st = syntax_error(&p, text, len, file, err);
        goto done;
    }
    doc->loaded = 1;

    /* A second document would be silently ignored by a reader that stops at
     * the first, and with it whatever the user wrote there. */
    yaml_document_t extra;
    if (!yaml_parser_load(&p, &extra)) {
        st = syntax_error(&p, text, len, file, err);
        goto done;
    }
    yaml_node_t *root = yaml_document_get_root_node(&extra);
    if (root) {
        st = nd_error_at(err, ND_ERR_INPUT, file, (int)extra.start_mark.line + 1,
                         (int)extra.start_mark.column + 1, "",
                         "a second YAML document starts here; a scenario file holds one "
                         "document (remove the '---' line)");
    }
    yaml_document_delete(&extra);
done:
    yaml_parser_delete(&p);
    return st;
}

void nd_ydoc_free(nd_ydoc *doc)
{
    if (doc && doc->loaded) {
        yaml_document_delete(&doc->doc);
        doc->loaded = 0;
    }
}

nd_ynode *nd_ydoc_root(nd_ydoc *doc)
{
    return doc->loaded ? yaml_document_get_root_node(&doc->doc) : NULL;
}

int nd_ynode_line(const nd_ynode *n)
{
    return n ? (int)n->start_mark.line + 1 : 0;
}

int nd_ynode_column(const nd_ynode *n)
{
    return n ? (int)n->start_mark.column + 1 : 0;
}

int nd_ynode_is_scalar(const nd_ynode *n)
{
    return n && n->type == YAML_SCALAR_NODE;
}

int nd_ynode_is_mapping(const nd_ynode *n)
{
    return n && n->type == YAML_MAPPING_NODE;
}

int nd_ynode_is_sequence(const nd_ynode *n)
{
    return n && n->type == YAML_SEQUENCE_NODE;
}

int nd_ynode_is_plain(const nd_ynode *n)
{
    return nd_ynode_is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

int nd_ynode_is_null(const nd_ynode *n)
{
    if (!nd_ynode_is_plain(n)) return 0;
    const char *s = (const char *)n->data.scalar.value;
    return s[0] == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

const char *nd_ynode_text(const nd_ynode *n)
{
    return nd_ynode_is_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

void nd_ynode_describe(const nd_ynode *n, char *buf, size_t size)
{
    if (nd_ynode_is_mapping(n))
        snprintf(buf, size, "a mapping");
    else if (nd_ynode_is_sequence(n))
        snprintf(buf, size, "a list");
    else if (!n || nd_ynode_is_null(n))
        snprintf(buf, size, "nothing");
    else if (!nd_ynode_is_plain(n))
        snprintf(buf, size, "the quoted text \"%.60s\"", nd_ynode_text(n));
    else
        snprintf(buf, size, "'%.60s'", nd_ynode_text(n));
}

size_t nd_ynode_size(const nd_ynode *n)
{
    if (nd_ynode_is_mapping(n))
        return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    if (nd_ynode_is_sequence(n))
        return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    return 0;
}

nd_ynode *nd_ymap_key(nd_ydoc *doc, const nd_ynode *map, size_t i)
{
    if (i >= nd_ynode_size(map) || !nd_ynode_is_mapping(map)) return NULL;
    return yaml_document_get_node(&doc->doc, map->data.mapping.pairs.start[i].key);
}

nd_ynode *nd_ymap_value(nd_ydoc *doc, const nd_ynode *map, size_t i)
{
    if (i >= nd_ynode_size(map) || !nd_ynode_is_mapping(map)) return NULL;
    return yaml_document_get_node(&doc->doc, map->data.mapping.pairs.start[i].value);
}

nd_ynode *nd_yseq_item(nd_ydoc *doc, const nd_ynode *seq, size_t i)
{
    if (i >= nd_ynode_size(seq) || !nd_ynode_is_sequence(seq)) return NULL;
    return yaml_document_get_node(&doc->doc, seq->data.sequence.items.start[i]);
}

static long find_key(nd_ydoc *doc, const nd_ynode *map, const char *key)
{
    size_t n = nd_ynode_size(map);
    for (size_t i = 0; i < n; i++) {
        const char *k = nd_ynode_text(nd_ymap_key(doc, map, i));
        if (k && strcmp(k, key) == 0) return (long)i;
    }
    return -1;
}

nd_ynode *nd_ymap_get(nd_ydoc *doc, const nd_ynode *map, const char *key)
{
    long i = find_key(doc, map, key);
    return i < 0 ? NULL : nd_ymap_value(doc, map, (size_t)i);
}

nd_ynode *nd_ymap_get_key(nd_ydoc *doc, const nd_ynode *map, const char *key)
{
    long i = find_key(doc, map, key);
    return i < 0 ? NULL : nd_ymap_key(doc, map, (size_t)i);
}
