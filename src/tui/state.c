/* SPDX-License-Identifier: MIT */
/* state.c - the console's data: the shown incident's small state, re-read when the database changes; the
 * timeline read only from where it was left (tail_seq); presence; the incident list. A change is read as
 * the events after the last one seen (feed_seq): only what they touch is read again (docs/console.md). */
#include "tui_int.h"

#include "warroom/clock.h"
#include "warroom/lifecycle.h"
#include "warroom/oncall.h"
#include "warroom/policy.h"
#include "warroom/watch.h"

#include <stdlib.h>
#include <string.h>

#define PRESENCE_READ_MS 60000 /* who is here, read at least this often with inotify on the directory */
#define PRESENCE_POLL_MS 5000  /* ... and this often on a network mount (other hosts' consoles) */
#define PRESENCE_LIST_MS 300000 /* the directory listed at least this often (else on inotify's word) */

static void free_incident_state(console *c)
{
    if (c->have_incident)
        wr_incident_clear(&c->incident);
    c->have_incident = 0;
    wr_roles_free(c->roles, c->nroles);
    c->roles = NULL;
    c->nroles = 0;
    wr_checklist_free(c->steps, c->nsteps);
    c->steps = NULL;
    c->nsteps = 0;
    free(c->step_seen);
    c->step_seen = NULL;
    wr_attached_free(c->att, c->natt);
    c->att = NULL;
    c->natt = 0;
    free(c->att_newer);
    c->att_newer = NULL;
    wr_strv_free(c->missing, c->nmissing);
    c->missing = NULL;
    c->nmissing = 0;
    free(c->missing_since);
    c->missing_since = NULL;
    memset(&c->cad, 0, sizeof c->cad);
    c->stopped_at = 0;
}

static void free_asks(console *c)
{
    for (size_t i = 0; i < c->nask; i++) {
        free(c->ask_role[i]);
        free(c->ask_user[i]);
        free(c->ask_text[i]);
        if (c->ask_write && c->ask_write[i]) {
            wr_write_clear(c->ask_write[i]);
            free(c->ask_write[i]);
        }
    }
    free(c->ask_role);
    free(c->ask_user);
    free(c->ask_text);
    free(c->ask_write);
    c->ask_role = c->ask_user = c->ask_text = NULL;
    c->ask_write = NULL;
    c->nask = 0;
}

/* Room for one more question (the arrays grow together). */
static void ask_grow(console *c)
{
    c->ask_role = wr_xreallocarray(c->ask_role, c->nask + 2, sizeof(char *));
    c->ask_user = wr_xreallocarray(c->ask_user, c->nask + 2, sizeof(char *));
    c->ask_text = wr_xreallocarray(c->ask_text, c->nask + 2, sizeof(char *));
    c->ask_write = wr_xreallocarray(c->ask_write, c->nask + 2, sizeof(wr_write *));
    c->ask_role[c->nask] = c->ask_user[c->nask] = c->ask_text[c->nask] = NULL;
    c->ask_write[c->nask] = NULL;
}

void tui_ask_write(console *c, const char *question, wr_write *w)
{
    ask_grow(c);
    c->ask_text[c->nask] = wr_xstrdup(question);
    c->ask_write[c->nask] = wr_xmalloc(sizeof *w);
    *c->ask_write[c->nask] = *w;
    memset(w, 0, sizeof *w);
    c->nask++;
    c->status_dirty = 1;
}

void tui_state_free(console *c)
{
    free_incident_state(c);
    wr_presence_free(c->here, c->nhere);
    c->here = NULL;
    c->nhere = 0;
    wr_presence_cache_free(c->pcache);
    c->pcache = NULL;
    wr_incidents_free(c->list, c->nlist);
    c->list = NULL;
    c->nlist = 0;
    wr_tlwin_free(&c->tl);
    wr_rb_set_free(&c->rbset);
    wr_alert_rows_free(c->alerts, c->nalerts);
    c->alerts = NULL;
    c->nalerts = 0;
    wr_oncall_free(c->oncall);
    c->oncall = NULL;
    free_asks(c);
    free(c->gate_status);
    c->gate_status = NULL;
    free(c->gate_question);
    c->gate_question = NULL;
}

