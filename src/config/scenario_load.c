/* Reading a scenario from YAML: the file, the top level, patient, device and
 * output (the protocol is in scenario_protocol.c); see
 * include/needle/scenario.h. */
#include "config/scenario_load.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/suggest.h"
#include "needle/data.h"

/* A scenario is a page of text; anything far larger is the wrong file. */
#define MAX_FILE_BYTES (1L << 20)

void nd_section_keys(nd_section sec, const char *const *extra, const char **out)
{
    int n = 0;
    for (int f = 0; f < ND_F_COUNT; f++)
        if (nd_fields[f].section == sec) out[n++] = nd_fields[f].key;
    for (int i = 0; extra && extra[i]; i++) out[n++] = extra[i];
    out[n] = NULL;
}

const char *nd_key_home(const char *key)
{
    static const struct {
        const char *key, *home;
    } sections[] = {
        {"patient", "the top level"}, {"device", "the top level"}, {"protocol", "the top level"},
        {"output", "the top level"},  {"numbing", "protocol"},     {"defaults", "protocol"},
        {"zones", "protocol"},        {"steps", "protocol"},
    };
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (strcmp(key, sections[i].key) == 0) return sections[i].home;
    for (int f = 0; f < ND_F_COUNT; f++) {
        if (strcmp(key, nd_fields[f].key) != 0) continue;
        if (nd_fields[f].section == ND_SEC_ZONE)
            return f == ND_F_ZONE ? "an entry of protocol.zones"
                                  : "an entry of protocol.zones or protocol.defaults";
        const char *p = nd_section_path(nd_fields[f].section);
        return p[0] ? p : "the top level";
    }
    return NULL;
}

nd_status nd_load_section(nd_loader *L, const nd_ynode *parent, nd_loc parent_loc,
                          const char *parent_path, const char *key, nd_section sec, int required,
                          const char *needs, const nd_ynode **out)
{
    char path[ND_ERROR_FIELD_MAX];
    nd_ypath(path, sizeof path, parent_path, key);
    const nd_ynode *k = nd_ymap_get_key(L->r.doc, parent, key);
    const nd_ynode *v = nd_ymap_get(L->r.doc, parent, key);
    *out = NULL;
    if (!k || (!required && nd_ynode_is_null(v))) {
        if (required)
            return nd_yfail_at(&L->r, parent_loc.line, parent_loc.column, path,
                               "missing; it should hold %s", needs);
        return ND_OK;
    }
    if (!nd_ynode_is_mapping(v)) {
        char found[128];
        nd_ynode_describe(v, found, sizeof found);
        return nd_yfail(&L->r, v, path, "expected a mapping with %s, found %s", needs, found);
    }
    if (sec != ND_SEC_COUNT) L->map->section[sec] = nd_loc_of(k);
    *out = v;
    return ND_OK;
}

/* The value node of a field's key in map, or NULL; its location goes in the map. */
static const nd_ynode *field_node(nd_loader *L, const nd_ynode *map, nd_field f)
{
    const nd_ynode *v = nd_ymap_get(L->r.doc, map, nd_fields[f].key);
    if (v) L->map->at[f] = nd_loc_of(v);
    return v;
}

static void field_path(char *out, size_t size, nd_field f)
{
    nd_ypath(out, size, nd_section_path(nd_fields[f].section), nd_fields[f].key);
}

nd_status nd_load_field(nd_loader *L, nd_field f, const nd_ynode *v, const char *path, void *base)
{
    const nd_field_spec *s = &nd_fields[f];
    double value;
    nd_status st = nd_yread_number(&L->r, v, path, s->type == ND_FT_INT, &value);
    if (st) return st;
    char msg[200];
    if (!nd_field_in_range(f, value, msg, sizeof msg)) return nd_yfail(&L->r, v, path, "%s", msg);
    nd_field_set(f, base, value * s->scale);
    return ND_OK;
}

