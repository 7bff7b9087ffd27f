/* SPDX-License-Identifier: MIT */
/* main.c - the entry point: global options, finding the database, then a CLI verb or the console. */
#include "warroom/actor.h"
#include "warroom/clock.h"
#include "warroom/cmd.h"
#include "warroom/config.h"
#include "warroom/paths.h"
#include "warroom/policy.h"
#include "warroom/store.h"
#include "warroom/text.h"
#include "warroom/tui.h"
#include "warroom/model.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The one way to stderr: every error and warning is cleaned like the screen does (escape sequences, control
 * and bidi characters neutralised, line breaks kept; ASCII only outside a UTF-8 locale), since most of them
 * quote an argument, a file or the database. */
static void err_puts(const char *s)
{
    wr_buf b = {0};
    wr_text_clean_message(&b, s, wr_text_locale_utf8());
    fputs(wr_buf_str(&b), stderr);
    wr_buf_free(&b);
}

static void err_printf(const char *fmt, ...) WR_PRINTF(1, 2);
static void err_printf(const char *fmt, ...)
{
    wr_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    wr_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    err_puts(wr_buf_str(&b));
    wr_buf_free(&b);
}

static int die_usage(const char *fmt, const char *arg)
{
    wr_buf b = {0};
    wr_buf_puts(&b, "warroom: ");
    wr_buf_printf(&b, fmt, arg);
    wr_buf_putc(&b, '\n');
    wr_globals_usage(&b);
    wr_buf_puts(&b, "       `warroom help` lists the commands\n");
    err_puts(wr_buf_str(&b));
    wr_buf_free(&b);
    return wr_status_exit_code(WR_E_INVALID);
}

/* `warroom COMMAND --help`: the command's help, which needs no database. */
static int asks_help(int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

static char *resolve_db(const wr_globals *g, const wr_config *cfg)
{
    if (g->db)
        return wr_xstrdup(g->db);
    const char *env = getenv("WARROOM_DB");
    if (env && *env)
        return wr_xstrdup(env);
    if (cfg->db)
        return wr_xstrdup(cfg->db);
    char *dir = wr_paths_user_data_dir();
    char *p = wr_xasprintf("%s/warroom.db", dir);
    free(dir);
    return p;
}

static int ask_yes(const char *question)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return 0;
    printf("%s [y/N] ", question);
    fflush(stdout);
    char line[16];
    if (!fgets(line, sizeof line, stdin))
        return 0;
    return line[0] == 'y' || line[0] == 'Y';
}

/* The console takes the store over (and closes it). */
static int run_console(wr_store *st, unsigned flags, int wait_ms, const wr_actor *actor, const wr_globals *g,
                       const wr_config *cfg);

/* What the demo act needs to open the console (wr_cmdctx.console). */
static const wr_globals *console_globals;
static int console_hook(wr_cmdctx *c, wr_store *st)
{
    return run_console(st, c->open_flags, c->wait_ms, c->actor, console_globals, c->config);
}

