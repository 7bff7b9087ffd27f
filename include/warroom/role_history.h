/* SPDX-License-Identifier: MIT */
/* role_history.h - who held which role when, and which required roles nobody holds. */
#ifndef WARROOM_ROLE_HISTORY_H
#define WARROOM_ROLE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/incident.h"

/* The roles the incident's severity requires (policy.h) that nobody holds, in the policy's order: role ids
 * (caller frees with wr_strv_free). Empty unless the incident is being worked (triage..recovery). */
wr_status wr_roles_missing(wr_store *st, int64_t inc, char ***ids, size_t *n, wr_error *err);
void wr_strv_free(char **v, size_t n);

typedef struct wr_role_span {
    char *role, *holder, *assigned_by;
    char *ended_by; /* "" while held */
    int64_t from, to; /* to 0 while held */
} wr_role_span;
/* Who held which role when, in the order they took it. */
wr_status wr_role_history(wr_store *st, int64_t inc, wr_role_span **out, size_t *n, wr_error *err);
void wr_role_history_free(wr_role_span *v, size_t n);

#endif
