/* SPDX-License-Identifier: MIT */
/* incident.h - incidents, roles and the operations people perform on them.
 *
 * Reads return plain structs (free them with the matching *_free). Operations come in two steps so a
 * screen never blocks on a busy database: wr_op_*() checks the request and prepares a wr_write (nothing is
 * written yet); wr_store_append() records it, and may be retried with the same wr_write until it lands.
 * wr_op_run() does both for callers that can wait (the CLI).
 */
#ifndef WARROOM_INCIDENT_H
#define WARROOM_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/store.h"

/* Severities SEV1 (worst) .. SEV5. The database stores the names; the model compares the enum. */
#define WR_SEV_COUNT 5
extern const char *const wr_severities[WR_SEV_COUNT]; /* the names, indexed by wr_severity */
typedef enum wr_severity { WR_SEV_UNKNOWN = -1, WR_SEV1, WR_SEV2, WR_SEV3, WR_SEV4, WR_SEV5 } wr_severity;
/* The severity called name ("SEV2"), or WR_SEV_UNKNOWN (name may be NULL). */
wr_severity wr_severity_of(const char *name);

/* Statuses in lifecycle order, then the side exits. The database stores the names; the model compares the
 * enum (the one place the two are mapped is incident.c). */
extern const char *const wr_statuses[]; /* the names, indexed by wr_inc_status */
extern const size_t wr_nstatuses;
typedef enum wr_inc_status {
    WR_INC_UNKNOWN = -1,
    WR_INC_TRIAGE,
    WR_INC_CONTAINMENT,
    WR_INC_ERADICATION,
    WR_INC_RECOVERY,
    WR_INC_RESOLVED,
    WR_INC_LESSONS_LEARNED,
    WR_INC_CLOSED,
    WR_INC_DECLINED,
    WR_INC_MERGED,
    WR_INC_CANCELLED,
    WR_INC_NSTATUSES
} wr_inc_status;
/* The status called name ("containment"), or WR_INC_UNKNOWN (name may be NULL). */
wr_inc_status wr_inc_status_of(const char *name);
/* Its name, or "?" for WR_INC_UNKNOWN. */
const char *wr_inc_status_name(wr_inc_status s);
/* 1 for triage..recovery (being worked); 1 unless closed or a side exit (open). */
int wr_inc_status_active(wr_inc_status s);
int wr_inc_status_open(wr_inc_status s);
/* 1 for triage..recovery: the incident is being worked. */
int wr_status_is_active(const char *status);
/* 1 unless closed, declined, merged or cancelled. */
int wr_status_is_open(const char *status);
int wr_severity_valid(const char *s);
int wr_incident_status_valid(const char *s);
/* Kinds of incident: real, drill, backfilled. */
int wr_incident_kind_valid(const char *s);
/* 1 if an incident of this kind is a drill (practice, not a real incident). */
int wr_incident_kind_is_drill(const char *kind);

/* Role definitions (defaults until the config file provides its own). */
typedef struct wr_role_def {
    const char *id;    /* "incident-commander" */
    const char *title; /* "Incident commander" */
    const char *abbrev; /* "IC" */
    int single;        /* 1: one holder at a time (assigning hands over) */
} wr_role_def;
extern const wr_role_def wr_default_roles[];
extern const size_t wr_ndefault_roles;
const wr_role_def *wr_role_find(const char *id);

/* Fields `set` can change, and whether they take free text. */
extern const char *const wr_incident_fields[];
extern const size_t wr_nincident_fields;

typedef struct wr_incident {
    int64_t id;
    char *title, *severity, *status, *type, *kind, *summary, *impact;
    wr_severity sev;      /* severity as the enum (WR_SEV_UNKNOWN for a name this warroom does not know) */
    wr_inc_status state;  /* status as the enum */
    char *decision;      /* Cynefin frame (lifecycle.h), "" if not chosen */
    int64_t merged_into; /* status merged: the incident it went into; else 0 */
    int64_t declared_at;
    int64_t updated_at;
    int64_t version; /* bumped by every change; for version-checked edits */
    int64_t last_seq;
} wr_incident;
void wr_incident_clear(wr_incident *inc);
void wr_incidents_free(wr_incident *v, size_t n);

/* "INC-42" into buf. */
char *wr_incident_ref(int64_t id, char *buf, size_t size);
/* Parse "INC-42", "inc-42" or "42". 0 ok, -1 not an incident reference, -2 written like one (INC- and digits,
 * or digits) but no incident number can be that (0, or beyond 9223372036854775807). */
int wr_incident_parse_ref(const char *s, int64_t *id);

