/* SPDX-License-Identifier: MIT */
/* lifecycle.h - running an incident to its end: status transitions, milestone times, the decision
 * framework, affected assets and indicators, required roles, role history and response metrics.
 *
 * The rules are documented for operators in docs/lifecycle.md. In short:
 *   - statuses: triage -> containment -> eradication -> recovery -> resolved -> lessons-learned -> closed,
 *     side exits declined, merged (into another incident) and cancelled; wr_status_transition_check() says
 *     which moves need --force (and a reason);
 *   - milestones (started .. closed) are set the first time the status passes them, cleared again when the
 *     status moves back before them (unless they were set by hand), and can be corrected with a reason;
 *     they must stay in chronological order, and a change that would break it is refused naming the two
 *     times that clash;
 *   - metrics are differences of milestones (wr_metrics_compute).
 */
#ifndef WARROOM_LIFECYCLE_H
#define WARROOM_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/incident.h"
/* The lifecycle's other parts, for the callers that use it as one: */
#include "warroom/evidence.h"
#include "warroom/role_history.h"
#include "warroom/store.h"
#include "warroom/util.h"

/* ---- statuses ---- */

/* WR_OK if the status may move from -> to without --force; else WR_E_INVALID with a sentence saying why
 * (and what to do). Unknown statuses and from == to are not allowed. err may be NULL. */
wr_status wr_status_transition_check(const char *from, const char *to, wr_error *err);
/* Prepare a status change. into: the incident this one is merged into (required for "merged", else must be
 * 0). force (with a reason) overrides the transition rules and the runbook phase gate. */
wr_status wr_op_status(const wr_opctx *c, int64_t inc, const char *status, int64_t into, const char *reason,
                       int force, wr_write *w, wr_error *err);

/* ---- milestones ---- */

typedef enum {
    WR_MS_STARTED,
    WR_MS_DETECTED,
    WR_MS_DECLARED,
    WR_MS_ACKNOWLEDGED,
    WR_MS_CONTAINED,
    WR_MS_RECOVERED,
    WR_MS_RESOLVED,
    WR_MS_CLOSED,
    WR_MS_COUNT
} wr_milestone;
/* "started", "detected", ..., "closed": also their required chronological order. */
extern const char *const wr_milestone_names[WR_MS_COUNT];
/* A wr_milestone, or -1. */
int wr_milestone_from_name(const char *name);

typedef struct wr_milestones {
    int64_t at[WR_MS_COUNT];     /* UTC ms; 0 = not set */
    char source[WR_MS_COUNT][8]; /* "status", "role", "declare", "manual"; "" when not set */
} wr_milestones;
wr_status wr_milestones_get(wr_store *st, int64_t inc, wr_milestones *out, wr_error *err);
/* WR_OK if the set times (0 = unset) are in order; else WR_E_INVALID naming the first clash as
 * "contained 10:40 is before detected 10:55" (dates shown when the two differ). */
wr_status wr_milestones_check(const int64_t at[WR_MS_COUNT], wr_error *err);
/* Correct (backfill) a milestone. at 0 clears it (not "declared"). A reason is required; a time in the future
 * is refused here, one out of order by the store (WR_E_INVALID, naming the clash). */
wr_status wr_op_milestone(const wr_opctx *c, int64_t inc, const char *name, int64_t at, const char *reason,
                          wr_write *w, wr_error *err);
/* Parse a milestone time: what wr_time_parse takes, or a bare "HH:MM[:SS]" meaning that time today (UTC, by
 * wr_clock_now_ms). 0 or -1. */
int wr_lifecycle_time_parse(const char *s, int64_t *ms);
/* A time for humans: "2026-03-01 10:40" (":SS" added when the seconds are not zero). */
char *wr_lifecycle_time(int64_t ms, char *buf, size_t size);

/* ---- metrics ---- */

typedef enum {
    WR_MET_DETECT,      /* detected - started */
    WR_MET_ACKNOWLEDGE, /* acknowledged - detected (or declared when detection was not recorded) */
    WR_MET_CONTAIN,     /* contained - detected (or declared) */
    WR_MET_RECOVER,     /* recovered - detected (or declared) */
    WR_MET_RESOLVE,     /* resolved - detected (or declared) */
    WR_MET_COUNT
} wr_metric;
extern const char *const wr_metric_names[WR_MET_COUNT];  /* "time to detect", ... */
extern const char *const wr_metric_keys[WR_MET_COUNT];   /* "detect", ... (JSON keys) */
/* Each metric in ms, or -1 when a milestone it needs is not set. */
void wr_metrics_compute(const wr_milestones *m, int64_t out[WR_MET_COUNT]);
/* A duration rounded to the second: "45s", "12m", "12m30s", "3h05m", "2d04h". */
char *wr_lifecycle_duration(int64_t ms, char *buf, size_t size);

/* ---- decision framework (Cynefin) ---- */

extern const char *const wr_decision_frames[4]; /* clear, complicated, complex, chaotic */
int wr_decision_valid(const char *frame);
/* How to act in that frame, one sentence; NULL for "" or an unknown frame. */
const char *wr_decision_approach(const char *frame);

/* ---- notes tagged for the postmortem ---- */

extern const char *const wr_note_tags[3]; /* went-well, went-badly, contributing-factor */
/* A note with an optional tag (NULL: a plain note, as wr_op_note). */
wr_status wr_op_note_tagged(const wr_opctx *c, int64_t inc, const char *text, const char *tag, wr_write *w,
                            wr_error *err);

#endif