static int run_console(wr_store *st, unsigned flags, int wait_ms, const wr_actor *actor, const wr_globals *g,
                       const wr_config *cfg)
{
    char **rb, **th;
    size_t nrb, nth;
    wr_paths_search("runbooks", &rb, &nrb);
    wr_paths_search("themes", &th, &nth);
    wr_tui_opts o = {0};
    o.store = st;
    o.open_flags = flags;
    o.wait_ms = wait_ms;
    o.actor = actor;
    o.theme = g->theme ? g->theme : cfg->theme;
    o.runbook_dirs = (const char *const *)rb;
    o.nrunbook_dirs = nrb;
    o.theme_dirs = (const char *const *)th;
    o.ntheme_dirs = nth;
    o.config = cfg;
    int rc = wr_tui_run(&o);
    wr_paths_free(rb, nrb);
    wr_paths_free(th, nth);
    return rc;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    wr_globals g = {0};
    g.wait_s = -1;
    wr_buf err = {0};
    int rc = wr_globals_parse(&argc, argv, &g, &err);
    if (rc) {
        err_puts(wr_buf_str(&err));
        wr_buf_free(&err);
        return rc;
    }
    if (wr_clock_init_from_env() != 0) {
        err_puts("warroom: WARROOM_CLOCK is not a time (use e.g. 2026-03-01T09:00:00Z)\n");
        return wr_status_exit_code(WR_E_INVALID);
    }

    wr_config cfg;
    if (wr_config_load(&cfg, g.config, &err) != 0) {
        err_printf("warroom: bad configuration:\n%s", wr_buf_str(&err));
        wr_buf_free(&err);
        wr_config_free(&cfg);
        return wr_status_exit_code(WR_E_INVALID);
    }
    wr_policy_apply(&cfg); /* roles, severities and the update command in force */
    wr_actor actor;
    if (wr_actor_detect(&actor, g.as) != 0) {
        wr_config_free(&cfg);
        return die_usage("--as \"%s\" is not a valid name (1-64 printable characters)", g.as);
    }
    char *db = resolve_db(&g, &cfg);
    unsigned flags = (g.readonly ? WR_OPEN_READONLY : 0) | (cfg.single_host == 1 ? WR_OPEN_SINGLE_HOST : 0);
    const char *verb = argc > 1 ? argv[1] : NULL;
    const wr_cmd *cmd = verb ? wr_cmd_find(verb) : NULL;

    /* How long this command waits for other operators' locks: opening, reading and writing. */
    int wait_ms = (g.wait_s >= 0 ? g.wait_s : cfg.wait_s >= 0 ? cfg.wait_s : 30) * 1000;
    wr_store *st = NULL;
    wr_error e = {0};
    if (!verb || (cmd && !(cmd->flags & WR_CMD_NODB) && (cmd->flags & WR_CMD_CLI) && !asks_help(argc, argv))) {
        st = wr_store_open_wait(db, flags, wait_ms, &e);
        if (!st && e.status == WR_E_MISSING && !verb) {
            char q[4200];
            snprintf(q, sizeof q, "No warroom database at %s.\nCreate a new, empty one there?", db);
            if (ask_yes(q))
                st = wr_store_open_wait(db, flags | WR_OPEN_CREATE, wait_ms, &e);
        }
        if (!st) {
            err_printf("warroom: %s\n", e.msg);
            rc = wr_status_exit_code(e.status);
            goto out;
        }
        const char *warn = wr_store_warnings(st);
        if (*warn)
            err_printf("warroom: warning: %s", warn);
        /* PostgreSQL: an operator who connects as their own login role, mapped to a name in warroom.operators,
         * acts under that name (unless --as says otherwise). */
        const char *mapped = wr_store_operator(st);
        if (!g.as && mapped && *mapped) {
            wr_actor_free(&actor);
            if (wr_actor_detect(&actor, mapped) != 0)
                wr_actor_detect(&actor, NULL);
        }
    }
    if (!verb) {
        rc = run_console(st, flags, wait_ms, &actor, &g, &cfg);
        st = NULL; /* closed by the console */
        goto out;
    }

    wr_cmdctx c = {0};
    c.store = st;
    c.db_path = db;
    c.db_chosen = g.db || (getenv("WARROOM_DB") && *getenv("WARROOM_DB"));
    c.actor = &actor;
    c.source = "cli";
    c.json = g.json;
    c.wait_ms = wait_ms;
    c.open_flags = flags;
    c.config = &cfg;
    console_globals = &g;
    c.console = console_hook;
    char **rbdirs;
    size_t nrbdirs;
    wr_paths_search("runbooks", &rbdirs, &nrbdirs);
    c.runbook_dirs = (const char *const *)rbdirs;
    c.nrunbook_dirs = nrbdirs;
    if (st) {
        /* Command records a `run` could not write (the database was busy) are written first. */
        wr_buf kept = {0};
        wr_cli_write_kept(st, db, wait_ms < 2000 ? wait_ms : 2000, &kept);
        err_puts(wr_buf_str(&kept));
        wr_buf_free(&kept);
    }
    rc = wr_cmd_run(&c, argc - 1, argv + 1);
    if (c.store != st) /* a NODB command that opened the store itself */
        wr_store_close(c.store);
    wr_paths_free(rbdirs, nrbdirs);
    fputs(wr_buf_str(&c.out), stdout);
    err_puts(wr_buf_str(&c.err));
    if (fflush(stdout) != 0 && rc == 0)
        rc = wr_status_exit_code(WR_E_IO);
    wr_buf_free(&c.out);
    wr_buf_free(&c.err);
out:
    wr_store_close(st);
    free(db);
    wr_actor_free(&actor);
    wr_config_free(&cfg);
    wr_buf_free(&err);
    return rc;
}
