/* SPDX-License-Identifier: MIT */
/* cmd_admin.c - creating a database (init), checking the set-up (doctor), the demo war room, help and the
 * version. */
#include "cmd_int.h"

#include "warroom/access.h"
#include "warroom/demo.h"
#include "warroom/fscheck.h"
#include "warroom/hostlock.h"
#include "warroom/json.h"
#include "warroom/keys.h"
#include "warroom/paths.h"
#include "warroom/text.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

int wr_cmd_init(wr_args *a)
{
    wr_cmdctx *c = a->c;
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\" (choose the place with --db PATH)", a->argv[0]);
    struct stat sb;
    if (wr_store_target_is_remote(c->db_path)) {
        /* A server's database is made by its administrator; init makes the war room's schema in it, once. */
        wr_error e = {0};
        wr_store *there = wr_store_open_wait(c->db_path, c->open_flags | WR_OPEN_READONLY, c->wait_ms, &e);
        if (there) {
            wr_store_close(there);
            wr_buf_printf(&c->err, "init: %s already holds a war room; nothing was changed (`warroom doctor` checks "
                          "it)\n", c->db_path);
            return wr_status_exit_code(WR_E_CONFLICT);
        }
        if (e.status != WR_E_MISSING)
            return wr_args_fail(c, "init", &e);
    } else if (stat(c->db_path, &sb) == 0 && sb.st_size > 0) {
        wr_buf_printf(&c->err, "init: %s already exists; nothing was changed (`warroom doctor` checks it)\n",
                      c->db_path);
        return wr_status_exit_code(WR_E_CONFLICT);
    }
    wr_error err = {0};
    wr_store *st = wr_store_open_wait(c->db_path, c->open_flags | WR_OPEN_CREATE, c->wait_ms, &err);
    if (!st)
        return wr_args_fail(c, "init", &err);
    if (c->json) {
        wr_json_doc_begin(&c->out);
        wr_json_key(&c->out, "ok");
        wr_buf_puts(&c->out, "true");
        wr_json_kv_str(&c->out, "db", c->db_path);
        wr_buf_puts(&c->out, "}\n");
    } else if (wr_store_target_is_remote(c->db_path))
        wr_buf_printf(&c->out, "created the war room's schema in %s (the rights operators need: docs/store.md)\n",
                      c->db_path);
    else
        wr_buf_printf(&c->out, "created %s (mode 0660: share it with your team's group, e.g. `chgrp ir %s`)\n",
                      c->db_path, c->db_path);
    const char *warn = wr_store_warnings(st);
    if (*warn)
        wr_buf_printf(&c->err, "init: warning: %s", warn);
    wr_store_close(st);
    return 0;
}

/* doctor's report: lines of text for a person, and for --json the same findings as values (numbers,
 * booleans, names) plus the problems, each with a stable code (docs/json.md). */
typedef struct report {
    wr_buf text;
    wr_buf json;     /* members of the document, after "format" */
    wr_buf problems; /* [{"code","message"},...] */
    int nproblems;
} report;

static void line(report *r, const char *key, const char *fmt, ...) WR_PRINTF(3, 4);
static void line(report *r, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wr_buf_printf(&r->text, "%-13s ", key);
    wr_buf_vprintf(&r->text, fmt, ap);
    wr_buf_putc(&r->text, '\n');
    va_end(ap);
}

static void problem(report *r, const char *code, const char *fmt, ...) WR_PRINTF(3, 4);
static void problem(report *r, const char *code, const char *fmt, ...)
{
    wr_buf v = {0};
    va_list ap;
    va_start(ap, fmt);
    wr_buf_vprintf(&v, fmt, ap);
    va_end(ap);
    wr_buf_printf(&r->text, "PROBLEM:      %s\n", wr_buf_str(&v));
    wr_buf_puts(&r->problems, r->nproblems ? ",{" : "{");
    wr_json_kv_str(&r->problems, "code", code);
    wr_json_kv_str(&r->problems, "message", wr_buf_str(&v));
    wr_buf_putc(&r->problems, '}');
    wr_buf_free(&v);
    r->nproblems++;
}

static void access_line(void *ctx, const char *key, const char *text)
{
    line(ctx, key, "%s", text);
}

static void access_problem(void *ctx, const char *key, const char *text)
{
    problem(ctx, key ? key : "access", "%s", text);
}

