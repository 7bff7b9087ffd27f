/* SPDX-License-Identifier: MIT */
/* Alerts: the two JSON shapes (with a real-looking Alertmanager payload), fingerprints, severities, rejected
 * documents, stream splitting, noise rules, and the store: folding, resolution, triage, conflicts, rebuild. */
#include "check.h"
#include "warroom/alert.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/util.h"
#include "warroom/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];
static wr_actor alice, bob;

static char *slurp(const char *rel)
{
    const char *src = getenv("WARROOM_SRCDIR");
    char *path = wr_xasprintf("%s/%s", src ? src : ".", rel);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f)
        return NULL;
    wr_buf b = {0};
    char tmp[4096];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
        wr_buf_append(&b, tmp, got);
    fclose(f);
    return wr_buf_steal(&b);
}

static int parse(wr_alert_parser *p, const char *doc, wr_alert_batch *b, wr_buf *why)
{
    wr_buf_reset(why);
    return wr_alert_parse(p, doc, strlen(doc), NULL, b, why);
}

static void expect_reject(wr_alert_parser *p, const char *doc, const char *want)
{
    wr_alert_batch b;
    wr_buf why = {0};
    int rc = parse(p, doc, &b, &why);
    CHECK_INT(rc, -1);
    CHECK_INT(b.n, 0);
    if (!strstr(wr_buf_str(&why), want)) {
        check_failed++;
        fprintf(stderr, "reject [%s]: expected [%s], got [%s]\n", doc, want, wr_buf_str(&why));
    } else {
        check_passed++;
    }
    wr_buf_free(&why);
}

