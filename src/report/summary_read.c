/* summary.json back into a scenario; see summary_read.h.
 *
 * JSON is YAML's flow style, so libyaml reads the file and says where the
 * scenario object starts and ends.  The echo is written to load again as a
 * scenario (summary_json.c), so the scenario loader itself reads it: every
 * default, check and unit conversion stays in one place.  Everything outside
 * the object is blanked, newlines kept, so the loader's line and column
 * numbers are those of summary.json. */
#include "report/summary_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* A run's summary.json is about 15 kB; anything far larger is not one. */
#define SUMMARY_MAX_BYTES (16u << 20)

static const char *errstr(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0) snprintf(buf, size, "error %d", e);
    return buf;
}

static nd_status read_all(const char *path, char **text, size_t *len, nd_error *err)
{
    char ebuf[128];
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return nd_error_at(err, ND_ERR_INPUT, path, 0, 0, NULL, "cannot open: %s",
                           errstr(errno, ebuf, sizeof ebuf));
    size_t cap = 16384, n = 0;
    char *buf = malloc(cap + 1);
    nd_status s = ND_OK;
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        if (cap >= SUMMARY_MAX_BYTES) {
            s = nd_error_at(err, ND_ERR_INPUT, path, 0, 0, NULL,
                            "larger than %u MiB: not a needle summary", SUMMARY_MAX_BYTES >> 20);
            break;
        }
        cap *= 2;
        char *grown = realloc(buf, cap + 1);
        if (!grown) free(buf);
        buf = grown;
    }
    if (!buf) s = nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    if (s == ND_OK && ferror(f))
        s = nd_error_at(err, ND_ERR_IO, path, 0, 0, NULL, "cannot read: %s",
                        errstr(errno ? errno : EIO, ebuf, sizeof ebuf));
    fclose(f);
    if (s != ND_OK) {
        free(buf);
        return s;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return ND_OK;
}

static nd_status at_node(nd_error *err, const char *path, const yaml_node_t *n, const char *field,
                         const char *msg)
{
    return nd_error_at(err, ND_ERR_INPUT, path, n ? (int)n->start_mark.line + 1 : 1,
                       n ? (int)n->start_mark.column + 1 : 1, field, "%s", msg);
}

/* The value of key in mapping map, or NULL. */
static yaml_node_t *get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE &&
            strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

/* Find the scenario object: its byte range and the version string. */
static nd_status locate(const char *path, const char *text, size_t len, size_t *start, size_t *end,
                        char *version, size_t version_size, nd_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) return nd_error_set(err, ND_ERR_NOMEM, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        nd_status s = nd_error_at(err, ND_ERR_INPUT, path, (int)parser.problem_mark.line + 1,
                                  (int)parser.problem_mark.column + 1, NULL, "malformed JSON: %s",
                                  parser.problem ? parser.problem : "cannot parse");
        yaml_parser_delete(&parser);
        return s;
    }
    nd_status s = ND_OK;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_node_t *sc = root && root->type == YAML_MAPPING_NODE ? get(&doc, root, "scenario") : NULL;
    yaml_node_t *ver =
        root && root->type == YAML_MAPPING_NODE ? get(&doc, root, "needle_version") : NULL;
    if (!root || root->type != YAML_MAPPING_NODE)
        s = at_node(err, path, root, NULL, "expected a JSON object: not a needle summary");
    else if (!sc || sc->type != YAML_MAPPING_NODE)
        s = at_node(err, path, sc ? sc : root, "scenario",
                    "no scenario object: not a needle summary, or from another needle version");
    else if (!ver || ver->type != YAML_SCALAR_NODE)
        s = at_node(err, path, ver ? ver : root, "needle_version", "no needle_version string");
    if (s == ND_OK) {
        *start = sc->start_mark.index;
        *end = sc->end_mark.index;
        snprintf(version, version_size, "%s", (const char *)ver->data.scalar.value);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return s;
}

nd_status nd_summary_read(const char *path, nd_scenario *sc, char *version, size_t version_size,
                          nd_error *err)
{
    char *text;
    size_t len = 0, start = 0, end = 0;
    nd_status s = read_all(path, &text, &len, err);
    if (s != ND_OK) return s;
    s = locate(path, text, len, &start, &end, version, version_size, err);
    if (s == ND_OK) {
        if (start > end || end > len) {
            s = nd_error_at(err, ND_ERR_INTERNAL, path, 0, 0, NULL,
                            "scenario object at bytes %zu..%zu of %zu", start, end, len);
        } else {
            for (size_t k = 0; k < len; k++)
                if ((k < start || k >= end) && text[k] != '\n') text[k] = ' ';
            s = nd_scenario_parse(text, len, path, sc, err);
            /* Whatever the loader calls it, a run folder that does not read is bad input. */
            if (s != ND_OK) {
                s = ND_ERR_INPUT;
                if (err) err->status = s;
            }
        }
    }
    free(text);
    return s;
}
