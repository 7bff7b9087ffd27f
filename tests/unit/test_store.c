/* SPDX-License-Identifier: MIT */
/* Store unit tests: creation, migrations, refusal of a newer schema, idempotent retry, state after each
 * kind of event, rebuild from the log, change feed. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/util.h"
#include "warroom/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];
static wr_actor alice, bob;

static char *path_in(const char *name)
{
    return wr_xasprintf("%s/%s", dir, name);
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    wr_buf b = {0};
    char tmp[4096];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
        wr_buf_append(&b, tmp, got);
    fclose(f);
    *n = b.len;
    return wr_buf_steal(&b);
}

static int64_t commit(wr_store *st, wr_write *w, wr_status *status, wr_error *err)
{
    int64_t id = 0;
    *status = wr_op_commit(st, w, 1000, NULL, &id, err);
    return id;
}

/* Which --db strings are PostgreSQL: URLs and libpq key=value strings; everything else is a file. */
static void test_target_kinds(void)
{
    CHECK(wr_store_target_is_remote("postgresql://ana@db/warroom"));
    CHECK(wr_store_target_is_remote("postgres://db/warroom?sslmode=verify-full"));
    CHECK(wr_store_target_is_remote("host=/run/postgresql dbname=warroom"));
    CHECK(wr_store_target_is_remote("  service = ir"));
    CHECK(!wr_store_target_is_remote("/srv/ir/warroom.db"));
    CHECK(!wr_store_target_is_remote("warroom.db"));
    CHECK(!wr_store_target_is_remote("./a=b.db"));
    CHECK(!wr_store_target_is_remote("postgresql:relative.db"));
    CHECK(!wr_store_target_is_remote("=x"));
    CHECK(!wr_store_target_is_remote(""));
    CHECK(!wr_store_target_is_remote(NULL));
}

static void test_missing_and_create(void)
{
    char *p = path_in("sub/dir/new.db");
    wr_error err = {0};
    wr_store *st = wr_store_open(p, 0, &err);
    CHECK(st == NULL);
    CHECK_INT(err.status, WR_E_MISSING);
    CHECK(strstr(err.msg, p) != NULL);
    CHECK(strstr(err.msg, "warroom init") != NULL);
    struct stat sb;
    CHECK(stat(p, &sb) != 0); /* nothing was created */

    st = wr_store_open(p, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    CHECK_INT(wr_store_user_version(st), WR_SCHEMA_VERSION);
    char *jm = wr_store_journal_mode(st);
    CHECK_STR(jm, "truncate");
    free(jm);
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0660);
    char *d = path_in("sub/dir");
    CHECK(stat(d, &sb) == 0 && (sb.st_mode & 02000));
    free(d);
    wr_store_close(st);
    free(p);
}