static void test_own_shape(void)
{
    wr_alert_parser *p = wr_alert_parser_new();
    wr_alert_batch b;
    wr_buf why = {0};
    CHECK_INT(parse(p, "{\"source\":\"grafana\",\"title\":\"High 5xx rate\",\"severity\":\"critical\","
                       "\"labels\":{\"service\":\"api\",\"env\":\"prod\"},\"status\":\"firing\","
                       "\"starts_at\":\"2026-03-01T09:00:00Z\",\"url\":\"https://g/d/1\",\"description\":\"d\"}",
                    &b, &why), 0);
    CHECK_INT(b.n, 1);
    CHECK_STR(b.format, "warroom");
    wr_alert *a = &b.v[0];
    CHECK_STR(a->severity, "SEV1");
    CHECK_STR(a->severity_raw, "critical");
    CHECK_STR(a->status, "firing");
    CHECK_INT(a->nlabels, 2);
    CHECK_STR(a->label_keys[0], "env"); /* sorted */
    CHECK_STR(wr_alert_label(a, "service"), "api");
    CHECK_INT(a->starts_at, 1772355600000LL);
    CHECK_INT(strlen(a->fingerprint), 16);
    char *lj = wr_alert_labels_json(a);
    CHECK_STR(lj, "{\"env\":\"prod\",\"service\":\"api\"}");
    free(lj);
    char fp1[17];
    snprintf(fp1, sizeof fp1, "%s", a->fingerprint);
    wr_alert_batch_free(&b);
    /* Same source and labels in another order: same fingerprint. Another source: another one. */
    CHECK_INT(parse(p, "{\"source\":\"grafana\",\"title\":\"other title\",\"labels\":{\"env\":\"prod\",\"service\":\"api\"}}",
                    &b, &why), 0);
    CHECK_STR(b.v[0].fingerprint, fp1);
    CHECK_STR(b.v[0].severity, "SEV3"); /* default */
    wr_alert_batch_free(&b);
    CHECK_INT(parse(p, "{\"source\":\"grafana2\",\"title\":\"t\",\"labels\":{\"env\":\"prod\",\"service\":\"api\"}}",
                    &b, &why), 0);
    CHECK(strcmp(b.v[0].fingerprint, fp1) != 0);
    wr_alert_batch_free(&b);
    /* A given fingerprint is kept; a long title is cut at a character boundary. */
    wr_buf longt = {0};
    for (int i = 0; i < 150; i++)
        wr_buf_puts(&longt, "\xc3\xa9"); /* é: 300 bytes */
    char *doc = wr_xasprintf("{\"source\":\"s\",\"title\":\"%s\",\"fingerprint\":\"abc:123\"}", wr_buf_str(&longt));
    CHECK_INT(parse(p, doc, &b, &why), 0);
    CHECK_STR(b.v[0].fingerprint, "abc:123");
    CHECK(strlen(b.v[0].title) <= WR_ALERT_TITLE_MAX);
    CHECK(strstr(b.v[0].title, "\xe2\x80\xa6") != NULL);
    wr_alert_batch_free(&b);
    free(doc);
    wr_buf_free(&longt);
    /* --source fills in a missing source. */
    wr_buf_reset(&why);
    CHECK_INT(wr_alert_parse(p, "{\"title\":\"t\"}", 13, "cron", &b, &why), 0);
    CHECK_STR(b.v[0].source, "cron");
    wr_alert_batch_free(&b);

    expect_reject(p, "not json", "not valid JSON");
    expect_reject(p, "[1,2]", "expected a JSON object with 'alerts' or 'title'");
    expect_reject(p, "{\"name\":\"x\"}", "expected a JSON object with 'alerts' or 'title'");
    expect_reject(p, "{\"title\":\"t\"}", "missing 'source'");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"  \"}", "'title' must not be empty");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\",\"severty\":\"low\"}",
                  "unknown key 'severty' (did you mean 'severity'?)");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\",\"severity\":\"urgent\"}", "unknown 'severity' \"urgent\"");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\",\"status\":\"open\"}", "'status' must be");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\",\"labels\":{\"a\":1}}", "label 'a' must be a string");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\",\"labels\":[\"a\"]}", "'labels' must be an object");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\",\"labels\":{\"a\":\"1\",\"a\":\"2\"}}", "has the key 'a' twice");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\",\"title\":\"u\"}", "the key 'title' twice");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\",\"starts_at\":\"yesterday\"}", "'starts_at' is not a time");
    expect_reject(p, "{\"source\":\"s\",\"title\":7}", "'title' must be a string");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\",\"fingerprint\":\"a b\"}", "'fingerprint' must be");
    expect_reject(p, "{\"source\":\"s\",\"title\":\"t\\u0000x\"}", "NUL");
    const char nul[] = "{\"source\":\"s\",\"title\":\"t\"}\0";
    wr_buf_reset(&why);
    CHECK_INT(wr_alert_parse(p, nul, sizeof nul - 1, NULL, &b, &why), -1);
    CHECK(strstr(wr_buf_str(&why), "NUL") != NULL);
    /* Severity words */
    CHECK_STR(wr_alert_severity("Warning"), "SEV3");
    CHECK_STR(wr_alert_severity("sev2"), "SEV2");
    CHECK_STR(wr_alert_severity("info"), "SEV5");
    CHECK(wr_alert_severity("urgent") == NULL);
    wr_buf_free(&why);
    wr_alert_parser_free(p);
}

