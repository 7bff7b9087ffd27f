/* SPDX-License-Identifier: MIT */
/* oncall.h - on-call rotations, overrides and escalation policies (oncall.yaml; docs/oncall.md).
 *
 *   timezone: Europe/Berlin              # default zone for the times below (default UTC)
 *   roles:                               # which team supplies which incident role
 *     incident-commander: sre-leads
 *     responder: platform
 *   teams:
 *     platform:
 *       name: Platform engineering       # optional display name
 *       members: [dave, erin, frank]     # rotation order
 *       rotation:
 *         shift: weekly                  # daily | weekly | custom (then `every: 12h`)
 *         start: 2026-01-05 09:00        # a first handoff, wall-clock time in the zone
 *         timezone: Europe/Berlin        # optional: default the top-level one
 *       escalation: platform-pages       # optional: policy name
 *   overrides:                           # someone covers for a period; the last matching one wins
 *     - user: zoe                        # who covers
 *       for: dave                        # optional: only while dave would be on call
 *       team: platform                   # optional (one of team/for is required)
 *       from: 2026-03-28 18:00
 *       to: 2026-03-30 09:00
 *       timezone: Europe/Berlin          # optional
 *   escalations:
 *     platform-pages:
 *       - after: 0m                      # since the start (0m = at once); strictly increasing
 *         reach: [team:platform]         # team:T (its current on-call) or user:U
 *       - after: 15m
 *         reach: [team:sre-leads, user:alice]
 *
 * Handoffs follow the rotation zone's wall clock: the k-th handoff is at start + k x shift length in local
 * time, so a 09:00 handoff stays 09:00 across DST and the shift spanning the change is an hour shorter or
 * longer. Wall-clock times that do not exist or exist twice are read as warroom/tz.h says. The rotation
 * extends backwards before its start too.
 */
#ifndef WARROOM_ONCALL_H
#define WARROOM_ONCALL_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/util.h"

#define WR_ONCALL_MAX_BYTES (1024 * 1024)

typedef struct wr_oc_rotation {
    char *shift;        /* "daily", "weekly", "custom" */
    int64_t length_s;   /* wall-clock length of a shift */
    int64_t start_naive; /* the first handoff as naive local seconds (warroom/tz.h) */
    char *zone;
} wr_oc_rotation;

typedef struct wr_oc_team {
    char *id, *name;
    char **members;
    size_t nmembers;
    wr_oc_rotation rot;
    char *escalation; /* policy id or NULL */
    int line;
} wr_oc_team;

typedef struct wr_oc_override {
    char *user;      /* who covers */
    char *covers;    /* "for": NULL = whoever is on call */
    char *team;      /* NULL = every team where `covers` is on call */
    int64_t from, to; /* UTC ms, from < to */
    int line;
} wr_oc_override;

typedef struct wr_oc_target {
    int is_team; /* 1: the team's current on-call; 0: a user */
    char *name;
} wr_oc_target;

typedef struct wr_oc_step {
    int64_t after_ms;
    wr_oc_target *targets;
    size_t ntargets;
} wr_oc_step;

typedef struct wr_oc_policy {
    char *id;
    wr_oc_step *steps;
    size_t nsteps;
} wr_oc_policy;

typedef struct wr_oncall {
    char *path;
    char *zone; /* default zone */
    wr_oc_team *teams;
    size_t nteams;
    wr_oc_override *overrides;
    size_t noverrides;
    wr_oc_policy *policies;
    size_t npolicies;
    char **role_ids, **role_teams; /* parallel: role -> team id */
    size_t nroles;
} wr_oncall;

/* Load and validate (strict: "file:line:col: message" in err, the first error). NULL on failure. */
wr_oncall *wr_oncall_load_file(const char *path, wr_buf *err);
wr_oncall *wr_oncall_load_mem(const char *name, const char *data, size_t len, wr_buf *err);
void wr_oncall_free(wr_oncall *oc);
/* The file used when none is named: $XDG_CONFIG_HOME/warroom/oncall.yaml, else /etc/warroom/oncall.yaml,
 * the first that exists; NULL if neither does. Caller frees. */
char *wr_oncall_default_path(void);

const wr_oc_team *wr_oncall_team(const wr_oncall *oc, const char *id);
/* 1 if user is named anywhere in oc: a team member, an override's cover, an escalation target. */
int wr_oncall_names(const wr_oncall *oc, const char *user);
const wr_oc_policy *wr_oncall_policy(const wr_oncall *oc, const char *id);

/* Who holds a team's on-call at an instant. Pointers point into oc. */
typedef struct wr_oncall_slot {
    const wr_oc_team *team;
    const char *user;      /* on call (after overrides); NULL when the team has no members */
    const char *scheduled; /* whom the rotation names */
    const char *next;      /* whom the rotation names for the next shift */
    const wr_oc_override *override; /* the override in force, or NULL */
    int64_t since, until;  /* while `user` holds it (UTC ms), overrides included */
    int64_t shift_start, shift_end; /* the rotation's shift around the instant */
    int64_t shift_index;   /* k: shifts since the rotation's start (negative before it) */
} wr_oncall_slot;
/* 0 ok; -1 if the team does not exist or the time is out of range. */
int wr_oncall_at(const wr_oncall *oc, const char *team, int64_t at_ms, wr_oncall_slot *out);

/* People to suggest for an incident role at an instant: the on-call of the team that supplies the role
 * first, then the rest of the team in rotation order starting with the next one on call (the one being
 * covered comes last). The arrays belong to the pick. 0 ok, -1 when no team supplies the role. */
typedef struct wr_oncall_pick {
    const char *role, *team;
    const char *oncall; /* people[0] when the team has members */
    const char **people;
    size_t n;
    wr_oncall_slot slot;
} wr_oncall_pick;
int wr_oncall_suggest(const wr_oncall *oc, const char *role, int64_t at_ms, wr_oncall_pick *out);
void wr_oncall_pick_free(wr_oncall_pick *p);

/* A step of an escalation policy resolved at an instant: who to reach. */
typedef struct wr_oncall_reach {
    const wr_oc_target *target;
    const char *user; /* the user, or the team's on-call; NULL if the team has nobody */
} wr_oncall_reach;
typedef struct wr_oncall_due {
    const char *role, *team;
    const wr_oc_policy *policy;
    int step;             /* index of the step due now; -1 when none is due yet */
    int64_t step_after_ms;
    int64_t next_after_ms; /* when the following step becomes due; -1 when this is the last */
    wr_oncall_reach *reach; /* the due step's targets */
    size_t nreach;
} wr_oncall_due;
/* The escalation step due when `role` has stayed empty for empty_ms, at instant at_ms: the last step of
 * the supplying team's policy whose `after` <= empty_ms. 0 ok (step may be -1), -1 when no team supplies
 * the role or that team has no policy. Free with wr_oncall_due_free. */
int wr_oncall_escalation_due(const wr_oncall *oc, const char *role, int64_t empty_ms, int64_t at_ms,
                             wr_oncall_due *out);
/* Resolve one step of a policy at an instant (out->reach must be freed with wr_oncall_due_free). */
void wr_oncall_resolve_step(const wr_oncall *oc, const wr_oc_step *step, int64_t at_ms, wr_oncall_due *out);
void wr_oncall_due_free(wr_oncall_due *d);

/* Durations for on-call and drills: "0m", "90s", "15m", "12h", "1d12h" (units d h m s, each once, in that
 * order). Returns seconds (0 allowed), or -1. */
long wr_oncall_duration_parse(const char *s);

#endif