static void test_newer_schema_refused(void)
{
    char *p = path_in("newer.db");
    wr_error err = {0};
    wr_store *st = wr_store_open(p, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    wr_store_close(st);
    sqlite3 *db;
    sqlite3_open(p, &db);
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    size_t n1, n2;
    char *before = slurp(p, &n1);
    st = wr_store_open(p, 0, &err);
    CHECK(st == NULL);
    CHECK_INT(err.status, WR_E_SCHEMA);
    char ours[32];
    snprintf(ours, sizeof ours, "version %d", WR_SCHEMA_VERSION);
    CHECK(strstr(err.msg, "99") != NULL && strstr(err.msg, ours) != NULL);
    char *after = slurp(p, &n2);
    CHECK(n1 == n2 && memcmp(before, after, n1) == 0);
    free(before);
    free(after);
    free(p);
}

static void test_wal_switched_back_and_foreign_db(void)
{
    char *p = path_in("wal.db");
    wr_error err = {0};
    wr_store *st = wr_store_open(p, WR_OPEN_CREATE, &err);
    wr_store_close(st);
    sqlite3 *db;
    sqlite3_open(p, &db);
    sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    sqlite3_close(db);
    st = wr_store_open(p, 0, &err);
    CHECK(st != NULL);
    char *jm = st ? wr_store_journal_mode(st) : NULL;
    CHECK_STR(jm, "truncate");
    free(jm);
    wr_store_close(st);
    free(p);

    p = path_in("foreign.db");
    sqlite3_open(p, &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL);
    sqlite3_close(db);
    st = wr_store_open(p, 0, &err);
    CHECK(st == NULL);
    CHECK_INT(err.status, WR_E_CORRUPT);
    free(p);

    p = path_in("text.db");
    FILE *f = fopen(p, "w");
    fputs("this is not a database, just some text that is long enough to be read as a header.........\n", f);
    fclose(f);
    st = wr_store_open(p, 0, &err);
    CHECK(st == NULL);
    CHECK_INT(err.status, WR_E_CORRUPT);
    CHECK(strstr(err.msg, "locked") == NULL);
    free(p);
}

static int count_cb(const wr_event *ev, void *ctx)
{
    (void)ev;
    (*(int *)ctx)++;
    return 0;
}

static void test_events_and_state(void)
{
    char *p = path_in("state.db");
    wr_error err = {0};
    wr_store *st = wr_store_open(p, WR_OPEN_CREATE, &err);
    wr_opctx ca = {st, &alice, "cli", 0}, cb = {st, &bob, "tui", 0};
    wr_write w;
    wr_status s;

    CHECK_INT(wr_op_declare(&ca, "Leaked AWS key", "SEV2", "credential-leak", NULL, &w, &err), WR_OK);
    /* A retry of the very same write lands once. */
    wr_write again = w;
    again.actor = wr_xstrdup(w.actor); again.os_user = wr_xstrdup(w.os_user); again.origin = wr_xstrdup(w.origin);
    again.source = wr_xstrdup(w.source); again.kind = wr_xstrdup(w.kind); again.payload = wr_xstrdup(w.payload);
    again.describe = NULL;
    int64_t id = commit(st, &w, &s, &err);
    CHECK_INT(s, WR_OK);
    CHECK_INT(id, 1);
    CHECK_INT(wr_store_append(st, &again, 1000, &err), WR_OK);
    CHECK_INT(again.duplicate, 1);
    CHECK_INT(again.result_id, 1);
    wr_write_clear(&again);
    int n = 0;
    wr_store_events_after(st, 0, 0, 0, count_cb, &n, &err);
    CHECK_INT(n, 1);

    wr_incident inc;
    CHECK_INT(wr_incident_get(st, 1, &inc, &err), WR_OK);
    CHECK_STR(inc.title, "Leaked AWS key");
    CHECK_STR(inc.severity, "SEV2");
    CHECK_STR(inc.status, "triage");
    CHECK_STR(inc.type, "credential-leak");
    int64_t v1 = inc.version;
    wr_incident_clear(&inc);

    /* Field change records old and new. */
    CHECK_INT(wr_op_set(&cb, 1, "severity", "SEV1", "customer data", 0, 0, &w, &err), WR_OK);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_OK);
    wr_incident_get(st, 1, &inc, &err);
    CHECK_STR(inc.severity, "SEV1");
    CHECK(inc.version == v1 + 1);
    wr_incident_clear(&inc);
    /* Setting it again is refused and says who set it. */
    wr_op_set(&ca, 1, "severity", "SEV1", NULL, 0, 0, &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_E_CONFLICT);
    CHECK(strstr(err.msg, "bob") != NULL);
    /* A version-checked edit from a stale view is refused. */
    wr_op_set(&ca, 1, "summary", "Key found on GitHub", NULL, v1, 0, &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_E_CONFLICT);
    wr_op_set(&ca, 1, "summary", "Key found on GitHub", NULL, v1 + 1, 0, &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_OK);
    /* Bad requests are refused before anything is written. */
    CHECK_INT(wr_op_set(&ca, 1, "severty", "SEV1", NULL, 0, 0, &w, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "did you mean severity") != NULL);
    CHECK_INT(wr_op_set(&ca, 1, "status", "contained", NULL, 0, 0, &w, &err), WR_E_INVALID);
    CHECK_INT(wr_op_declare(&ca, "  ", NULL, NULL, NULL, &w, &err), WR_E_INVALID);
    CHECK_INT(wr_op_declare(&ca, "x", "SEV9", NULL, NULL, &w, &err), WR_E_INVALID);

    /* Notes and roles. */
    wr_op_note(&ca, 1, "Rotated the key; \"quotes\" and 'sql'); DROP TABLE events;--", &w, &err);
    int64_t note_seq = 0;
    CHECK_INT(wr_op_commit(st, &w, 1000, &note_seq, NULL, &err), WR_OK);
    wr_op_assign(&ca, 1, "incident-commander", "alice", 0, &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_OK);
    wr_op_assign(&ca, 1, "IC", "bob", 0, &w, &err); /* abbreviation accepted; hands over */
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_OK);
    wr_op_assign(&ca, 1, "responder", "carol", 0, &w, &err);
    commit(st, &w, &s, &err);
    wr_op_assign(&ca, 1, "responder", "dave", 0, &w, &err);
    commit(st, &w, &s, &err);
    wr_op_assign(&cb, 1, "responder", "dave", 0, &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_E_CONFLICT);
    CHECK(strstr(err.msg, "already holds") != NULL);
    wr_op_assign(&cb, 1, "responder", "erin", 1, &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_E_NOTFOUND);
    CHECK_INT(wr_op_assign(&cb, 1, "comander", "erin", 0, &w, &err), WR_E_INVALID);
    wr_role_holder *roles;
    size_t nroles;
    CHECK_INT(wr_roles_list(st, 1, &roles, &nroles, &err), WR_OK);
    CHECK_INT(nroles, 3);
    int ic_bob = 0;
    for (size_t i = 0; i < nroles; i++)
        if (strcmp(roles[i].role, "incident-commander") == 0)
            ic_bob = strcmp(roles[i].holder, "bob") == 0;
    CHECK(ic_bob);
    wr_roles_free(roles, nroles);

    /* Pins. */
    wr_op_pin(&ca, 1, note_seq, 1, &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_OK);
    wr_op_pin(&cb, 1, note_seq, 1, &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_E_CONFLICT);
    wr_op_pin(&cb, 1, 9999, 1, &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_E_NOTFOUND);

    /* Note on a missing incident. */
    wr_op_note(&ca, 42, "nobody", &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(s, WR_E_NOTFOUND);

    /* The export carries the handover history and old -> new values. */
    char *json = NULL;
    CHECK_INT(wr_incident_json(st, 1, 1, &json, &err), WR_OK);
    CHECK(json && strstr(json, "\"old\":\"SEV2\"") && strstr(json, "\"new\":\"SEV1\""));
    CHECK(json && strstr(json, "\"previous\":\"alice\""));
    CHECK(json && strstr(json, "DROP TABLE events"));
    char *before = json;

    /* Rebuilding the state from the log gives the same state. */
    CHECK_INT(wr_store_rebuild(st, &err), WR_OK);
    json = NULL;
    wr_incident_json(st, 1, 1, &json, &err);
    CHECK_STR(json, before);
    free(json);
    free(before);

    /* Default incident: the only open one. */
    int64_t rid = 0;
    CHECK_INT(wr_incident_resolve(st, NULL, &rid, &err), WR_OK);
    CHECK_INT(rid, 1);
    wr_op_declare(&ca, "Second", NULL, NULL, "drill", &w, &err);
    commit(st, &w, &s, &err);
    CHECK_INT(wr_incident_resolve(st, NULL, &rid, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "INC-2") != NULL);
    CHECK_INT(wr_incident_resolve(st, "inc-2", &rid, &err), WR_OK);
    CHECK_INT(rid, 2);
    CHECK_INT(wr_incident_resolve(st, "nope", &rid, &err), WR_E_INVALID);
    wr_store_close(st);
    free(p);
}