/* {"path":..,"exists":..,"bytes":..,"mode":"0660","owner":..,"group":..} of a file or directory. */
static void json_file(wr_buf *j, const char *key, const char *path)
{
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    wr_json_key(j, key);
    wr_buf_putc(j, '{');
    wr_json_kv_str(j, "path", path);
    wr_json_key(j, "exists");
    wr_buf_puts(j, exists ? "true" : "false");
    if (exists) {
        char mode[8];
        snprintf(mode, sizeof mode, "%04o", (unsigned)(sb.st_mode & 07777));
        struct passwd *pw = getpwuid(sb.st_uid);
        struct group *gr = getgrgid(sb.st_gid);
        wr_json_kv_int(j, "bytes", (long long)sb.st_size);
        wr_json_kv_str(j, "mode", mode);
        wr_json_kv_str(j, "owner", pw ? pw->pw_name : NULL);
        wr_json_kv_str(j, "group", gr ? gr->gr_name : NULL);
        wr_json_key(j, "setgid");
        wr_buf_puts(j, sb.st_mode & S_ISGID ? "true" : "false");
        wr_json_key(j, "writable");
        wr_buf_puts(j, access(path, W_OK) == 0 ? "true" : "false");
    }
    wr_buf_putc(j, '}');
}

static void json_bool(wr_buf *j, const char *key, int v)
{
    wr_json_key(j, key);
    wr_buf_puts(j, v ? "true" : "false");
}

/* A mount whose locks hold on one host: the host-local lock every process of this host takes around each
 * transaction, and the other mounts of the same share (each operator mounting it for themselves). */
static void doctor_hostlock(report *rep, const char *db_path, const wr_fsinfo *fs)
{
    char key[4200], lock[4096], why[700];
    wr_error ae = {0};
    if (wr_error_took(wr_hostlock_prepare(db_path, fs, key, sizeof key, lock, sizeof lock, &ae), &ae, why, sizeof why)) {
        line(rep, "host_lock", "none: %s", why);
        wr_json_key(&rep->json, "host_lock");
        wr_buf_puts(&rep->json, "null");
        problem(rep, "no-host-lock", "%s: the processes of this host cannot be kept apart, so writing is refused", why);
        return;
    }
    line(rep, "host_lock", "%s (share %s): taken around every transaction by every process of this host", lock,
         key);
    wr_json_key(&rep->json, "host_lock");
    wr_buf_putc(&rep->json, '{');
    wr_json_kv_str(&rep->json, "path", lock);
    wr_json_kv_str(&rep->json, "share", key);
    wr_buf_putc(&rep->json, '}');
    wr_buf other = {0};
    if (wr_hostlock_other_mounts(key, fs, &other)) {
        while (other.len && other.s[other.len - 1] == '\n')
            other.s[--other.len] = '\0';
        for (size_t i = 0; i < other.len; i++)
            if (other.s[i] == '\n')
                other.s[i] = ';';
        line(rep, "also_mounted", "%s", wr_buf_str(&other));
        wr_json_key(&rep->json, "also_mounted");
        wr_buf_putc(&rep->json, '[');
        for (char *p = other.s, *semi; p && *p; p = semi ? semi + 1 : NULL) {
            semi = strchr(p, ';');
            if (p != other.s)
                wr_buf_putc(&rep->json, ',');
            wr_json_strn(&rep->json, p, semi ? (size_t)(semi - p) : strlen(p));
        }
        wr_buf_putc(&rep->json, ']');
    }
    wr_buf_free(&other);
}

/* The tamper-evident chain (warroom verify): the first break of each chain is a problem. */
static void doctor_chain(report *rep, wr_store *st)
{
    wr_chain_report cr;
    wr_error err = {0};
    if (wr_store_chain_verify(st, -1, NULL, &cr, &err) != WR_OK) {
        line(rep, "chain", "cannot verify: %s", err.msg);
        problem(rep, "chain-unverifiable", "%s", err.msg);
        return;
    }
    if (!cr.nbreaks)
        line(rep, "chain", "ok: %lld entries in %lld chains", (long long)cr.entries, (long long)cr.chains);
    else
        line(rep, "chain", "BROKEN in %zu chain%s (`warroom verify` names the entries)", cr.nbreaks,
             cr.nbreaks == 1 ? "" : "s");
    for (size_t i = 0; i < cr.nbreaks; i++) {
        wr_buf clean = {0}; /* names an actor and a kind from the database */
        wr_text_clean(&clean, cr.breaks[i].msg, strlen(cr.breaks[i].msg), 0);
        problem(rep, "chain-broken", "the timeline was changed outside warroom: %s", wr_buf_str(&clean));
        wr_buf_free(&clean);
    }
    wr_chain_report_free(&cr);
}

