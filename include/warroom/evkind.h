/* SPDX-License-Identifier: MIT */
/* evkind.h - the event kinds as a vocabulary: one enum, one name table (the names are what events.kind
 * stores). The registry (warroom/store.h: wr_event_kind rows in the module that owns each kind) says what a
 * kind does; this says what kinds there are, so code that branches on a kind names it with a constant the
 * compiler checks (wr_ev_is(ev->kind, WR_EV_PIN)) instead of a string literal. unit.test_model checks that
 * the registry and this table name the same kinds. */
#ifndef WARROOM_EVKIND_H
#define WARROOM_EVKIND_H

#include <string.h>

#define WR_EVENT_KINDS(X)                                                                                     \
    X(NOTE, "note")                                                                                           \
    X(INCIDENT_DECLARED, "incident.declared")                                                                 \
    X(INCIDENT_CHANGED, "incident.changed")                                                                   \
    X(INCIDENT_MERGED_IN, "incident.merged-in")                                                               \
    X(ROLE_ASSIGNED, "role.assigned")                                                                         \
    X(ROLE_REMOVED, "role.removed")                                                                           \
    X(PIN, "pin")                                                                                             \
    X(UNPIN, "unpin")                                                                                         \
    X(MILESTONE_SET, "milestone.set")                                                                         \
    X(RUNBOOK_ATTACHED, "runbook.attached")                                                                   \
    X(STEP_CHANGED, "step.changed")                                                                           \
    X(STEP_ASSIGNED, "step.assigned")                                                                         \
    X(STEP_NOTE, "step.note")                                                                                 \
    X(ASSET_ADDED, "asset.added")                                                                             \
    X(ASSET_REMOVED, "asset.removed")                                                                         \
    X(INDICATOR_ADDED, "indicator.added")                                                                     \
    X(INDICATOR_REMOVED, "indicator.removed")                                                                 \
    X(ACTION_ADDED, "action.added")                                                                           \
    X(ACTION_CHANGED, "action.changed")                                                                       \
    X(UPDATE, "update")                                                                                       \
    X(UPDATE_SENT, "update.sent")                                                                             \
    X(ALERT_RECEIVED, "alert.received")                                                                       \
    X(ALERT_ATTACHED, "alert.attached")                                                                       \
    X(ALERT_DISMISSED, "alert.dismissed")                                                                     \
    X(COMMAND_RUN, "command.run")                                                                             \
    X(FILE_ATTACHED, "file.attached")

typedef enum wr_evkind {
    WR_EV_UNKNOWN,
#define WR_EV_ENUM(id, name) WR_EV_##id,
    WR_EVENT_KINDS(WR_EV_ENUM)
#undef WR_EV_ENUM
        WR_EV_COUNT
} wr_evkind;

/* The stored name of each kind ("" for WR_EV_UNKNOWN). */
extern const char *const wr_evkind_names[WR_EV_COUNT];
/* The kind a stored name is (WR_EV_UNKNOWN for a name no kind has). */
wr_evkind wr_evkind_of(const char *name);

/* 1 if the stored kind name is kind k. */
static inline int wr_ev_is(const char *name, wr_evkind k)
{
    return name && strcmp(name, wr_evkind_names[k]) == 0;
}

#endif