static void test_change_feed(void)
{
    char *p = path_in("feed.db");
    wr_error err = {0};
    wr_store *a = wr_store_open(p, WR_OPEN_CREATE, &err);
    wr_store *b = wr_store_open(p, 0, &err);
    CHECK(wr_store_changed(b) == 0);
    wr_opctx ca = {a, &alice, "cli", 0};
    wr_write w;
    wr_op_declare(&ca, "Feed", NULL, NULL, NULL, &w, &err);
    wr_status s;
    commit(a, &w, &s, &err);
    CHECK_INT(wr_store_changed(b), 1);
    CHECK_INT(wr_store_changed(b), 0);
    CHECK_INT(wr_store_changed(a), 0); /* own commits do not count */
    CHECK_INT(wr_store_last_seq(b, &err), 1);
    wr_store_close(a);
    wr_store_close(b);
    free(p);
}

/* Every text field takes quotes, SQL fragments, JSON-looking text and control bytes as plain data. */
static void test_hostile_text(void)
{
    static const char *const nasty[] = {
        "'; DROP TABLE events; --",
        "\"); DELETE FROM incidents WHERE (\"1\"=\"1",
        "Robert'); UPDATE roles SET holder='mallory' --",
        "{\"title\":\"x\"}', '$.title', 'pwned",
        "back\\slash \\u0000 \\\" %s %n %%",
        "tab\there\nnewline\x01\x1b[2J\x7f",
    };
    char *p = path_in("hostile.db");
    wr_error err = {0};
    wr_store *st = wr_store_open(p, WR_OPEN_CREATE, &err);
    wr_opctx ca = {st, &alice, "cli", 0};
    wr_write w;
    for (size_t i = 0; i < WR_ARRAY_LEN(nasty); i++) {
        const char *t = nasty[i];
        int64_t id = 0;
        CHECK_INT(wr_op_declare(&ca, t, NULL, t, NULL, &w, &err), WR_OK);
        CHECK_INT(wr_op_commit(st, &w, 1000, NULL, &id, &err), WR_OK);
        wr_op_set(&ca, id, "summary", t, t, 0, 0, &w, &err);
        CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
        wr_op_set(&ca, id, "impact", t, NULL, 0, 0, &w, &err);
        CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
        wr_op_note(&ca, id, t, &w, &err);
        CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
        CHECK_INT(wr_op_assign(&ca, id, "responder", t, 0, &w, &err), wr_actor_valid_name(t) ? WR_OK : WR_E_INVALID);
        if (wr_actor_valid_name(t))
            CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
        wr_incident inc;
        CHECK_INT(wr_incident_get(st, id, &inc, &err), WR_OK);
        CHECK_STR(inc.title, t);
        CHECK_STR(inc.type, t);
        CHECK_STR(inc.summary, t);
        CHECK_STR(inc.impact, t);
        wr_incident_clear(&inc);
    }
    /* Nothing was dropped or rewritten: every incident and every note is there. */
    wr_incident *v;
    size_t n;
    CHECK_INT(wr_incident_list(st, 0, &v, &n, &err), WR_OK);
    CHECK_INT(n, WR_ARRAY_LEN(nasty));
    wr_incidents_free(v, n);
    char *chk = wr_store_check(st, 1);
    CHECK_STR(chk, "ok");
    free(chk);
    wr_store_close(st);
    free(p);
}

