/* Reading a scenario's protocol from YAML: numbing, hand jitter, the zone
 * defaults and the zone list, with groups expanded; see scenario_load.h. */
#include <stdio.h>
#include <string.h>

#include "config/scenario_load.h"
#include "config/suggest.h"

/* Zone keys as written in one mapping (an entry of protocol.zones, or
 * protocol.defaults): which were given, and their values. */
typedef struct {
    const nd_ynode *node[ND_F_COUNT]; /* value of each key given; NULL: not given */
    nd_zone_plan vals;                /* SI, for the keys given */
} zone_keys;

nd_status nd_load_numbing_map(nd_loader *L, const nd_ynode *m, const char *path)
{
    nd_numbing *n = &L->sc->protocol.numbing;
    const char *keys[ND_F_COUNT + 8];
    nd_section_keys(ND_SEC_NUMBING, NULL, keys);
    nd_status st = nd_ycheck_keys(&L->r, m, path, keys, nd_key_home);
    if (st) return st;
    const nd_ynode *v;
    char fpath[ND_ERROR_FIELD_MAX];
    if ((v = nd_ymap_get(L->r.doc, m, "cream"))) {
        L->map->at[ND_F_CREAM] = nd_loc_of(v);
        nd_ypath(fpath, sizeof fpath, path, "cream");
        int cream;
        if ((st = nd_yread_enum(&L->r, v, fpath, nd_cream_names, "cream", &cream))) return st;
        n->cream = (nd_cream)cream;
    }
    if ((v = nd_ymap_get(L->r.doc, m, "application_min"))) {
        L->map->at[ND_F_APPLICATION] = nd_loc_of(v);
        nd_ypath(fpath, sizeof fpath, path, "application_min");
        if ((st = nd_load_field(L, ND_F_APPLICATION, v, fpath, L->sc))) return st;
    }
    if ((v = nd_ymap_get(L->r.doc, m, "occluded"))) {
        L->map->at[ND_F_OCCLUDED] = nd_loc_of(v);
        nd_ypath(fpath, sizeof fpath, path, "occluded");
        if ((st = nd_yread_bool(&L->r, v, fpath, &n->occluded))) return st;
    }
    return ND_OK;
}

static nd_status read_numbing(nd_loader *L, const nd_ynode *protocol)
{
    nd_numbing *n = &L->sc->protocol.numbing;
    n->cream = ND_CREAM_NONE;
    n->application_s = 0;
    n->occluded = 0;
    const nd_ynode *m;
    nd_status st =
        nd_load_section(L, protocol, L->map->section[ND_SEC_PROTOCOL], "protocol", "numbing",
                        ND_SEC_NUMBING, 0, "cream, application_min and occluded", &m);
    if (st || !m) return st;
    return nd_load_numbing_map(L, m, "protocol.numbing");
}

static nd_status read_directions(nd_loader *L, const nd_ynode *v, const char *path, nd_zone_plan *p)
{
    if (!nd_ynode_is_sequence(v)) {
        char found[128];
        nd_ynode_describe(v, found, sizeof found);
        return nd_yfail(&L->r, v, path,
                        "expected a list of directions such as [horizontal, vertical], found %s",
                        found);
    }
    size_t n = nd_ynode_size(v);
    if (n < 1 || n > ND_MAX_DIRECTIONS)
        return nd_yfail(&L->r, v, path, "must list 1 to %d directions, found %zu",
                        ND_MAX_DIRECTIONS, n);
    for (size_t i = 0; i < n; i++) {
        char ipath[ND_ERROR_FIELD_MAX + 24];
        snprintf(ipath, sizeof ipath, "%s[%zu]", path, i);
        int dir;
        nd_status st = nd_yread_enum(&L->r, nd_yseq_item(L->r.doc, v, i), ipath, nd_direction_names,
                                     "direction", &dir);
        if (st) return st;
        p->directions[i] = (nd_direction)dir;
    }
    p->n_directions = (int)n;
    return ND_OK;
}

static nd_status not_allowed(nd_loader *L, nd_field f, const nd_ynode *key, const char *path)
{
    const nd_device_spec *d = &L->sc->device;
    const char *kind = nd_kind_article(d->kind);
    if (f == ND_F_DEPTH)
        return nd_yfail(&L->r, key, path,
                        "not allowed for %s: it reaches at most its needle length "
                        "(needle_length_mm %g), so its depth is set by choosing the needle",
                        kind, d->needle_length_m * 1e3);
    return nd_yfail(&L->r, key, path, "not allowed for %s: %s", kind, nd_fields[f].why_not);
}

