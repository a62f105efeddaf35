/* Device presets from data/devices.csv, and what follows from a device's
 * kind; see include/needle/scenario.h. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "config/scenario_fields.h"
#include "config/suggest.h"
#include "needle/data.h"
#include "needle/scenario.h"

/* The table is small; these bound it so the name list needs no heap. */
#define MAX_PRESETS   64
#define NAMES_STORAGE 4096

static nd_status preset_not_found(const nd_table *t, const char *name, nd_error *err)
{
    const char *names[MAX_PRESETS + 1];
    size_t n = 0;
    int col = nd_table_column(t, "preset");
    for (size_t r = 0; r < nd_table_rows(t) && n < MAX_PRESETS; r++)
        names[n++] = nd_table_cell(t, r, col);
    names[n] = NULL;
    char list[1024];
    nd_join_names(names, list, sizeof list);
    const char *near = nd_suggest(name, names);
    if (near)
        return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "device.preset",
                           "unknown preset '%s'; did you mean '%s'? (presets: %s)", name, near,
                           list);
    return nd_error_at(err, ND_ERR_INPUT, "", 0, 0, "device.preset",
                       "unknown preset '%s'; expected one of %s", name, list);
}

static nd_status fill_from_row(const nd_table *t, size_t r, nd_device_spec *d, nd_error *err)
{
    static const struct {
        const char *column;
        nd_field field;
    } cols[] = {
        {"needle_length_mm", ND_F_NEEDLE_LENGTH},
        {"needle_diameter_mm", ND_F_NEEDLE_DIAMETER},
        {"tip_radius_um", ND_F_TIP_RADIUS},
        {"rings", ND_F_RINGS},
        {"needles_per_ring", ND_F_NEEDLES_PER_RING},
        {"drum_diameter_mm", ND_F_DRUM_DIAMETER},
        {"drum_width_mm", ND_F_DRUM_WIDTH},
        {"rows", ND_F_ROWS},
        {"cols", ND_F_COLS},
        {"pitch_mm", ND_F_PITCH},
        {"frequency_hz", ND_F_FREQUENCY},
    };
    /* Field offsets in the schema are relative to nd_scenario. */
    nd_scenario holder;
    memset(&holder, 0, sizeof holder);
    holder.device = *d;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        double v;
        nd_status st = nd_table_number(t, r, cols[i].column, &v, err);
        if (st) return st;
        if (!nd_field_applies(cols[i].field, d->kind)) v = 0;
        nd_field_set(cols[i].field, &holder, v * nd_fields[cols[i].field].scale);
    }
    *d = holder.device;
    return ND_OK;
}

nd_status nd_device_preset(const char *name, nd_device_spec *out, nd_error *err)
{
    nd_table *t = NULL, *params = NULL;
    nd_status st = nd_table_load("devices.csv", &t, err);
    if (st) return st;
    nd_device_spec d;
    memset(&d, 0, sizeof d);
    long r = nd_table_find(t, "preset", name ? name : "");
    if (r < 0) {
        st = preset_not_found(t, name ? name : "", err);
        goto done;
    }
    const char *kind = nd_table_cell(t, (size_t)r, nd_table_column(t, "kind"));
    int k = 0;
    while (nd_kind_names[k] && strcmp(nd_kind_names[k], kind) != 0) k++;
    if (!nd_kind_names[k]) {
        st = nd_error_at(err, ND_ERR_INTERNAL, "data/devices.csv", 0, 0, "kind",
                         "preset '%s' has unknown kind '%s'", name, kind);
        goto done;
    }
    d.kind = (nd_device_kind)k;
    snprintf(d.preset, sizeof d.preset, "%s", name);
    if ((st = fill_from_row(t, (size_t)r, &d, err))) goto done;
    if (nd_device_is_motorised(&d)) {
        /* The table has no stroke column: products do not publish it, so every
         * motorised preset takes the model's assumption. */
        if ((st = nd_table_load("parameters.csv", &params, err))) goto done;
        if ((st = nd_param(params, "motor_stroke_m", &d.motor_stroke_m, err))) goto done;
    }
    *out = d;
done:
    nd_table_free(params);
    nd_table_free(t);
    return st;
}

/* The list outlives every call, so it is built once; after that it is only
 * read, which keeps the function safe to call from any thread. */
static pthread_once_t names_once = PTHREAD_ONCE_INIT;
static char names_storage[NAMES_STORAGE];
static const char *names_list[MAX_PRESETS + 1];

static void build_names(void)
{
    nd_table *t = NULL;
    nd_error err;
    if (nd_table_load("devices.csv", &t, &err) != ND_OK) return;
    int col = nd_table_column(t, "preset");
    size_t used = 0, n = 0;
    for (size_t r = 0; r < nd_table_rows(t) && n < MAX_PRESETS; r++) {
        const char *s = nd_table_cell(t, r, col);
        size_t len = strlen(s) + 1;
        if (used + len > sizeof names_storage) break;
        memcpy(names_storage + used, s, len);
        names_list[n++] = names_storage + used;
        used += len;
    }
    names_list[n] = NULL;
    nd_table_free(t);
}

const char *const *nd_device_preset_names(void)
{
    pthread_once(&names_once, build_names);
    return names_list;
}

int nd_device_needles(const nd_device_spec *dev)
{
    if (!dev) return 0;
    if (dev->kind == ND_DEVICE_ROLLER) return dev->rings * dev->needles_per_ring;
    return dev->rows * dev->cols;
}

int nd_device_is_motorised(const nd_device_spec *dev)
{
    return dev && (dev->kind == ND_DEVICE_ESTAMP || dev->kind == ND_DEVICE_PEN);
}
