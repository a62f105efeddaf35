/* summary.json back into a scenario and the indications; see summary_read.h.
 *
 * JSON is YAML's flow style, so libyaml reads the file and says where the
 * scenario object starts and ends.  The echo is written to load again as a
 * scenario (summary_json.c), so the scenario loader itself reads it: every
 * default, check and unit conversion stays in one place.  Everything outside
 * the object is blanked, newlines kept, so the loader's line and column
 * numbers are those of summary.json. */
#include "report/summary_read.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "report/csv_read.h"

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

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A string value into buf (size bytes with its NUL). */
static nd_status text_field(const char *path, yaml_document_t *doc, yaml_node_t *obj,
                            const char *name, const char *key, char *buf, size_t size,
                            nd_error *err)
{
    char field[128];
    snprintf(field, sizeof field, "%s.%s", name, key);
    yaml_node_t *v = get(doc, obj, key);
    const char *s = scalar(v);
    if (!s || v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        return at_node(err, path, v ? v : obj, field, "expected a string");
    if (strlen(s) >= size) {
        char msg[96];
        snprintf(msg, sizeof msg, "longer than %zu bytes: not what needle writes", size - 1);
        return at_node(err, path, v, field, msg);
    }
    snprintf(buf, size, "%s", s);
    return ND_OK;
}

/* A number value; null gives *present 0 when null_ok. */
static nd_status number_field(const char *path, yaml_document_t *doc, yaml_node_t *obj,
                              const char *name, const char *key, int null_ok, double *out,
                              int *present, nd_error *err)
{
    char field[128];
    snprintf(field, sizeof field, "%s.%s", name, key);
    yaml_node_t *v = get(doc, obj, key);
    const char *s = scalar(v);
    int plain = s && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    *present = 0;
    if (plain && null_ok && strcmp(s, "null") == 0) return ND_OK;
    if (!plain || !nd_csv_parse_number(s, out) || !isfinite(*out))
        return at_node(err, path, v ? v : obj, field,
                       null_ok ? "expected a number or null" : "expected a number");
    *present = 1;
    return ND_OK;
}

/* One indication's object: what the report shows of nd_indication_result. */
static nd_status read_indication(const char *path, yaml_document_t *doc, yaml_node_t *obj,
                                 const char *name, nd_indication_result *r, nd_error *err)
{
    if (obj->type != YAML_MAPPING_NODE) return at_node(err, path, obj, name, "expected an object");
    nd_status s;
    if ((s = text_field(path, doc, obj, name, "measure", r->measure, sizeof r->measure, err)) ||
        (s = text_field(path, doc, obj, name, "unit", r->unit, sizeof r->unit, err)) ||
        (s = text_field(path, doc, obj, name, "evidence", r->evidence, sizeof r->evidence, err)) ||
        (s = text_field(path, doc, obj, name, "source", r->source, sizeof r->source, err)))
        return s;
    char field[128];
    snprintf(field, sizeof field, "%s.evidence", name);
    int none = strcmp(r->evidence, "none") == 0;
    if (!none && strcmp(r->evidence, "good") != 0 && strcmp(r->evidence, "thin") != 0)
        return at_node(err, path, get(doc, obj, "evidence"), field,
                       "expected \"good\", \"thin\" or \"none\"");
    int lo = 0, hi = 0;
    s = number_field(path, doc, obj, name, "expected", 1, &r->value.mid, &r->has_value, err);
    if (s != ND_OK) return s;
    /* Where the evidence has no number there is none to show, and a number
     * there would be one nobody can stand behind. */
    snprintf(field, sizeof field, "%s.expected", name);
    if (none && r->has_value)
        return at_node(err, path, get(doc, obj, "expected"), field,
                       "the evidence is \"none\": expected null, not a number");
    if (!none && !r->has_value)
        return at_node(err, path, get(doc, obj, "expected"), field,
                       "expected a number where the evidence has one");
    if (r->has_value &&
        ((s = number_field(path, doc, obj, name, "expected_lo", 0, &r->value.lo, &lo, err)) ||
         (s = number_field(path, doc, obj, name, "expected_hi", 0, &r->value.hi, &hi, err))))
        return s;
    return ND_OK;
}

/* The "indications" object: the zone they were worked out on, then one
 * object per indication. */
static nd_status read_indications(const char *path, yaml_document_t *doc, yaml_node_t *node,
                                  nd_rundata *rd, yaml_node_t **zone_node, nd_error *err)
{
    if (node->type != YAML_MAPPING_NODE)
        return at_node(err, path, node, "indications", "expected an object");
    rd->has_indications = 1;
    rd->indication_zone = -1;
    rd->n_indications = 0;
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        const char *key = scalar(k);
        if (!key || !v) return at_node(err, path, k, "indications", "expected a name");
        char field[96];
        snprintf(field, sizeof field, "indications.%s", key);
        if (strcmp(key, "zone") == 0) {
            rd->indication_zone = scalar(v) ? nd_zone_from_name(scalar(v)) : -1;
            if (rd->indication_zone < 0) return at_node(err, path, v, field, "unknown zone");
            *zone_node = v;
            continue;
        }
        int ind = nd_indication_from_name(key);
        if (ind < 0) return at_node(err, path, k, field, "unknown indication");
        for (int i = 0; i < rd->n_indications; i++)
            if (rd->indications[i].indication == ind)
                return at_node(err, path, k, field, "given twice");
        nd_indication_result *r = &rd->indications[rd->n_indications];
        memset(r, 0, sizeof *r);
        r->indication = ind;
        nd_status s = read_indication(path, doc, v, field, r, err);
        if (s != ND_OK) return s;
        rd->n_indications++;
    }
    if (rd->n_indications > 0 && rd->indication_zone < 0)
        return at_node(err, path, node, "indications.zone",
                       "no zone: which zone the indications were worked out on");
    return ND_OK;
}

