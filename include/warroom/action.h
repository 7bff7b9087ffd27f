/* SPDX-License-Identifier: MIT */
/* action.h - follow-up action items from the lessons learned: what to do, who owns it, by when, of which
 * kind (detective, preventive, corrective), and its state (open, done, wont-do). Numbered 1, 2, ... within
 * their incident. */
#ifndef WARROOM_ACTION_H
#define WARROOM_ACTION_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/util.h"

extern const char *const wr_action_types[3];  /* detective, preventive, corrective */
extern const char *const wr_action_states[3]; /* open, done, wont-do */

typedef struct wr_action {
    int64_t n;          /* its number in the incident */
    char *title, *owner; /* owner "" if none */
    char *due;          /* "YYYY-MM-DD", "" if none */
    char *type, *state;
    char *reason;       /* why it was closed as wont-do or reopened, "" if none */
    char *created_by, *updated_by;
    int64_t created_at, updated_at;
} wr_action;

/* Add an action item. owner and due may be NULL; type NULL means corrective. due is a date (YYYY-MM-DD). */
wr_status wr_op_action_add(const wr_opctx *c, int64_t inc, const char *title, const char *owner, const char *due,
                           const char *type, wr_write *w, wr_error *err);
/* Change item n: verb done, wontdo (or wont-do) or reopen; wontdo needs a reason. */
wr_status wr_op_action_state(const wr_opctx *c, int64_t inc, int64_t n, const char *verb, const char *reason,
                             wr_write *w, wr_error *err);

wr_status wr_actions_list(wr_store *st, int64_t inc, wr_action **out, size_t *n, wr_error *err);
void wr_actions_free(wr_action *v, size_t n);
/* The list as a JSON array (caller frees). */
wr_status wr_actions_json(wr_store *st, int64_t inc, char **json, wr_error *err);


#endif