static int doctor_done(wr_cmdctx *c, report *rep)
{
    if (c->json) {
        wr_json_doc_begin(&c->out);
        wr_buf_putc(&c->out, ',');
        wr_buf_puts(&c->out, wr_buf_str(&rep->json));
        json_bool(&c->out, "ok", rep->nproblems == 0);
        wr_json_key(&c->out, "problems");
        wr_buf_printf(&c->out, "[%s]}\n", wr_buf_str(&rep->problems));
    } else {
        wr_buf_puts(&c->out, wr_buf_str(&rep->text));
        wr_buf_printf(&c->out, "%s\n", rep->nproblems ? "verdict:      PROBLEMS FOUND (see above)" : "verdict:      ok");
    }
    wr_buf_free(&rep->text);
    wr_buf_free(&rep->json);
    wr_buf_free(&rep->problems);
    return rep->nproblems ? WR_EXIT_CHECK_FAILED : 0;
}

/* A war room on PostgreSQL: the server (version, TLS, one round trip, schema, role), this host's copy, the
 * chain. */
static void doctor_remote(report *rep, wr_cmdctx *c)
{
    line(rep, "backend", "postgresql");
    wr_json_kv_str(&rep->json, "backend", "postgresql");
    wr_error err = {0};
    wr_store *st = c->store ? c->store : wr_store_open_wait(c->db_path, c->open_flags | WR_OPEN_READONLY, c->wait_ms, &err);
    if (!st) {
        line(rep, "open", "%s", err.msg);
        problem(rep, err.status == WR_E_MISSING ? "no-database" : "cannot-open", "%s", err.msg);
        return;
    }
    wr_store_backend_info bi;
    if (wr_store_backend(st, &bi, &err) != WR_OK) {
        line(rep, "server", "%s", err.msg);
        problem(rep, "server-unreachable", "%s", err.msg);
    } else {
        line(rep, "server", "PostgreSQL %s, connected as role %s", bi.server_version, bi.role);
        if (bi.tls)
            line(rep, "tls", "in use (%s)", bi.tls_detail);
        else if (bi.local_socket)
            line(rep, "tls", "not used (a Unix socket on this host)");
        else
            line(rep, "tls", "NOT in use: across a network use sslmode=verify-full in the connection string");
        line(rep, "latency", "%.2f ms (one round trip)", bi.latency_ms);
        line(rep, "schema", "%d (this warroom writes %d)", bi.schema_version, WR_SCHEMA_VERSION);
        int64_t mine = wr_store_last_seq(st, &err);
        line(rep, "log", "%lld events on the server; this host's copy has %lld (%s)", (long long)bi.server_seq,
             (long long)mine, bi.cache);
        wr_json_kv_str(&rep->json, "server_version", bi.server_version);
        wr_json_kv_str(&rep->json, "role", bi.role);
        json_bool(&rep->json, "tls", bi.tls);
        json_bool(&rep->json, "unix_socket", bi.local_socket);
        wr_json_key(&rep->json, "latency_ms");
        wr_buf_printf(&rep->json, "%.3f", bi.latency_ms);
        wr_json_kv_int(&rep->json, "schema", bi.schema_version);
        wr_json_kv_int(&rep->json, "schema_written", WR_SCHEMA_VERSION);
        wr_json_kv_int(&rep->json, "server_events", (long long)bi.server_seq);
        wr_json_kv_int(&rep->json, "cache_events", (long long)mine);
        wr_json_kv_str(&rep->json, "cache", bi.cache);
    }
    doctor_chain(rep, st);
    const char *warn = wr_store_warnings(st);
    if (*warn)
        wr_buf_printf(&rep->text, "warning:      %s", warn);
    if (st != c->store)
        wr_store_close(st);
}