static void test_readonly(void)
{
    if (geteuid() == 0)
        return; /* root ignores permission bits */
    char *p = path_in("ro.db");
    wr_error err = {0};
    wr_store *st = wr_store_open(p, WR_OPEN_CREATE, &err);
    wr_store_close(st);
    chmod(p, 0440);
    st = wr_store_open(p, 0, &err);
    CHECK(st && wr_store_readonly(st));
    wr_store_close(st);
    free(p);
}

/* Files made for a group whatever the umask; an empty path refused; no "(not an error)" in messages. */
static void test_group_files_and_paths(void)
{
    wr_error err = {0};
    CHECK(wr_store_open("", WR_OPEN_CREATE, &err) == NULL);
    CHECK_INT(err.status, WR_E_INVALID);
    CHECK(strstr(err.msg, "empty") != NULL);

    mode_t old = umask(077); /* the strictest operator */
    char *p = path_in("team/sub/war.db");
    wr_store *st = wr_store_open(p, WR_OPEN_CREATE, &err);
    umask(old);
    CHECK(st != NULL);
    struct stat sb;
    char *j = wr_xasprintf("%s-journal", p);
    char *d = path_in("team/sub");
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 07777) == 0660);
    CHECK(stat(j, &sb) == 0 && (sb.st_mode & 07777) == 0660);
    CHECK(stat(d, &sb) == 0 && (sb.st_mode & 07777) == 02770);
    wr_store_close(st);

    /* A write refused because the store is read-only says why, never SQLite's "not an error". */
    st = wr_store_open(p, WR_OPEN_READONLY, &err);
    CHECK(st != NULL);
    wr_opctx o = {st, &alice, "cli", 0};
    wr_write w;
    CHECK_INT(wr_op_declare(&o, "x", NULL, NULL, NULL, &w, &err), WR_OK);
    CHECK_INT(wr_store_append(st, &w, 100, &err), WR_E_READONLY);
    CHECK(strstr(err.msg, "not an error") == NULL);
    wr_write_clear(&w);
    wr_store_close(st);
    CHECK_STR(wr_status_name(WR_E_DENIED), "not-allowed");
    CHECK_INT(wr_status_exit_code(WR_E_DENIED), 14);
    free(j);
    free(d);
    free(p);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wr-test-store-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    wr_clock_set_fixed(1767225600000LL, 1); /* 2026-01-01T00:00:00Z */
    wr_actor_set(&alice, "alice", "alice", "tty pts/1", "bastion");
    wr_actor_set(&bob, "bob", "bob", "ssh 10.0.0.7 pts/2", "bastion");
    test_missing_and_create();
    test_newer_schema_refused();
    test_wal_switched_back_and_foreign_db();
    test_events_and_state();
    test_change_feed();
    test_target_kinds();
    test_hostile_text();
    test_readonly();
    test_group_files_and_paths();
    wr_actor_free(&alice);
    wr_actor_free(&bob);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