static void compare_runbooks(console *c)
{
    int changed = 0;
    int *newer = wr_xcalloc(c->natt + 1, sizeof *newer);
    for (size_t i = 0; i < c->natt; i++) {
        const wr_runbook *rb = wr_rb_set_find(&c->rbset, c->att[i].runbook);
        newer[i] = rb && strcmp(rb->sha256, c->att[i].sha256) != 0;
        if (!c->att_newer || c->att_newer[i] != newer[i])
            changed = 1;
    }
    free(c->att_newer);
    c->att_newer = newer;
    if (changed)
        c->panes[WR_PANE_CHECKLIST].dirty = 1;
}

void tui_check_runbooks(console *c)
{
    wr_rb_set set = {0};
    wr_buf err = {0};
    wr_rb_set_load_dirs(&set, c->o->runbook_dirs, c->o->nrunbook_dirs, NULL, 0, &err);
    wr_buf_free(&err); /* bad runbook files are `warroom runbook lint`'s business, not the console's */
    wr_rb_set_free(&c->rbset);
    c->rbset = set;
    compare_runbooks(c);
}

/* When the shown incident's clock stopped: resolved (its milestone), else ended (closed, declined, merged,
 * cancelled: that milestone or the last change); 0 while it is being worked. */
static int64_t stopped_at(console *c)
{
    const wr_incident *i = &c->incident;
    if (wr_inc_status_active(i->state) || i->state == WR_INC_UNKNOWN)
        return 0;
    wr_milestones m;
    wr_error err = {0};
    if (wr_milestones_get(c->st, i->id, &m, &err) == WR_OK) {
        if (m.at[WR_MS_RESOLVED])
            return m.at[WR_MS_RESOLVED];
        if (m.at[WR_MS_CLOSED])
            return m.at[WR_MS_CLOSED];
    }
    return i->updated_at ? i->updated_at : i->declared_at;
}

/* Re-read the incident row; when it changed (every event bumps last_seq), the roles and checklist too. */
static void load_incident(console *c, int force)
{
    wr_error err = {0};
    wr_incident i;
    wr_status s = wr_incident_get(c->st, c->inc, &i, &err);
    if (s != WR_OK) {
        if (s != WR_E_BUSY)
            tui_message(c, MSG_ERROR, "%s", err.msg);
        c->need_refresh = s == WR_E_BUSY;
        return;
    }
    if (!force && c->have_incident && i.last_seq == c->incident.last_seq && i.version == c->incident.version) {
        wr_incident_clear(&i);
        return;
    }
    wr_role_holder *roles = NULL;
    wr_step_row *steps = NULL;
    wr_attached *att = NULL;
    size_t nroles = 0, nsteps = 0, natt = 0;
    if ((s = wr_roles_list(c->st, c->inc, &roles, &nroles, &err)) != WR_OK ||
        (s = wr_checklist_get(c->st, c->inc, &steps, &nsteps, &err)) != WR_OK ||
        (s = wr_attached_list(c->st, c->inc, &att, &natt, &err)) != WR_OK) {
        /* Keep what is shown and try again on the next pass. */
        wr_roles_free(roles, nroles);
        wr_checklist_free(steps, nsteps);
        wr_attached_free(att, natt);
        wr_incident_clear(&i);
        c->need_refresh = 1;
        return;
    }
    /* What the lifecycle asks of it: the next update, the required roles nobody holds (and since when). */
    wr_cadence cad = {0};
    char **missing = NULL;
    size_t nmissing = 0;
    if (wr_update_cadence(c->st, c->inc, wr_clock_now_ms(), &cad, &err) != WR_OK)
        memset(&cad, 0, sizeof cad);
    if (wr_roles_missing(c->st, c->inc, &missing, &nmissing, &err) != WR_OK) {
        missing = NULL;
        nmissing = 0;
    }
    int64_t *since = wr_xcalloc(nmissing + 1, sizeof *since);
    if (nmissing) {
        wr_role_span *h = NULL;
        size_t nh = 0;
        if (wr_role_history(c->st, c->inc, &h, &nh, &err) != WR_OK)
            nh = 0;
        for (size_t k = 0; k < nmissing; k++) {
            since[k] = i.declared_at;
            for (size_t j = 0; j < nh; j++)
                if (strcmp(h[j].role, missing[k]) == 0 && h[j].to > since[k])
                    since[k] = h[j].to;
        }
        wr_role_history_free(h, nh);
    }
    /* When this console first showed each step's state: a tick pressed as another operator's change of it
     * just arrived was meant for the state before (see pane_checklist.c). */
    int64_t *seen = wr_xcalloc(nsteps + 1, sizeof *seen);
    int64_t now_mono = wr_clock_mono_ms();
    for (size_t k = 0; k < nsteps; k++) {
        seen[k] = c->have_incident && c->incident.id == i.id ? now_mono : 0;
        for (size_t j = 0; j < c->nsteps; j++)
            if (strcmp(c->steps[j].step, steps[k].step) == 0 && strcmp(c->steps[j].runbook, steps[k].runbook) == 0) {
                if (strcmp(c->steps[j].state, steps[k].state) == 0)
                    seen[k] = c->step_seen ? c->step_seen[j] : 0;
                break;
            }
    }
    size_t old_natt = c->natt;
    free_incident_state(c);
    c->step_seen = seen;
    c->cad = cad;
    c->missing = missing;
    c->nmissing = nmissing;
    c->missing_since = since;
    c->incident = i;
    c->have_incident = 1;
    c->roles = roles;
    c->nroles = nroles;
    c->steps = steps;
    c->nsteps = nsteps;
    c->att = att;
    c->natt = natt;
    if (natt != old_natt)
        tui_check_runbooks(c); /* something was attached: is its file newer? */
    else
        compare_runbooks(c);
    c->stopped_at = stopped_at(c);
    c->panes[WR_PANE_INCIDENT].dirty = 1;
    c->panes[WR_PANE_ROLES].dirty = 1;
    c->panes[WR_PANE_CHECKLIST].dirty = 1;
    c->header_dirty = 1;
    c->next_tick = 0; /* the elapsed time may show something else now */
    tui_offer_check(c);
}

