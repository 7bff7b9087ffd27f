/* SPDX-License-Identifier: MIT */
/* drill.c - drill scenarios: strict loader, runbook checks, the runner; and replays of past incidents. */
#include "warroom/drill.h"

#include "warroom/alert.h"
#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/oncall.h"
#include "warroom/yaml.h"
#include "warroom/model.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- loader ---- */

static const char *const root_keys[] = {"id", "title", "description", "incident", "events"};
static const char *const incident_keys[] = {"title", "severity", "type"};
static const char *const event_keys[] = {"at",     "as",   "reason", "force", "note", "severity", "status",
                                         "assign", "unassign", "attach", "step", "alert", "set"};
static const char *const action_keys[] = {"note",     "severity", "status", "assign", "unassign",
                                          "attach",   "step",     "alert",  "set"};
static const char *const role_keys[] = {"role", "user"};
static const char *const step_keys[] = {"id", "runbook", "action"};
static const char *const set_keys[] = {"field", "value"};
static const char *const alert_keys[] = {"source", "title", "severity", "labels", "status",
                                         "url",    "description", "attach"};
static const char *const step_actions[] = {"done", "skip", "block", "start", "todo"};
static const char *const set_fields[] = {"title", "summary", "impact", "type"};

typedef struct ld {
    const wr_ydoc *doc;
    wr_buf *err;
    wr_drill *d;
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

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return 0;
    for (const char *p = s; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
            return 0;
    return 1;
}

static int nonblank(ld *l, const wr_ynode *map, const char *key, int required, char **out)
{
    const char *s;
    int r = wr_yaml_str(l->doc, map, key, required, &s, l->err);
    if (r != 0)
        return r;
    int blank = 1;
    for (const char *p = s; *p; p++)
        if (!isspace((unsigned char)*p))
            blank = 0;
    if (blank)
        return bad(l, wr_yaml_get(map, key), "'%s' must not be empty", key);
    *out = wr_xstrdup(s);
    return 0;
}

static int one_of(ld *l, const wr_ynode *n, const char *what, const char *s, const char *const *list, size_t nl)
{
    for (size_t i = 0; i < nl; i++)
        if (strcmp(s, list[i]) == 0)
            return 0;
    const char *sug = wr_suggest(s, list, nl);
    wr_buf all = {0};
    for (size_t i = 0; i < nl; i++)
        wr_buf_printf(&all, "%s%s", i ? ", " : "", list[i]);
    bad(l, n, "unknown %s '%.40s'%s%s%s; expected one of: %s", what, s, sug ? " (did you mean '" : "",
        sug ? sug : "", sug ? "'?)" : "", wr_buf_str(&all));
    wr_buf_free(&all);
    return -1;
}

static int load_role(ld *l, const wr_ynode *n, wr_drill_event *e)
{
    if (wr_yaml_as_map(l->doc, n, "a role assignment", l->err) < 0 ||
        wr_yaml_check_keys(l->doc, n, role_keys, WR_ARRAY_LEN(role_keys), l->err) < 0 ||
        nonblank(l, n, "role", 1, &e->role) < 0 || nonblank(l, n, "user", 1, &e->user) < 0)
        return -1;
    if (!wr_role_find(e->role)) {
        const char *ids[32];
        size_t k = 0;
        for (; k < wr_ndefault_roles && k < 32; k++)
            ids[k] = wr_default_roles[k].id;
        return one_of(l, wr_yaml_get(n, "role"), "role", e->role, ids, k);
    }
    if (!wr_actor_valid_name(e->user))
        return bad(l, wr_yaml_get(n, "user"), "'%.64s' is not a valid operator name", e->user);
    return 0;
}

static int load_alert(ld *l, const wr_ynode *n, wr_drill_event *e)
{
    if (wr_yaml_as_map(l->doc, n, "an alert", l->err) < 0 ||
        wr_yaml_check_keys(l->doc, n, alert_keys, WR_ARRAY_LEN(alert_keys), l->err) < 0)
        return -1;
    wr_alert *a = &e->alert;
    char *sev = NULL;
    if (nonblank(l, n, "title", 1, &a->title) < 0)
        return -1;
    if (strlen(a->title) > WR_ALERT_TITLE_MAX)
        return bad(l, wr_yaml_get(n, "title"), "alert title too long (at most %d bytes)", WR_ALERT_TITLE_MAX);
    int r = nonblank(l, n, "source", 0, &a->source);
    if (r < 0)
        return -1;
    if (r == 1)
        a->source = wr_xstrdup("drill");
    if ((r = nonblank(l, n, "severity", 0, &sev)) < 0)
        return -1;
    const char *mapped = r == 1 ? "SEV3" : wr_alert_severity(sev);
    if (!mapped) {
        bad(l, wr_yaml_get(n, "severity"), "unknown alert severity '%.30s': use SEV1..SEV5, critical, high, "
                                           "warning, low or info", sev);
        free(sev);
        return -1;
    }
    a->severity = wr_xstrdup(mapped);
    a->severity_raw = sev ? sev : wr_xstrdup("");
    if ((r = nonblank(l, n, "status", 0, &a->status)) < 0)
        return -1;
    if (r == 1)
        a->status = wr_xstrdup("firing");
    else if (wr_alert_state_of(a->status) == WR_ALERT_UNKNOWN)
        return bad(l, wr_yaml_get(n, "status"), "an alert's status is firing or resolved");
    const char *s;
    if ((r = wr_yaml_str(l->doc, n, "url", 0, &s, l->err)) < 0)
        return -1;
    a->url = wr_xstrdup(r == 0 ? s : "");
    if ((r = wr_yaml_str(l->doc, n, "description", 0, &s, l->err)) < 0)
        return -1;
    a->description = wr_xstrdup(r == 0 ? s : "");
    a->annotations = wr_xstrdup("{}");
    e->attach_alert = 1;
    if (wr_yaml_bool(l->doc, n, "attach", 0, &e->attach_alert, l->err) < 0)
        return -1;
    const wr_ynode *labels;
    if ((r = wr_yaml_map(l->doc, n, "labels", 0, &labels, l->err)) < 0)
        return -1;
    size_t nl = r == 0 ? labels->n : 0;
    if (nl > WR_ALERT_MAX_LABELS - 2)
        return bad(l, labels, "too many labels (at most %d)", WR_ALERT_MAX_LABELS - 2);
    const char **k = wr_xcalloc(nl + 1, sizeof *k), **v = wr_xcalloc(nl + 1, sizeof *v);
    int rc = 0;
    for (size_t i = 0; i < nl && rc == 0; i++) {
        k[i] = labels->keys[i]->value;
        if (strcmp(k[i], "drill") == 0 || strcmp(k[i], "drill_incident") == 0)
            rc = bad(l, labels->keys[i], "the label '%s' is set by the drill itself", k[i]);
        else if (!*k[i] || strlen(k[i]) > 128)
            rc = bad(l, labels->keys[i], "a label name must be 1-128 bytes");
        else if ((rc = wr_yaml_as_str(l->doc, labels->items[i], "a label value", &v[i], l->err)) == 0 &&
                 strlen(v[i]) > 1024)
            rc = bad(l, labels->items[i], "a label value must be at most 1024 bytes");
    }
    /* Fingerprints are computed when run (the drill labels make each run's own); keep it unset. */
    if (rc == 0) {
        a->fingerprint = wr_xstrdup("-");
        wr_alert_set_labels(a, k, v, nl);
        free(a->fingerprint);
        a->fingerprint = NULL;
    }
    free(k);
    free(v);
    return rc;
}

static int load_event(ld *l, const wr_ynode *n, wr_drill_event *e, int64_t prev_at)
{
    e->line = n->line;
    e->col = n->col;
    if (wr_yaml_as_map(l->doc, n, "an event", l->err) < 0 ||
        wr_yaml_check_keys(l->doc, n, event_keys, WR_ARRAY_LEN(event_keys), l->err) < 0)
        return -1;
    const char *s;
    if (wr_yaml_str(l->doc, n, "at", 1, &s, l->err) < 0)
        return -1;
    long secs = wr_oncall_duration_parse(s);
    if (secs < 0 || secs * 1000LL > WR_DRILL_MAX_AT_MS)
        return bad(l, wr_yaml_get(n, "at"), "invalid time '%.40s': expected a delay since the start such as 0s, "
                                            "90s, 5m or 1h30m (at most 7d)", s);
    e->at_ms = secs * 1000LL;
    if (e->at_ms < prev_at)
        return bad(l, wr_yaml_get(n, "at"), "events must be in time order (this one is at %s, before the one "
                                            "above)", s);
    int r = nonblank(l, n, "as", 0, &e->as);
    if (r < 0)
        return -1;
    if (r == 0 && !wr_actor_valid_name(e->as))
        return bad(l, wr_yaml_get(n, "as"), "'%.64s' is not a valid operator name", e->as);
    if (nonblank(l, n, "reason", 0, &e->reason) < 0 || wr_yaml_bool(l->doc, n, "force", 0, &e->force, l->err) < 0)
        return -1;
    const wr_ynode *act = NULL;
    size_t found = WR_ARRAY_LEN(action_keys);
    for (size_t i = 0; i < WR_ARRAY_LEN(action_keys); i++) {
        const wr_ynode *k = wr_yaml_get_key(n, action_keys[i]);
        if (!k)
            continue;
        if (act)
            return bad(l, k, "one action per event: this one has both '%s' and '%s'", action_keys[found],
                       action_keys[i]);
        act = wr_yaml_get(n, action_keys[i]);
        found = i;
    }
    if (!act)
        return bad(l, n, "an event needs one action: note, severity, status, assign, unassign, attach, step, "
                         "alert or set");
    e->action = (wr_drill_action)found;
    e->line = act->line;
    e->col = act->col;
    if (e->force && e->action != WR_DRILL_STATUS)
        return bad(l, wr_yaml_get(n, "force"), "'force' is only for status changes");
    if (e->force && !e->reason)
        return bad(l, wr_yaml_get(n, "force"), "'force' needs a 'reason'");
    switch (e->action) {
    case WR_DRILL_NOTE:
    case WR_DRILL_SEVERITY:
    case WR_DRILL_STATUS:
    case WR_DRILL_ATTACH:
        if (nonblank(l, n, action_keys[found], 1, &e->text) < 0)
            return -1;
        if (e->action == WR_DRILL_SEVERITY && !wr_severity_valid(e->text))
            return one_of(l, act, "severity", e->text, wr_severities, WR_SEV_COUNT);
        if (e->action == WR_DRILL_STATUS && !wr_incident_status_valid(e->text))
            return one_of(l, act, "status", e->text, wr_statuses, wr_nstatuses);
        if (e->action == WR_DRILL_ATTACH && !valid_id(e->text))
            return bad(l, act, "'%.64s' is not a runbook id", e->text);
        return 0;
    case WR_DRILL_ASSIGN:
    case WR_DRILL_UNASSIGN:
        return load_role(l, act, e);
    case WR_DRILL_STEP:
        if (wr_yaml_as_map(l->doc, act, "a step", l->err) < 0 ||
            wr_yaml_check_keys(l->doc, act, step_keys, WR_ARRAY_LEN(step_keys), l->err) < 0 ||
            nonblank(l, act, "id", 1, &e->step) < 0 || nonblank(l, act, "runbook", 0, &e->runbook) < 0)
            return -1;
        if ((r = nonblank(l, act, "action", 0, &e->step_action)) < 0)
            return -1;
        if (r == 1)
            e->step_action = wr_xstrdup("done");
        if (one_of(l, wr_yaml_get(act, "action"), "step action", e->step_action, step_actions,
                   WR_ARRAY_LEN(step_actions)) < 0)
            return -1;
        if ((strcmp(e->step_action, "skip") == 0 || strcmp(e->step_action, "block") == 0) && !e->reason)
            return bad(l, act, "%s needs a 'reason' on the event", e->step_action);
        return 0;
    case WR_DRILL_ALERT:
        return load_alert(l, act, e);
    case WR_DRILL_SET:
        if (wr_yaml_as_map(l->doc, act, "a field change", l->err) < 0 ||
            wr_yaml_check_keys(l->doc, act, set_keys, WR_ARRAY_LEN(set_keys), l->err) < 0 ||
            nonblank(l, act, "field", 1, &e->field) < 0 || nonblank(l, act, "value", 1, &e->text) < 0)
            return -1;
        return one_of(l, wr_yaml_get(act, "field"), "field", e->field, set_fields, WR_ARRAY_LEN(set_fields));
    }
    return 0;
}

static int load_root(ld *l)
{
    const wr_ynode *root = l->doc->root;
    wr_drill *d = l->d;
    if (wr_yaml_as_map(l->doc, root, "a drill scenario", l->err) < 0 ||
        wr_yaml_check_keys(l->doc, root, root_keys, WR_ARRAY_LEN(root_keys), l->err) < 0)
        return -1;
    if (nonblank(l, root, "id", 1, &d->id) < 0)
        return -1;
    if (!valid_id(d->id))
        return bad(l, wr_yaml_get(root, "id"), "invalid drill id '%.64s': use lowercase letters, digits and '-' "
                                               "(at most 64)", d->id);
    if (nonblank(l, root, "title", 1, &d->title) < 0 || nonblank(l, root, "description", 0, &d->description) < 0)
        return -1;
    const wr_ynode *inc, *events;
    if (wr_yaml_map(l->doc, root, "incident", 1, &inc, l->err) < 0 ||
        wr_yaml_check_keys(l->doc, inc, incident_keys, WR_ARRAY_LEN(incident_keys), l->err) < 0 ||
        nonblank(l, inc, "title", 1, &d->inc_title) < 0)
        return -1;
    if (strlen(d->inc_title) > 200)
        return bad(l, wr_yaml_get(inc, "title"), "the incident title is too long (at most 200 bytes)");
    int r = nonblank(l, inc, "severity", 0, &d->inc_severity);
    if (r < 0)
        return -1;
    if (r == 1)
        d->inc_severity = wr_xstrdup("SEV3");
    else if (!wr_severity_valid(d->inc_severity))
        return one_of(l, wr_yaml_get(inc, "severity"), "severity", d->inc_severity, wr_severities, WR_SEV_COUNT);
    if (nonblank(l, inc, "type", 0, &d->inc_type) < 0)
        return -1;
    if (wr_yaml_seq(l->doc, root, "events", 1, &events, l->err) < 0)
        return -1;
    if (events->n == 0)
        return bad(l, events, "'events' must list at least one event");
    d->events = wr_xcalloc(events->n, sizeof *d->events);
    for (size_t i = 0; i < events->n; i++) {
        d->nevents++;
        if (load_event(l, events->items[i], &d->events[i], i ? d->events[i - 1].at_ms : 0) < 0)
            return -1;
    }
    d->duration_ms = d->events[d->nevents - 1].at_ms;
    return 0;
}

wr_drill *wr_drill_load_mem(const char *name, const char *data, size_t len, wr_buf *err)
{
    wr_ydoc *doc = wr_yaml_load_mem(name, data, len, err);
    if (!doc)
        return NULL;
    wr_drill *d = wr_xcalloc(1, sizeof *d);
    d->path = wr_xstrdup(name);
    ld l = {doc, err, d};
    int r = load_root(&l);
    wr_yaml_free(doc);
    if (r < 0) {
        wr_drill_free(d);
        return NULL;
    }
    return d;
}

wr_drill *wr_drill_load_file(const char *path, wr_buf *err)
{
    size_t len;
    char *data = wr_yaml_read_file(path, WR_DRILL_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    wr_drill *d = wr_drill_load_mem(path, data, len, err);
    free(data);
    return d;
}

void wr_drill_free(wr_drill *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nevents; i++) {
        wr_drill_event *e = &d->events[i];
        free(e->as);
        free(e->text);
        free(e->field);
        free(e->role);
        free(e->user);
        free(e->runbook);
        free(e->step);
        free(e->step_action);
        free(e->reason);
        wr_alert_clear(&e->alert);
    }
    free(d->events);
    free(d->id);
    free(d->title);
    free(d->description);
    free(d->path);
    free(d->inc_title);
    free(d->inc_severity);
    free(d->inc_type);
    free(d);
}

int wr_drill_check_runbooks(const wr_drill *d, const wr_rb_set *set, wr_buf *err)
{
    const wr_runbook **attached = wr_xcalloc(d->nevents + 1, sizeof *attached);
    size_t na = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < d->nevents; i++) {
        const wr_drill_event *e = &d->events[i];
        if (e->action == WR_DRILL_ATTACH) {
            const wr_runbook *rb = wr_rb_set_find(set, e->text);
            if (!rb) {
                const char **ids = wr_xcalloc(set->n + 1, sizeof *ids);
                for (size_t k = 0; k < set->n; k++)
                    ids[k] = set->v[k]->id;
                const char *s = wr_suggest(e->text, ids, set->n);
                wr_buf_printf(err, "%s:%d:%d: no runbook '%s'%s%s%s (`warroom runbook list` shows them)\n",
                              d->path, e->line, e->col, e->text, s ? " (did you mean '" : "", s ? s : "",
                              s ? "'?)" : "");
                free(ids);
                rc = -1;
            } else {
                attached[na++] = rb;
            }
        } else if (e->action == WR_DRILL_STEP) {
            int hits = 0, named = 0;
            for (size_t k = 0; k < na; k++) {
                if (e->runbook && strcmp(e->runbook, attached[k]->id) != 0)
                    continue;
                named = 1;
                for (size_t s = 0; s < attached[k]->nsteps; s++)
                    hits += strcmp(attached[k]->steps[s].id, e->step) == 0;
            }
            if (e->runbook && !named) {
                wr_buf_printf(err, "%s:%d:%d: runbook '%s' is not attached before this step\n", d->path, e->line,
                              e->col, e->runbook);
                rc = -1;
            } else if (hits == 0) {
                wr_buf_printf(err, "%s:%d:%d: no step '%s' in the runbook%s attached before this event\n",
                              d->path, e->line, e->col, e->step, e->runbook ? "" : "s");
                rc = -1;
            } else if (hits > 1) {
                wr_buf_printf(err, "%s:%d:%d: step '%s' is in several attached runbooks: add 'runbook'\n",
                              d->path, e->line, e->col, e->step);
                rc = -1;
            }
        }
    }
    free(attached);
    return rc;
}