static nd_status read_zone_keys(nd_loader *L, const nd_ynode *m, const char *path, zone_keys *zk)
{
    memset(zk, 0, sizeof *zk);
    nd_device_kind kind = L->sc->device.kind;
    for (int f = ND_F_DEPTH; f <= ND_F_OVERLAP; f++) {
        const char *key = nd_fields[f].key;
        const nd_ynode *k = nd_ymap_get_key(L->r.doc, m, key);
        if (!k) continue;
        const nd_ynode *v = nd_ymap_get(L->r.doc, m, key);
        char fpath[ND_ERROR_FIELD_MAX];
        nd_ypath(fpath, sizeof fpath, path, key);
        if (!nd_field_applies((nd_field)f, kind)) return not_allowed(L, (nd_field)f, k, fpath);
        zk->node[f] = v;
        nd_status st;
        if (f == ND_F_DIRECTIONS) {
            st = read_directions(L, v, fpath, &zk->vals);
        } else if (f == ND_F_MOTION) {
            int motion;
            st = nd_yread_enum(&L->r, v, fpath, nd_motion_names, "motion", &motion);
            zk->vals.motion = (nd_motion)motion;
        } else {
            st = nd_load_field(L, (nd_field)f, v, fpath, &zk->vals);
        }
        if (st) return st;
    }
    return ND_OK;
}

static nd_status read_defaults(nd_loader *L, const nd_ynode *protocol, zone_keys *dk)
{
    memset(dk, 0, sizeof *dk);
    const nd_ynode *m;
    nd_status st =
        nd_load_section(L, protocol, L->map->section[ND_SEC_PROTOCOL], "protocol", "defaults",
                        ND_SEC_COUNT, 0, "zone settings shared by every zone", &m);
    if (st || !m) return st;
    const nd_ynode *zk = nd_ymap_get_key(L->r.doc, m, "zone");
    if (zk)
        return nd_yfail(&L->r, zk, "protocol.defaults.zone",
                        "a zone cannot have a default; name each zone in protocol.zones");
    const char *keys[ND_F_COUNT + 8];
    nd_section_keys(ND_SEC_ZONE, NULL, keys);
    if ((st = nd_ycheck_keys(&L->r, m, "protocol.defaults", keys, nd_key_home))) return st;
    if ((st = read_zone_keys(L, m, "protocol.defaults", dk))) return st;
    for (int f = 0; f < ND_F_COUNT; f++)
        if (dk->node[f]) L->map->defaults_at[f] = nd_loc_of(dk->node[f]);
    return ND_OK;
}

/* The value of f for a zone: its entry's, else protocol.defaults', else
 * fallback (the model default). */
static double pick(const zone_keys *zk, const zone_keys *dk, nd_field f, double fallback)
{
    if (zk->node[f]) return nd_field_get(f, &zk->vals);
    if (dk->node[f]) return nd_field_get(f, &dk->vals);
    return fallback;
}

/* Settings of one entry of protocol.zones, before its zone is expanded. */
static nd_status resolve_plan(nd_loader *L, const zone_keys *zk, const zone_keys *dk,
                              const nd_ynode *entry, const char *path, nd_zone_plan *p)
{
    const nd_device_spec *d = &L->sc->device;
    const nd_model_defaults *def = &L->def;
    nd_device_kind kind = d->kind;
    int motor = nd_device_is_motorised(d);
    memset(p, 0, sizeof *p);

    if (zk->node[ND_F_MOTION])
        p->motion = zk->vals.motion;
    else if (dk->node[ND_F_MOTION])
        p->motion = dk->vals.motion;
    else /* an electronic stamp is made to stamp, a pen to glide */
        p->motion =
            kind == ND_DEVICE_STAMP || kind == ND_DEVICE_ESTAMP ? ND_MOTION_STAMP : ND_MOTION_GLIDE;

    const zone_keys *dsrc = zk->node[ND_F_DIRECTIONS] ? zk : dk->node[ND_F_DIRECTIONS] ? dk : NULL;
    if (dsrc) {
        p->n_directions = dsrc->vals.n_directions;
        memcpy(p->directions, dsrc->vals.directions, sizeof p->directions);
    } else {
        p->n_directions = ND_DIR_COUNT;
        for (int i = 0; i < ND_DIR_COUNT; i++) p->directions[i] = (nd_direction)i;
    }
    p->passes = (int)pick(zk, dk, ND_F_PASSES, p->n_directions);
    p->overlap = pick(zk, dk, ND_F_OVERLAP, def->overlap);

    char fpath[ND_ERROR_FIELD_MAX];
    if (!motor) {
        p->depth_m = d->needle_length_m;
    } else if (!zk->node[ND_F_DEPTH] && !dk->node[ND_F_DEPTH]) {
        nd_ypath(fpath, sizeof fpath, path, "depth_mm");
        return nd_yfail(&L->r, entry, fpath,
                        "missing; %s needs a depth for every zone (set depth_mm here or in "
                        "protocol.defaults)",
                        nd_kind_article(kind));
    } else {
        p->depth_m = pick(zk, dk, ND_F_DEPTH, 0);
    }

    switch (kind) {
    case ND_DEVICE_ROLLER:
        p->speed_m_s = pick(zk, dk, ND_F_SPEED, def->roller_speed_m_s);
        p->force_n = pick(zk, dk, ND_F_FORCE, def->roller_force_n);
        break;
    case ND_DEVICE_STAMP:
        p->force_n = pick(zk, dk, ND_F_FORCE, def->stamp_force_n);
        p->press_speed_m_s = pick(zk, dk, ND_F_PRESS_SPEED, def->stamp_press_speed_m_s);
        p->stamp_rate_hz = pick(zk, dk, ND_F_STAMP_RATE, def->stamp_rate_hz);
        break;
    case ND_DEVICE_ESTAMP:
    case ND_DEVICE_PEN:
        p->speed_m_s = pick(zk, dk, ND_F_SPEED, def->glide_speed_m_s);
        if (p->motion == ND_MOTION_STAMP) {
            p->dwell_s = pick(zk, dk, ND_F_DWELL, def->dwell_s);
        } else if (zk->node[ND_F_DWELL]) {
            /* From protocol.defaults it may be meant for the zones that stamp;
             * written on a gliding zone it can only be a mistake. */
            nd_ypath(fpath, sizeof fpath, path, "dwell_s");
            return nd_yfail(&L->r, zk->node[ND_F_DWELL], fpath,
                            "applies only with motion: stamp, and this zone glides");
        }
        break;
    }
    return ND_OK;
}

