/* SPDX-License-Identifier: MIT */
/* config.h - the configuration file (YAML).
 *
 * Read in layers: /etc/warroom/config.yaml (bastion-wide), then $XDG_CONFIG_HOME/warroom/config.yaml
 * (the operator's), later files overriding earlier ones key by key; `--config FILE` reads that file alone.
 * Unknown keys are errors (with a did-you-mean), reported as file:line:column.
 *
 *   db: /srv/warroom/warroom.db   # the shared database
 *   single_host: false            # only one host ever uses the database (see `warroom doctor`)
 *   theme: default                # colour theme name or path
 *   wait: 30                      # seconds a command-line write waits for other writers
 *   keys:                         # console key bindings: key -> command line (the global table),
 *     N: "prompt note "           #   or a view's name -> its own table (keys.h: room, list, triage,
 *     triage: {x: none}           #   pager, composer, question, global)
 *   roles:                        # the role set (replaces the defaults; see docs/lifecycle.md)
 *     - id: incident-commander    #   [a-z0-9][a-z0-9-]*, at most 64 characters
 *       title: Incident commander #   required
 *       abbrev: IC                #   optional (default: the initials of the id)
 *       single: true              #   optional: one holder at a time (default false)
 *   severities:                   # per level SEV1..SEV5, each key optional (defaults otherwise)
 *     SEV1:
 *       meaning: Critical ...     #   what the level means
 *       roles: [incident-commander, deputy, scribe, communications-liaison]  # required roles
 *       update_every: 30m         #   stakeholder-update cadence (a duration, or none)
 *   update_command: /usr/local/bin/send-update   # gets an update's text on stdin (run by /bin/sh -c)
 *   update_timeout: 30            # seconds before the update command is killed (1-3600)
 *   policy:                       # who may do what: an act -> anyone, or the roles allowed (policy.h)
 *     resolve: [incident-commander, deputy]
 *     severity: anyone
 *   alert_token_file: /etc/warroom/alert-token  # `alert --http` wants "Authorization: Bearer <its content>"
 *   mouse: true                   # the console takes mouse clicks and the wheel (false: the terminal keeps them)
 *   redact:                       # more redaction rules for `run`/`attach` (POSIX ERE; every layer's add up)
 *     - 'tok_[a-z0-9]{20}'        #   a pattern (named redact-N), or
 *     - {name: db-pass, pattern: 'DB_PASS=([^ ]+)', group: 1, ignore_case: true}
 *   redact_defaults: true         # the shipped rules (docs/evidence.md); false turns them off
 *   evidence_cap: 1048576         # bytes of an output or file kept (head and tail beyond it)
 */
#ifndef WARROOM_CONFIG_H
#define WARROOM_CONFIG_H

#include <stddef.h>

#include "warroom/redact.h"
#include "warroom/util.h"

/* A role definition from the config file. */
typedef struct wr_config_role {
    char *id, *title, *abbrev;
    int single;
} wr_config_role;

/* What the config says about one severity level; every part may be unset. */
typedef struct wr_config_severity {
    char *meaning;        /* NULL: not set */
    char **roles;         /* required role ids */
    size_t nroles;
    int roles_set;        /* 1 if `roles` was given (possibly empty) */
    long update_every_s;  /* 0: no updates required */
    int update_every_set; /* 1 if `update_every` was given */
} wr_config_severity;

/* One act of the `policy:` section. */
typedef struct wr_config_act {
    char *act;    /* "resolve" */
    int anyone;   /* 1: open to anyone */
    char **roles; /* else the role ids allowed */
    size_t nroles;
} wr_config_act;

/* One rule of the `redact:` list. */
typedef struct wr_config_redact {
    char *name, *pattern;
    int group, icase;
} wr_config_redact;

#define WR_CONFIG_NSEVERITIES 5
#define WR_CONFIG_MAX_ROLES 32

typedef struct wr_config {
    char *db;        /* NULL: not set */
    int single_host; /* -1 not set, 0, 1 */
    int mouse;       /* -1 not set (on), 0, 1: the console captures the mouse */
    int bell;        /* -1 not set (on), 0 off, 1 the terminal's bell, 2 its flash: for notices needing action */
    char *theme;
    int wait_s;      /* -1 not set */
    char **key_views, **key_names, **key_commands; /* parallel arrays; a view "" is the global table */
    size_t nkeys;
    wr_config_role *roles; /* the role set; used only when roles_set */
    size_t nroles;
    int roles_set;
    wr_config_severity severities[WR_CONFIG_NSEVERITIES]; /* SEV1..SEV5 */
    char *update_command;  /* NULL: not set */
    int update_timeout_s;  /* 0: not set */
    wr_config_act *policy; /* acts set by the files, later layers replacing an act */
    size_t npolicy;
    char *alert_token_file; /* NULL: not set */
    wr_config_redact *redact; /* added redaction rules, every layer's */
    size_t nredact;
    int redact_defaults;     /* -1 not set (on), 0, 1 */
    long evidence_cap;       /* 0: not set (WR_CAPTURE_DEFAULT_CAP) */
    char *sources;   /* the files that were read, "a, b" ("" if none) */
} wr_config;

/* An empty configuration (nothing set). wr_config_load starts with it. */
void wr_config_init(wr_config *cfg);
/* Read the default layers (or only `path` when not NULL; then it must exist). 0 ok; -1 with
 * "file:line:col: ..." in err. A missing default file is not an error. */
int wr_config_load(wr_config *cfg, const char *path, wr_buf *err);
/* Merge one YAML text into cfg (tests, and each layer; cfg must have been initialised). 0 or -1. Role ids
 * named by a severity's `roles` must be in the role set in force (the config's, else the defaults). */
int wr_config_load_mem(wr_config *cfg, const char *name, const char *data, size_t len, wr_buf *err);
void wr_config_free(wr_config *cfg);

/* The redactor the configuration asks for (cfg NULL: the shipped rules): 0, or -1 with why. */
int wr_config_redactor(const struct wr_config *cfg, wr_redactor *r, wr_buf *err);
/* Bytes of an output or a file `run` and `attach` keep. */
size_t wr_config_evidence_cap(const struct wr_config *cfg);

#endif
