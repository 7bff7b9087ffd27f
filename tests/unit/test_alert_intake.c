/* SPDX-License-Identifier: MIT */
/* test_alert_intake.c - whole payloads taken in (alert_intake.h) and folded (alert_fold.c): every row of the
 * folding table, sources kept apart, a bad alert refused alone, oversized parts cut with notes, NUL and
 * invalid UTF-8 repaired, 10,000 alerts / 16 MiB in batches and bounded memory, all or nothing per batch,
 * a duplicate delivery that changes nothing, and the schema step from version 1. */
#include "check.h"

#include "warroom/alert.h"
#include "warroom/alert_intake.h"
#include "warroom/clock.h"
#include "warroom/store.h"
#include "warroom/util.h"
#include "warroom/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>


static char dir[256];
static wr_actor alice;
static wr_alert_parser *parser;

static wr_store *fresh(const char *name)
{
    char *path = wr_xasprintf("%s/%s", dir, name);
    wr_error err = {0};
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, &err);
    if (!st)
        fprintf(stderr, "open %s: %s\n", path, err.msg);
    free(path);
    return st;
}

/* One Alertmanager alert as JSON. starts: "09:00" -> 2026-03-01T09:00:00Z, NULL: none. */
static void am_alert(wr_buf *b, const char *status, const char *name, const char *starts, const char *fp)
{
    wr_buf_printf(b, "%s{\"status\":\"%s\",\"labels\":{\"alertname\":\"%s\",\"severity\":\"warning\"}",
                  b->len && b->s[b->len - 1] != '[' ? "," : "",
                  status, name);
    if (starts)
        wr_buf_printf(b, ",\"startsAt\":\"2026-03-01T%s:00.123456789Z\"", starts);
    if (fp)
        wr_buf_printf(b, ",\"fingerprint\":\"%s\"", fp);
    wr_buf_puts(b, ",\"endsAt\":\"0001-01-01T00:00:00Z\"}");
}

static wr_status take(wr_store *st, const char *doc, const char *source, size_t batch, wr_intake *t)
{
    wr_opctx c = {st, &alice, "cli", 0};
    wr_intake_opts o = {0};
    o.source = source;
    o.batch_alerts = batch;
    o.wait_ms = 2000;
    return wr_intake_doc(&c, parser, doc, strlen(doc), &o, t);
}

/* Take one alert in a payload of its own; the outcome name. */
static const char *one(wr_store *st, const char *status, const char *name, const char *starts)
{
    wr_buf b = {0};
    wr_buf_puts(&b, "{\"version\":\"4\",\"alerts\":[");
    am_alert(&b, status, name, starts, NULL);
    wr_buf_puts(&b, "]}");
    wr_intake t;
    wr_status s = take(st, wr_buf_str(&b), "am", 0, &t);
    wr_buf_free(&b);
    const wr_alert_outcome *o = &t.outcome;
    const char *r = s != WR_OK                   ? "error"
                    : o->new_ == 1      ? "new"
                    : o->folded == 1    ? "folded"
                    : o->refired == 1   ? "refired"
                    : o->renotified == 1 ? "renotified"
                    : o->resolved == 1  ? "resolved"
                    : o->duplicate == 1 ? "duplicate"
                                        : "?";
    wr_intake_free(&t);
    return r;
}

/* An integer from the database file by SQL (a second connection: what another process would see). */
static int64_t sql_int(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    int64_t v = -1;
    char *path = wr_xasprintf("%s/%s", dir, db);
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        else
            fprintf(stderr, "sql_int: %s: %s\n", sql, sqlite3_errmsg(h));
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    free(path);
    return v;
}