static nd_status missing(nd_loader *L, nd_section sec, nd_field f, const char *what)
{
    char path[ND_ERROR_FIELD_MAX];
    field_path(path, sizeof path, f);
    nd_loc at = L->map->section[sec];
    return nd_yfail_at(&L->r, at.line, at.column, path, "missing; %s", what);
}

/* Fitzpatrick types are written in Roman numerals in the clinic and in
 * Arabic ones in code; both are taken. */
static nd_status read_fitzpatrick(nd_loader *L, const nd_ynode *v, int *out)
{
    static const char *const roman[] = {"I", "II", "III", "IV", "V", "VI"};
    const char *path = "patient.fitzpatrick";
    if (!nd_ynode_is_scalar(v) || nd_ynode_is_null(v)) {
        char found[128];
        nd_ynode_describe(v, found, sizeof found);
        return nd_yfail(&L->r, v, path, "expected a Fitzpatrick type I to VI, found %s", found);
    }
    const char *s = nd_ynode_text(v);
    for (int i = 0; i < 6; i++) {
        char arabic[4];
        snprintf(arabic, sizeof arabic, "%d", i + 1);
        if (strcasecmp(s, roman[i]) == 0 || strcmp(s, arabic) == 0) return *out = i + 1, ND_OK;
    }
    return nd_yfail(&L->r, v, path, "must be I to VI (or 1 to 6), found '%s'", s);
}

static nd_status read_patient(nd_loader *L, const nd_ynode *root, nd_loc root_loc)
{
    const nd_ynode *m;
    nd_status st = nd_load_section(L, root, root_loc, "", "patient", ND_SEC_PATIENT, 1,
                                   "age_y, sex and fitzpatrick", &m);
    if (st) return st;
    const char *keys[ND_F_COUNT + 8];
    nd_section_keys(ND_SEC_PATIENT, NULL, keys);
    if ((st = nd_ycheck_keys(&L->r, m, "patient", keys, nd_key_home))) return st;
    nd_patient *p = &L->sc->patient;
    const nd_ynode *v;
    if (!(v = field_node(L, m, ND_F_AGE)))
        return missing(L, ND_SEC_PATIENT, ND_F_AGE, "the patient's age in years (12 to 110)");
    if ((st = nd_load_field(L, ND_F_AGE, v, "patient.age_y", L->sc))) return st;
    if (!(v = field_node(L, m, ND_F_SEX)))
        return missing(L, ND_SEC_PATIENT, ND_F_SEX, "female or male");
    int sex;
    if ((st = nd_yread_enum(&L->r, v, "patient.sex", nd_sex_names, "sex", &sex))) return st;
    p->sex = (nd_sex)sex;
    if (!(v = field_node(L, m, ND_F_FITZPATRICK)))
        return missing(L, ND_SEC_PATIENT, ND_F_FITZPATRICK, "the skin type, I to VI");
    return read_fitzpatrick(L, v, &p->fitzpatrick);
}

/* preset and kind: where the device starts from. */
static nd_status read_device_base(nd_loader *L, const nd_ynode *m)
{
    nd_device_spec *d = &L->sc->device;
    const nd_ynode *pv = field_node(L, m, ND_F_PRESET);
    const nd_ynode *kv = field_node(L, m, ND_F_KIND);
    nd_status st;
    if (pv) {
        char name[ND_NAME_MAX];
        if ((st = nd_yread_text(&L->r, pv, "device.preset", name, sizeof name))) return st;
        nd_error perr;
        st = nd_device_preset(name, d, &perr);
        if (st == ND_ERR_INPUT) return nd_yfail(&L->r, pv, "device.preset", "%s", perr.message);
        if (st) {
            if (L->r.err) *L->r.err = perr;
            return st;
        }
        L->map->preset = nd_ynode_text(pv);
    }
    if (!kv) {
        if (pv) return ND_OK;
        char presets[512];
        nd_join_names(nd_device_preset_names(), presets, sizeof presets);
        char what[700];
        snprintf(what, sizeof what,
                 "give kind (roller, stamp, estamp or pen) with its needles, or a preset (%s)",
                 presets);
        return missing(L, ND_SEC_DEVICE, ND_F_KIND, what);
    }
    int kind;
    if ((st = nd_yread_enum(&L->r, kv, "device.kind", nd_kind_names, "device kind", &kind)))
        return st;
    if (pv && (int)d->kind != kind)
        return nd_yfail(
            &L->r, kv, "device.kind", "is %s but preset %s is %s; drop kind or choose a %s preset",
            nd_kind_names[kind], d->preset, nd_kind_article(d->kind), nd_kind_names[kind]);
    d->kind = (nd_device_kind)kind;
    return ND_OK;
}

