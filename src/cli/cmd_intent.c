/* SPDX-License-Identifier: MIT */
/* cmd_intent.c - what an act expects to find: `--expect VALUE` on the command line, what the console showed
 * in the console (wr_seen). The store applies the act only if it is still so (wr_op_expect). */
#include "cmd_int.h"

#include "warroom/checklist.h"
#include "warroom/incident.h"

#include <string.h>

static const wr_incident *seen_incident(const wr_cmdctx *c, int64_t inc)
{
    return c->seen && c->seen->incident && c->seen->incident->id == inc ? c->seen->incident : NULL;
}

const char *wr_args_expect_field(wr_cmdctx *c, int64_t inc, const char *field, const char *given)
{
    if (given)
        return given;
    const wr_incident *i = seen_incident(c, inc);
    if (!i || !field)
        return NULL;
    return strcmp(field, "severity") == 0 ? i->severity
           : strcmp(field, "status") == 0 ? i->status
           : strcmp(field, "title") == 0  ? i->title
           : strcmp(field, "summary") == 0 ? i->summary
           : strcmp(field, "impact") == 0 ? i->impact
           : strcmp(field, "type") == 0   ? i->type
           : strcmp(field, "decision") == 0 ? i->decision
                                           : NULL;
}

const char *wr_args_expect_step(wr_cmdctx *c, int64_t inc, const char *runbook, const char *step,
                                const char *given)
{
    if (given)
        return given;
    if (!seen_incident(c, inc) || !step)
        return NULL;
    const char *found = NULL;
    for (size_t i = 0; i < c->seen->nsteps; i++) {
        const wr_step_row *r = &c->seen->steps[i];
        if (strcmp(r->step, step) != 0 || (runbook && strcmp(r->runbook, runbook) != 0))
            continue;
        if (found)
            return NULL; /* in several runbooks: the store will ask which */
        found = r->state;
    }
    return found;
}

const char *wr_args_expect_holder(wr_cmdctx *c, int64_t inc, const char *role, const char *given)
{
    if (given)
        return strcmp(given, "-") == 0 || strcmp(given, "nobody") == 0 ? "" : given;
    const wr_role_def *def = role ? wr_role_find(role) : NULL;
    if (!seen_incident(c, inc) || !def || !def->single)
        return NULL;
    for (size_t i = 0; i < c->seen->nroles; i++) /* by `since`: the first is the holder */
        if (strcmp(c->seen->roles[i].role, def->id) == 0)
            return c->seen->roles[i].holder;
    return "";
}