typedef struct {
    int entry; /* entry of protocol.zones that treats the zone, -1: none yet */
    const nd_ynode *name;
} zone_claim;

static nd_status read_zone_name(nd_loader *L, const nd_ynode *entry, const char *path,
                                int ids[ND_ZONE_COUNT], int *n, const nd_ynode **name_node)
{
    char zpath[ND_ERROR_FIELD_MAX];
    nd_ypath(zpath, sizeof zpath, path, "zone");
    const nd_ynode *v = nd_ymap_get(L->r.doc, entry, "zone");
    *name_node = v;
    if (!nd_ymap_get_key(L->r.doc, entry, "zone"))
        return nd_yfail(&L->r, entry, zpath,
                        "missing; each entry names a zone or a group (e.g. zone: forehead, "
                        "zone: cheeks)");
    if (!nd_ynode_is_scalar(v) || nd_ynode_is_null(v)) {
        char found[128];
        nd_ynode_describe(v, found, sizeof found);
        return nd_yfail(&L->r, v, zpath,
                        "expected one zone or group name such as forehead or cheeks, found %s "
                        "(use one entry per zone)",
                        found);
    }
    const char *name = nd_ynode_text(v);
    *n = nd_zone_expand(name, ids);
    if (*n > 0) return ND_OK;
    const char *const *all = nd_zone_all_names();
    const char *near = nd_suggest(name, all);
    if (near) return nd_yfail(&L->r, v, zpath, "unknown zone '%s'; did you mean '%s'?", name, near);
    char list[600];
    nd_join_names(all, list, sizeof list);
    return nd_yfail(&L->r, v, zpath, "unknown zone '%s'; expected one of %s", name, list);
}

static nd_status read_zone_entry(nd_loader *L, size_t i, const nd_ynode *entry, const zone_keys *dk,
                                 zone_claim claims[ND_ZONE_COUNT])
{
    char path[ND_ERROR_FIELD_MAX];
    snprintf(path, sizeof path, "protocol.zones[%zu]", i);
    if (!nd_ynode_is_mapping(entry)) {
        char found[128];
        nd_ynode_describe(entry, found, sizeof found);
        return nd_yfail(&L->r, entry, path,
                        "expected a mapping such as { zone: forehead, passes: 2 }, found %s",
                        found);
    }
    const char *keys[ND_F_COUNT + 8];
    nd_section_keys(ND_SEC_ZONE, NULL, keys);
    nd_status st = nd_ycheck_keys(&L->r, entry, path, keys, nd_key_home);
    if (st) return st;
    int ids[ND_ZONE_COUNT], n = 0;
    const nd_ynode *name;
    if ((st = read_zone_name(L, entry, path, ids, &n, &name))) return st;
    zone_keys zk;
    if ((st = read_zone_keys(L, entry, path, &zk))) return st;
    nd_zone_plan plan;
    if ((st = resolve_plan(L, &zk, dk, entry, path, &plan))) return st;

    nd_protocol *pr = &L->sc->protocol;
    for (int j = 0; j < n; j++) {
        zone_claim *c = &claims[ids[j]];
        if (c->entry >= 0) {
            char zpath[ND_ERROR_FIELD_MAX], how[200] = "";
            nd_ypath(zpath, sizeof zpath, path, "zone");
            const char *prev = nd_ynode_text(c->name);
            if (strcmp(prev, nd_zone_name(ids[j])) != 0) snprintf(how, sizeof how, "%s, ", prev);
            return nd_yfail(&L->r, name, zpath,
                            "zone %s is already treated by protocol.zones[%d] (%sline %d); list "
                            "each zone once",
                            nd_zone_name(ids[j]), c->entry, how, nd_ynode_line(c->name));
        }
        c->entry = (int)i;
        c->name = name;
        int z = pr->n_zones++;
        pr->zones[z] = plan;
        pr->zones[z].zone = ids[j];
        L->map->zone[z].entry = (int)i;
        L->map->zone[z].item = nd_loc_of(entry);
        L->map->zone[z].at[ND_F_ZONE] = nd_loc_of(name);
        for (int f = ND_F_DEPTH; f <= ND_F_OVERLAP; f++)
            if (zk.node[f]) L->map->zone[z].at[f] = nd_loc_of(zk.node[f]);
    }
    return ND_OK;
}

