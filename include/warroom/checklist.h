/* SPDX-License-Identifier: MIT */
/* checklist.h - runbooks attached to an incident, and the live state of their steps.
 *
 * Attaching copies the runbook (as JSON, with its content hash) into the incident: editing the YAML later
 * never changes an incident already under way. Step changes are events like any other; two operators
 * ticking one step at once: the first wins, the second is told who did it and when (WR_E_CONFLICT).
 */
#ifndef WARROOM_CHECKLIST_H
#define WARROOM_CHECKLIST_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/incident.h"
#include "warroom/runbook.h"

/* Step states: the names the database stores (and the front ends compare)... */
#define WR_STEP_TODO "todo"
#define WR_STEP_IN_PROGRESS "in-progress"
#define WR_STEP_DONE "done"
#define WR_STEP_SKIPPED "skipped"
#define WR_STEP_BLOCKED "blocked"
/* ...and the enum the model compares; checklist.c maps one to the other. */
typedef enum wr_step_state {
    WR_STEP_STATE_UNKNOWN = -1,
    WR_STEP_STATE_TODO,
    WR_STEP_STATE_IN_PROGRESS,
    WR_STEP_STATE_DONE,
    WR_STEP_STATE_SKIPPED,
    WR_STEP_STATE_BLOCKED,
    WR_STEP_NSTATES
} wr_step_state;
extern const char *const wr_step_state_names[WR_STEP_NSTATES]; /* indexed by wr_step_state */
/* The state called name, or WR_STEP_STATE_UNKNOWN (name may be NULL). */
wr_step_state wr_step_state_of(const char *name);
/* 1 for done and skipped: nothing left to do. */
int wr_step_state_finished(wr_step_state s);

typedef struct wr_step_row {
    char *runbook;   /* runbook id */
    char *step;      /* step id */
    char *title;
    char *phase;     /* "containment" */
    int phase_index; /* wr_phase order */
    int ord;         /* order within the runbook */
    int mandatory;
    char *role;      /* owning role from the runbook */
    char *state;     /* todo, in-progress, done, skipped, blocked */
    wr_step_state st; /* state as the enum */
    char *owner;     /* person assigned, "" if none */
    char *reason;    /* for skipped/blocked */
    char *updated_by;
    int64_t updated_at;
    int notes;       /* how many notes were written on the step */
} wr_step_row;

typedef struct wr_attached {
    char *runbook, *title, *sha256;
    long version;
    int64_t attached_at;
    char *attached_by;
} wr_attached;

/* Every step of every runbook attached to inc, by phase, then runbook attach order, then step order. */
wr_status wr_checklist_get(wr_store *st, int64_t inc, wr_step_row **out, size_t *n, wr_error *err);
void wr_checklist_free(wr_step_row *v, size_t n);
wr_status wr_attached_list(wr_store *st, int64_t inc, wr_attached **out, size_t *n, wr_error *err);
void wr_attached_free(wr_attached *v, size_t n);
/* The stored copy of an attached runbook, as JSON (caller frees). */
wr_status wr_attached_json(wr_store *st, int64_t inc, const char *runbook, char **json, wr_error *err);

/* Attach rb to inc. */
wr_status wr_op_attach(const wr_opctx *c, int64_t inc, const wr_runbook *rb, wr_write *w, wr_error *err);
/* Change a step's state: action is done, skip, block, start or todo (skip and block need a reason).
 * runbook may be NULL when the step id is unique among the incident's runbooks (the store checks). */
wr_status wr_op_step(const wr_opctx *c, int64_t inc, const char *runbook, const char *step, const char *action,
                     const char *reason, wr_write *w, wr_error *err);
/* Give a step an owner (user "" or "-" clears it). */
wr_status wr_op_step_assign(const wr_opctx *c, int64_t inc, const char *runbook, const char *step,
                            const char *user, wr_write *w, wr_error *err);

/* Write a note on a step (it shows in the timeline and counts on the step). */
wr_status wr_op_step_note(const wr_opctx *c, int64_t inc, const char *runbook, const char *step, const char *text,
                          wr_write *w, wr_error *err);

#endif