/* Find the scenario object: its byte range and the version string; read the
 * indications. */
static nd_status locate(const char *path, const char *text, size_t len, size_t *start, size_t *end,
                        nd_rundata *rd, int zone_at[2], nd_error *err)
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
    yaml_node_t *ind =
        root && root->type == YAML_MAPPING_NODE ? get(&doc, root, "indications") : NULL;
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
        snprintf(rd->version, sizeof rd->version, "%s", (const char *)ver->data.scalar.value);
    }
    rd->has_indications = 0;
    rd->indication_zone = -1;
    yaml_node_t *zone_node = NULL;
    if (s == ND_OK && ind) s = read_indications(path, &doc, ind, rd, &zone_node, err);
    if (zone_node) {
        zone_at[0] = (int)zone_node->start_mark.line + 1;
        zone_at[1] = (int)zone_node->start_mark.column + 1;
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return s;
}

/* The indications were worked out on a treated zone, or the files do not
 * belong together. */
static nd_status check_indication_zone(const char *path, const nd_rundata *rd, const int zone_at[2],
                                       nd_error *err)
{
    if (rd->indication_zone < 0) return ND_OK;
    const nd_protocol *pr = &rd->scenario.protocol;
    for (int k = 0; k < pr->n_zones; k++)
        if (pr->zones[k].zone == rd->indication_zone) return ND_OK;
    return nd_error_at(err, ND_ERR_INPUT, path, zone_at[0], zone_at[1], "indications.zone",
                       "zone '%s' was not treated in the scenario",
                       nd_zone_name(rd->indication_zone));
}

nd_status nd_summary_read(const char *path, nd_rundata *rd, nd_error *err)
{
    char *text;
    size_t len = 0, start = 0, end = 0;
    int zone_at[2] = {0, 0};
    nd_scenario *sc = &rd->scenario;
    nd_status s = read_all(path, &text, &len, err);
    if (s != ND_OK) return s;
    s = locate(path, text, len, &start, &end, rd, zone_at, err);
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
            if (s == ND_OK) s = check_indication_zone(path, rd, zone_at, err);
        }
    }
    free(text);
    return s;
}