static nd_status read_device(nd_loader *L, const nd_ynode *root, nd_loc root_loc)
{
    const nd_ynode *m;
    nd_status st = nd_load_section(L, root, root_loc, "", "device", ND_SEC_DEVICE, 1,
                                   "kind or preset, and any needle settings", &m);
    if (st) return st;
    const char *keys[ND_F_COUNT + 8];
    nd_section_keys(ND_SEC_DEVICE, NULL, keys);
    if ((st = nd_ycheck_keys(&L->r, m, "device", keys, nd_key_home))) return st;
    if ((st = read_device_base(L, m))) return st;

    nd_device_spec *d = &L->sc->device;
    int from_preset = d->preset[0] != '\0';
    for (int f = ND_F_NEEDLE_LENGTH; f <= ND_F_MOTOR_STROKE; f++) {
        const nd_field_spec *s = &nd_fields[f];
        char path[ND_ERROR_FIELD_MAX];
        field_path(path, sizeof path, (nd_field)f);
        const nd_ynode *v = field_node(L, m, (nd_field)f);
        if (v && !nd_field_applies((nd_field)f, d->kind))
            return nd_yfail(&L->r, nd_ymap_get_key(L->r.doc, m, s->key), path,
                            "not allowed for %s: %s", nd_kind_article(d->kind), s->why_not);
        if (v) {
            if ((st = nd_load_field(L, (nd_field)f, v, path, L->sc))) return st;
        } else if (f == ND_F_MOTOR_STROKE && nd_device_is_motorised(d)) {
            /* Presets carry no stroke: it is a model parameter, maybe overridden. */
            d->motor_stroke_m = L->def.motor_stroke_m;
        } else if (!from_preset && nd_field_applies((nd_field)f, d->kind)) {
            char need[300] = "";
            size_t n = 0;
            for (int g = ND_F_NEEDLE_LENGTH; g < ND_F_MOTOR_STROKE; g++) {
                if (!nd_field_applies((nd_field)g, d->kind) || n >= sizeof need) continue;
                int w =
                    snprintf(need + n, sizeof need - n, "%s%s", n ? ", " : "", nd_fields[g].key);
                if (w > 0) n += (size_t)w;
            }
            char what[600];
            snprintf(what, sizeof what,
                     "%s described without a preset needs all of %s (or start from a preset)",
                     nd_kind_article(d->kind), need);
            return missing(L, ND_SEC_DEVICE, (nd_field)f, what);
        }
    }
    return ND_OK;
}

