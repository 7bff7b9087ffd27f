/* SPDX-License-Identifier: MIT */
/* runbook.h - the runbook model and its strict loader.
 *
 * A runbook is a YAML file (docs/runbooks.md):
 *
 *   id: compromised-compute-instance   # required, [a-z0-9][a-z0-9-]*, at most 64 chars
 *   title: Compromised compute instance # required, not blank
 *   version: 3                          # required integer >= 1
 *   description: |                      # required, not blank
 *     ...
 *   owner: cloud-security               # required, not blank (a team)
 *   applies_to:                         # required mapping
 *     types: [security, malware]        # required non-empty list, each [a-z0-9-]+ (<= 64)
 *     assets: [compute-instance]        # required non-empty list of wr_rb_asset_kinds
 *     severities: [SEV1, SEV2]          # optional non-empty list of SEV1..SEV5; default all
 *   roles: [incident-commander, scribe] # required non-empty list of role ids
 *   phases:                             # required mapping, at least one phase; keys are
 *     containment:                      #   phase names; each a non-empty list of steps
 *       - id: isolate-instance          # required, like the runbook id, unique in the runbook
 *         title: Isolate the instance   # required, not blank
 *         detail: |                     # optional text
 *         role: responder               # required role id
 *         mandatory: true               # optional boolean, default true
 *         commands: [...]               # optional list of strings
 *         expect: ...                   # optional string
 *         timebox: 15m                  # optional duration: 90s, 15m, 1h, 1h30m, 2d
 *
 * Anything else is refused with "file:line:col: message" (the first error
 * only): unknown keys (with a did-you-mean), unknown phases, empty phases or
 * lists, wrong types, bad ids, unknown roles or asset kinds, duplicates in a
 * list, duplicate step ids (naming the line of the first), files over
 * WR_RB_MAX_BYTES, and every YAML strictness rule of warroom/yaml.h.
 * Lists of types, assets, severities and roles may not repeat an entry.
 */
#ifndef WARROOM_RUNBOOK_H
#define WARROOM_RUNBOOK_H

#include <stddef.h>

#include "warroom/util.h"

#define WR_RB_MAX_BYTES (256 * 1024)
#define WR_RB_ID_MAX 64

typedef enum {
    WR_PHASE_PREPARATION,
    WR_PHASE_DETECTION,
    WR_PHASE_CONTAINMENT,
    WR_PHASE_ERADICATION,
    WR_PHASE_RECOVERY,
    WR_PHASE_LESSONS,
    WR_PHASE_COUNT
} wr_phase;

const char *wr_phase_name(wr_phase p);   /* "containment", "lessons-learned"; "?" if out of range */
const char *wr_phase_title(wr_phase p);  /* "Containment", "Lessons learned" */
int wr_phase_from_name(const char *name); /* a wr_phase, or -1 if unknown */

/* Role ids allowed when the loader is given roles == NULL. */
extern const char *const wr_rb_default_roles[];
#define WR_RB_NDEFAULT_ROLES 8
/* The asset kinds of applies_to.assets. */
extern const char *const wr_rb_asset_kinds[];
#define WR_RB_NASSET_KINDS 9
/* "SEV1".."SEV5". */
extern const char *const wr_rb_severities[];
#define WR_RB_NSEVERITIES 5

typedef struct wr_rb_step {
    char *id, *title;
    char *detail;      /* NULL if absent */
    char *role;
    char *expect;      /* NULL if absent */
    int mandatory;     /* default 1 */
    wr_phase phase;
    char **commands;
    size_t ncommands;
    long timebox_s;    /* 0 if absent */
    int line;          /* where the step starts in its source (1-based) */
} wr_rb_step;

typedef struct wr_runbook {
    char *id, *title, *description, *owner;
    char *path;        /* the file it came from (load_mem: the name given) */
    long version;
    char **types;
    size_t ntypes;
    char **assets;
    size_t nassets;
    char **severities; /* as listed; all five in order when the file lists none */
    size_t nseverities;
    char **roles;
    size_t nroles;
    wr_rb_step *steps; /* in phase order, then file order */
    size_t nsteps;
    char sha256[65];   /* hex SHA-256 of the file's bytes */
} wr_runbook;

/* Load and validate. roles/nroles: the allowed role ids (NULL: the defaults).
 * NULL and the first error ("path:line:col: message\n") in err on failure. */
wr_runbook *wr_runbook_load_file(const char *path, const char *const *roles, size_t nroles,
                                 wr_buf *err);
wr_runbook *wr_runbook_load_mem(const char *name, const char *data, size_t len,
                                const char *const *roles, size_t nroles, wr_buf *err);
void wr_runbook_free(wr_runbook *rb);

/* Canonical JSON on one line, for keeping a copy inside an incident: the YAML
 * keys in a fixed order (phases in phase order, optional step fields only when
 * set, timebox as a canonical duration string), plus "sha256" and "path".
 * Strings are escaped so that the result is also valid YAML. Caller frees. */
char *wr_runbook_to_json(const wr_runbook *rb);
/* Read back what wr_runbook_to_json wrote (JSON is parsed as YAML flow
 * style, through the same strict validation). Role ids are checked for form
 * only, not against a list: the copy keeps the roles it was made with. The
 * sha256 and path come from the JSON. `name` names it in errors. */
wr_runbook *wr_runbook_from_json(const char *name, const char *json, size_t len, wr_buf *err);

/* Durations "90s", "15m", "1h", "1h30m", "2d", "1d12h": units d, h, m, s in
 * that order, each at most once, total in 1 s .. 365 d. Returns seconds, or
 * -1 if invalid. */
long wr_rb_duration_parse(const char *s);
/* The canonical form of secs ("1h30m", "90s" -> "1m30s", 0 -> "0s") in buf;
 * returns buf. */
char *wr_rb_duration_format(long secs, char *buf, size_t n);

/* All runbooks found in a search path. */
typedef struct wr_rb_set {
    wr_runbook **v; /* sorted by id */
    size_t n;
} wr_rb_set;

/* Load every *.yaml file (not starting with '.') of each directory, in name
 * order, into set (appending to what it holds). A missing directory is
 * skipped silently. Errors of bad files are appended to err and those files
 * left out; when two files share an id, the first one loaded wins (dirs in
 * the order given) and err gets "path: runbook 'id' ignored: already loaded
 * from other-path". roles as for wr_runbook_load_file. */
void wr_rb_set_load_dirs(wr_rb_set *set, const char *const *dirs, size_t ndirs,
                         const char *const *roles, size_t nroles, wr_buf *err);
void wr_rb_set_free(wr_rb_set *set);
const wr_runbook *wr_rb_set_find(const wr_rb_set *set, const char *id);

/* How well a runbook suits an incident, for suggestions (runbook_match.c): 0 = not applicable (severity
 * not in severities; or neither the type matches nor any asset kind is in common, when the incident has a
 * type or assets); otherwise 1000 if the type matches + 100 per asset kind in common - (ntypes + nassets)
 * (at least 1): a type match ranks first, more assets in common next, the more specific runbook breaks ties.
 * type / severity NULL and nassets 0 match anything. why (may be NULL) gets the reason in words: "type
 * credential-leak matches; 2 of 2 asset kinds match (identity, api)". */
int wr_runbook_match(const wr_runbook *rb, const char *type, const char *const *assets,
                     size_t nassets, const char *severity);
int wr_runbook_match_why(const wr_runbook *rb, const char *type, const char *const *assets, size_t nassets,
                         const char *severity, wr_buf *why);

#endif