int wr_cmd_doctor(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int full = wr_args_has(a, "--full");
    int rebuild = wr_args_has(a, "--rebuild");
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    if (rebuild) {
        /* Re-derive every current-state table from the event log, in one transaction. */
        wr_error err = {0};
        wr_store *st = wr_store_open_wait(c->db_path, c->open_flags, c->wait_ms, &err);
        if (!st)
            return wr_args_fail(c, "doctor", &err);
        wr_status s = wr_store_rebuild(st, &err);
        int64_t n = wr_store_last_seq(st, &err);
        wr_store_close(st);
        if (s != WR_OK)
            return wr_args_fail(c, "doctor", &err);
        wr_buf_printf(&c->out, "rebuilt the current state of %s from %lld events\n", c->db_path, (long long)n);
        return 0;
    }
    report rep = {0};
    line(&rep, "database", "%s", c->db_path);
    wr_json_kv_str(&rep.json, "database", c->db_path);
    if (wr_store_target_is_remote(c->db_path)) {
        doctor_remote(&rep, c);
        return doctor_done(c, &rep);
    }

    struct stat sb;
    int exists = stat(c->db_path, &sb) == 0;
    if (exists) {
        struct passwd *pw = getpwuid(sb.st_uid);
        struct group *gr = getgrgid(sb.st_gid);
        line(&rep, "file", "%lld bytes, mode %04o, owner %s, group %s", (long long)sb.st_size,
             (unsigned)(sb.st_mode & 07777), pw ? pw->pw_name : "?", gr ? gr->gr_name : "?");
    } else {
        line(&rep, "file", "missing");
        problem(&rep, "no-database",
                "no database at %s: create one with `warroom init` (if it lives on a network mount, check that "
                "the mount is there first)",
                c->db_path);
    }
    json_file(&rep.json, "file", c->db_path);
    char journal[4200];
    snprintf(journal, sizeof journal, "%s-journal", c->db_path);
    json_file(&rep.json, "journal", journal);
    char *copy = wr_xstrdup(c->db_path);
    char *dir = dirname(copy);
    struct stat db;
    if (stat(dir, &db) == 0) {
        line(&rep, "directory", "%s, mode %04o%s", dir, (unsigned)(db.st_mode & 07777),
             db.st_mode & S_ISGID ? " (setgid: new files keep the group)" : "");
    } else {
        line(&rep, "directory", "%s: %s", dir, strerror(errno));
    }
    json_file(&rep.json, "directory", dir);
    free(copy);
    /* Every operator of the group: the database, its journal, the directory, this user's access. */
    wr_access_doctor(c->db_path, access_line, access_problem, &rep);
    char why[1400];
    wr_error ae = {0};
    json_bool(&rep.json, "can_write", exists && !wr_error_took(wr_access_problem(c->db_path, 1, &ae), &ae, why, sizeof why));

    wr_fsinfo fs;
    int single = (c->open_flags & WR_OPEN_SINGLE_HOST) != 0;
    json_bool(&rep.json, "single_host", single);
    if (wr_fs_inspect(c->db_path, &fs) == 0) {
        line(&rep, "filesystem", "%s on %s (source %s)%s", fs.fstype, fs.mountpoint, fs.source,
             fs.is_network ? ", network" : "");
        line(&rep, "mount_options", "%s", fs.options);
        line(&rep, "locks", "%s: %s", wr_lock_scope_name(fs.scope), fs.verdict);
        line(&rep, "single_host", "%s", single ? "true (config: only this host uses the database)" : "not set");
        wr_json_key(&rep.json, "filesystem");
        wr_buf_putc(&rep.json, '{');
        wr_json_kv_str(&rep.json, "type", fs.fstype);
        wr_json_kv_str(&rep.json, "mountpoint", fs.mountpoint);
        wr_json_kv_str(&rep.json, "source", fs.source);
        json_bool(&rep.json, "network", fs.is_network);
        json_bool(&rep.json, "soft_mount", fs.soft_mount);
        wr_json_kv_str(&rep.json, "options", fs.options);
        wr_json_kv_str(&rep.json, "locks", wr_lock_scope_name(fs.scope));
        wr_buf_putc(&rep.json, '}');
        if (fs.scope == WR_LOCKS_ONE_HOST)
            doctor_hostlock(&rep, c->db_path, &fs);
        if (fs.scope == WR_LOCKS_BROKEN)
            problem(&rep, "locks-broken", "%s", fs.advice);
        else if (fs.scope == WR_LOCKS_ONE_HOST && !single)
            problem(&rep, "locks-one-host", "writing is refused here: %s", fs.advice);
        else if (fs.soft_mount)
            problem(&rep, "soft-mount", "%s", fs.advice);
        else if (*fs.advice)
            wr_buf_printf(&rep.text, "advice:       %s\n", fs.advice);
    } else {
        line(&rep, "filesystem", "cannot inspect: %s", strerror(errno));
        problem(&rep, "filesystem-unknown", "cannot tell which filesystem holds %s", c->db_path);
    }

    if (exists) {
        wr_error err = {0};
        wr_store *st = c->store ? c->store : wr_store_open_wait(c->db_path, c->open_flags | WR_OPEN_READONLY, c->wait_ms, &err);
        if (!st) {
            line(&rep, "open", "%s", err.msg);
            problem(&rep, "cannot-open", "%s", err.msg);
        } else {
            char *jm = wr_store_journal_mode(st);
            line(&rep, "journal_mode", "%s", jm);
            wr_json_kv_str(&rep.json, "journal_mode", jm);
            if (strcmp(jm, "wal") == 0)
                problem(&rep, "wal-mode",
                        "the database is in WAL mode, which loses commits on network filesystems: open it once "
                        "with warroom (read-write) to switch it back");
            free(jm);
            line(&rep, "schema", "%d (this warroom writes %d)", wr_store_user_version(st), WR_SCHEMA_VERSION);
            wr_json_kv_int(&rep.json, "schema", wr_store_user_version(st));
            wr_json_kv_int(&rep.json, "schema_written", WR_SCHEMA_VERSION);
            char *chk = wr_store_check(st, full);
            line(&rep, full ? "integrity" : "quick_check", "%s", chk);
            wr_json_kv_str(&rep.json, "check", full ? "integrity_check" : "quick_check");
            json_bool(&rep.json, "intact", strcmp(chk, "ok") == 0);
            if (strcmp(chk, "ok") != 0)
                problem(&rep, "damaged", "the database is damaged: restore the last good copy (or `sqlite3 %s .recover`)",
                        c->db_path);
            free(chk);
            doctor_chain(&rep, st);
            const char *warn = wr_store_warnings(st);
            if (*warn)
                wr_buf_printf(&rep.text, "warning:      %s", warn);
            if (st != c->store)
                wr_store_close(st);
        }
    }
    return doctor_done(c, &rep);
}