static nd_status read_output(nd_loader *L, const nd_ynode *root, nd_loc root_loc, const char *stem)
{
    nd_output *o = &L->sc->output;
    snprintf(o->dir, sizeof o->dir, "out/%s", stem);
    o->grid_m = 1e-3;
    o->raw_punctures = 0;
    o->tissue_sites = 0;
    o->tissue_voxel_m = 20e-6;
    o->tissue_width_m = 2e-3;
    const nd_ynode *m;
    nd_status st = nd_load_section(L, root, root_loc, "", "output", ND_SEC_OUTPUT, 0,
                                   "dir, grid_mm, raw_punctures and the tissue sites", &m);
    if (st || !m) return st;
    const char *keys[ND_F_COUNT + 8];
    nd_section_keys(ND_SEC_OUTPUT, NULL, keys);
    if ((st = nd_ycheck_keys(&L->r, m, "output", keys, nd_key_home))) return st;
    const nd_ynode *v;
    if ((v = field_node(L, m, ND_F_DIR)) &&
        (st = nd_yread_text(&L->r, v, "output.dir", o->dir, sizeof o->dir)))
        return st;
    if ((v = field_node(L, m, ND_F_GRID)) &&
        (st = nd_load_field(L, ND_F_GRID, v, "output.grid_mm", L->sc)))
        return st;
    if ((v = field_node(L, m, ND_F_RAW)) &&
        (st = nd_yread_bool(&L->r, v, "output.raw_punctures", &o->raw_punctures)))
        return st;
    if ((v = field_node(L, m, ND_F_TISSUE_SITES)) &&
        (st = nd_load_field(L, ND_F_TISSUE_SITES, v, "output.tissue_sites", L->sc)))
        return st;
    if ((v = field_node(L, m, ND_F_TISSUE_VOXEL)) &&
        (st = nd_load_field(L, ND_F_TISSUE_VOXEL, v, "output.tissue_voxel_um", L->sc)))
        return st;
    if ((v = field_node(L, m, ND_F_TISSUE_WIDTH)) &&
        (st = nd_load_field(L, ND_F_TISSUE_WIDTH, v, "output.tissue_width_mm", L->sc)))
        return st;
    return ND_OK;
}

/* The file name without folder or extension, made safe for a folder name:
 * it names the scenario and its run folder when the file does not. */
static void file_stem(const char *file, char *out, size_t size)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < size; i++) {
        unsigned char c = (unsigned char)base[i];
        int keep = isalnum(c) || c == '-' || c == '_' || c == '.';
        if (keep || (n > 0 && out[n - 1] != '_')) out[n++] = keep ? (char)c : '_';
    }
    while (n > 0 && out[n - 1] == '_') n--;
    out[n] = '\0';
    if (!n) snprintf(out, size, "scenario");
}

static nd_status load_model_defaults(nd_model_defaults *d, const nd_scenario *sc, nd_error *err)
{
    static const struct {
        const char *name;
        size_t offset;
    } params[] = {
        {"roller_speed_m_s", offsetof(nd_model_defaults, roller_speed_m_s)},
        {"glide_speed_m_s", offsetof(nd_model_defaults, glide_speed_m_s)},
        {"roller_force_n", offsetof(nd_model_defaults, roller_force_n)},
        {"stamp_force_n", offsetof(nd_model_defaults, stamp_force_n)},
        {"stamp_press_speed_m_s", offsetof(nd_model_defaults, stamp_press_speed_m_s)},
        {"stamp_rate_hz", offsetof(nd_model_defaults, stamp_rate_hz)},
        {"dwell_s", offsetof(nd_model_defaults, dwell_s)},
        {"overlap", offsetof(nd_model_defaults, overlap)},
        {"jitter_m", offsetof(nd_model_defaults, jitter_m)},
        {"motor_stroke_m", offsetof(nd_model_defaults, motor_stroke_m)},
        {"interval_s", offsetof(nd_model_defaults, interval_s)},
        {"follow_up_s", offsetof(nd_model_defaults, follow_up_s)},
    };
    nd_table *t = NULL;
    nd_status st = nd_params_load(sc->params, sc->n_params, &t, err);
    for (size_t i = 0; !st && i < sizeof params / sizeof params[0]; i++)
        st = nd_param(t, params[i].name, (double *)((char *)d + params[i].offset), err);
    nd_table_free(t);
    return st;
}

/* model_parameters: overrides of data/parameters.csv, each inside the
 * parameter's documented range (for sensitivity studies). */