static int same_presence(const wr_presence *a, size_t na, const wr_presence *b, size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i].session, b[i].session) != 0 || strcmp(a[i].actor, b[i].actor) != 0 ||
            strcmp(a[i].origin, b[i].origin) != 0 || strcmp(a[i].host, b[i].host) != 0)
            return 0;
    return 1;
}

/* Who is here: read from the presence directory when someone came, left or changed incident (inotify on the
 * directory, at most once a second), when the first shown session would time out, and at least every
 * PRESENCE_READ_MS (PRESENCE_POLL_MS where inotify cannot see other hosts); never on a database change. */
void tui_presence_load(console *c)
{
    wr_error err = {0};
    wr_presence *all = NULL;
    size_t nall = 0;
    int64_t now = wr_clock_mono_ms(), wall = wr_clock_now_ms();
    c->presence_read_at = now;
    if (c->presence_wd < 0 && c->watch_fd >= 0) {
        /* The directory joins the watch once it exists (this console's first beat, or another's, makes it). */
        char *dir = wr_presence_dir(wr_store_path(c->st));
        c->presence_wd = wr_watch_add_dir(c->watch_fd, dir);
        free(dir);
    }
    c->next_presence = now + (c->poll_ms || c->presence_wd < 0 ? PRESENCE_POLL_MS : PRESENCE_READ_MS);
    if (!c->pcache)
        c->pcache = wr_presence_cache_new();
    /* The directory is listed when someone may have come or left (inotify said so, or cannot say: another
     * host's consoles on a network mount) and every PRESENCE_LIST_MS anyway; else the files known are looked at. */
    int full = c->presence_full || c->poll_ms || c->presence_wd < 0 || now - c->presence_listed_at >= PRESENCE_LIST_MS;
    if (wr_store_is_remote(c->st))
        full = c->presence_full; /* PostgreSQL: the room read back by the beat, unless the server said who came */
    if (full) {
        c->presence_full = 0;
        c->presence_listed_at = now;
    }
    if (wr_presence_list_cached(c->st, 0, c->pcache, full, &all, &nall, &err) != WR_OK)
        return;
    for (size_t i = 0; i < nall; i++) {
        /* Look again just after the first one would time out (if it does not beat meanwhile). */
        int64_t at = now + (all[i].expires - wall) + 100;
        if (at < c->next_presence)
            c->next_presence = at < now + 1000 ? now + 1000 : at;
    }
    /* Those on this incident, from the full list. */
    wr_presence *here = wr_xcalloc(nall + 1, sizeof *here);
    size_t nhere = 0;
    for (size_t i = 0; i < nall; i++)
        if (c->inc && c->view == VIEW_ROOM && all[i].incident == c->inc) {
            here[nhere] = all[i];
            memset(&all[i], 0, sizeof all[i]);
            nhere++;
        }
    if (!same_presence(here, nhere, c->here, c->nhere)) {
        wr_presence_free(c->here, c->nhere);
        c->here = here;
        c->nhere = nhere;
        c->panes[WR_PANE_ROLES].dirty = 1;
        c->status_dirty = 1;
    } else {
        wr_presence_free(here, nhere);
    }
    if (nall != c->nonline) {
        c->nonline = nall;
        c->status_dirty = 1;
    }
    wr_presence_free(all, nall);
}