static void test_folding(void)
{
    wr_store *st = fresh("fold.db");
    if (!st)
        return;
    /* firing: new; the same firing again: renotified (count stays); a late older one: renotified. */
    CHECK_STR(one(st, "firing", "A", "09:00"), "new");
    CHECK_STR(one(st, "firing", "A", "09:00"), "renotified");
    CHECK_STR(one(st, "firing", "A", "08:00"), "renotified");
    CHECK_INT(sql_int("fold.db", "SELECT count FROM alerts WHERE title = 'A'"), 1);
    /* a new start while firing (the resolve was never sent): a new firing. */
    CHECK_STR(one(st, "firing", "A", "09:10"), "refired");
    CHECK_INT(sql_int("fold.db", "SELECT count FROM alerts WHERE title = 'A'"), 2);
    /* resolved; its repeat; an old firing's late notification changes nothing. */
    CHECK_STR(one(st, "resolved", "A", "09:10"), "resolved");
    CHECK_STR(one(st, "resolved", "A", "09:10"), "duplicate");
    CHECK_STR(one(st, "firing", "A", "09:10"), "renotified");
    CHECK_INT(sql_int("fold.db", "SELECT count(*) FROM alerts WHERE title = 'A' AND status = 'resolved'"), 1);
    /* firing again after the resolve: the same row, count + 1, firing, resolved_at cleared. */
    CHECK_STR(one(st, "firing", "A", "09:20"), "refired");
    CHECK_INT(sql_int("fold.db", "SELECT count FROM alerts WHERE title = 'A' AND status = 'firing' AND resolved_at = 0"), 3);
    CHECK_INT(sql_int("fold.db", "SELECT count(*) FROM alerts WHERE title = 'A'"), 1);
    /* an old firing's resolution while a newer one fires: nothing. */
    CHECK_STR(one(st, "resolved", "A", "09:10"), "duplicate");
    CHECK_INT(sql_int("fold.db", "SELECT status = 'firing' FROM alerts WHERE title = 'A'"), 1);
    /* a resolution of a firing never seen starting (09:30 > 09:20): resolved and counted. */
    CHECK_STR(one(st, "resolved", "A", "09:30"), "resolved");
    CHECK_INT(sql_int("fold.db", "SELECT count FROM alerts WHERE title = 'A'"), 4);
    /* a whole firing missed (resolved, then a resolution with a later start): counted. */
    CHECK_STR(one(st, "resolved", "A", "09:40"), "resolved");
    CHECK_INT(sql_int("fold.db", "SELECT count FROM alerts WHERE title = 'A'"), 5);
    /* without start times: each firing repeat is folded (count + 1), as senders without them expect. */
    CHECK_STR(one(st, "firing", "B", NULL), "new");
    CHECK_STR(one(st, "firing", "B", NULL), "folded");
    CHECK_STR(one(st, "resolved", "B", NULL), "resolved");
    CHECK_STR(one(st, "resolved", "B", NULL), "duplicate");
    CHECK_STR(one(st, "firing", "B", NULL), "refired");
    CHECK_INT(sql_int("fold.db", "SELECT count FROM alerts WHERE title = 'B'"), 3);
    /* a resolution first: a new, resolved row. */
    CHECK_STR(one(st, "resolved", "C", "09:00"), "new");
    CHECK_INT(sql_int("fold.db", "SELECT count(*) FROM alerts WHERE title = 'C' AND status = 'resolved'"), 1);

    /* Re-firing brings a dismissed alert back to triage; an alert linked to an incident being worked stays. */
    wr_alert_row row;
    wr_error err = {0};
    wr_opctx c = {st, &alice, "cli", 0};
    wr_write w;
    CHECK_INT(wr_alert_find(st, "#1", &row, &err), WR_OK);
    CHECK_INT(wr_op_alert_dismiss(&c, &row, "noise", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
    wr_alert_row_clear(&row);
    CHECK_STR(one(st, "resolved", "A", "09:50"), "resolved");
    CHECK_STR(one(st, "firing", "A", "10:00"), "refired");
    CHECK_INT(wr_alert_find(st, "#1", &row, &err), WR_OK);
    CHECK_STR(row.triage, "new");
    int64_t inc = 0;
    CHECK_INT(wr_op_alert_declare(&c, &row, NULL, NULL, "real", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, &inc, &err), WR_OK);
    wr_alert_row_clear(&row);
    CHECK_STR(one(st, "resolved", "A", "10:00"), "resolved");
    CHECK_STR(one(st, "firing", "A", "10:10"), "refired");
    CHECK_INT(wr_alert_find(st, "#1", &row, &err), WR_OK);
    CHECK_STR(row.triage, "declared");
    CHECK_INT(row.incident, inc);
    wr_alert_row_clear(&row);

    /* The log is the truth: a rebuild gives the same alerts. */
    char *before = NULL, *after = NULL;
    CHECK_INT(wr_alert_list_json(st, WR_ALERTS_ALL, 0, &before, &err), WR_OK);
    CHECK_INT(wr_store_rebuild(st, &err), WR_OK);
    CHECK_INT(wr_alert_list_json(st, WR_ALERTS_ALL, 0, &after, &err), WR_OK);
    CHECK_STR(after, before);
    free(before);
    free(after);
    wr_store_close(st);
}

static void test_sources_and_acceptance(void)
{
    wr_store *st = fresh("src.db");
    if (!st)
        return;
    /* The same Alertmanager fingerprint from two sources: two alerts. */
    wr_buf b = {0};
    wr_buf_puts(&b, "{\"version\":\"4\",\"alerts\":[");
    am_alert(&b, "firing", "Disk", "09:00", "0123456789abcdef");
    wr_buf_puts(&b, "]}");
    wr_intake t;
    CHECK_INT(take(st, wr_buf_str(&b), "am-eu", 0, &t), WR_OK);
    CHECK_INT(t.outcome.new_, 1);
    wr_intake_free(&t);
    CHECK_INT(take(st, wr_buf_str(&b), "am-us", 0, &t), WR_OK);
    CHECK_INT(t.outcome.new_, 1);
    wr_intake_free(&t);
    CHECK_INT(sql_int("src.db", "SELECT count(DISTINCT source) FROM alerts WHERE fingerprint = '0123456789abcdef'"), 2);
    wr_alert_row row;
    wr_error err = {0};
    CHECK_INT(wr_alert_find(st, "0123", &row, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "#1 from am-eu") != NULL && strstr(err.msg, "#2 from am-us") != NULL);
    CHECK_INT(wr_alert_find(st, "#2", &row, &err), WR_OK);
    CHECK_STR(row.source, "am-us");
    wr_alert_row_clear(&row);
    wr_buf_free(&b);

    /* One bad alert among good ones: refused alone, with its index and reason; the others land, and the event
     * records the refusal. */
    const char *mixed = "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"G1\"}},"
                        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"Bad\",\"n\":7}},"
                        "42,"
                        "{\"status\":\"maybe\",\"labels\":{\"alertname\":\"Bad2\"}},"
                        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"G2\"},\"startsAt\":\"soon\"},"
                        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"G3\"}}],\"truncatedAlerts\":3}";
    CHECK_INT(take(st, mixed, "am-eu", 0, &t), WR_OK);
    CHECK_INT(t.received, 6);
    CHECK_INT(t.landed, 2);
    CHECK_INT(t.rejected, 4);
    CHECK_INT(t.truncated, 3);
    CHECK_INT(t.nrejects, 4);
    if (t.nrejects == 4) {
        CHECK_INT(t.rejects[0].index, 1);
        CHECK(strstr(t.rejects[0].text, "alerts[1]: label 'n' must be a string") != NULL);
        CHECK_INT(t.rejects[1].index, 2);
        CHECK_STR(t.rejects[1].text, "alerts[2] must be a JSON object");
        CHECK(strstr(t.rejects[2].text, "alerts[3]: 'status' must be") != NULL);
        CHECK(strstr(t.rejects[3].text, "alerts[4]: 'startsAt' is not a time") != NULL);
    }
    CHECK_INT(t.nbatches, 1);
    wr_intake_free(&t);
    CHECK_INT(sql_int("src.db", "SELECT count(*) FROM alerts WHERE title IN ('G1', 'G3')"), 2);
    CHECK_INT(sql_int("src.db", "SELECT count(*) FROM alerts WHERE title LIKE 'Bad%' OR title = 'G2'"), 0);
    CHECK_INT(sql_int("src.db", "SELECT json_extract(payload, '$.rejected[3].index') FROM events ORDER BY seq DESC"
                                " LIMIT 1"), 4);
    CHECK_INT(sql_int("src.db", "SELECT json_extract(payload, '$.request.truncated_alerts') FROM events ORDER BY seq"
                                " DESC LIMIT 1"), 3);
    /* Refused whole: not JSON, not an object, a wrong version. Nothing recorded. */
    int64_t events = sql_int("src.db", "SELECT count(*) FROM events");
    static const char *const bad[] = {"{\"alerts\":[", "[1]", "{\"version\":\"3\",\"alerts\":[]}",
                                      "{\"alerts\":{}}", "{\"name\":1}", "{\"alerts\":[]} x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(take(st, bad[i], "am-eu", 0, &t), WR_E_INVALID);
        CHECK(t.doc_error != NULL);
        wr_intake_free(&t);
    }
    /* A payload whose alerts are all refused still says so in the log. */
    CHECK_INT(take(st, "{\"alerts\":[{\"status\":\"x\",\"labels\":{}}]}", "am-eu", 0, &t), WR_OK);
    CHECK_INT(t.rejected, 1);
    wr_intake_free(&t);
    CHECK_INT(sql_int("src.db", "SELECT count(*) FROM events"), events + 1);
    wr_store_close(st);
}

static void test_cut_and_repair(void)
{
    wr_store *st = fresh("cut.db");
    if (!st)
        return;
    /* 100 labels: 64 kept (alertname and severity among them), 36 dropped, the fingerprint over all 100. */
    wr_buf b = {0};
    wr_buf_puts(&b, "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Many\",");
    for (int i = 0; i < 98; i++)
        wr_buf_printf(&b, "\"l%03d\":\"v%d\",", i, i);
    wr_buf_puts(&b, "\"severity\":\"critical\"},\"annotations\":{\"summary\":\"nul\\u0000here\",\"description\":\"");
    wr_buf_puts(&b, "bad \xff\xfe bytes\"}},");
    /* the same 64 labels the first one keeps: another alert, since the fingerprint covers all labels */
    wr_buf_puts(&b, "{\"status\":\"firing\",\"labels\":{\"alertname\":\"Many\",");
    for (int i = 0; i < 62; i++)
        wr_buf_printf(&b, "\"l%03d\":\"v%d\",", i, i);
    wr_buf_puts(&b, "\"severity\":\"critical\"}}]}");
    wr_intake t;
    CHECK_INT(take(st, wr_buf_str(&b), "am", 0, &t), WR_OK);
    CHECK_INT(t.landed, 2);
    CHECK_INT(t.noted, 1);
    CHECK_INT(t.outcome.new_, 2);
    if (t.nnotes == 1) {
        CHECK(strstr(t.notes[0].text, "36 of 100 labels dropped") != NULL);
        CHECK(strstr(t.notes[0].text, "1 NUL character replaced with U+FFFD") != NULL);
        CHECK(strstr(t.notes[0].text, "2 invalid UTF-8 sequences replaced with U+FFFD") != NULL);
    }
    wr_intake_free(&t);
    wr_buf_free(&b);
    CHECK_INT(sql_int("cut.db", "SELECT count(*) FROM json_each((SELECT labels FROM alerts WHERE id = 1))"), 64);
    CHECK_INT(sql_int("cut.db", "SELECT json_extract(labels, '$.severity') = 'critical' AND"
                                " json_extract(labels, '$.l061') = 'v61' AND json_extract(labels, '$.l062') IS NULL"
                                " FROM alerts WHERE id = 1"), 1);
    CHECK_INT(sql_int("cut.db", "SELECT severity = 'SEV1' AND title = 'nul' || char(65533) || 'here' FROM alerts"
                                " WHERE id = 1"), 1);
    CHECK_INT(sql_int("cut.db", "SELECT description = 'bad ' || char(65533, 65533) || ' bytes' FROM alerts WHERE"
                                " id = 1"), 1);
    CHECK_INT(sql_int("cut.db", "SELECT json_array_length(notes) FROM alerts WHERE id = 1"), 3);
    CHECK_INT(sql_int("cut.db", "SELECT count(DISTINCT fingerprint) FROM alerts"), 2);
    CHECK_INT(sql_int("cut.db", "SELECT json_array_length(json_extract(payload, '$.alerts[0].notes')) FROM events"), 3);
    /* Long values are cut with a marker. */
    wr_buf_puts(&b, "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Long\",\"v\":\"");
    for (int i = 0; i < 3000; i++)
        wr_buf_putc(&b, 'x');
    wr_buf_puts(&b, "\"},\"annotations\":{\"description\":\"");
    for (int i = 0; i < 20000; i++)
        wr_buf_puts(&b, "\xc3\xa9");
    wr_buf_puts(&b, "\"}}]}");
    CHECK_INT(take(st, wr_buf_str(&b), "am", 0, &t), WR_OK);
    CHECK_INT(t.noted, 1);
    wr_intake_free(&t);
    wr_buf_free(&b);
    CHECK_INT(sql_int("cut.db", "SELECT length(CAST(json_extract(labels, '$.v') AS BLOB)) FROM alerts WHERE title ="
                                " 'Long'"), 1024);
    CHECK_INT(sql_int("cut.db", "SELECT json_extract(labels, '$.v') LIKE '%' || char(8230) FROM alerts WHERE title ="
                                " 'Long'"), 1);
    CHECK_INT(sql_int("cut.db", "SELECT length(CAST(description AS BLOB)) <= 16384 AND description LIKE '%' ||"
                                " char(8230) FROM alerts WHERE title = 'Long'"), 1);
    /* warroom's own shape: a NUL is repaired too (it was refused before). */
    CHECK_INT(take(st, "{\"source\":\"cron\",\"title\":\"a\\u0000b\"}", NULL, 0, &t), WR_OK);
    CHECK_INT(t.landed, 1);
    CHECK_INT(t.noted, 1);
    wr_intake_free(&t);
    wr_store_close(st);
}

/* The child half of test_large, in a fresh process (so its peak memory is its own): map the payload file, take
 * it at time ms, print "landed renotified peak_kib". */
static int take_file(const char *db, const char *file, long long ms)
{
    wr_clock_set_fixed(ms, 1);
    FILE *f = fopen(file, "rb");
    if (!f)
        return 1;
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    fclose(f);
    int fd = open(file, O_RDONLY);
    const char *doc = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (doc == MAP_FAILED)
        return 1;
    wr_error err = {0};
    wr_store *st = wr_store_open(db, 0, &err);
    if (!st)
        return 1;
    wr_opctx c = {st, &alice, "cli", 0};
    wr_intake_opts o = {0};
    o.source = "am";
    o.wait_ms = 2000;
    wr_intake t;
    /* Growth over what the process held before taking the payload (the libraries it links are not the
     * intake's cost: libpq alone brings TLS and Kerberos). */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long base = ru.ru_maxrss;
    wr_intake_doc(&c, parser, doc, len, &o, &t);
    getrusage(RUSAGE_SELF, &ru);
    printf("%ld %d %zu %ld\n", t.landed, t.outcome.renotified, t.nbatches, ru.ru_maxrss - base);
    wr_intake_free(&t);
    wr_store_close(st);
    munmap((void *)doc, len);
    return 0;
}

static int run_child(const char *db, const char *file, long long ms, long *landed, int *renotified,
                     size_t *batches, long *peak_kib)
{
    char *cmd = wr_xasprintf("/proc/%d/exe --take '%s' '%s' %lld", (int)getpid(), db, file, ms);
    FILE *p = popen(cmd, "r");
    free(cmd);
    if (!p)
        return -1;
    int n = fscanf(p, "%ld %d %zu %ld", landed, renotified, batches, peak_kib);
    return pclose(p) == 0 && n == 4 ? 0 : -1;
}

static void test_large(void)
{
    wr_store *st = fresh("large.db");
    if (!st)
        return;
    wr_store_close(st);
    /* 10,000 alerts, over 16 MiB: 20 batches of 500, every alert once. */
    wr_buf b = {0};
    wr_buf_puts(&b, "{\"receiver\":\"warroom\",\"status\":\"firing\",\"alerts\":[");
    char pad[1701];
    memset(pad, 'p', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    for (int i = 0; i < 10000; i++)
        wr_buf_printf(&b, "%s{\"status\":\"firing\",\"labels\":{\"alertname\":\"Big\",\"n\":\"%d\"},\"annotations\":"
                          "{\"description\":\"%s\"},\"startsAt\":\"2026-03-01T09:00:00Z\"}", i ? "," : "", i, pad);
    wr_buf_puts(&b, "],\"version\":\"4\"}");
    CHECK(b.len > 16 * 1024 * 1024);
    char *db = wr_xasprintf("%s/large.db", dir), *file = wr_xasprintf("%s/large.json", dir);
    FILE *f = fopen(file, "wb");
    CHECK(f && fwrite(b.s, 1, b.len, f) == b.len);
    if (f)
        fclose(f);
    size_t doc_len = b.len;
    wr_buf_free(&b);
    long landed = 0, peak = 0;
    int renotified = 0;
    size_t batches = 0;
    CHECK_INT(run_child(db, file, 1772355600000LL, &landed, &renotified, &batches, &peak), 0);
    CHECK_INT(landed, 10000);
    CHECK_INT(batches, 20);
    printf("taking a %zu-byte payload of 10,000 alerts: peak resident memory grew by %ld KiB\n", doc_len, peak);
#if !defined(__SANITIZE_ADDRESS__)
    /* Bounded: the mapped payload plus one batch at a time, not the payload parsed whole. */
    CHECK(peak < (long)(doc_len / 1024) + 36 * 1024); /* parsed whole it is several times the payload */
#endif
    CHECK_INT(sql_int("large.db", "SELECT count(*) FROM alerts"), 10000);
    CHECK_INT(sql_int("large.db", "SELECT count(*) FROM events"), 20);
    CHECK_INT(sql_int("large.db", "SELECT count(DISTINCT json_extract(labels, '$.n')) FROM alerts"), 10000);
    CHECK_INT(sql_int("large.db", "SELECT json_extract(payload, '$.request.first') || '-' ||"
                                  " json_extract(payload, '$.request.last') = '9500-9999' FROM events WHERE seq = 20"), 1);
    /* The same delivery a minute later changes nothing but last seen. */
    CHECK_INT(run_child(db, file, 1772355660000LL, &landed, &renotified, &batches, &peak), 0);
    CHECK_INT(renotified, 10000);
    CHECK_INT(sql_int("large.db", "SELECT sum(count) FROM alerts"), 10000);
    CHECK_INT(sql_int("large.db", "SELECT count(*) FROM alerts WHERE last_seen > first_seen"), 10000);
    CHECK_INT(sql_int("large.db", "SELECT count(*) FROM alerts"), 10000);
    free(db);
    free(file);
}

static void test_batches_all_or_nothing(void)
{
    wr_store *st = fresh("batch.db");
    if (!st)
        return;
    /* A trigger refuses the alert titled "poison": the batch holding it is rolled back whole, the batch before
     * it stays, the ones after it are not tried. */
    char *path = wr_xasprintf("%s/batch.db", dir);
    sqlite3 *h = NULL;
    CHECK_INT(sqlite3_open(path, &h), SQLITE_OK);
    CHECK_INT(sqlite3_exec(h, "CREATE TRIGGER poison BEFORE INSERT ON alerts WHEN NEW.title = 'poison'"
                              " BEGIN SELECT RAISE(ABORT, 'poisoned'); END", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    wr_buf b = {0};
    wr_buf_puts(&b, "{\"alerts\":[");
    for (int i = 0; i < 30; i++)
        wr_buf_printf(&b, "%s{\"status\":\"firing\",\"labels\":{\"alertname\":\"%s\",\"i\":\"%d\"}}", i ? "," : "",
                      i == 15 ? "poison" : "ok", i);
    wr_buf_puts(&b, "]}");
    wr_intake t;
    wr_status s = take(st, wr_buf_str(&b), "am", 10, &t);
    CHECK(s != WR_OK);
    CHECK_INT(t.landed, 10);
    CHECK_INT(t.not_landed, 20);
    CHECK_INT(t.nbatches, 2);
    if (t.nbatches == 2) {
        CHECK(t.batches[0].landed && t.batches[0].first == 0 && t.batches[0].last == 9);
        CHECK(!t.batches[1].landed && t.batches[1].first == 10 && t.batches[1].last == 19);
    }
    wr_intake_free(&t);
    wr_buf_free(&b);
    CHECK_INT(sql_int("batch.db", "SELECT count(*) FROM alerts"), 10);
    CHECK_INT(sql_int("batch.db", "SELECT max(CAST(json_extract(labels, '$.i') AS INTEGER)) FROM alerts"), 9);
    CHECK_INT(sql_int("batch.db", "SELECT count(*) FROM events"), 1);
    free(path);
    wr_store_close(st);
}

static void test_migration(void)
{
    /* A version 1 database, made by the version 1 schema itself, with alerts from two sources. */
    char *path = wr_xasprintf("%s/v1.db", dir);
    sqlite3 *h = NULL;
    CHECK_INT(sqlite3_open(path, &h), SQLITE_OK);
    int rc = sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
    for (const char *const *part = wr_model()->migrations[0]; rc == SQLITE_OK && *part; part++)
        rc = sqlite3_exec(h, *part, NULL, NULL, NULL);
    CHECK_INT(rc, SQLITE_OK);
    CHECK_INT(sqlite3_exec(h,
        "INSERT INTO alerts(id, fingerprint, source, title, severity, status, count, first_seen, last_seen, seq,"
        " last_seq) VALUES (1, 'aaaa', 'am-eu', 'old firing', 'SEV3', 'firing', 7, 1, 2, 1, 1),"
        " (2, 'bbbb', 'am-eu', 'old resolved', 'SEV3', 'resolved', 1, 1, 2, 1, 1);"
        "PRAGMA user_version = 1; PRAGMA application_id = 1465012045; COMMIT", /* "WROM" */
        NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    wr_error err = {0};
    wr_store *st = wr_store_open(path, 0, &err);
    CHECK(st != NULL);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        free(path);
        return;
    }
    CHECK_INT(wr_store_user_version(st), WR_SCHEMA_VERSION);
    CHECK_INT(sql_int("v1.db", "SELECT count(*) FROM alerts WHERE notes = '[]'"), 2);
    CHECK_INT(sql_int("v1.db", "SELECT count FROM alerts WHERE id = 1"), 7);
    CHECK_INT(sql_int("v1.db", "SELECT count(*) FROM sqlite_schema WHERE name = 'alerts_firing' AND sql LIKE"
                               "'%(source, fingerprint)%'"), 1);
    /* The same fingerprint from another source is another alert now; from the same source it folds. */
    const char *other = "{\"alerts\":[{\"status\":\"firing\",\"fingerprint\":\"aaaa\",\"labels\":{\"alertname\":\"x\"}}]}";
    wr_intake t;
    CHECK_INT(take(st, other, "am-us", 0, &t), WR_OK);
    CHECK_INT(t.outcome.new_, 1);
    wr_intake_free(&t);
    CHECK_INT(take(st, other, "am-eu", 0, &t), WR_OK);
    CHECK_INT(t.outcome.folded, 1);
    wr_intake_free(&t);
    CHECK_INT(sql_int("v1.db", "SELECT count FROM alerts WHERE id = 1"), 8);
    wr_store_close(st);
    free(path);
}

int main(int argc, char **argv)
{
    wr_actor_set(&alice, "alice", "alice", "tty pts/1", "bastion");
    parser = wr_alert_parser_new();
    if (argc == 5 && strcmp(argv[1], "--take") == 0)
        return take_file(argv[2], argv[3], atoll(argv[4]));
    snprintf(dir, sizeof dir, "/tmp/wr-test-intake-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    wr_clock_set_fixed(1772355600000LL, 1); /* 2026-03-01T09:00:00Z */
    test_folding();
    test_sources_and_acceptance();
    test_cut_and_repair();
    test_large();
    test_batches_all_or_nothing();
    test_migration();
    wr_alert_parser_free(parser);
    wr_actor_free(&alice);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
