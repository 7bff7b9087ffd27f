/* SPDX-License-Identifier: MIT */
/* oncall.c - on-call rotations: strict loader, who is on call when, role suggestions, escalation. */
#include "warroom/oncall.h"

#include "warroom/actor.h"
#include "warroom/paths.h"
#include "warroom/tz.h"
#include "warroom/yaml.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- small parsers ---- */

long wr_oncall_duration_parse(const char *s)
{
    static const struct {
        char unit;
        long secs;
    } units[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
    if (!s || !*s)
        return -1;
    const char *p = s;
    long total = 0;
    size_t next = 0;
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return -1;
        long v = 0;
        int nd = 0;
        while (isdigit((unsigned char)*p)) {
            if (++nd > 7)
                return -1;
            v = v * 10 + (*p++ - '0');
        }
        size_t u = next;
        while (u < 4 && units[u].unit != *p)
            u++;
        if (u == 4)
            return -1;
        p++;
        next = u + 1;
        total += v * units[u].secs;
        if (total > 366L * 86400)
            return -1;
    }
    return total;
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return 0;
    for (const char *p = s; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' && *p != '_')
            return 0;
    return 1;
}

/* ---- loader ---- */

typedef struct ld {
    const wr_ydoc *doc;
    wr_buf *err;
    wr_oncall *oc;
} ld;

static int bad(ld *l, const wr_ynode *n, const char *fmt, ...) WR_PRINTF(3, 4);
static int bad(ld *l, const wr_ynode *n, const char *fmt, ...)
{
    wr_buf m = {0};
    va_list ap;
    va_start(ap, fmt);
    wr_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    wr_yaml_error(l->doc, n, l->err, "%s", wr_buf_str(&m));
    wr_buf_free(&m);
    return -1;
}

static int get_zone(ld *l, const wr_ynode *map, const char *key, const char *dflt, char **out)
{
    const char *s;
    int r = wr_yaml_str(l->doc, map, key, 0, &s, l->err);
    if (r < 0)
        return -1;
    if (r == 1) {
        *out = wr_xstrdup(dflt);
        return 0;
    }
    if (!wr_tz_valid(s))
        return bad(l, wr_yaml_get(map, key), "unknown time zone '%.80s': expected an IANA zone name such as "
                                             "Europe/Berlin, America/New_York or UTC (from the tz database, "
                                             "package tzdata)", s);
    *out = wr_xstrdup(s);
    return 0;
}

/* A time in the file: wall-clock in zone (or with an explicit offset), to UTC ms. */
static int get_time(ld *l, const wr_ynode *map, const char *key, const char *zone, int64_t *ms, wr_civil *civ,
                    int *had_offset)
{
    const char *s;
    if (wr_yaml_str(l->doc, map, key, 1, &s, l->err) < 0)
        return -1;
    wr_civil c;
    int has_off;
    long off;
    if (wr_civil_parse(s, &c, &has_off, &off) != 0)
        return bad(l, wr_yaml_get(map, key), "invalid time '%.80s' for '%s': expected \"YYYY-MM-DD HH:MM\" "
                                             "(wall-clock time in %s), optionally with Z or +HH:MM", s, key, zone);
    if (has_off) {
        *ms = (wr_civil_to_naive(&c) - off) * 1000;
    } else if (wr_tz_to_utc(zone, &c, ms) != 0) {
        return bad(l, wr_yaml_get(map, key), "time '%.80s' is out of range", s);
    }
    if (civ)
        *civ = c;
    if (had_offset)
        *had_offset = has_off;
    return 0;
}

static const char *const root_keys[] = {"timezone", "roles", "teams", "overrides", "escalations"};
static const char *const team_keys[] = {"name", "members", "rotation", "escalation"};
static const char *const rot_keys[] = {"shift", "every", "start", "timezone"};
static const char *const shifts[] = {"daily", "weekly", "custom"};
static const char *const override_keys[] = {"user", "for", "team", "from", "to", "timezone"};
static const char *const step_keys[] = {"after", "reach"};

static int load_rotation(ld *l, const wr_ynode *node, wr_oc_team *t)
{
    if (wr_yaml_as_map(l->doc, node, "'rotation'", l->err) < 0 ||
        wr_yaml_check_keys(l->doc, node, rot_keys, WR_ARRAY_LEN(rot_keys), l->err) < 0)
        return -1;
    const char *shift, *every = NULL;
    if (wr_yaml_str(l->doc, node, "shift", 1, &shift, l->err) < 0)
        return -1;
    size_t k;
    for (k = 0; k < WR_ARRAY_LEN(shifts); k++)
        if (strcmp(shift, shifts[k]) == 0)
            break;
    if (k == WR_ARRAY_LEN(shifts)) {
        const char *s = wr_suggest(shift, shifts, WR_ARRAY_LEN(shifts));
        return bad(l, wr_yaml_get(node, "shift"), "unknown shift '%.40s'%s%s%s; expected daily, weekly or custom "
                                                  "(with every: 12h)", shift, s ? " (did you mean '" : "",
                   s ? s : "", s ? "'?)" : "");
    }
    int r = wr_yaml_str(l->doc, node, "every", 0, &every, l->err);
    if (r < 0)
        return -1;
    t->rot.shift = wr_xstrdup(shift);
    if (k == 2) {
        if (r == 1)
            return bad(l, node, "a custom shift needs 'every' (a length such as 12h, 3d or 1d12h)");
        long secs = wr_oncall_duration_parse(every);
        if (secs < 60)
            return bad(l, wr_yaml_get(node, "every"), "invalid shift length '%.40s': expected a duration from "
                                                      "1m to 366d such as 12h, 3d or 1d12h", every);
        t->rot.length_s = secs;
    } else {
        if (r == 0)
            return bad(l, wr_yaml_get_key(node, "every"), "'every' is only for shift: custom (this shift is %s)",
                       shift);
        t->rot.length_s = k == 0 ? 86400 : 7 * 86400;
    }
    if (get_zone(l, node, "timezone", l->oc->zone, &t->rot.zone) < 0)
        return -1;
    int64_t ms;
    wr_civil c;
    int had_off;
    if (get_time(l, node, "start", t->rot.zone, &ms, &c, &had_off) < 0)
        return -1;
    if (had_off) /* an instant: its wall-clock time in the rotation's zone is the handoff time */
        wr_tz_local(t->rot.zone, ms, &c, NULL, NULL);
    t->rot.start_naive = wr_civil_to_naive(&c);
    return 0;
}

static int load_team(ld *l, const wr_ynode *key, const wr_ynode *node, wr_oc_team *t)
{
    t->line = key->line;
    if (!valid_id(key->value))
        return bad(l, key, "invalid team id '%.64s': use lowercase letters, digits, '-' and '_' (at most 64)",
                   key->value);
    t->id = wr_xstrdup(key->value);
    if (wr_yaml_as_map(l->doc, node, "a team", l->err) < 0 ||
        wr_yaml_check_keys(l->doc, node, team_keys, WR_ARRAY_LEN(team_keys), l->err) < 0)
        return -1;
    const char *s;
    int r = wr_yaml_str(l->doc, node, "name", 0, &s, l->err);
    if (r < 0)
        return -1;
    t->name = wr_xstrdup(r == 0 ? s : t->id);
    const wr_ynode *m;
    if (wr_yaml_seq(l->doc, node, "members", 1, &m, l->err) < 0)
        return -1;
    if (m->n == 0)
        return bad(l, m, "'members' must list at least one person");
    t->members = wr_xcalloc(m->n, sizeof *t->members);
    for (size_t i = 0; i < m->n; i++) {
        if (wr_yaml_as_str(l->doc, m->items[i], "a member", &s, l->err) < 0)
            return -1;
        if (!wr_actor_valid_name(s))
            return bad(l, m->items[i], "'%.64s' is not a valid operator name (1-64 printable characters)", s);
        t->members[t->nmembers++] = wr_xstrdup(s);
    }
    if (wr_yaml_check_unique(l->doc, (const wr_ynode *const *)m->items, m->n, "member", l->err) < 0)
        return -1;
    const wr_ynode *rot;
    if (wr_yaml_map(l->doc, node, "rotation", 1, &rot, l->err) < 0 || load_rotation(l, rot, t) < 0)
        return -1;
    r = wr_yaml_str(l->doc, node, "escalation", 0, &s, l->err);
    if (r < 0)
        return -1;
    if (r == 0)
        t->escalation = wr_xstrdup(s);
    return 0;
}

static const wr_oc_team *find_team(const wr_oncall *oc, const char *id)
{
    for (size_t i = 0; i < oc->nteams; i++)
        if (strcmp(oc->teams[i].id, id) == 0)
            return &oc->teams[i];
    return NULL;
}

static int unknown_team(ld *l, const wr_ynode *n, const char *id)
{
    const char **ids = wr_xcalloc(l->oc->nteams + 1, sizeof *ids);
    wr_buf all = {0};
    for (size_t i = 0; i < l->oc->nteams; i++) {
        ids[i] = l->oc->teams[i].id;
        wr_buf_printf(&all, "%s%s", i ? ", " : "", ids[i]);
    }
    const char *s = wr_suggest(id, ids, l->oc->nteams);
    bad(l, n, "unknown team '%.64s'%s%s%s; teams: %s", id, s ? " (did you mean '" : "", s ? s : "",
        s ? "'?)" : "", wr_buf_str(&all));
    free(ids);
    wr_buf_free(&all);
    return -1;
}

static int is_member(const wr_oc_team *t, const char *user)
{
    for (size_t i = 0; i < t->nmembers; i++)
        if (strcmp(t->members[i], user) == 0)
            return 1;
    return 0;
}

static int load_override(ld *l, const wr_ynode *node, wr_oc_override *o)
{
    o->line = node->line;
    if (wr_yaml_as_map(l->doc, node, "an override", l->err) < 0 ||
        wr_yaml_check_keys(l->doc, node, override_keys, WR_ARRAY_LEN(override_keys), l->err) < 0)
        return -1;
    const char *s;
    if (wr_yaml_str(l->doc, node, "user", 1, &s, l->err) < 0)
        return -1;
    if (!wr_actor_valid_name(s))
        return bad(l, wr_yaml_get(node, "user"), "'%.64s' is not a valid operator name", s);
    o->user = wr_xstrdup(s);
    int r = wr_yaml_str(l->doc, node, "team", 0, &s, l->err);
    if (r < 0)
        return -1;
    const wr_oc_team *team = NULL;
    if (r == 0) {
        if (!(team = find_team(l->oc, s)))
            return unknown_team(l, wr_yaml_get(node, "team"), s);
        o->team = wr_xstrdup(s);
    }
    r = wr_yaml_str(l->doc, node, "for", 0, &s, l->err);
    if (r < 0)
        return -1;
    if (r == 0) {
        int found = 0;
        for (size_t i = 0; i < l->oc->nteams; i++)
            if ((!team || team == &l->oc->teams[i]) && is_member(&l->oc->teams[i], s))
                found = 1;
        if (!found)
            return bad(l, wr_yaml_get(node, "for"), "'%.64s' is not a member of %s%s, so this override would "
                                                    "never apply", s, team ? "team " : "any team",
                       team ? team->id : "");
        if (strcmp(s, o->user) == 0)
            return bad(l, wr_yaml_get(node, "for"), "'%.64s' cannot cover for themselves", s);
        o->covers = wr_xstrdup(s);
    }
    if (!o->team && !o->covers)
        return bad(l, node, "an override needs 'team' (cover the whole team) or 'for' (cover one person), or "
                            "both");
    char *zone = NULL;
    if (get_zone(l, node, "timezone", team ? team->rot.zone : l->oc->zone, &zone) < 0)
        return -1;
    r = get_time(l, node, "from", zone, &o->from, NULL, NULL) < 0 || get_time(l, node, "to", zone, &o->to, NULL,
                                                                                  NULL) < 0;
    free(zone);
    if (r)
        return -1;
    if (o->to <= o->from)
        return bad(l, wr_yaml_get(node, "to"), "'to' must be after 'from'");
    return 0;
}

static int load_target(ld *l, const wr_ynode *n, wr_oc_target *t)
{
    const char *s;
    if (wr_yaml_as_str(l->doc, n, "an item of 'reach'", &s, l->err) < 0)
        return -1;
    if (wr_startswith(s, "team:")) {
        if (!find_team(l->oc, s + 5))
            return unknown_team(l, n, s + 5);
        t->is_team = 1;
        t->name = wr_xstrdup(s + 5);
    } else if (wr_startswith(s, "user:") && wr_actor_valid_name(s + 5)) {
        t->name = wr_xstrdup(s + 5);
    } else {
        return bad(l, n, "expected team:TEAM (the team's current on-call) or user:NAME, found '%.64s'", s);
    }
    return 0;
}

static int load_policy(ld *l, const wr_ynode *key, const wr_ynode *node, wr_oc_policy *p)
{
    if (!valid_id(key->value))
        return bad(l, key, "invalid policy id '%.64s': use lowercase letters, digits, '-' and '_'", key->value);
    p->id = wr_xstrdup(key->value);
    if (wr_yaml_as_seq(l->doc, node, "an escalation policy (a list of steps)", l->err) < 0)
        return -1;
    if (node->n == 0)
        return bad(l, node, "an escalation policy needs at least one step");
    p->steps = wr_xcalloc(node->n, sizeof *p->steps);
    for (size_t i = 0; i < node->n; i++) {
        const wr_ynode *sn = node->items[i];
        wr_oc_step *st = &p->steps[p->nsteps++];
        if (wr_yaml_as_map(l->doc, sn, "a step", l->err) < 0 ||
            wr_yaml_check_keys(l->doc, sn, step_keys, WR_ARRAY_LEN(step_keys), l->err) < 0)
            return -1;
        const char *s;
        if (wr_yaml_str(l->doc, sn, "after", 1, &s, l->err) < 0)
            return -1;
        long secs = wr_oncall_duration_parse(s);
        if (secs < 0)
            return bad(l, wr_yaml_get(sn, "after"), "invalid delay '%.40s': expected a duration such as 0m, 10m "
                                                    "or 1h30m", s);
        st->after_ms = secs * 1000LL;
        if (i > 0 && st->after_ms <= p->steps[i - 1].after_ms)
            return bad(l, wr_yaml_get(sn, "after"), "'after' must grow from step to step (it counts from the "
                                                    "start, not from the previous step)");
        const wr_ynode *reach;
        if (wr_yaml_seq(l->doc, sn, "reach", 1, &reach, l->err) < 0)
            return -1;
        if (reach->n == 0)
            return bad(l, reach, "'reach' must name at least one team:TEAM or user:NAME");
        st->targets = wr_xcalloc(reach->n, sizeof *st->targets);
        for (size_t k = 0; k < reach->n; k++) {
            if (load_target(l, reach->items[k], &st->targets[st->ntargets]) < 0)
                return -1;
            st->ntargets++;
        }
        if (wr_yaml_check_unique(l->doc, (const wr_ynode *const *)reach->items, reach->n, "target", l->err) < 0)
            return -1;
    }
    return 0;
}

static int load_root(ld *l)
{
    const wr_ydoc *doc = l->doc;
    const wr_ynode *root = doc->root;
    wr_oncall *oc = l->oc;
    if (wr_yaml_as_map(doc, root, "the on-call file", l->err) < 0 ||
        wr_yaml_check_keys(doc, root, root_keys, WR_ARRAY_LEN(root_keys), l->err) < 0)
        return -1;
    if (get_zone(l, root, "timezone", "UTC", &oc->zone) < 0)
        return -1;
    const wr_ynode *teams, *n;
    if (wr_yaml_map(doc, root, "teams", 1, &teams, l->err) < 0)
        return -1;
    if (teams->n == 0)
        return bad(l, teams, "'teams' must define at least one team");
    oc->teams = wr_xcalloc(teams->n, sizeof *oc->teams);
    for (size_t i = 0; i < teams->n; i++) {
        oc->nteams++;
        if (load_team(l, teams->keys[i], teams->items[i], &oc->teams[i]) < 0)
            return -1;
    }
    int r = wr_yaml_map(doc, root, "escalations", 0, &n, l->err);
    if (r < 0)
        return -1;
    if (r == 0) {
        oc->policies = wr_xcalloc(n->n + 1, sizeof *oc->policies);
        for (size_t i = 0; i < n->n; i++) {
            oc->npolicies++;
            if (load_policy(l, n->keys[i], n->items[i], &oc->policies[i]) < 0)
                return -1;
        }
    }
    for (size_t i = 0; i < oc->nteams; i++) {
        const wr_oc_team *t = &oc->teams[i];
        if (t->escalation && !wr_oncall_policy(oc, t->escalation)) {
            const char **ids = wr_xcalloc(oc->npolicies + 1, sizeof *ids);
            for (size_t k = 0; k < oc->npolicies; k++)
                ids[k] = oc->policies[k].id;
            const char *s = wr_suggest(t->escalation, ids, oc->npolicies);
            free(ids);
            return bad(l, wr_yaml_get(teams->items[i], "escalation"), "unknown escalation policy '%.64s'%s%s%s",
                       t->escalation, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
        }
    }
    if ((r = wr_yaml_map(doc, root, "roles", 0, &n, l->err)) < 0)
        return -1;
    if (r == 0) {
        oc->role_ids = wr_xcalloc(n->n + 1, sizeof(char *));
        oc->role_teams = wr_xcalloc(n->n + 1, sizeof(char *));
        for (size_t i = 0; i < n->n; i++) {
            const char *s;
            if (!valid_id(n->keys[i]->value))
                return bad(l, n->keys[i], "invalid role id '%.64s' (e.g. incident-commander)", n->keys[i]->value);
            if (wr_yaml_as_str(doc, n->items[i], "the team supplying a role", &s, l->err) < 0)
                return -1;
            if (!find_team(oc, s))
                return unknown_team(l, n->items[i], s);
            oc->role_ids[oc->nroles] = wr_xstrdup(n->keys[i]->value);
            oc->role_teams[oc->nroles++] = wr_xstrdup(s);
        }
    }
    if ((r = wr_yaml_seq(doc, root, "overrides", 0, &n, l->err)) < 0)
        return -1;
    if (r == 0) {
        oc->overrides = wr_xcalloc(n->n + 1, sizeof *oc->overrides);
        for (size_t i = 0; i < n->n; i++) {
            oc->noverrides++;
            if (load_override(l, n->items[i], &oc->overrides[i]) < 0)
                return -1;
        }
    }
    return 0;
}

wr_oncall *wr_oncall_load_mem(const char *name, const char *data, size_t len, wr_buf *err)
{
    wr_ydoc *doc = wr_yaml_load_mem(name, data, len, err);
    if (!doc)
        return NULL;
    wr_oncall *oc = wr_xcalloc(1, sizeof *oc);
    oc->path = wr_xstrdup(name);
    ld l = {doc, err, oc};
    int r = load_root(&l);
    wr_yaml_free(doc);
    if (r < 0) {
        wr_oncall_free(oc);
        return NULL;
    }
    return oc;
}

wr_oncall *wr_oncall_load_file(const char *path, wr_buf *err)
{
    size_t len;
    char *data = wr_yaml_read_file(path, WR_ONCALL_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    wr_oncall *oc = wr_oncall_load_mem(path, data, len, err);
    free(data);
    return oc;
}

void wr_oncall_free(wr_oncall *oc)
{
    if (!oc)
        return;
    for (size_t i = 0; i < oc->nteams; i++) {
        wr_oc_team *t = &oc->teams[i];
        free(t->id);
        free(t->name);
        for (size_t k = 0; k < t->nmembers; k++)
            free(t->members[k]);
        free(t->members);
        free(t->rot.shift);
        free(t->rot.zone);
        free(t->escalation);
    }
    free(oc->teams);
    for (size_t i = 0; i < oc->noverrides; i++) {
        free(oc->overrides[i].user);
        free(oc->overrides[i].covers);
        free(oc->overrides[i].team);
    }
    free(oc->overrides);
    for (size_t i = 0; i < oc->npolicies; i++) {
        for (size_t s = 0; s < oc->policies[i].nsteps; s++) {
            for (size_t k = 0; k < oc->policies[i].steps[s].ntargets; k++)
                free(oc->policies[i].steps[s].targets[k].name);
            free(oc->policies[i].steps[s].targets);
        }
        free(oc->policies[i].steps);
        free(oc->policies[i].id);
    }
    free(oc->policies);
    for (size_t i = 0; i < oc->nroles; i++) {
        free(oc->role_ids[i]);
        free(oc->role_teams[i]);
    }
    free(oc->role_ids);
    free(oc->role_teams);
    free(oc->zone);
    free(oc->path);
    free(oc);
}

char *wr_oncall_default_path(void)
{
    char *dir = wr_paths_user_config_dir();
    char *cands[2] = {wr_xasprintf("%s/oncall.yaml", dir), wr_xstrdup("/etc/warroom/oncall.yaml")};
    free(dir);
    char *found = NULL;
    for (int i = 0; i < 2; i++) {
        struct stat sb;
        if (!found && stat(cands[i], &sb) == 0)
            found = cands[i];
        else
            free(cands[i]);
    }
    return found;
}

const wr_oc_team *wr_oncall_team(const wr_oncall *oc, const char *id)
{
    return find_team(oc, id);
}

int wr_oncall_names(const wr_oncall *oc, const char *user)
{
    for (size_t t = 0; t < oc->nteams; t++)
        for (size_t m = 0; m < oc->teams[t].nmembers; m++)
            if (strcmp(oc->teams[t].members[m], user) == 0)
                return 1;
    for (size_t o = 0; o < oc->noverrides; o++)
        if (strcmp(oc->overrides[o].user, user) == 0)
            return 1;
    for (size_t p = 0; p < oc->npolicies; p++)
        for (size_t k = 0; k < oc->policies[p].nsteps; k++)
            for (size_t i = 0; i < oc->policies[p].steps[k].ntargets; i++)
                if (!oc->policies[p].steps[k].targets[i].is_team &&
                    strcmp(oc->policies[p].steps[k].targets[i].name, user) == 0)
                    return 1;
    return 0;
}

const wr_oc_policy *wr_oncall_policy(const wr_oncall *oc, const char *id)
{
    for (size_t i = 0; i < oc->npolicies; i++)
        if (strcmp(oc->policies[i].id, id) == 0)
            return &oc->policies[i];
    return NULL;
}

/* ---- rotation arithmetic ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* The instant of handoff k. */
static int handoff(const wr_oc_rotation *r, int64_t k, int64_t *ms)
{
    wr_civil c;
    wr_civil_from_naive(r->start_naive + k * r->length_s, &c);
    return wr_tz_to_utc(r->zone, &c, ms);
}

/* The shift k holding instant at: handoff(k) <= at < handoff(k + 1). */
static int shift_of(const wr_oc_rotation *r, int64_t at, int64_t *k_out, int64_t *start, int64_t *end)
{
    wr_civil c;
    if (wr_tz_local(r->zone, at, &c, NULL, NULL) != 0)
        return -1;
    int64_t k = floor_div(wr_civil_to_naive(&c) - r->start_naive, r->length_s);
    for (int guard = 0; guard < 8; guard++) {
        if (handoff(r, k, start) != 0 || handoff(r, k + 1, end) != 0)
            return -1;
        if (at < *start)
            k--;
        else if (at >= *end)
            k++;
        else {
            *k_out = k;
            return 0;
        }
    }
    return -1;
}

static const char *member_at(const wr_oc_team *t, int64_t k)
{
    int64_t n = (int64_t)t->nmembers;
    return t->members[((k % n) + n) % n];
}

/* Does override o apply to team t whose rotation names `scheduled`, at instant at? */
static int override_applies(const wr_oc_override *o, const wr_oc_team *t, const char *scheduled, int64_t at)
{
    if (at < o->from || at >= o->to)
        return 0;
    if (o->team && strcmp(o->team, t->id) != 0)
        return 0;
    if (o->covers && strcmp(o->covers, scheduled) != 0)
        return 0;
    return 1;
}

static const wr_oc_override *override_at(const wr_oncall *oc, const wr_oc_team *t, const char *scheduled,
                                         int64_t at)
{
    for (size_t i = oc->noverrides; i > 0; i--) /* the last one listed wins */
        if (override_applies(&oc->overrides[i - 1], t, scheduled, at))
            return &oc->overrides[i - 1];
    return NULL;
}

int wr_oncall_at(const wr_oncall *oc, const char *team, int64_t at, wr_oncall_slot *out)
{
    memset(out, 0, sizeof *out);
    const wr_oc_team *t = find_team(oc, team);
    if (!t)
        return -1;
    out->team = t;
    int64_t k, s, e;
    if (shift_of(&t->rot, at, &k, &s, &e) != 0)
        return -1;
    out->shift_index = k;
    out->shift_start = s;
    out->shift_end = e;
    out->scheduled = member_at(t, k);
    out->next = member_at(t, k + 1);
    const wr_oc_override *o = override_at(oc, t, out->scheduled, at);
    out->override = o;
    out->user = o ? o->user : out->scheduled;
    /* The stretch during which the same override state holds: cut by the shift and by the edges of
     * overrides that apply in it. */
    int64_t since = o && !o->covers ? o->from : s, until = o && !o->covers ? o->to : e;
    if (o && o->covers) {
        since = o->from > s ? o->from : s;
        until = o->to < e ? o->to : e;
    }
    for (size_t i = 0; i < oc->noverrides; i++) {
        const wr_oc_override *x = &oc->overrides[i];
        if (x == o || (x->team && strcmp(x->team, t->id) != 0) ||
            (x->covers && strcmp(x->covers, out->scheduled) != 0))
            continue;
        if (x->from > at && x->from < until) /* one that starts later in the stretch */
            until = x->from;
        if (x->to <= at && x->to > since) /* one that ended earlier in it */
            since = x->to;
    }
    out->since = since;
    out->until = until;
    return 0;
}

/* ---- suggestions and escalation ---- */

static const char *role_team(const wr_oncall *oc, const char *role)
{
    for (size_t i = 0; i < oc->nroles; i++)
        if (strcmp(oc->role_ids[i], role) == 0)
            return oc->role_teams[i];
    return NULL;
}

int wr_oncall_suggest(const wr_oncall *oc, const char *role, int64_t at, wr_oncall_pick *out)
{
    memset(out, 0, sizeof *out);
    const char *team = role_team(oc, role);
    if (!team || wr_oncall_at(oc, team, at, &out->slot) != 0)
        return -1;
    const wr_oc_team *t = out->slot.team;
    out->role = role;
    out->team = t->id;
    out->people = wr_xcalloc(t->nmembers + 1, sizeof *out->people);
    out->people[out->n++] = out->slot.user;
    out->oncall = out->slot.user;
    for (size_t i = 1; i <= t->nmembers; i++) {
        const char *m = member_at(t, out->slot.shift_index + (int64_t)i);
        int dup = 0;
        for (size_t j = 0; j < out->n; j++)
            if (strcmp(out->people[j], m) == 0)
                dup = 1;
        if (!dup)
            out->people[out->n++] = m;
    }
    return 0;
}

void wr_oncall_pick_free(wr_oncall_pick *p)
{
    free(p->people);
    memset(p, 0, sizeof *p);
}

void wr_oncall_resolve_step(const wr_oncall *oc, const wr_oc_step *step, int64_t at, wr_oncall_due *out)
{
    free(out->reach);
    out->reach = wr_xcalloc(step->ntargets + 1, sizeof *out->reach);
    out->nreach = 0;
    for (size_t i = 0; i < step->ntargets; i++) {
        wr_oncall_reach *r = &out->reach[out->nreach++];
        r->target = &step->targets[i];
        if (step->targets[i].is_team) {
            wr_oncall_slot slot;
            r->user = wr_oncall_at(oc, step->targets[i].name, at, &slot) == 0 ? slot.user : NULL;
        } else {
            r->user = step->targets[i].name;
        }
    }
}

int wr_oncall_escalation_due(const wr_oncall *oc, const char *role, int64_t empty_ms, int64_t at,
                             wr_oncall_due *out)
{
    memset(out, 0, sizeof *out);
    const char *team = role_team(oc, role);
    const wr_oc_team *t = team ? find_team(oc, team) : NULL;
    const wr_oc_policy *p = t && t->escalation ? wr_oncall_policy(oc, t->escalation) : NULL;
    out->step = -1;
    out->next_after_ms = -1;
    if (!p)
        return -1;
    out->role = role;
    out->team = t->id;
    out->policy = p;
    for (size_t i = 0; i < p->nsteps; i++)
        if (p->steps[i].after_ms <= empty_ms)
            out->step = (int)i;
    size_t next = (size_t)(out->step + 1);
    out->next_after_ms = next < p->nsteps ? p->steps[next].after_ms : -1;
    if (out->step >= 0) {
        out->step_after_ms = p->steps[out->step].after_ms;
        wr_oncall_resolve_step(oc, &p->steps[out->step], at, out);
    }
    return 0;
}

void wr_oncall_due_free(wr_oncall_due *d)
{
    free(d->reach);
    d->reach = NULL;
    d->nreach = 0;
}