static int by_id(const void *a, const void *b)
{
    return strcmp((*(wr_drill *const *)a)->id, (*(wr_drill *const *)b)->id);
}

static int yaml_name(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0;
}

void wr_drill_set_load_dirs(wr_drill_set *set, const char *const *dirs, size_t ndirs, wr_buf *err)
{
    for (size_t i = 0; i < ndirs; i++) {
        struct dirent **names = NULL;
        int n = scandir(dirs[i], &names, yaml_name, alphasort);
        if (n < 0)
            continue;
        for (int k = 0; k < n; k++) {
            char *path = wr_xasprintf("%s/%s", dirs[i], names[k]->d_name);
            wr_drill *d = wr_drill_load_file(path, err);
            if (d) {
                const wr_drill *dup = wr_drill_set_find(set, d->id);
                if (dup) {
                    wr_buf_printf(err, "%s: drill '%s' ignored: already loaded from %s\n", path, d->id, dup->path);
                    wr_drill_free(d);
                } else {
                    set->v = wr_xreallocarray(set->v, set->n + 1, sizeof *set->v);
                    set->v[set->n++] = d;
                    qsort(set->v, set->n, sizeof *set->v, by_id);
                }
            }
            free(path);
            free(names[k]);
        }
        free(names);
    }
}

