/* SPDX-License-Identifier: MIT */
/* cmd_complete.c - `warroom completion words -- WORD...`: what the last word of a command line completes to,
 * for the shell completion scripts. The kind of the word comes from the act's argument template, as for the
 * console's Tab (complete.h); the candidates from the database (incidents, their role holders and steps),
 * the configuration (roles), the runbooks and the themes. Nothing is printed for free text or a file name
 * (the shell completes files itself), and nothing when the database cannot be read: completion never fails
 * loudly and never waits for a lock. */
#include "cmd_int.h"

#include "warroom/checklist.h"
#include "warroom/complete.h"
#include "warroom/incident.h"
#include "warroom/paths.h"
#include "warroom/policy.h"
#include "warroom/runbook.h"
#include "warroom/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct words {
    char **v;
    size_t n;
} words;

static void add(words *w, const char *prefix, const char *const *cands, size_t n)
{
    wr_complete_filter(prefix, cands, n, &w->v, &w->n);
}

/* One candidate; a word that could drive the terminal or split in the shell (controls, spaces) is left out. */
static void add_one(words *w, const char *prefix, const char *cand)
{
    for (const unsigned char *p = (const unsigned char *)cand; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return;
    add(w, prefix, &cand, 1);
}

/* The store, opened read-only without waiting, or NULL. */
static wr_store *store(wr_cmdctx *c)
{
    if (!c->store) {
        wr_error err = {0};
        c->store = wr_store_open_wait(c->db_path, WR_OPEN_READONLY, 0, &err);
    }
    return c->store;
}

/* The incident the line names (its first word that is an incident reference), else the one active. */
static int64_t line_incident(wr_cmdctx *c, char **argv, int argc)
{
    int64_t id = 0;
    for (int i = 1; i < argc - 1; i++)
        if (wr_incident_parse_ref(argv[i], &id) == 0 && id > 0)
            return id;
    wr_error err = {0};
    if (store(c) && wr_incident_resolve(c->store, NULL, &id, &err) == WR_OK)
        return id;
    return 0;
}

static void incidents(wr_cmdctx *c, words *w, const char *prefix)
{
    wr_incident *v;
    size_t n;
    wr_error err = {0};
    if (!store(c) || wr_incident_list(c->store, 0, &v, &n, &err) != WR_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "%s-%lld", strncmp(prefix, "inc-", 4) == 0 ? "inc" : "INC", (long long)v[i].id);
        add_one(w, prefix, ref);
    }
    wr_incidents_free(v, n);
}

static void operators(wr_cmdctx *c, words *w, const char *prefix, int64_t inc)
{
    if (c->actor)
        add_one(w, prefix, c->actor->name);
    wr_role_holder *v;
    size_t n;
    wr_error err = {0};
    if (inc && store(c) && wr_roles_list(c->store, inc, &v, &n, &err) == WR_OK) {
        for (size_t i = 0; i < n; i++)
            add_one(w, prefix, v[i].holder);
        wr_roles_free(v, n);
    }
}

static void steps(wr_cmdctx *c, words *w, const char *prefix, int64_t inc)
{
    wr_step_row *v;
    size_t n;
    wr_error err = {0};
    if (!inc || !store(c) || wr_checklist_get(c->store, inc, &v, &n, &err) != WR_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        add_one(w, prefix, v[i].step);
        char *q = wr_xasprintf("%s/%s", v[i].runbook, v[i].step);
        add_one(w, prefix, q);
        free(q);
    }
    wr_checklist_free(v, n);
}

static void gather(wr_cmdctx *c, const char *kind, const char *prefix, char **argv, int argc, words *w)
{
    if (strcmp(kind, "command") == 0) {
        for (size_t i = 0; i < wr_ncmds; i++)
            if (wr_cmds[i].flags & WR_CMD_CLI)
                add_one(w, prefix, wr_cmds[i].name);
    } else if (strcmp(kind, "role") == 0) {
        size_t nr;
        const wr_role_def *defs = wr_policy_roles(&nr);
        for (size_t i = 0; i < nr; i++)
            add_one(w, prefix, defs[i].id);
    } else if (strcmp(kind, "operator") == 0) {
        operators(c, w, prefix, line_incident(c, argv, argc));
    } else if (strcmp(kind, "step") == 0) {
        steps(c, w, prefix, line_incident(c, argv, argc));
    } else if (strcmp(kind, "runbook") == 0) {
        wr_rb_set set = {0};
        wr_buf err = {0};
        wr_rb_set_load_dirs(&set, c->runbook_dirs, c->nrunbook_dirs, NULL, 0, &err);
        for (size_t i = 0; i < set.n; i++)
            add_one(w, prefix, set.v[i]->id);
        wr_rb_set_free(&set);
        wr_buf_free(&err);
    } else if (wr_complete_fixed(kind, prefix, &w->v, &w->n)) {
        /* fields, statuses, severities, milestones, asset kinds, indicator types */
    } else if (strcmp(kind, "type") == 0) {
        wr_rb_set set = {0};
        wr_buf err = {0};
        wr_rb_set_load_dirs(&set, c->runbook_dirs, c->nrunbook_dirs, NULL, 0, &err);
        char **v = NULL;
        size_t n = 0;
        wr_complete_types(store(c), &set, prefix, &v, &n);
        for (size_t i = 0; i < n; i++)
            add_one(w, prefix, v[i]);
        wr_complete_free(v, n);
        wr_rb_set_free(&set);
        wr_buf_free(&err);
    } else if (strcmp(kind, "theme") == 0) {
        char **dirs, **names;
        size_t nd, n;
        wr_paths_search("themes", &dirs, &nd);
        wr_theme_names((const char *const *)dirs, nd, &names, &n);
        add(w, prefix, (const char *const *)names, n);
        wr_theme_names_free(names, n);
        wr_paths_free(dirs, nd);
    } else if (strcmp(kind, "incident") == 0) {
        incidents(c, w, prefix);
    }
}

int wr_cmd_complete_words(wr_cmdctx *c, char **argv, int argc)
{
    if (argc < 1)
        return 0;
    /* The line up to the cursor: the words before the last, then the last (the one being completed). */
    wr_buf line = {0};
    for (int i = 0; i < argc - 1; i++)
        wr_buf_printf(&line, "%s ", argv[i]);
    size_t start = line.len;
    const char *prefix = argv[argc - 1];
    wr_buf_puts(&line, prefix);
    words w = {0};
    wr_complete_literals(wr_buf_str(&line), start, &w.v, &w.n);
    const char *kind = wr_complete_kind(wr_buf_str(&line), start);
    if (kind)
        gather(c, kind, prefix, argv, argc, &w);
    /* Sorted, each once (the literals and the gathered words may overlap). */
    char **out = NULL;
    size_t nout = 0;
    wr_complete_filter(prefix, (const char *const *)w.v, w.n, &out, &nout);
    for (size_t i = 0; i < nout; i++)
        wr_buf_printf(&c->out, "%s\n", out[i]);
    wr_complete_free(out, nout);
    wr_complete_free(w.v, w.n);
    wr_buf_free(&line);
    return 0;
}
