/* SPDX-License-Identifier: MIT */
/* policy.h - the rules of engagement in force: the role set, what each severity means, which roles it
 * requires and how often stakeholders must hear from the war room, the update command, and who may do
 * what (the `policy:` section: acts -> the roles allowed).
 *
 * Defaults are built in (docs/lifecycle.md); wr_policy_apply() lays the configuration file over them, once,
 * at start-up (main.c does it for the CLI and the console). The policy is process-wide: wr_role_find() and
 * the lifecycle checks read it.
 */
#ifndef WARROOM_POLICY_H
#define WARROOM_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/config.h"
#include "warroom/incident.h"

typedef struct wr_severity_def {
    const char *name;         /* "SEV1" */
    const char *meaning;      /* one sentence */
    const char *const *roles; /* required role ids */
    size_t nroles;
    int64_t update_every_ms;  /* stakeholder-update cadence; 0: none required */
} wr_severity_def;

/* Copy what cfg sets over the defaults (cfg NULL: back to the defaults). Call before any other wr_policy_*
 * use; the strings are copied, cfg may be freed afterwards. */
void wr_policy_apply(const wr_config *cfg);

/* The role set in force (the configured one, else wr_default_roles). */
const wr_role_def *wr_policy_roles(size_t *n);
/* SEV1..SEV5 -> its definition; NULL for anything else. */
const wr_severity_def *wr_policy_severity(const char *severity);
/* The update command, or NULL when none is configured. */
const char *wr_policy_update_command(void);
/* How long the update command may run (config update_timeout; default 30 s). */
int wr_policy_update_timeout_ms(void);

#define WR_UPDATE_TIMEOUT_DEFAULT_S 30

/* Who may do what. Each act is open to anyone or to the holders of some roles; the store checks it inside
 * the write transaction (an act by a person: source cli or tui) and refuses with WR_E_DENIED naming the roles
 * and who holds them. Nobody holding any of those roles opens the act to anyone (an incident nobody
 * commands yet). `--force --reason TEXT` gets past a refusal in an emergency and is recorded as forced, by
 * whom and why, except for `override` itself: only its roles may override the phase gate. Notes, pins and
 * updates are always open to anyone. */
typedef enum wr_act {
    WR_ACT_OVERRIDE,     /* --force past the phase gate or the lifecycle rules */
    WR_ACT_RESOLVE,      /* status resolved, lessons-learned, closed, declined, merged or cancelled */
    WR_ACT_HAND_OVER_IC, /* give the incident-commander role to someone else, or take it from its holder */
    WR_ACT_STATUS,       /* any other status change */
    WR_ACT_SEVERITY,     /* change the severity */
    WR_ACT_EDIT,         /* title, summary, impact, type, decision */
    WR_ACT_ASSIGN,       /* assign or unassign the other roles */
    WR_ACT_STEP,         /* change a checklist step or its owner */
    WR_ACT_COUNT
} wr_act;
extern const char *const wr_act_names[WR_ACT_COUNT]; /* "override", "resolve", "hand-over-ic", ... */
/* What an act is, for messages: "override the phase gate or the lifecycle rules of". */
const char *wr_act_text(wr_act act);
/* The roles that may do act; *n == 0 means anyone. */
const char *const *wr_policy_may(wr_act act, size_t *n);

#endif