static void test_alertmanager(void)
{
    wr_alert_parser *p = wr_alert_parser_new();
    char *doc = slurp("tests/data/alerts/alertmanager-firing.json");
    CHECK(doc != NULL);
    if (!doc)
        return;
    wr_alert_batch b;
    wr_buf why = {0};
    CHECK_INT(parse(p, doc, &b, &why), 0);
    CHECK_STR(b.format, "alertmanager");
    CHECK_INT(b.n, 3);
    if (b.n == 3) {
        CHECK_STR(b.v[0].title, "Pod is crash looping.");
        CHECK_STR(b.v[0].source, "alertmanager");
        CHECK_STR(b.v[0].fingerprint, "3a6d5e3c5b6a1f42");
        CHECK_STR(b.v[0].severity, "SEV3");
        CHECK_STR(b.v[0].severity_raw, "warning");
        CHECK_STR(wr_alert_label(&b.v[0], "namespace"), "payments");
        CHECK_INT(b.v[0].starts_at, 1772355151862LL); /* 2026-03-01T08:52:31.862Z */
        CHECK_INT(b.v[0].ends_at, 0);                 /* Go's zero time */
        CHECK(strstr(b.v[0].url, "https://prometheus.example.net/graph?") == b.v[0].url);
        CHECK(strstr(b.v[0].description, "CrashLoopBackOff") != NULL);
        CHECK(strstr(b.v[0].annotations, "\"runbook_url\":") != NULL);
        CHECK_STR(b.v[1].severity, "SEV1");
        CHECK_STR(b.v[1].title, "Root account console login from an unknown address");
        CHECK_STR(b.v[2].severity, "SEV5");
    }
    wr_alert_batch_free(&b);
    /* The same on one line, with --source. */
    char *line = slurp("tests/data/alerts/alertmanager-firing.jsonl");
    wr_buf_reset(&why);
    CHECK_INT(wr_alert_parse(p, line, strlen(line), "am-eu", &b, &why), 0);
    CHECK_INT(b.n, 3);
    CHECK_STR(b.v[0].source, "am-eu");
    wr_alert_batch_free(&b);
    free(line);
    free(doc);
    expect_reject(p, "{\"version\":\"3\",\"alerts\":[]}", "unsupported Alertmanager payload version");
    expect_reject(p, "{\"version\":\"4\",\"alerts\":{}}", "'alerts' must be a list");
    expect_reject(p, "{\"version\":\"4\",\"alerts\":[1]}", "alerts[0] must be a JSON object");
    expect_reject(p, "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{}},{\"status\":\"x\","
                     "\"labels\":{}}]}", "alerts[1]: 'status' must be");
    expect_reject(p, "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\"}]}", "alerts[0]: 'labels' must be");
    expect_reject(p, "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"soon\"}]}",
                  "alerts[0]: 'startsAt' is not a time");
    /* An empty group is fine (nothing to record); a missing summary falls back to alertname. */
    CHECK_INT(parse(p, "{\"version\":\"4\",\"alerts\":[]}", &b, &why), 0);
    CHECK_INT(b.n, 0);
    wr_alert_batch_free(&b);
    CHECK_INT(parse(p, "{\"alerts\":[{\"status\":\"resolved\",\"labels\":{\"alertname\":\"DiskFull\"}}]}", &b, &why), 0);
    CHECK_STR(b.v[0].title, "DiskFull");
    CHECK_STR(b.v[0].status, "resolved");
    CHECK_INT(strlen(b.v[0].fingerprint), 16);
    wr_alert_batch_free(&b);
    wr_buf_free(&why);
    wr_alert_parser_free(p);
}

/* ---- splitting ---- */

typedef struct docs {
    wr_buf log;
} docs;

static void on_doc(const char *doc, size_t len, long line, const char *error, void *ctx)
{
    docs *d = ctx;
    (void)doc;
    if (error)
        wr_buf_printf(&d->log, "%ld:ERR %s\n", line, error);
    else
        wr_buf_printf(&d->log, "%ld:%zu\n", line, len);
}

static char *split(const char *in, size_t len, size_t chunk)
{
    docs d = {{0}};
    wr_alert_splitter s;
    wr_alert_split_init(&s, on_doc, &d);
    for (size_t i = 0; i < len; i += chunk)
        wr_alert_split_feed(&s, in + i, len - i < chunk ? len - i : chunk);
    wr_alert_split_finish(&s);
    return wr_buf_steal(&d.log);
}

static void test_split(void)
{
    const char *in = "{\"a\":1}\r\n\n   \n{\n  \"b\": 2\n}\nxx\n  {  \n}\n{\"c\":3}";
    char *want = split(in, strlen(in), 1000);
    CHECK_STR(want, "1:7\n4:13\n7:2\n8:4\n10:7\n");
    for (size_t chunk = 1; chunk < 8; chunk++) {
        char *got = split(in, strlen(in), chunk);
        CHECK_STR(got, want);
        free(got);
    }
    free(want);
    char *u = split("{\n \"a\": 1\n", 10, 3);
    CHECK(strstr(u, "1:ERR unterminated document") != NULL);
    free(u);
    /* A line over 32 MiB is rejected by number, and the next line still counts. */
    size_t big = WR_ALERT_MAX_DOC + 10;
    char *huge = wr_xmalloc(big + 20);
    memset(huge, 'x', big);
    memcpy(huge + big, "\n{\"t\":1}\n", 9);
    char *got = split(huge, big + 9, 4096);
    CHECK_STR(got, "1:ERR line too long (at most 32 MiB)\n2:7\n");
    free(got);
    free(huge);
}

/* ---- noise rules ---- */