static void load_list(console *c)
{
    wr_error err = {0};
    wr_incident *v = NULL;
    size_t n = 0;
    if (wr_incident_list(c->st, 0, &v, &n, &err) != WR_OK) {
        c->need_refresh = 1;
        return;
    }
    wr_incidents_free(c->list, c->nlist);
    c->list = v;
    c->nlist = n;
    c->panes[PANE_LIST].dirty = 1;
    c->header_dirty = 1;
}

static void load_alerts(console *c)
{
    wr_error err = {0};
    int64_t waiting = 0, firing = 0;
    if (wr_alert_pending(c->st, &waiting, &firing, &err) == WR_OK &&
        (waiting != c->alerts_waiting || firing != c->alerts_firing)) {
        c->alerts_waiting = waiting;
        c->alerts_firing = firing;
        c->header_dirty = 1;
    }
    if (c->view != VIEW_TRIAGE)
        return;
    wr_alert_row *v = NULL;
    size_t n = 0;
    if (wr_alert_list(c->st, 0, 0, &v, &n, &err) != WR_OK) {
        c->need_refresh = 1;
        return;
    }
    wr_alert_rows_free(c->alerts, c->nalerts);
    c->alerts = v;
    c->nalerts = n;
    c->panes[PANE_TRIAGE].dirty = 1;
    c->header_dirty = 1;
}

/* What the events after feed_seq touch (W_* bits); every kind is looked at, payloads never. */
enum { W_ALERTS = 1, W_LIST = 2, W_INCIDENT = 4, W_TIMELINE = 8, W_ALL = 15 };
#define FEED_CHUNK 256

typedef struct feed {
    console *c;
    unsigned what;
    int n;
} feed;

static int feed_cb(const wr_event *ev, void *ctx)
{
    feed *f = ctx;
    console *c = f->c;
    const char *k = ev->kind;
    f->n++;
    if (ev->seq > c->feed_seq)
        c->feed_seq = ev->seq;
    tui_notice_event(c, ev);
    if (strncmp(k, "alert.", 6) == 0)
        f->what |= W_ALERTS;
    if (strcmp(k, "incident.declared") == 0)
        f->what |= W_ALERTS | W_LIST; /* a declaration may take an alert out of triage */
    else if (strncmp(k, "incident.", 9) == 0 || strcmp(k, "milestone.set") == 0)
        f->what |= W_LIST;
    if (ev->incident && ev->incident == c->inc) {
        f->what |= W_TIMELINE;
        /* A note or a pin is only a timeline entry; anything else may change what the other panes show. */
        if (strcmp(k, "note") != 0 && strcmp(k, "pin") != 0 && strcmp(k, "unpin") != 0)
            f->what |= W_INCIDENT;
    }
    return 0;
}

/* Read the events committed since the last look: which parts of the screen they touch. The database changed
 * without a new event (a rebuild, a file restored, dropped alerts counted): everything. */
