/* policy.h - the rules of engagement in force: the role set, what each severity means, which roles it
 * requires and how often stakeholders must hear from the war room, and the update command.
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

#endif