static nd_status read_model_parameters(nd_loader *L, const nd_ynode *root)
{
    const nd_ynode *m = nd_ymap_get(L->r.doc, root, "model_parameters");
    if (!m || nd_ynode_is_null(m)) return ND_OK;
    if (!nd_ynode_is_mapping(m))
        return nd_yfail(&L->r, m, "model_parameters",
                        "expected a mapping of parameter names (data/parameters.csv) to values");
    nd_table *t = NULL;
    nd_status st = nd_table_load("parameters.csv", &t, L->r.err);
    if (st) return st;
    size_t rows = nd_table_rows(t);
    const char **names = calloc(rows + 1, sizeof *names);
    if (!names) {
        nd_table_free(t);
        return nd_error_set(L->r.err, ND_ERR_NOMEM, "out of memory");
    }
    int cname = nd_table_column(t, "name");
    for (size_t r = 0; r < rows; r++) names[r] = nd_table_cell(t, r, cname);
    st = nd_ycheck_keys(&L->r, m, "model_parameters", names, NULL);
    size_t n = nd_ynode_size(m);
    if (!st && n > ND_MAX_PARAM_OVERRIDES)
        st = nd_yfail(&L->r, m, "model_parameters", "at most %d overrides, found %zu",
                      ND_MAX_PARAM_OVERRIDES, n);
    for (size_t i = 0; !st && i < n; i++) {
        const char *key = nd_ynode_text(nd_ymap_key(L->r.doc, m, i));
        const nd_ynode *v = nd_ymap_value(L->r.doc, m, i);
        char path[128];
        nd_ypath(path, sizeof path, "model_parameters", key);
        double value, lo, hi;
        size_t r = (size_t)nd_table_find(t, "name", key);
        if ((st = nd_yread_number(&L->r, v, path, 0, &value))) break;
        if ((st = nd_table_number(t, r, "low", &lo, L->r.err)) ||
            (st = nd_table_number(t, r, "high", &hi, L->r.err)))
            break;
        if (!(value >= lo && value <= hi)) {
            const char *unit = nd_table_cell(t, r, nd_table_column(t, "unit"));
            st = nd_yfail(&L->r, v, path,
                          "must be within the documented range %g..%g%s%s, found %g", lo, hi,
                          strcmp(unit, "1") ? " " : "", strcmp(unit, "1") ? unit : "", value);
            break;
        }
        nd_param_override *o = &L->sc->params[L->sc->n_params++];
        snprintf(o->name, sizeof o->name, "%s", key);
        o->value = value;
    }
    free(names);
    nd_table_free(t);
    return st;
}

static nd_status read_root(nd_loader *L, const char *stem)
{
    const nd_ynode *root = nd_ydoc_root(L->r.doc);
    nd_scenario *sc = L->sc;
    if (!root || nd_ynode_is_null(root))
        return nd_yfail_at(&L->r, 1, 1, "",
                           "the file is empty; a scenario needs at least patient, device and "
                           "protocol (see examples/default.yaml)");
    if (!nd_ynode_is_mapping(root)) {
        char found[128];
        nd_ynode_describe(root, found, sizeof found);
        return nd_yfail(&L->r, root, "",
                        "a scenario is a mapping (name, seed, patient, device, protocol, "
                        "output), found %s",
                        found);
    }
    nd_loc root_loc = nd_loc_of(root);
    L->map->section[ND_SEC_ROOT] = root_loc;
    static const char *const sections[] = {"patient", "device",           "protocol",
                                           "output",  "model_parameters", NULL};
    const char *keys[ND_F_COUNT + 8];
    nd_section_keys(ND_SEC_ROOT, sections, keys);
    nd_status st = nd_ycheck_keys(&L->r, root, "", keys, nd_key_home);
    if (st) return st;

    snprintf(sc->name, sizeof sc->name, "%s", stem);
    sc->seed = 1;
    const nd_ynode *v;
    if ((v = field_node(L, root, ND_F_NAME)) &&
        (st = nd_yread_text(&L->r, v, "name", sc->name, sizeof sc->name)))
        return st;
    if ((v = field_node(L, root, ND_F_SEED)) && (st = nd_yread_u64(&L->r, v, "seed", &sc->seed)))
        return st;
    if ((st = read_model_parameters(L, root))) return st;
    if ((st = load_model_defaults(&L->def, sc, L->r.err))) return st;
    if ((st = read_patient(L, root, root_loc))) return st;
    if ((st = read_device(L, root, root_loc))) return st;
    const nd_ynode *protocol;
    if ((st = nd_load_section(L, root, root_loc, "", "protocol", ND_SEC_PROTOCOL, 1,
                              "zones (and optionally numbing, jitter_mm and defaults)", &protocol)))
        return st;
    if ((st = nd_load_protocol(L, protocol))) return st;
    return read_output(L, root, root_loc, stem);
}