static unsigned read_feed(console *c)
{
    feed f = {c, 0, 0};
    wr_error err = {0};
    if (wr_store_events_after(c->st, 0, c->feed_seq, FEED_CHUNK, feed_cb, &f, &err) != WR_OK) {
        c->need_refresh = 1;
        return 0;
    }
    if (f.n == 0 || f.n >= FEED_CHUNK) {
        int64_t last = wr_store_last_seq(c->st, &err);
        if (last > c->feed_seq)
            c->feed_seq = last; /* far behind (lost for a while): read it all once */
        return W_ALL;
    }
    return f.what;
}

void tui_refresh(console *c, int force)
{
    unsigned what = read_feed(c) | c->want;
    if (force)
        what = W_ALL;
    c->want = 0;
    if (what & W_ALERTS)
        load_alerts(c);
    if (c->view == VIEW_LIST && (what & W_LIST))
        load_list(c);
    if ((what & W_LIST) && c->offer_inc == 0 && c->have_incident && !wr_status_is_open(c->incident.status))
        tui_offer_check(c); /* an incident declared (or reopened) while this one is over */
    else if ((what & W_LIST) && c->offer_inc)
        tui_offer_check(c);
    if (c->inc) {
        if (what & W_INCIDENT)
            load_incident(c, force);
        if (what & W_TIMELINE) {
            size_t added = 0, dropped = 0;
            int changed = 0;
            wr_error err = {0};
            if (wr_tlwin_poll(&c->tl, c->st, &added, &dropped, &changed, &err) == WR_OK)
                tui_timeline_polled(c, added, dropped, changed);
            else
                c->need_refresh = 1, c->want |= W_TIMELINE;
        }
    } else if (c->view == VIEW_ROOM && c->inc == 0 && (what & W_LIST)) {
        /* An empty war room: open the incident someone declared. */
        int64_t id;
        wr_error err = {0};
        if (wr_incident_resolve(c->st, NULL, &id, &err) == WR_OK) {
            tui_open_incident(c, id);
            char ref[32];
            tui_message(c, MSG_OK, "%s was declared: this is its war room", wr_incident_ref(id, ref, sizeof ref));
        }
    }
    if (c->need_refresh)
        c->want |= what; /* a read found the database busy: those parts again at the next look */
}

/* The beat alone (the timer): the file's time, or its text when it changed. */
void tui_presence_beat_only(console *c)
{
    wr_error err = {0};
    if (!c->pcache)
        c->pcache = wr_presence_cache_new();
    wr_status s = wr_presence_beat_cached(c->st, c->session, c->actor, c->view == VIEW_ROOM ? c->inc : 0, c->pcache,
                                          &err);
    /* A directory that cannot be written (a read-only operator): try again at the next beat. The beats fall
     * on the wall clock's multiples of the interval (every console's at once, and the header's minute on
     * every fourth), so the looks and reads that ride along with them share the same few wake-ups a minute
     * (console.c: due_soon). Never sooner than half an interval after this one. */
    int64_t iv = wr_presence_beat_interval();
    int64_t to_grid = iv - wr_clock_now_ms() % iv;
    if (to_grid < iv / 2)
        to_grid += iv;
    c->next_beat = wr_clock_mono_ms() + (s == WR_E_BUSY ? 1000 : to_grid);
}

/* A view change: beat now (others see where this console is) and read who is here. */
void tui_presence_beat(console *c)
{
    tui_presence_beat_only(c);
    tui_presence_load(c);
}

void tui_open_incident(console *c, int64_t id)
{
    int64_t from = c->inc;
    int was_list = c->view != VIEW_ROOM;
    c->view = VIEW_ROOM;
    free_incident_state(c);
    if (id != from)
        memset(c->unread, 0, sizeof c->unread); /* another incident: nothing of it was missed yet */
    c->inc = id;
    if (id)
        load_incident(c, 1);
    else
        tui_offer_check(c);
    for (int p = 0; p < WR_PANE_COUNT; p++)
        if (c->panes[p].ops->incident)
            c->panes[p].ops->incident(&c->panes[p], c, from, id);
    if (was_list)
        tui_relayout(c);
    tui_presence_beat(c);
    tui_dirty_all(c);
    c->next_tick = 0;
}