static nd_status read_zones(nd_loader *L, const nd_ynode *protocol, const zone_keys *dk)
{
    const nd_ynode *k = nd_ymap_get_key(L->r.doc, protocol, "zones");
    const nd_ynode *v = nd_ymap_get(L->r.doc, protocol, "zones");
    nd_loc at = L->map->section[ND_SEC_PROTOCOL];
    if (!k)
        return nd_yfail_at(&L->r, at.line, at.column, "protocol.zones",
                           "missing; list the zones to treat, e.g. zones: [{ zone: forehead }]");
    if (!nd_ynode_is_sequence(v)) {
        char found[128];
        nd_ynode_describe(v, found, sizeof found);
        return nd_yfail(&L->r, v, "protocol.zones",
                        "expected a list of zone entries (- { zone: forehead }), found %s", found);
    }
    if (nd_ynode_size(v) == 0)
        return nd_yfail(&L->r, v, "protocol.zones", "must list at least one zone");
    zone_claim claims[ND_ZONE_COUNT];
    for (int z = 0; z < ND_ZONE_COUNT; z++) claims[z] = (zone_claim){-1, NULL};
    L->sc->protocol.n_zones = 0;
    for (size_t i = 0; i < nd_ynode_size(v); i++) {
        nd_status st = read_zone_entry(L, i, nd_yseq_item(L->r.doc, v, i), dk, claims);
        if (st) return st;
    }
    return ND_OK;
}

nd_status nd_load_protocol(nd_loader *L, const nd_ynode *protocol)
{
    const char *keys[ND_F_COUNT + 8];
    static const char *const sections[] = {"numbing", "steps", "defaults", "zones", NULL};
    nd_section_keys(ND_SEC_PROTOCOL, sections, keys);
    nd_status st = nd_ycheck_keys(&L->r, protocol, "protocol", keys, nd_key_home);
    if (st) return st;
    if ((st = read_numbing(L, protocol))) return st;
    if ((st = nd_load_steps(L, protocol))) return st;
    L->sc->protocol.jitter_m = L->def.jitter_m;
    const nd_ynode *v = nd_ymap_get(L->r.doc, protocol, "jitter_mm");
    if (v) {
        L->map->at[ND_F_JITTER] = nd_loc_of(v);
        if ((st = nd_load_field(L, ND_F_JITTER, v, "protocol.jitter_mm", L->sc))) return st;
    }
    /* The series: one session, then 4 weeks apart (Harris 2015's median), and
     * followed up for 3 months (Kenkel 2021 and El-Domyati 2015 measured at 1-3 months). */
    L->sc->protocol.sessions = 1;
    L->sc->protocol.interval_s = L->def.interval_s;
    L->sc->protocol.follow_up_s = L->def.follow_up_s;
    static const struct {
        nd_field f;
        const char *path;
    } series[] = {{ND_F_SESSIONS, "protocol.sessions"},
                  {ND_F_INTERVAL, "protocol.interval_days"},
                  {ND_F_FOLLOW_UP, "protocol.follow_up_days"}};
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++) {
        v = nd_ymap_get(L->r.doc, protocol, nd_fields[series[i].f].key);
        if (!v) continue;
        L->map->at[series[i].f] = nd_loc_of(v);
        if ((st = nd_load_field(L, series[i].f, v, series[i].path, L->sc))) return st;
    }
    zone_keys dk;
    if ((st = read_defaults(L, protocol, &dk))) return st;
    return read_zones(L, protocol, &dk);
}
