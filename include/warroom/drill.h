/* SPDX-License-Identifier: MIT */
/* drill.h - drills (practising runbooks in peacetime) and replays of past incidents (docs/drills.md).
 *
 * A drill scenario is a YAML file in a `drills/` folder (searched like runbooks):
 *
 *   id: leaked-credentials              # required, [a-z0-9][a-z0-9-]*, at most 64
 *   title: Leaked cloud credentials     # required
 *   description: |                      # optional
 *     ...
 *   incident:                           # the drill incident declared at 0s (kind "drill")
 *     title: AWS access key found in a public repository
 *     severity: SEV2                    # optional, default SEV3
 *     type: credential-leak             # optional
 *   events:                             # in time order; `at` counts from the declaration
 *     - at: 0s
 *       alert: {source: github-secret-scanning, title: ..., severity: critical, labels: {...}}
 *     - at: 30s
 *       as: alice                       # the simulated responder (default: who runs the drill)
 *       assign: {role: incident-commander, user: alice}
 *     - at: 1m
 *       attach: leaked-cloud-credentials
 *     - at: 2m
 *       step: {id: disable-key, action: done}      # runbook: optional; action default done
 *     - at: 3m
 *       note: Key disabled; checking CloudTrail
 *     - at: 4m
 *       severity: SEV1
 *       reason: The key was used from an unknown network
 *     - at: 5m
 *       status: containment
 *     - at: 6m
 *       set: {field: impact, value: ...}
 *     - at: 7m
 *       unassign: {role: responder, user: bob}
 *
 * Each event has exactly one action: note, severity, status, assign, unassign, attach, step, alert, set;
 * and optionally `as`, `reason` (severity, status, set, skip/block steps) and `force: true` (a status change
 * past open mandatory steps; needs a reason). An alert may say `attach: false` to stay in the triage queue
 * instead of being attached to the drill incident; it is labelled drill=<scenario id> and
 * drill_incident=INC-N (so every run has its own fingerprint).
 */
#ifndef WARROOM_DRILL_H
#define WARROOM_DRILL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "warroom/alert.h"
#include "warroom/runbook.h"
#include "warroom/store.h"
#include "warroom/util.h"

#define WR_DRILL_MAX_BYTES (512 * 1024)
#define WR_DRILL_MAX_AT_MS (7LL * 86400 * 1000)

typedef enum wr_drill_action {
    WR_DRILL_NOTE,
    WR_DRILL_SEVERITY,
    WR_DRILL_STATUS,
    WR_DRILL_ASSIGN,
    WR_DRILL_UNASSIGN,
    WR_DRILL_ATTACH,
    WR_DRILL_STEP,
    WR_DRILL_ALERT,
    WR_DRILL_SET,
} wr_drill_action;

typedef struct wr_drill_event {
    int64_t at_ms;
    wr_drill_action action;
    char *as;          /* NULL: the operator running the drill */
    char *text;        /* note text, severity, status, runbook id (attach), value (set) */
    char *field;       /* set */
    char *role, *user; /* assign, unassign */
    char *runbook, *step, *step_action; /* step (runbook may be NULL) */
    char *reason;
    int force;
    wr_alert alert;    /* alert (labels without the drill ones, added when run) */
    int attach_alert;
    int line, col; /* where the event's action is in the file (1-based), for errors found later */
} wr_drill_event;

typedef struct wr_drill {
    char *id, *title, *description, *path;
    char *inc_title, *inc_severity, *inc_type;
    wr_drill_event *events;
    size_t nevents;
    int64_t duration_ms; /* `at` of the last event */
} wr_drill;

wr_drill *wr_drill_load_file(const char *path, wr_buf *err);
wr_drill *wr_drill_load_mem(const char *name, const char *data, size_t len, wr_buf *err);
void wr_drill_free(wr_drill *d);
/* The runbooks and steps the scenario names must exist in set, each step in a runbook attached before it
 * (and a step id without runbook must be unique among those). 0, or -1 with "path:line: ..." in err. */
int wr_drill_check_runbooks(const wr_drill *d, const wr_rb_set *set, wr_buf *err);

typedef struct wr_drill_set {
    wr_drill **v; /* sorted by id */
    size_t n;
} wr_drill_set;
/* Every *.yaml of each dir (first id wins, as for runbooks); bad files' errors go to err. */
void wr_drill_set_load_dirs(wr_drill_set *set, const char *const *dirs, size_t ndirs, wr_buf *err);
void wr_drill_set_free(wr_drill_set *set);
const wr_drill *wr_drill_set_find(const wr_drill_set *set, const char *id);

/* Running a drill: declares the incident (kind "drill") and writes each event at start + at / speed, with
 * source "drill" and the simulated responder as actor. */
typedef struct wr_drill_runner {
    wr_store *store;
    const wr_actor *actor;      /* who runs it (os_user and origin of every event) */
    const wr_rb_set *runbooks;  /* for attach */
    double speed;               /* N times faster (> 0) */
    int wait_ms;                /* how long each write may wait for the lock */
    volatile sig_atomic_t *stop; /* set (by a signal handler) to stop between events; may be NULL */
    /* Told about each event as it is written (failed: 1 if it was refused, with the reason in line). */
    void (*say)(void *ctx, int64_t at_ms, int64_t incident, const char *line, int failed);
    void *ctx;
} wr_drill_runner;
typedef struct wr_drill_result {
    int64_t incident;
    size_t written, failed;
    int stopped;
} wr_drill_result;
/* WR_OK when the drill ran to its end or was stopped (res->stopped); an event the store refuses
 * (conflict, gate, not found, busy) is reported through say and counted in res->failed; any other store
 * failure ends the run with its status. */
wr_status wr_drill_run(const wr_drill *d, const wr_drill_runner *r, wr_drill_result *res, wr_error *err);

/* Sleep until the monotonic clock reaches target_ms, in short naps; returns early (1) when *stop is set. */
int wr_drill_sleep_until(int64_t target_ms, volatile sig_atomic_t *stop);

/* ---- replay ---- */

typedef struct wr_replay {
    wr_event *v;       /* in the order they happened (occurred_at, then seq) */
    int64_t *offset_ms; /* since the first */
    size_t n;
    int64_t span_ms;
} wr_replay;
wr_status wr_replay_load(wr_store *st, int64_t incident, wr_replay *out, wr_error *err);
void wr_replay_free(wr_replay *r);
/* One line of text for any event (alert events included). Raw: clean it before drawing. Caller frees. */
char *wr_replay_describe(const wr_event *ev);

#endif