void tui_show_triage(console *c)
{
    c->view = VIEW_TRIAGE;
    load_alerts(c);
    tui_relayout(c);
    tui_presence_beat(c);
    tui_dirty_all(c);
    c->next_tick = 0;
}

void tui_show_list(console *c)
{
    c->view = VIEW_LIST;
    load_list(c);
    /* The incident just announced, else the one offered, else the shown one. */
    int64_t sel = c->announce_inc ? c->announce_inc : c->offer_inc > 0 ? c->offer_inc : c->inc;
    c->announce_inc = 0;
    if (sel)
        tui_list_select(c, sel);
    tui_relayout(c);
    tui_presence_beat(c);
    tui_dirty_all(c);
    c->next_tick = 0;
}

const char **tui_operators(console *c, size_t *n)
{
    const char **v = wr_xcalloc(c->nroles + c->nhere + 2, sizeof *v);
    size_t k = 0;
    v[k++] = c->actor->name;
    for (size_t i = 0; i < c->nroles; i++)
        v[k++] = c->roles[i].holder;
    for (size_t i = 0; i < c->nhere; i++)
        v[k++] = c->here[i].actor;
    *n = k;
    return v;
}

/* ---- on-call ---- */

void tui_oncall_load(console *c)
{
    char *path = wr_oncall_default_path();
    if (!path)
        return;
    wr_buf err = {0};
    c->oncall = wr_oncall_load_file(path, &err);
    if (!c->oncall)
        tui_message(c, MSG_ERROR, "on-call: %s", wr_buf_str(&err));
    wr_buf_free(&err);
    free(path);
}

void tui_suggest_oncall(console *c, int64_t inc)
{
    free_asks(c);
    if (!c->oncall || c->readonly)
        return;
    static const char *const want[] = {"incident-commander", "responder"};
    c->ask_inc = inc;
    for (size_t k = 0; k < 2; k++) {
        wr_oncall_pick pick;
        if (!wr_role_find(want[k]) || wr_oncall_suggest(c->oncall, want[k], wr_clock_now_ms(), &pick) != 0)
            continue;
        if (pick.oncall) {
            const wr_role_def *d = wr_role_find(want[k]);
            ask_grow(c);
            c->ask_role[c->nask] = wr_xstrdup(want[k]);
            c->ask_user[c->nask] = wr_xstrdup(pick.oncall);
            c->ask_text[c->nask] = wr_xasprintf("assign %s to %s (on call for %s)? y/n", d->abbrev, pick.oncall,
                                                pick.team);
            c->nask++;
        }
        wr_oncall_pick_free(&pick);
    }
    c->status_dirty = 1;
}

void tui_ask_answer(console *c, int yes)
{
    if (!c->nask)
        return;
    if (c->ask_write && c->ask_write[0]) {
        if (yes)
            tui_submit(c, c->ask_write[0]);
        else
            tui_message(c, MSG_INFO, "nothing changed");
        wr_write_clear(c->ask_write[0]);
        free(c->ask_write[0]);
    } else if (yes) {
        wr_opctx o = {c->st, c->actor, "tui", 0};
        wr_write w;
        wr_error err = {0};
        if (wr_op_assign(&o, c->ask_inc, c->ask_role[0], c->ask_user[0], 0, &w, &err) == WR_OK)
            tui_submit(c, &w);
        else
            tui_message(c, MSG_ERROR, "%s", err.msg);
    } else {
        tui_message(c, MSG_INFO, "not assigned");
    }
    free(c->ask_role[0]);
    free(c->ask_user[0]);
    free(c->ask_text[0]);
    c->nask--;
    memmove(c->ask_role, c->ask_role + 1, c->nask * sizeof(char *));
    memmove(c->ask_user, c->ask_user + 1, c->nask * sizeof(char *));
    memmove(c->ask_text, c->ask_text + 1, c->nask * sizeof(char *));
    memmove(c->ask_write, c->ask_write + 1, c->nask * sizeof(wr_write *));
    c->status_dirty = 1;
}