static wr_alert mk(const char *source, const char *sev, const char *k1, const char *v1, const char *k2,
                   const char *v2)
{
    wr_alert a = {0};
    a.source = wr_xstrdup(source);
    a.title = wr_xstrdup("t");
    a.severity = wr_xstrdup(sev);
    a.status = wr_xstrdup("firing");
    const char *k[2] = {k1, k2}, *v[2] = {v1, v2};
    wr_alert_set_labels(&a, k, v, k2 ? 2 : k1 ? 1 : 0);
    return a;
}

static void test_rules(void)
{
    const char *y = "rules:\n"
                    "  - name: staging\n"
                    "    match: {env: staging}\n"
                    "    action: drop\n"
                    "  - name: watchdog\n"
                    "    match_re: {alertname: \"Watchdog|InfoInhibitor\"}\n"
                    "    action: drop\n"
                    "  - name: ci-disks\n"
                    "    source: alertmanager\n"
                    "    match: {alertname: DiskSpaceLow}\n"
                    "    match_re: {instance: \"ci-.*\"}\n"
                    "    action: lower\n"
                    "    severity: SEV4\n"
                    "  - name: no-team\n"
                    "    match: {team: \"\"}\n"
                    "    action: lower\n"
                    "    severity: SEV2\n";
    wr_buf err = {0};
    wr_alert_rules *r = wr_alert_rules_load_mem("alert-rules.yaml", y, strlen(y), &err);
    CHECK(r != NULL);
    if (!r) {
        fprintf(stderr, "%s", wr_buf_str(&err));
        return;
    }
    CHECK_INT(r->n, 4);
    const wr_alert_rule *m;
    wr_alert a = mk("x", "SEV1", "env", "staging", "team", "t");
    CHECK_INT(wr_alert_rules_apply(r, &a, &m), 1);
    CHECK_STR(m->name, "staging");
    wr_alert_clear(&a);
    a = mk("x", "SEV1", "alertname", "Watchdog", "team", "t");
    CHECK_INT(wr_alert_rules_apply(r, &a, &m), 1);
    wr_alert_clear(&a);
    a = mk("x", "SEV1", "alertname", "Watchdogs", "team", "t"); /* anchored: no partial match */
    CHECK_INT(wr_alert_rules_apply(r, &a, &m), 0);
    CHECK(m == NULL);
    wr_alert_clear(&a);
    a = mk("alertmanager", "SEV1", "alertname", "DiskSpaceLow", "instance", "ci-runner-3");
    CHECK_INT(wr_alert_rules_apply(r, &a, &m), 0);
    CHECK_STR(m->name, "ci-disks");
    CHECK_STR(a.severity, "SEV4");
    CHECK_STR(a.rule, "ci-disks");
    wr_alert_clear(&a);
    a = mk("alertmanager", "SEV5", "alertname", "DiskSpaceLow", "instance", "ci-runner-3");
    CHECK_INT(wr_alert_rules_apply(r, &a, &m), 0);
    CHECK_STR(a.severity, "SEV5"); /* lower never raises */
    wr_alert_clear(&a);
    a = mk("grafana", "SEV1", "alertname", "DiskSpaceLow", "instance", "ci-runner-3"); /* other source */
    CHECK_INT(wr_alert_rules_apply(r, &a, &m), 0);
    CHECK_STR(m->name, "no-team"); /* a missing label reads as "" */
    CHECK_STR(a.severity, "SEV2");
    wr_alert_clear(&a);
    wr_alert_rules_free(r);

    static const struct {
        const char *yaml, *want;
    } bad[] = {
        {"rules:\n  - name: a\n    match_re: {x: \"(\"}\n    action: drop\n", "alert-rules.yaml:3:19: invalid regular expression"},
        {"rules:\n  - name: a\n    mach: {x: y}\n    action: drop\n", "unknown key 'mach' (did you mean 'match'?)"},
        {"rules:\n  - name: a\n    match: {x: y}\n    action: lower\n", "action lower needs 'severity'"},
        {"rules:\n  - name: a\n    match: {x: y}\n    action: drop\n    severity: SEV4\n", "'severity' is only for action: lower"},
        {"rules:\n  - name: a\n    action: drop\n", "rule 'a' matches every alert"},
        {"rules:\n  - name: a\n    match: {x: y}\n    action: dorp\n", "unknown action 'dorp' (did you mean 'drop'?)"},
        {"rules:\n  - {name: a, match: {x: y}, action: drop}\n  - {name: a, match: {x: z}, action: drop}\n",
         "duplicate rule name 'a'"},
        {"rules:\n  - name: a\n    match: {x: 1}\n    action: lower\n    severity: SEV9\n", "expected SEV1..SEV5"},
        {"rulez: []\n", "unknown key 'rulez'"},
    };
    for (size_t i = 0; i < WR_ARRAY_LEN(bad); i++) {
        wr_buf_reset(&err);
        r = wr_alert_rules_load_mem("alert-rules.yaml", bad[i].yaml, strlen(bad[i].yaml), &err);
        CHECK(r == NULL);
        if (!strstr(wr_buf_str(&err), bad[i].want)) {
            check_failed++;
            fprintf(stderr, "rules %zu: expected [%s], got [%s]\n", i, bad[i].want, wr_buf_str(&err));
        } else {
            check_passed++;
        }
        wr_alert_rules_free(r);
    }
    wr_buf_free(&err);
}

