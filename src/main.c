/* main.c - the entry point: global options, finding the database, then a CLI verb or the console. */
#include "warroom/actor.h"
#include "warroom/clock.h"
#include "warroom/cmd.h"
#include "warroom/config.h"
#include "warroom/demo.h"
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

typedef struct globals {
    const char *db, *as, *theme, *config;
    int json, readonly, wait_s;
} globals;

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
    wr_buf_puts(&b, "\nusage: warroom [--db PATH] [--as NAME] [--json] [--wait SECONDS] [--theme NAME] "
                    "[--config FILE] COMMAND [ARGS]\n       `warroom help` lists the commands\n");
    err_puts(wr_buf_str(&b));
    wr_buf_free(&b);
    return 2;
}

/* Take the global options out of argv wherever they stand (up to a "--"). Returns 0, or an exit code. */
static int parse_globals(int *argc, char **argv, globals *g)
{
    int out = 1;
    int i;
    for (i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        const char **slot = NULL;
        const char *name = NULL;
        static const char *const valued[] = {"--db", "--as", "--theme", "--config", "--wait"};
        for (size_t k = 0; k < 5; k++) {
            size_t n = strlen(valued[k]);
            if (strncmp(a, valued[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
                name = valued[k];
                break;
            }
        }
        if (name) {
            const char *val;
            size_t n = strlen(name);
            if (a[n] == '=') {
                val = a + n + 1;
            } else {
                if (i + 1 >= *argc)
                    return die_usage("%s needs a value", name);
                val = argv[++i];
            }
            if (strcmp(name, "--wait") == 0) {
                char *end;
                errno = 0;
                long w = strtol(val, &end, 10);
                if (!isdigit((unsigned char)val[0]) || *end || errno || w < 0 || w > 3600)
                    return die_usage("--wait takes a number of seconds (0-3600), not \"%s\"", val);
                g->wait_s = (int)w;
                continue;
            }
            slot = strcmp(name, "--db") == 0 ? &g->db : strcmp(name, "--as") == 0 ? &g->as
                   : strcmp(name, "--theme") == 0 ? &g->theme : &g->config;
            *slot = val;
            continue;
        }
        if (strcmp(a, "--json") == 0) {
            g->json = 1;
            continue;
        }
        if (strcmp(a, "--read-only") == 0) {
            g->readonly = 1;
            continue;
        }
        argv[out++] = argv[i];
    }
    for (; i < *argc; i++)
        argv[out++] = argv[i];
    argv[out] = NULL;
    *argc = out;
    return 0;
}

static char *resolve_db(const globals *g, const wr_config *cfg)
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
static int run_console(wr_store *st, unsigned flags, int wait_ms, const wr_actor *actor, const globals *g,
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
    globals g = {0};
    g.wait_s = -1;
    int rc = parse_globals(&argc, argv, &g);
    if (rc)
        return rc;
    if (wr_clock_init_from_env() != 0) {
        err_puts("warroom: WARROOM_CLOCK is not a time (use e.g. 2026-03-01T09:00:00Z)\n");
        return 2;
    }
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        argv[1] = "help";
    if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0))
        argv[1] = "version";
    if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--") != 0)
        return die_usage("unknown option %s", argv[1]);

    wr_buf err = {0};
    wr_config cfg;
    if (wr_config_load(&cfg, g.config, &err) != 0) {
        err_printf("warroom: bad configuration:\n%s", wr_buf_str(&err));
        wr_buf_free(&err);
        wr_config_free(&cfg);
        return 2;
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
    int demo = verb && strcmp(verb, "demo") == 0;

    /* How long this command waits for other operators' locks: opening, reading and writing. */
    int wait_ms = (g.wait_s >= 0 ? g.wait_s : cfg.wait_s >= 0 ? cfg.wait_s : 30) * 1000;
    wr_store *st = NULL;
    wr_error e = {0};
    if (!verb || demo || (cmd && !(cmd->flags & WR_CMD_NODB))) {
        if (demo) {
            if (!g.db && !getenv("WARROOM_DB")) {
                char *dir = wr_paths_user_data_dir();
                free(db);
                db = wr_xasprintf("%s/demo.db", dir);
                free(dir);
            }
            int reset = argc > 2 && strcmp(argv[2], "--reset") == 0;
            if (argc > 2 && !reset) {
                rc = die_usage("demo takes only --reset, not \"%s\"", argv[2]);
                goto out;
            }
            if (wr_demo_ensure(db, &actor, reset, &e) != WR_OK) {
                err_printf("warroom: demo: %s\n", e.msg);
                rc = wr_status_exit_code(e.status);
                goto out;
            }
        }
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
    }
    if (!verb || demo) {
        rc = run_console(st, flags, wait_ms, &actor, &g, &cfg);
        st = NULL; /* closed by the console */
        goto out;
    }

    wr_cmdctx c = {0};
    c.store = st;
    c.db_path = db;
    c.actor = &actor;
    c.source = "cli";
    c.json = g.json;
    c.wait_ms = wait_ms;
    c.open_flags = flags;
    c.config = &cfg;
    char **rbdirs;
    size_t nrbdirs;
    wr_paths_search("runbooks", &rbdirs, &nrbdirs);
    c.runbook_dirs = (const char *const *)rbdirs;
    c.nrunbook_dirs = nrbdirs;
    rc = wr_cmd_run(&c, argc - 1, argv + 1);
    if (c.store != st) /* a NODB command that opened the store itself */
        wr_store_close(c.store);
    wr_paths_free(rbdirs, nrbdirs);
    fputs(wr_buf_str(&c.out), stdout);
    err_puts(wr_buf_str(&c.err));
    if (fflush(stdout) != 0 && rc == 0)
        rc = 8;
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
