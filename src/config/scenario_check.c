/* Range and cross-field checks of a filled scenario; see scenario_fields.h and
 * nd_scenario_validate() in include/needle/scenario.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config/scenario_fields.h"
#include "needle/scenario.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct {
    const nd_scenario *sc;
    const nd_scenario_map *map; /* NULL for a scenario built in code */
    nd_error *err;
} checker;

/* Where to point for field f (of zone plan z, for zone fields): the path and,
 * with a map, the line it was written on.  Returns whether the value itself
 * was written in the file; if not, loc is the enclosing mapping. */
static int locate(const checker *c, nd_field f, int z, nd_loc *loc, char *path, size_t psize,
                  char *note, size_t nsize)
{
    const nd_field_spec *s = &nd_fields[f];
    const nd_scenario_map *m = c->map;
    loc->line = loc->column = 0;
    note[0] = '\0';
    if (s->section == ND_SEC_ZONE) {
        int entry = m ? m->zone[z].entry : z;
        snprintf(path, psize, "protocol.zones[%d].%s", entry, s->key);
        if (!m) return 0;
        if (m->zone[z].at[f].line) {
            *loc = m->zone[z].at[f];
            return 1;
        }
        if (m->defaults_at[f].line) {
            /* A default is written once but checked per zone: say which. */
            snprintf(path, psize, "protocol.defaults.%s", s->key);
            snprintf(note, nsize, " (protocol.defaults applies it to zone %s)",
                     nd_zone_name(c->sc->protocol.zones[z].zone));
            *loc = m->defaults_at[f];
            return 1;
        }
        *loc = m->zone[z].item;
        return 0;
    }
    const char *sec = nd_section_path(s->section);
    snprintf(path, psize, "%s%s%s", sec, sec[0] ? "." : "", s->key);
    if (!m) return 0;
    if (m->at[f].line) {
        *loc = m->at[f];
        return 1;
    }
    *loc = m->section[s->section];
    if (s->section == ND_SEC_DEVICE && m->preset)
        snprintf(note, nsize, " (the value of preset %s)", m->preset);
    return 0;
}

/* Report a problem with field f; when f was not written in the file but alt
 * (a field it was compared with) was, point at alt instead.  ND_F_COUNT: no alt. */