wr_status wr_incident_get(wr_store *st, int64_t id, wr_incident *out, wr_error *err);
/* All incidents, open ones first (then by id, newest first). */
wr_status wr_incident_list(wr_store *st, int open_only, wr_incident **out, size_t *n, wr_error *err);
/* The incident a command means: ref (may be NULL: then the one active incident, else the one open one). */
wr_status wr_incident_resolve(wr_store *st, const char *ref, int64_t *id, wr_error *err);

typedef struct wr_role_holder {
    char *role, *holder, *assigned_by;
    int64_t since;
} wr_role_holder;
wr_status wr_roles_list(wr_store *st, int64_t incident, wr_role_holder **out, size_t *n, wr_error *err);
void wr_roles_free(wr_role_holder *v, size_t n);

/* JSON documents built by the store (caller frees). */
wr_status wr_incident_json(wr_store *st, int64_t id, int with_events, char **json, wr_error *err);
wr_status wr_incident_list_json(wr_store *st, int open_only, char **json, wr_error *err);
wr_status wr_event_json(const wr_event *ev, char **json);

/* (The timeline's line for an event, wr_event_describe, is in warroom/model.h: it goes through every
 * module's kinds.) */
/* The value of a top-level member of an event payload written by warroom, as text (strings unescaped,
 * numbers as written), or NULL when absent. Caller frees. */
char *wr_event_payload_str(const char *payload, const char *key);

/* --- operations --- */
typedef struct wr_opctx {
    wr_store *store;
    const wr_actor *actor;
    const char *source;  /* "cli", "tui", "drill", "alert" */
    int64_t occurred_at; /* 0 = now; set for backfilled acts */
} wr_opctx;

wr_status wr_op_declare(const wr_opctx *c, const char *title, const char *severity, const char *type,
                        const char *kind, wr_write *w, wr_error *err);
/* The same, with when the incident really started and when it was detected (0: not known). They must not
 * be after the declaration, nor started after detected. */
wr_status wr_op_declare_at(const wr_opctx *c, const char *title, const char *severity, const char *type,
                           const char *kind, int64_t started, int64_t detected, wr_write *w, wr_error *err);
wr_status wr_op_note(const wr_opctx *c, int64_t inc, const char *text, wr_write *w, wr_error *err);
/* Every reason (a field change, a status override, a skipped or blocked step, a milestone correction, an
 * action item closed, an alert dismissed) is at most this many bytes; longer ones are refused. */
#define WR_REASON_MAX 1000
/* field: severity, status, title, summary, impact, type, decision. reason optional. A change to "merged"
 * needs the target: use wr_op_status (lifecycle.h).
 * expect_version > 0 makes it a version-checked edit: refused with WR_E_CONFLICT when the incident
 * changed since the caller read it. A status change that leaves a phase with mandatory runbook steps open
 * is refused with WR_E_GATE unless force is set, which needs a reason (recorded as the override). */
wr_status wr_op_set(const wr_opctx *c, int64_t inc, const char *field, const char *value, const char *reason,
                    int64_t expect_version, int force, wr_write *w, wr_error *err);
/* Assign role to user (a single-holder role is handed over); remove=1 takes user off the role. */
wr_status wr_op_assign(const wr_opctx *c, int64_t inc, const char *role, const char *user, int remove,
                       wr_write *w, wr_error *err);
/* Pin (or unpin) an event of the incident's timeline as a key moment. */
wr_status wr_op_pin(const wr_opctx *c, int64_t inc, int64_t event_seq, int pin, wr_write *w, wr_error *err);

/* Intent: the operator saw `seen` when asking for the act prepared in w: the state of the step
 * (step.changed), the old value of the field (incident.changed), or who held the single-holder role ("" for
 * nobody; role.assigned / role.removed). The store applies it only if that is still so; otherwise nothing
 * changes and the act fails with WR_E_CONFLICT naming who changed it first and when ("step disable-key is
 * already done: resp2 did it at 19:42:08 UTC"). Recorded in the event as "expect". */
void wr_op_expect(wr_write *w, const char *seen);

/* An emergency: the operator forces the act past the policy (who may do what), with a reason; recorded in
 * the event ("override", "reason") and shown in the timeline. */
void wr_op_force(wr_write *w, const char *reason);

/* Prepare-and-append for callers that can wait up to wait_ms. w is cleared afterwards; *seq and *result_id
 * (either may be NULL) receive the results. */
wr_status wr_op_commit(wr_store *st, wr_write *w, int wait_ms, int64_t *seq, int64_t *result_id, wr_error *err);

#endif
