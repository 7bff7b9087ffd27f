/* SPDX-License-Identifier: MIT */
/* kinds_int.h - private to the domain modules that own event kinds and tables: the tables of kinds and the
 * schema parts src/model.c assembles, and the few helpers their appliers share. Front ends never see it; the
 * store layer never includes it (tests/sh/layers.sh checks both). */
#ifndef WARROOM_KINDS_INT_H
#define WARROOM_KINDS_INT_H

#include "store_int.h"

#include "warroom/policy.h"

/* Each module's event kinds (listed in src/model.c). */
extern const wr_kind_module wr_kinds_incident;  /* incident_kinds.c: declare, change, note, roles, pins */
extern const wr_kind_module wr_kinds_checklist; /* checklist.c: runbooks and steps */
extern const wr_kind_module wr_kinds_lifecycle; /* lifecycle.c: milestones, merges */
extern const wr_kind_module wr_kinds_evidence;  /* evidence.c: assets, indicators */
extern const wr_kind_module wr_kinds_update;    /* update.c: stakeholder updates */
extern const wr_kind_module wr_kinds_action;    /* action.c: action items */
extern const wr_kind_module wr_kinds_alert;     /* alert.c: alerts */
extern const wr_kind_module wr_kinds_exhibit;   /* exhibit.c: commands run, files attached */

/* The modules' schema parts (listed in src/model.c's migrations). */
extern const char wr_schema_checklist_v1[]; /* checklist.c */
extern const char wr_schema_presence_v1[];  /* presence.c */
extern const char wr_schema_lifecycle_v1[]; /* lifecycle.c */
extern const char wr_schema_action_v1[];    /* action.c */
extern const char wr_schema_alert_v1[];     /* alert.c */
extern const char wr_schema_alert_v2[];     /* alert_fold.c: firings, deliveries, notes, sources */

/* Note that event seq (at time `at`) touched incident inc; bump_version for field changes. SQLite code
 * (incident.c). */
int wr_incident_touch(wr_store *st, int64_t inc, int64_t seq, int64_t at, int bump_version);
/* Inside a write: WR_OK if incident inc exists (its status into *status when status is not NULL; caller
 * frees), WR_E_NOTFOUND saying so otherwise. */
wr_status wr_incident_need(wr_store *st, int64_t inc, char **status, wr_error *err);
/* The apply of a kind that only adds to its incident's timeline (a note, a command run, a file attached): the
 * incident must exist; its updated time and seq move. */
wr_status wr_kind_apply_timeline_only(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err);
/* Mandatory steps still open in phases up to and including phase_index: "runbook/step, ..." into out,
 * returns how many (checklist.c). Used by the status gate. */
int wr_checklist_open_mandatory(wr_store *st, int64_t inc, int phase_index, wr_buf *out);
/* Who may do what (policy_check.c): WR_OK, or WR_E_DENIED naming the roles needed and who holds them. A
 * forceable act with "override" and a reason in the payload passes and is marked "forced" (act). */
wr_status wr_policy_check(wr_store *st, wr_write *w, wr_act act, int forceable, wr_error *err);

/* Lifecycle hooks the incident's own kinds call (lifecycle.c), inside the write transaction: */
/* after an incident is inserted: the declared milestone, and started/detected given at declaration */
wr_status wr_lc_on_declared(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err);
/* before a status change: the transition rules (unless overridden) and a merge target */
wr_status wr_lc_status_check(wr_store *st, wr_write *w, const char *old, const char *status, wr_error *err);
/* after it: milestones set or cleared (recorded in the payload), merged_into, the target's timeline entry */
wr_status wr_lc_status_applied(wr_store *st, wr_write *w, int64_t seq, int64_t at, const char *old,
                               const char *status, wr_error *err);
/* after a role is assigned: the first incident commander acknowledges the incident */
wr_status wr_lc_on_role(wr_store *st, wr_write *w, int64_t seq, int64_t at, const char *role, wr_error *err);
/* The lifecycle's part of an incident event's timeline line (merged into, started/detected, milestones). */
void wr_lc_describe_more(const wr_event *ev, wr_buf *out);
/* After a declaration: an alert it was declared from is linked to the new incident (alert.c). */
wr_status wr_alert_on_declared(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err);

/* A check that requires the listed payload members: WR_KIND_REQUIRE(check_note, "$.text"). */
#define WR_KIND_REQUIRE(fn, ...)                                                                              \
    static wr_status fn(wr_store *st, const wr_write *w, wr_error *err)                                       \
    {                                                                                                         \
        static const char *const members[] = {__VA_ARGS__, NULL};                                             \
        return wr_st_require(st, w, members, err);                                                            \
    }

#endif