/* ---- the store ---- */

static wr_status intake(wr_store *st, const wr_actor *who, const char *doc, wr_alert_outcome *out)
{
    wr_alert_parser *p = wr_alert_parser_new();
    wr_alert_batch b;
    wr_buf why = {0};
    wr_status s = WR_E_INVALID;
    if (wr_alert_parse(p, doc, strlen(doc), NULL, &b, &why) == 0) {
        wr_opctx o = {st, who, "cli", 0};
        wr_write w;
        wr_error err = {0};
        s = wr_op_alert_intake(&o, b.v, b.n, &w, &err);
        if (s == WR_OK)
            s = wr_store_append(st, &w, 1000, &err);
        if (s == WR_OK && out)
            wr_alert_intake_outcome(st, w.payload, out);
        wr_write_clear(&w);
        wr_alert_batch_free(&b);
    } else {
        fprintf(stderr, "intake parse: %s\n", wr_buf_str(&why));
    }
    wr_buf_free(&why);
    wr_alert_parser_free(p);
    return s;
}

static int64_t count_incidents(wr_store *st)
{
    wr_incident *v;
    size_t n = 0;
    wr_error err = {0};
    if (wr_incident_list(st, 0, &v, &n, &err) == WR_OK)
        wr_incidents_free(v, n);
    return (int64_t)n;
}