nd_status nd_scenario_parse(const char *yaml, unsigned long len, const char *name, nd_scenario *out,
                            nd_error *err)
{
    if (!name || !name[0]) name = "<memory>";
    if (!yaml || !out)
        return nd_error_at(err, ND_ERR_INPUT, name, 0, 0, "", "no scenario text to read");
    nd_scenario *sc = calloc(1, sizeof *sc);
    nd_scenario_map *map = calloc(1, sizeof *map);
    nd_ydoc doc;
    memset(&doc, 0, sizeof doc);
    nd_status st = ND_OK;
    if (!sc || !map) {
        st = nd_error_set(err, ND_ERR_NOMEM, "out of memory reading %s", name);
        goto done;
    }
    nd_loader L;
    memset(&L, 0, sizeof L);
    L.r = (nd_yreader){&doc, name, err};
    L.sc = sc;
    L.map = map;
    if ((st = nd_ydoc_load(&doc, yaml, len, name, err))) goto done;
    snprintf(sc->source, sizeof sc->source, "%s", name);
    char stem[ND_NAME_MAX];
    file_stem(name, stem, sizeof stem);
    if ((st = read_root(&L, stem))) goto done;
    /* The map's preset name points into the document: check before freeing it. */
    if ((st = nd_scenario_check(sc, map, err))) goto done;
    *out = *sc;
done:
    nd_ydoc_free(&doc);
    free(map);
    free(sc);
    return st;
}

nd_status nd_scenario_load(const char *path, nd_scenario *out, nd_error *err)
{
    if (!path || !path[0]) return nd_error_set(err, ND_ERR_INPUT, "no scenario file named");
    FILE *f = fopen(path, "rb");
    if (!f) return nd_error_at(err, ND_ERR_IO, path, 0, 0, "", "cannot open: %s", strerror(errno));
    char *buf = malloc(MAX_FILE_BYTES + 1);
    if (!buf) {
        fclose(f);
        return nd_error_set(err, ND_ERR_NOMEM, "out of memory reading %s", path);
    }
    size_t len = fread(buf, 1, MAX_FILE_BYTES + 1, f);
    int read_errno = ferror(f) ? errno : 0;
    fclose(f);
    nd_status st;
    if (read_errno)
        st = nd_error_at(err, ND_ERR_IO, path, 0, 0, "", "cannot read: %s", strerror(read_errno));
    else if (len > MAX_FILE_BYTES)
        st = nd_error_at(err, ND_ERR_INPUT, path, 0, 0, "",
                         "is larger than %ld bytes; a scenario file is a page of YAML",
                         MAX_FILE_BYTES);
    else
        st = nd_scenario_parse(buf, len, path, out, err);
    free(buf);
    return st;
}

const char *nd_scenario_default_yaml(void)
{
    const char *text = nd_data_text("default.yaml");
    return text ? text : "";
}

nd_status nd_scenario_default(nd_scenario *out, nd_error *err)
{
    const char *text = nd_scenario_default_yaml();
    nd_status st = nd_scenario_parse(text, strlen(text), "built-in default", out, err);
    /* The built-in text is part of the program: failing to read it is a bug. */
    if (st == ND_ERR_INPUT) {
        st = ND_ERR_INTERNAL;
        if (err) err->status = st;
    }
    return st;
}