static nd_status fail(const checker *c, nd_field f, int z, nd_field alt, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static nd_status fail(const checker *c, nd_field f, int z, nd_field alt, const char *fmt, ...)
{
    nd_loc loc;
    char path[ND_ERROR_FIELD_MAX], note[160], msg[ND_ERROR_MSG_MAX];
    if (!locate(c, f, z, &loc, path, sizeof path, note, sizeof note) && alt != ND_F_COUNT) {
        nd_loc aloc;
        char apath[ND_ERROR_FIELD_MAX], anote[160];
        if (locate(c, alt, z, &aloc, apath, sizeof apath, anote, sizeof anote)) {
            loc = aloc;
            memcpy(path, apath, sizeof path);
            memcpy(note, anote, sizeof note);
        }
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nd_error_at(c->err, ND_ERR_INPUT, c->sc->source, loc.line, loc.column, path, "%s%s", msg,
                       note);
}

static nd_status check_range(const checker *c, nd_field f, int z, const void *base)
{
    const nd_field_spec *s = &nd_fields[f];
    double v = nd_field_get(f, base) / s->scale;
    char msg[200];
    if (nd_field_in_range(f, v, msg, sizeof msg)) return ND_OK;
    return fail(c, f, z, ND_F_COUNT, "%s", msg);
}

static int is_terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static nd_status check_top(const checker *c)
{
    const nd_scenario *sc = c->sc;
    if (!is_terminated(sc->name, sizeof sc->name) || !sc->name[0])
        return fail(c, ND_F_NAME, -1, ND_F_COUNT, "must be a non-empty text");
    const nd_patient *p = &sc->patient;
    nd_status st = check_range(c, ND_F_AGE, -1, sc);
    if (st) return st;
    if (p->sex != ND_SEX_FEMALE && p->sex != ND_SEX_MALE)
        return fail(c, ND_F_SEX, -1, ND_F_COUNT, "must be female or male, found %d", (int)p->sex);
    if (p->fitzpatrick < 1 || p->fitzpatrick > 6)
        return fail(c, ND_F_FITZPATRICK, -1, ND_F_COUNT, "must be I to VI (or 1 to 6), found %d",
                    p->fitzpatrick);
    return ND_OK;
}

static nd_status check_device(const checker *c)
{
    const nd_device_spec *d = &c->sc->device;
    if ((int)d->kind < 0 || (int)d->kind > ND_DEVICE_PEN)
        return fail(c, ND_F_KIND, -1, ND_F_COUNT, "must be roller, stamp, estamp or pen, found %d",
                    (int)d->kind);
    for (int f = ND_F_NEEDLE_LENGTH; f <= ND_F_MOTOR_STROKE; f++) {
        if (!nd_field_applies((nd_field)f, d->kind)) continue;
        nd_status st = check_range(c, (nd_field)f, -1, c->sc);
        if (st) return st;
    }
    const double mm = 1e3, um = 1e6;
    if (d->tip_radius_m > d->needle_diameter_m / 2)
        return fail(c, ND_F_TIP_RADIUS, -1, ND_F_NEEDLE_DIAMETER,
                    "a tip radius of %g um is larger than the needle itself (needle_diameter_mm "
                    "%g, radius %g um)",
                    d->tip_radius_m * um, d->needle_diameter_m * mm, d->needle_diameter_m / 2 * um);
    if (d->kind == ND_DEVICE_ROLLER) {
        double across = d->drum_width_m / d->rings;
        double around = M_PI * d->drum_diameter_m / d->needles_per_ring;
        if (across <= d->needle_diameter_m)
            return fail(c, ND_F_RINGS, -1, ND_F_DRUM_WIDTH,
                        "%d rings of %g mm needles do not fit across a %g mm drum (they would "
                        "be %.3g mm apart)",
                        d->rings, d->needle_diameter_m * mm, d->drum_width_m * mm, across * mm);
        if (around <= d->needle_diameter_m)
            return fail(c, ND_F_NEEDLES_PER_RING, -1, ND_F_DRUM_DIAMETER,
                        "%d needles of %g mm do not fit around a %g mm drum (they would be "
                        "%.3g mm apart)",
                        d->needles_per_ring, d->needle_diameter_m * mm, d->drum_diameter_m * mm,
                        around * mm);
    } else if (d->pitch_m <= d->needle_diameter_m) {
        return fail(c, ND_F_PITCH, -1, ND_F_NEEDLE_DIAMETER,
                    "needles %g mm thick at a pitch of %g mm would touch; pitch_mm must be "
                    "larger than needle_diameter_mm",
                    d->needle_diameter_m * mm, d->pitch_m * mm);
    }
    return ND_OK;
}

static nd_status check_numbing(const checker *c)
{
    const nd_numbing *n = &c->sc->protocol.numbing;
    if ((int)n->cream < 0 || (int)n->cream > ND_CREAM_BLT)
        return fail(c, ND_F_CREAM, -1, ND_F_COUNT, "must be none, emla, lmx4 or blt, found %d",
                    (int)n->cream);
    nd_status st = check_range(c, ND_F_APPLICATION, -1, c->sc);
    if (st) return st;
    if (n->cream == ND_CREAM_NONE && n->application_s > 0)
        return fail(c, ND_F_APPLICATION, -1, ND_F_CREAM,
                    "is %g min but no cream is applied (cream: none); name the cream or set 0",
                    n->application_s / 60);
    if (n->cream == ND_CREAM_NONE && n->occluded)
        return fail(c, ND_F_OCCLUDED, -1, ND_F_CREAM,
                    "is true but no cream is applied (cream: none); name the cream or set false");
    nd_status st2 = check_range(c, ND_F_JITTER, -1, c->sc);
    if (!st2) st2 = check_range(c, ND_F_SESSIONS, -1, c->sc);
    if (!st2) st2 = check_range(c, ND_F_INTERVAL, -1, c->sc);
    if (!st2) st2 = check_range(c, ND_F_FOLLOW_UP, -1, c->sc);
    return st2;
}

static nd_status check_plan(const checker *c, int z)
{
    const nd_device_spec *d = &c->sc->device;
    const nd_zone_plan *p = &c->sc->protocol.zones[z];
    const double mm = 1e3;
    const char *kind = nd_device_kind_name(d->kind);
    if (p->motion != ND_MOTION_GLIDE && p->motion != ND_MOTION_STAMP)
        return fail(c, ND_F_MOTION, z, ND_F_COUNT, "must be glide or stamp, found %d",
                    (int)p->motion);
    if (d->kind == ND_DEVICE_ROLLER && p->motion != ND_MOTION_GLIDE)
        return fail(c, ND_F_MOTION, z, ND_F_COUNT, "a roller can only glide (motion: glide)");
    if (d->kind == ND_DEVICE_STAMP && p->motion != ND_MOTION_STAMP)
        return fail(c, ND_F_MOTION, z, ND_F_COUNT, "a manual stamp can only stamp (motion: stamp)");
    if (p->n_directions < 1 || p->n_directions > ND_MAX_DIRECTIONS)
        return fail(c, ND_F_DIRECTIONS, z, ND_F_COUNT, "must list 1 to %d directions, found %d",
                    ND_MAX_DIRECTIONS, p->n_directions);
    for (int i = 0; i < p->n_directions; i++)
        if ((int)p->directions[i] < 0 || p->directions[i] >= ND_DIR_COUNT)
            return fail(c, ND_F_DIRECTIONS, z, ND_F_COUNT,
                        "direction %d must be horizontal, vertical, diagonal or antidiagonal, "
                        "found %d",
                        i, (int)p->directions[i]);

    for (int f = ND_F_DEPTH; f <= ND_F_OVERLAP; f++) {
        const nd_field_spec *s = &nd_fields[f];
        if (s->type == ND_FT_OTHER || !nd_field_applies((nd_field)f, d->kind)) continue;
        if (f == ND_F_DWELL && p->motion != ND_MOTION_STAMP) continue;
        nd_status st = check_range(c, (nd_field)f, z, p);
        if (st) return st;
    }

    if (!nd_device_is_motorised(d)) {
        /* Built in code, a manual device could be handed a depth it cannot
         * reach; read from a file, depth_mm is refused before this. */
        if (p->depth_m != d->needle_length_m)
            return fail(c, ND_F_DEPTH, z, ND_F_COUNT,
                        "%s reaches at most its needle length; depth must equal "
                        "needle_length_mm (%g), found %g mm",
                        nd_kind_article(d->kind), d->needle_length_m * mm, p->depth_m * mm);
        return ND_OK;
    }
    if (p->depth_m > d->needle_length_m)
        return fail(c, ND_F_DEPTH, z, ND_F_NEEDLE_LENGTH,
                    "depth %g mm is deeper than the needle (needle_length_mm %g)", p->depth_m * mm,
                    d->needle_length_m * mm);
    if (p->depth_m >= d->motor_stroke_m)
        return fail(c, ND_F_DEPTH, z, ND_F_MOTOR_STROKE,
                    "depth %g mm is not less than the %s's motor stroke (motor_stroke_mm %g); "
                    "the needle travels the stroke, so it cannot go that deep",
                    p->depth_m * mm, kind, d->motor_stroke_m * mm);
    return ND_OK;
}

static nd_status check_zones(const checker *c)
{
    const nd_protocol *pr = &c->sc->protocol;
    if (pr->n_zones < 1 || pr->n_zones > ND_ZONE_COUNT) {
        nd_loc loc = c->map ? c->map->section[ND_SEC_PROTOCOL] : (nd_loc){0, 0};
        return nd_error_at(c->err, ND_ERR_INPUT, c->sc->source, loc.line, loc.column,
                           "protocol.zones", "must list 1 to %d zones, found %d", ND_ZONE_COUNT,
                           pr->n_zones);
    }
    int seen[ND_ZONE_COUNT];
    for (int z = 0; z < ND_ZONE_COUNT; z++) seen[z] = -1;
    for (int i = 0; i < pr->n_zones; i++) {
        int zone = pr->zones[i].zone;
        if (zone < 0 || zone >= ND_ZONE_COUNT)
            return fail(c, ND_F_ZONE, i, ND_F_COUNT, "must be a zone id 0 to %d, found %d",
                        ND_ZONE_COUNT - 1, zone);
        if (seen[zone] >= 0)
            return fail(c, ND_F_ZONE, i, ND_F_COUNT,
                        "zone %s is already treated by protocol.zones[%d]; list each zone once",
                        nd_zone_name(zone), c->map ? c->map->zone[seen[zone]].entry : seen[zone]);
        seen[zone] = i;
        nd_status st = check_plan(c, i);
        if (st) return st;
    }
    return ND_OK;
}

nd_status nd_scenario_check(const nd_scenario *sc, const nd_scenario_map *map, nd_error *err)
{
    if (!sc) return nd_error_set(err, ND_ERR_INTERNAL, "no scenario to check");
    if (!is_terminated(sc->source, sizeof sc->source))
        return nd_error_set(err, ND_ERR_INPUT, "scenario source is not a terminated string");
    checker c = {sc, map, err};
    nd_status st;
    if ((st = check_top(&c))) return st;
    if ((st = check_device(&c))) return st;
    if ((st = check_numbing(&c))) return st;
    if ((st = check_zones(&c))) return st;
    if ((st = nd_steps_check(sc, map, err))) return st;
    if (!is_terminated(sc->output.dir, sizeof sc->output.dir) || !sc->output.dir[0])
        return fail(&c, ND_F_DIR, -1, ND_F_COUNT, "must be a non-empty path");
    if ((st = check_range(&c, ND_F_TISSUE_SITES, -1, sc))) return st;
    if ((st = check_range(&c, ND_F_TISSUE_VOXEL, -1, sc))) return st;
    if ((st = check_range(&c, ND_F_TISSUE_WIDTH, -1, sc))) return st;
    return check_range(&c, ND_F_GRID, -1, sc);
}

nd_status nd_scenario_validate(const nd_scenario *sc, nd_error *err)
{
    return nd_scenario_check(sc, NULL, err);
}