/* ---- demo, help, version ---- */

int wr_cmd_demo(wr_args *a)
{
    wr_cmdctx *c = a->c;
    if (a->argc)
        return wr_args_usage(a, "demo takes only --reset, not \"%s\"", a->argv[0]);
    if (!c->console) {
        wr_buf_puts(&c->err, "demo: the console is not part of this program\n");
        return wr_args_usage_code();
    }
    /* Its own database, unless --db or WARROOM_DB names one. */
    char *path = NULL;
    if (!c->db_chosen) {
        char *dir = wr_paths_user_data_dir();
        path = wr_xasprintf("%s/demo.db", dir);
        free(dir);
    }
    const char *db = path ? path : c->db_path;
    wr_error e = {0};
    wr_store *st = NULL;
    int r = 0;
    if (wr_demo_ensure(db, c->actor, wr_args_has(a, "--reset"), &e) != WR_OK ||
        !(st = wr_store_open_wait(db, c->open_flags, c->wait_ms, &e))) {
        r = wr_args_fail(c, "demo", &e);
    } else {
        const char *warn = wr_store_warnings(st);
        if (*warn)
            wr_buf_printf(&c->err, "demo: warning: %s", warn);
        wr_args_flush(c);
        r = c->console(c, st); /* it takes the store over */
    }
    free(path);
    return r;
}

int wr_cmd_help_act(wr_args *a)
{
    if (wr_args_has(a, "--man")) {
        wr_cmd_man(&a->c->out);
        return 0;
    }
    if (wr_args_has(a, "--keys")) {
        wr_keys_markdown(&a->c->out);
        return 0;
    }
    if (a->argc > 1)
        return wr_args_usage(a, "one command at a time");
    if (a->argc == 1 && !wr_cmd_find(a->argv[0]))
        return wr_args_usage(a, "no command \"%s\"", a->argv[0]);
    wr_cmd_help(&a->c->out, a->argc ? a->argv[0] : NULL, strcmp(a->c->source, "cli") != 0);
    return 0;
}

int wr_cmd_version(wr_args *a)
{
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    wr_buf_printf(&a->c->out, "warroom %s (schema %d)\n", WARROOM_VERSION, WR_SCHEMA_VERSION);
    return 0;
}