static void test_store(void)
{
    char *path = wr_xasprintf("%s/alerts.db", dir);
    wr_error err = {0};
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    if (!st)
        return;
    const char *doc = "{\"source\":\"grafana\",\"title\":\"High 5xx rate\",\"severity\":\"high\","
                      "\"labels\":{\"service\":\"api\"}}";
    wr_alert_outcome o;
    CHECK_INT(intake(st, &alice, doc, &o), WR_OK);
    CHECK_INT(o.new_, 1);
    CHECK_INT(intake(st, &alice, doc, &o), WR_OK);
    CHECK_INT(o.folded, 1);
    CHECK_INT(intake(st, &bob, doc, &o), WR_OK);
    wr_alert_row *v;
    size_t n;
    CHECK_INT(wr_alert_list(st, 0, 0, &v, &n, &err), WR_OK);
    CHECK_INT(n, 1);
    char fp[17] = "";
    if (n == 1) {
        CHECK_INT(v[0].count, 3);
        CHECK_STR(v[0].status, "firing");
        CHECK_STR(v[0].triage, "new");
        CHECK_STR(v[0].severity, "SEV2");
        CHECK(v[0].last_seen > v[0].first_seen);
        snprintf(fp, sizeof fp, "%s", v[0].fingerprint);
    }
    wr_alert_rows_free(v, n);
    /* A more severe repeat raises the folded alert's severity. */
    CHECK_INT(intake(st, &alice, "{\"source\":\"grafana\",\"title\":\"High 5xx rate\",\"severity\":\"critical\","
                                  "\"labels\":{\"service\":\"api\"}}", &o), WR_OK);
    wr_alert_row row;
    CHECK_INT(wr_alert_find(st, fp, &row, &err), WR_OK);
    CHECK_STR(row.severity, "SEV1");
    CHECK_INT(row.count, 4);
    wr_alert_row_clear(&row);
    /* Resolved, then a repeat of the resolution, then firing again: a new firing of the same alert. */
    const char *res = "{\"source\":\"grafana\",\"title\":\"x\",\"status\":\"resolved\",\"labels\":{\"service\":\"api\"}}";
    CHECK_INT(intake(st, &alice, res, &o), WR_OK);
    CHECK_INT(o.resolved, 1);
    CHECK_INT(intake(st, &alice, res, &o), WR_OK);
    CHECK_INT(o.duplicate, 1);
    CHECK_INT(wr_alert_find(st, fp, &row, &err), WR_OK);
    CHECK_STR(row.status, "resolved");
    CHECK(row.resolved_at > 0);
    wr_alert_row_clear(&row);
    CHECK_INT(intake(st, &alice, doc, &o), WR_OK);
    CHECK_INT(o.refired, 1);
    CHECK_INT(wr_alert_list(st, WR_ALERTS_ALL, 0, &v, &n, &err), WR_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_INT(v[0].id, 1);
        CHECK_STR(v[0].status, "firing");
        CHECK_INT(v[0].count, 5);
        CHECK_INT(v[0].resolved_at, 0);
    }
    wr_alert_rows_free(v, n);
    /* The Alertmanager fixture: three alerts in one event. */
    char *am = slurp("tests/data/alerts/alertmanager-firing.jsonl");
    CHECK_INT(intake(st, &alice, am, &o), WR_OK);
    CHECK_INT(o.new_, 3);
    free(am);
    int64_t waiting = 0, firing = 0;
    CHECK_INT(wr_alert_pending(st, &waiting, &firing, &err), WR_OK);
    CHECK_INT(waiting, 4);
    CHECK_INT(firing, 4);

    /* Finding: newest occurrence by full fingerprint, by prefix, #ID; ambiguity and absence. */
    CHECK_INT(wr_alert_find(st, fp, &row, &err), WR_OK);
    CHECK_INT(row.id, 1);
    wr_alert_row_clear(&row);
    CHECK_INT(wr_alert_find(st, "b41c", &row, &err), WR_OK);
    CHECK_STR(row.fingerprint, "b41c07e0c2d9f8a1");
    wr_alert_row_clear(&row);
    CHECK_INT(wr_alert_find(st, "#1", &row, &err), WR_OK);
    CHECK_STR(row.status, "firing");
    wr_alert_row_clear(&row);
    CHECK_INT(wr_alert_find(st, "zzzz", &row, &err), WR_E_NOTFOUND);
    CHECK_INT(wr_alert_find(st, "#99", &row, &err), WR_E_NOTFOUND);

    /* Declare from the root-login alert: one event makes the incident and links the alert. */
    CHECK_INT(wr_alert_find(st, "b41c07e0c2d9f8a1", &row, &err), WR_OK);
    wr_opctx ca = {st, &alice, "cli", 0}, cb = {st, &bob, "cli", 0};
    wr_write w;
    int64_t inc = 0, seq = 0;
    CHECK_INT(wr_op_alert_declare(&ca, &row, NULL, "security", "real", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, &seq, &inc, &err), WR_OK);
    CHECK_INT(inc, 1);
    wr_incident i;
    CHECK_INT(wr_incident_get(st, inc, &i, &err), WR_OK);
    CHECK_STR(i.title, "Root account console login from an unknown address");
    CHECK_STR(i.severity, "SEV1");
    wr_incident_clear(&i);
    char *json = NULL;
    CHECK_INT(wr_incident_json(st, inc, 1, &json, &err), WR_OK);
    CHECK(json && strstr(json, "\"source_ip\":\"203.0.113.77\"") != NULL); /* its details are in the timeline */
    free(json);
    /* Bob declares from it too: refused, and no second incident appears. */
    CHECK_INT(wr_op_alert_declare(&cb, &row, NULL, NULL, "real", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_E_CONFLICT);
    CHECK(strstr(err.msg, "already declared as INC-1 by alice") != NULL);
    CHECK_INT(count_incidents(st), 1);
    /* Attaching it elsewhere or dismissing it: refused too. */
    CHECK_INT(wr_op_declare(&cb, "Other", "SEV3", NULL, "real", &w, &err), WR_OK);
    int64_t other = 0;
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, &other, &err), WR_OK);
    CHECK_INT(wr_op_alert_attach(&cb, &row, other, &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_E_CONFLICT);
    CHECK_INT(wr_op_alert_dismiss(&cb, &row, "noise", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_E_CONFLICT);
    CHECK(strstr(err.msg, "part of INC-1") != NULL);
    wr_alert_row_clear(&row);
    /* Dismiss the crash-looping pod (needs a reason), then attach it after all. */
    CHECK_INT(wr_alert_find(st, "3a6d5e3c5b6a1f42", &row, &err), WR_OK);
    CHECK_INT(wr_op_alert_dismiss(&cb, &row, "  ", &w, &err), WR_E_INVALID);
    CHECK_INT(wr_op_alert_dismiss(&cb, &row, "known deploy issue", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
    CHECK_INT(wr_op_alert_dismiss(&ca, &row, "again", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_E_CONFLICT);
    CHECK(strstr(err.msg, "already dismissed by bob") != NULL);
    CHECK_INT(wr_op_alert_attach(&ca, &row, other, &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, &seq, NULL, &err), WR_OK);
    CHECK_INT(wr_op_alert_attach(&ca, &row, 999, &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_E_NOTFOUND);
    wr_alert_row_clear(&row);
    CHECK_INT(wr_alert_list(st, 0, other, &v, &n, &err), WR_OK);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(v[0].triage, "attached");
    wr_alert_rows_free(v, n);
    CHECK_INT(wr_alert_pending(st, &waiting, &firing, &err), WR_OK);
    CHECK_INT(waiting, 2);
    /* The attach event describes itself. */
    wr_event ev = {0};
    ev.kind = "alert.attached";
    char *pl = NULL;
    CHECK_INT(wr_incident_json(st, other, 1, &pl, &err), WR_OK);
    free(pl);
    ev.payload = "{\"alert\":5,\"fingerprint\":\"3a6d5e3c5b6a1f42\",\"title\":\"Pod is crash looping.\","
                 "\"severity\":\"SEV3\",\"source\":\"alertmanager\",\"count\":1,\"labels\":{\"title\":\"no\"}}";
    char *d = wr_event_describe(&ev);
    CHECK_STR(d, "alert attached: [SEV3] Pod is crash looping. (alertmanager, 3a6d5e3c5b6a1f42, seen 1 time)");
    free(d);
    ev.kind = "alert.unheard-of"; /* a kind this warroom does not know: described by its name */
    d = wr_event_describe(&ev);
    CHECK_STR(d, "alert.unheard-of");
    free(d);

    /* Dropped counts add up. */
    const char *rules[] = {"staging", "watchdog"};
    int64_t counts[] = {2, 1}, more[] = {3, 0};
    CHECK_INT(wr_alert_count_drops(st, rules, counts, 2, 1000, &err), WR_OK);
    CHECK_INT(wr_alert_count_drops(st, rules, more, 2, 1000, &err), WR_OK);
    wr_alert_drop *dv;
    size_t nd;
    CHECK_INT(wr_alert_drops(st, &dv, &nd, &err), WR_OK);
    CHECK_INT(nd, 2);
    if (nd == 2) {
        CHECK_STR(dv[0].rule, "staging");
        CHECK_INT(dv[0].count, 5);
        CHECK_INT(dv[1].count, 1);
    }
    wr_alert_drops_free(dv, nd);

    /* The log is the truth: a rebuild gives the same alerts. */
    char *before = NULL, *after = NULL;
    CHECK_INT(wr_alert_list_json(st, WR_ALERTS_ALL, 0, &before, &err), WR_OK);
    CHECK_INT(wr_store_rebuild(st, &err), WR_OK);
    CHECK_INT(wr_alert_list_json(st, WR_ALERTS_ALL, 0, &after, &err), WR_OK);
    CHECK_STR(after, before);
    CHECK(before && strstr(before, "\"triage\":\"declared\",\"incident\":\"INC-1\"") != NULL);
    free(before);
    free(after);
    wr_store_close(st);
    free(path);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wr-test-alert-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    wr_clock_set_fixed(1772355600000LL, 1); /* 2026-03-01T09:00:00Z */
    wr_actor_set(&alice, "alice", "alice", "tty pts/1", "bastion");
    wr_actor_set(&bob, "bob", "bob", "ssh 10.0.0.7 pts/2", "bastion");
    test_own_shape();
    test_alertmanager();
    test_split();
    test_rules();
    test_store();
    wr_actor_free(&alice);
    wr_actor_free(&bob);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