void wr_drill_set_free(wr_drill_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        wr_drill_free(set->v[i]);
    free(set->v);
    memset(set, 0, sizeof *set);
}

const wr_drill *wr_drill_set_find(const wr_drill_set *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->v[i]->id, id) == 0)
            return set->v[i];
    return NULL;
}

/* ---- running ---- */

int wr_drill_sleep_until(int64_t target_ms, volatile sig_atomic_t *stop)
{
    for (;;) {
        if (stop && *stop)
            return 1;
        int64_t left = target_ms - wr_clock_mono_ms();
        if (left <= 0)
            return 0;
        if (left > 100)
            left = 100;
        struct timespec ts = {0, (long)left * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* A store refusal that concerns one event only: the drill goes on. */
static int per_event(wr_status s)
{
    return s == WR_E_INVALID || s == WR_E_NOTFOUND || s == WR_E_CONFLICT || s == WR_E_GATE || s == WR_E_BUSY;
}

typedef struct run_state {
    const wr_drill *d;
    const wr_drill_runner *r;
    wr_drill_result *res;
    wr_actor who;
} run_state;

static wr_status commit(run_state *rs, wr_write *w, int64_t *result, wr_error *err)
{
    int64_t id = 0;
    wr_status s = wr_op_commit(rs->r->store, w, rs->r->wait_ms, NULL, &id, err);
    if (result)
        *result = id;
    return s;
}

/* Write one event. Returns WR_OK or the failure; *line gets the text to report. */
static wr_status run_event(run_state *rs, const wr_drill_event *e, wr_buf *line, wr_error *err)
{
    const wr_drill_runner *r = rs->r;
    int64_t inc = rs->res->incident;
    wr_actor_free(&rs->who);
    wr_actor_set(&rs->who, e->as ? e->as : r->actor->name, r->actor->os_user, r->actor->origin, r->actor->host);
    wr_opctx o = {r->store, &rs->who, "drill", 0};
    wr_write w;
    wr_status s = WR_OK;
    wr_buf_printf(line, "%s: ", rs->who.name);
    switch (e->action) {
    case WR_DRILL_NOTE:
        wr_buf_printf(line, "note: %s", e->text);
        s = wr_op_note(&o, inc, e->text, &w, err);
        break;
    case WR_DRILL_SEVERITY:
    case WR_DRILL_STATUS: {
        const char *field = e->action == WR_DRILL_SEVERITY ? "severity" : "status";
        wr_buf_printf(line, "%s -> %s", field, e->text);
        s = wr_op_set(&o, inc, field, e->text, e->reason, 0, e->force, &w, err);
        break;
    }
    case WR_DRILL_SET:
        wr_buf_printf(line, "%s set", e->field);
        s = wr_op_set(&o, inc, e->field, e->text, e->reason, 0, 0, &w, err);
        break;
    case WR_DRILL_ASSIGN:
    case WR_DRILL_UNASSIGN:
        wr_buf_printf(line, "%s %s %s", e->action == WR_DRILL_ASSIGN ? "assign" : "unassign", e->role, e->user);
        s = wr_op_assign(&o, inc, e->role, e->user, e->action == WR_DRILL_UNASSIGN, &w, err);
        break;
    case WR_DRILL_ATTACH: {
        wr_buf_printf(line, "attach runbook %s", e->text);
        const wr_runbook *rb = r->runbooks ? wr_rb_set_find(r->runbooks, e->text) : NULL;
        if (!rb)
            return wr_error_set(err, WR_E_NOTFOUND, "no runbook \"%s\" (`warroom runbook list` shows them)",
                                e->text);
        s = wr_op_attach(&o, inc, rb, &w, err);
        break;
    }
    case WR_DRILL_STEP:
        wr_buf_printf(line, "step %s%s%s %s", e->runbook ? e->runbook : "", e->runbook ? "/" : "", e->step,
                      e->step_action);
        s = wr_op_step(&o, inc, e->runbook, e->step, e->step_action, e->reason, &w, err);
        break;
    case WR_DRILL_ALERT: {
        /* A copy with this run's labels, so its fingerprint is its own. */
        wr_alert a = e->alert;
        wr_alert copy = {0};
        copy.source = wr_xstrdup(a.source);
        copy.title = wr_xstrdup(a.title);
        copy.severity = wr_xstrdup(a.severity);
        copy.severity_raw = wr_xstrdup(a.severity_raw ? a.severity_raw : "");
        copy.status = wr_xstrdup(a.status);
        copy.url = wr_xstrdup(a.url ? a.url : "");
        copy.description = wr_xstrdup(a.description ? a.description : "");
        copy.annotations = wr_xstrdup("{}");
        const char **k = wr_xcalloc(a.nlabels + 3, sizeof *k), **v = wr_xcalloc(a.nlabels + 3, sizeof *v);
        for (size_t i = 0; i < a.nlabels; i++) {
            k[i] = a.label_keys[i];
            v[i] = a.label_values[i];
        }
        char ref[32];
        snprintf(ref, sizeof ref, "INC-%lld", (long long)inc);
        k[a.nlabels] = "drill";
        v[a.nlabels] = rs->d->id;
        k[a.nlabels + 1] = "drill_incident";
        v[a.nlabels + 1] = ref;
        wr_alert_set_labels(&copy, k, v, a.nlabels + 2);
        free(k);
        free(v);
        wr_buf_printf(line, "alert [%s] %s (%s)", copy.severity, copy.title, copy.status);
        s = wr_op_alert_intake(&o, &copy, 1, &w, err);
        if (s == WR_OK)
            s = commit(rs, &w, NULL, err);
        if (s == WR_OK && e->attach_alert) {
            wr_alert_row row;
            s = wr_alert_find(r->store, copy.fingerprint, &row, err);
            if (s == WR_OK) {
                s = wr_op_alert_attach(&o, &row, inc, &w, err);
                wr_alert_row_clear(&row);
                if (s == WR_OK) {
                    rs->res->written++;
                    s = commit(rs, &w, NULL, err);
                }
            }
            wr_buf_puts(line, ", attached");
        }
        wr_alert_clear(&copy);
        return s;
    }
    }
    if (s != WR_OK)
        return s;
    return commit(rs, &w, NULL, err);
}

wr_status wr_drill_run(const wr_drill *d, const wr_drill_runner *r, wr_drill_result *res, wr_error *err)
{
    memset(res, 0, sizeof *res);
    double speed = r->speed > 0 ? r->speed : 1.0;
    run_state rs = {d, r, res, {0}};
    wr_actor_set(&rs.who, r->actor->name, r->actor->os_user, r->actor->origin, r->actor->host);
    wr_opctx o = {r->store, &rs.who, "drill", 0};
    wr_write w;
    wr_status s = wr_op_declare(&o, d->inc_title, d->inc_severity, d->inc_type, "drill", &w, err);
    if (s == WR_OK)
        s = commit(&rs, &w, &res->incident, err);
    if (s != WR_OK) {
        wr_actor_free(&rs.who);
        return s;
    }
    res->written = 1;
    int64_t start = wr_clock_mono_ms();
    if (r->say) {
        wr_buf l = {0};
        wr_buf_printf(&l, "declared drill INC-%lld [%s] %s", (long long)res->incident, d->inc_severity,
                      d->inc_title);
        r->say(r->ctx, 0, res->incident, wr_buf_str(&l), 0);
        wr_buf_free(&l);
    }
    for (size_t i = 0; i < d->nevents; i++) {
        const wr_drill_event *e = &d->events[i];
        if (wr_drill_sleep_until(start + (int64_t)((double)e->at_ms / speed), r->stop)) {
            res->stopped = 1;
            break;
        }
        wr_buf line = {0};
        wr_error ev_err = {0};
        s = run_event(&rs, e, &line, &ev_err);
        if (s == WR_OK) {
            res->written++;
        } else {
            res->failed++;
            wr_buf_printf(&line, ": REFUSED: %s", ev_err.msg);
        }
        if (r->say)
            r->say(r->ctx, e->at_ms, res->incident, wr_buf_str(&line), s != WR_OK);
        wr_buf_free(&line);
        if (s != WR_OK && !per_event(s)) {
            *err = ev_err;
            wr_actor_free(&rs.who);
            return s;
        }
    }
    wr_actor_free(&rs.who);
    return WR_OK;
}

/* ---- replay ---- */

static int by_time(const void *a, const void *b)
{
    const wr_event *x = a, *y = b;
    if (x->occurred_at != y->occurred_at)
        return x->occurred_at < y->occurred_at ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

wr_status wr_replay_load(wr_store *st, int64_t incident, wr_replay *out, wr_error *err)
{
    memset(out, 0, sizeof *out);
    wr_event_list g = {0};
    wr_status s = wr_store_events_after(st, incident, 0, 0, wr_event_list_add, &g, err);
    if (s != WR_OK) {
        wr_event_list_free(&g);
        return s;
    }
    if (g.n)
        qsort(g.v, g.n, sizeof *g.v, by_time);
    out->v = g.v;
    out->n = g.n;
    out->offset_ms = wr_xcalloc(g.n + 1, sizeof *out->offset_ms);
    for (size_t i = 0; i < g.n; i++)
        out->offset_ms[i] = g.v[i].occurred_at - g.v[0].occurred_at;
    out->span_ms = g.n ? out->offset_ms[g.n - 1] : 0;
    return WR_OK;
}

void wr_replay_free(wr_replay *r)
{
    for (size_t i = 0; i < r->n; i++)
        wr_event_clear(&r->v[i]);
    free(r->v);
    free(r->offset_ms);
    memset(r, 0, sizeof *r);
}

char *wr_replay_describe(const wr_event *ev)
{
    return wr_event_describe(ev); /* every module's kinds, alerts included */
}
