/* SPDX-License-Identifier: MIT */
/* Lifecycle: transition rules, milestones set by status and by hand (and refused out of order), merges,
 * assets and indicators, required roles, role history, metrics, decision frames; and that the
 * state rebuilt from the log is the same. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/lifecycle.h"
#include "warroom/policy.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1772355600000LL /* 2026-03-01T09:00:00Z */
#define MIN 60000LL

static char dir[256];
static wr_actor alice, bob;
static wr_store *st;

static wr_status run(wr_status prepared, wr_write *w, wr_error *err)
{
    if (prepared != WR_OK)
        return prepared;
    return wr_op_commit(st, w, 1000, NULL, NULL, err);
}

static wr_opctx at(const wr_actor *who, int64_t minute)
{
    wr_opctx c = {st, who, "cli", T0 + minute * MIN};
    return c;
}

static wr_status status(int64_t inc, int64_t minute, const char *s, int64_t into, const char *reason, int force,
                        wr_error *err)
{
    wr_opctx c = at(&alice, minute);
    wr_write w;
    return run(wr_op_status(&c, inc, s, into, reason, force, &w, err), &w, err);
}

static void test_transition_rules(void)
{
    wr_error e;
    const char *why = e.msg;
    CHECK(wr_status_transition_check("triage", "containment", &e) == WR_OK);
    CHECK(wr_status_transition_check("triage", "resolved", &e) == WR_OK); /* phases may be skipped */
    CHECK(wr_status_transition_check("recovery", "containment", &e) == WR_OK); /* and gone back to */
    CHECK(wr_status_transition_check("resolved", "containment", &e) == WR_OK); /* reopened */
    CHECK(wr_status_transition_check("resolved", "closed", &e) == WR_OK);
    CHECK(wr_status_transition_check("lessons-learned", "closed", &e) == WR_OK);
    CHECK(wr_status_transition_check("triage", "declined", &e) == WR_OK);
    CHECK(wr_status_transition_check("eradication", "cancelled", &e) == WR_OK);
    CHECK(wr_status_transition_check("resolved", "merged", &e) == WR_OK);
    CHECK(wr_status_transition_check("containment", "closed", &e) == WR_E_INVALID);
    CHECK(strstr(why, "resolved or lessons-learned") != NULL);
    CHECK(wr_status_transition_check("containment", "lessons-learned", &e) == WR_E_INVALID);
    CHECK(wr_status_transition_check("containment", "declined", &e) == WR_E_INVALID);
    CHECK(wr_status_transition_check("resolved", "cancelled", &e) == WR_E_INVALID);
    CHECK(wr_status_transition_check("closed", "triage", &e) == WR_E_INVALID);
    CHECK(strstr(why, "--force") != NULL);
    CHECK(wr_status_transition_check("merged", "triage", &e) == WR_E_INVALID);
    CHECK(wr_status_transition_check("triage", "triage", &e) == WR_E_INVALID);
    CHECK(wr_status_transition_check("triage", "done", &e) == WR_E_INVALID);
}

static int64_t declare(const char *title, const char *sev, int64_t minute, int64_t started, int64_t detected)
{
    wr_opctx c = at(&alice, minute);
    wr_write w;
    wr_error err = {0};
    int64_t id = 0;
    CHECK_INT(wr_op_declare_at(&c, title, sev, "security", NULL, started, detected, &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, &id, &err), WR_OK);
    return id;
}

static void test_milestones(void)
{
    wr_error err = {0};
    wr_write w;
    /* started after detected: refused before anything is written */
    wr_opctx c = at(&alice, 0);
    CHECK_INT(wr_op_declare_at(&c, "x", "SEV2", NULL, NULL, T0 - 5 * MIN, T0 - 10 * MIN, &w, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "detected 08:50 is before started 08:55") != NULL);
    int64_t inc = declare("Leaked key", "SEV2", 0, T0 - 30 * MIN, T0 - 10 * MIN);
    wr_milestones m;
    CHECK_INT(wr_milestones_get(st, inc, &m, &err), WR_OK);
    CHECK(m.at[WR_MS_STARTED] == T0 - 30 * MIN && m.at[WR_MS_DETECTED] == T0 - 10 * MIN);
    CHECK(m.at[WR_MS_DECLARED] == T0);
    CHECK_STR(m.source[WR_MS_DECLARED], "declare");
    CHECK(m.at[WR_MS_ACKNOWLEDGED] == 0);

    /* The first incident commander acknowledges; a handover (by the commander) does not move it. */
    wr_opctx c5 = at(&alice, 5), c6 = at(&alice, 6);
    CHECK_INT(run(wr_op_assign(&c5, inc, "incident-commander", "alice", 0, &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_assign(&c6, inc, "IC", "bob", 0, &w, &err), &w, &err), WR_OK);
    /* alice stays on as the deputy: she may still end the incident (the policy) */
    CHECK_INT(run(wr_op_assign(&c6, inc, "deputy", "alice", 0, &w, &err), &w, &err), WR_OK);
    wr_milestones_get(st, inc, &m, &err);
    CHECK(m.at[WR_MS_ACKNOWLEDGED] == T0 + 5 * MIN);
    CHECK_STR(m.source[WR_MS_ACKNOWLEDGED], "role");

    /* Status passes milestones: eradication means contained. */
    CHECK_INT(status(inc, 10, "containment", 0, NULL, 0, &err), WR_OK);
    CHECK_INT(status(inc, 40, "eradication", 0, NULL, 0, &err), WR_OK);
    wr_milestones_get(st, inc, &m, &err);
    CHECK(m.at[WR_MS_CONTAINED] == T0 + 40 * MIN);
    CHECK(m.at[WR_MS_RECOVERED] == 0);
    /* Closing from eradication is against the rules, and nothing changes. */
    CHECK_INT(status(inc, 41, "closed", 0, NULL, 0, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "from eradication to closed") != NULL);
    CHECK_INT(status(inc, 41, "closed", 0, NULL, 1, &err), WR_E_INVALID); /* --force needs a reason */

    /* Backfill the real containment time, with a reason; out of order is refused naming both. */
    wr_opctx c50 = at(&alice, 50);
    CHECK_INT(run(wr_op_milestone(&c50, inc, "contained", T0 - 20 * MIN, "key disabled at 08:40", &w, &err), &w,
                  &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "contained 08:40 is before detected 08:50") != NULL);
    CHECK_INT(wr_op_milestone(&c50, inc, "contained", T0 + 35 * MIN, NULL, &w, &err), WR_E_INVALID); /* reason */
    CHECK_INT(wr_op_milestone(&c50, inc, "contained", T0 + 90 * MIN, "x", &w, &err), WR_E_INVALID); /* future */
    CHECK(strstr(err.msg, "future") != NULL);
    CHECK_INT(wr_op_milestone(&c50, inc, "contianed", T0, "x", &w, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "did you mean contained") != NULL);
    CHECK_INT(run(wr_op_milestone(&c50, inc, "contained", T0 + 35 * MIN, "key disabled at 09:35", &w, &err), &w,
                  &err), WR_OK);
    wr_milestones_get(st, inc, &m, &err);
    CHECK(m.at[WR_MS_CONTAINED] == T0 + 35 * MIN);
    CHECK_STR(m.source[WR_MS_CONTAINED], "manual");
    CHECK_INT(run(wr_op_milestone(&c50, inc, "contained", T0 + 35 * MIN, "again", &w, &err), &w, &err),
              WR_E_CONFLICT);

    /* Resolve; then the problem comes back: automatic times after containment are cleared, the one set by
     * hand stays. */
    CHECK_INT(status(inc, 60, "resolved", 0, NULL, 0, &err), WR_OK);
    wr_milestones_get(st, inc, &m, &err);
    CHECK(m.at[WR_MS_RECOVERED] == T0 + 60 * MIN && m.at[WR_MS_RESOLVED] == T0 + 60 * MIN);
    CHECK_INT(status(inc, 70, "containment", 0, NULL, 0, &err), WR_OK);
    wr_milestones_get(st, inc, &m, &err);
    CHECK(m.at[WR_MS_RESOLVED] == 0 && m.at[WR_MS_RECOVERED] == 0);
    CHECK(m.at[WR_MS_CONTAINED] == T0 + 35 * MIN);
    CHECK_INT(status(inc, 80, "resolved", 0, NULL, 0, &err), WR_OK);
    CHECK_INT(status(inc, 90, "lessons-learned", 0, NULL, 0, &err), WR_OK);
    CHECK_INT(status(inc, 100, "closed", 0, NULL, 0, &err), WR_OK);
    wr_milestones_get(st, inc, &m, &err);
    CHECK(m.at[WR_MS_RESOLVED] == T0 + 80 * MIN && m.at[WR_MS_CLOSED] == T0 + 100 * MIN);
    CHECK_INT(wr_milestones_check(m.at, &err), WR_OK);

    /* Metrics from the milestones: from detection (08:50). */
    int64_t met[WR_MET_COUNT];
    wr_metrics_compute(&m, met);
    CHECK(met[WR_MET_DETECT] == 20 * MIN);
    CHECK(met[WR_MET_ACKNOWLEDGE] == 15 * MIN);
    CHECK(met[WR_MET_CONTAIN] == 45 * MIN);
    CHECK(met[WR_MET_RECOVER] == 90 * MIN && met[WR_MET_RESOLVE] == 90 * MIN);

    /* The timeline says what the status change did. */
    wr_event ev = {0};
    ev.kind = "incident.changed";
    ev.payload = "{\"field\":\"status\",\"new\":\"eradication\",\"old\":\"containment\","
                 "\"milestones\":{\"contained\":1772358000000},\"cleared\":[\"resolved\",\"recovered\"]}";
    char *d = wr_event_describe(&ev);
    CHECK_STR(d, "status containment -> eradication; contained 2026-03-01 09:40; cleared resolved recovered");
    free(d);

    /* Closed: reopening needs --force with a reason. */
    CHECK_INT(status(inc, 110, "containment", 0, NULL, 0, &err), WR_E_INVALID);
    CHECK_INT(status(inc, 110, "containment", 0, "it is back", 1, &err), WR_OK);
    wr_milestones_get(st, inc, &m, &err);
    CHECK(m.at[WR_MS_CLOSED] == 0);
}

static int count_kind(int64_t inc, const char *kind)
{
    sqlite3 *db;
    char *p = wr_xasprintf("%s/lc.db", dir);
    sqlite3_open(p, &db);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM events WHERE incident = ?1 AND kind = ?2", -1, &s, NULL);
    sqlite3_bind_int64(s, 1, inc);
    sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    free(p);
    return n;
}

static void test_merge_and_rebuild(void)
{
    wr_error err = {0};
    int64_t a = declare("Duplicate page", "SEV3", 0, 0, 0);
    int64_t b = declare("Real one", "SEV3", 1, 0, 0);
    wr_opctx c = at(&alice, 2);
    wr_write w;
    CHECK_INT(wr_op_set(&c, a, "status", "merged", NULL, 0, 0, &w, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "--into") != NULL);
    CHECK_INT(wr_op_status(&c, a, "merged", 0, NULL, 0, &w, &err), WR_E_INVALID);
    CHECK_INT(wr_op_status(&c, a, "merged", a, NULL, 0, &w, &err), WR_E_INVALID);
    CHECK_INT(status(a, 2, "merged", 999, NULL, 0, &err), WR_E_NOTFOUND);
    CHECK_INT(status(a, 2, "merged", b, "same alert", 0, &err), WR_OK);
    wr_incident i;
    wr_incident_get(st, a, &i, &err);
    CHECK_STR(i.status, "merged");
    CHECK_INT(i.merged_into, b);
    wr_incident_clear(&i);
    CHECK_INT(count_kind(b, "incident.merged-in"), 1);
    /* a merged incident is not a merge target */
    int64_t x = declare("Third", "SEV4", 3, 0, 0);
    CHECK_INT(status(x, 4, "merged", a, NULL, 0, &err), WR_E_INVALID);
    wr_milestones m;
    wr_milestones_get(st, a, &m, &err);
    CHECK(m.at[WR_MS_CLOSED] == T0 + 2 * MIN); /* a side exit closes it */
    CHECK(m.at[WR_MS_ACKNOWLEDGED] == 0);

    /* Assets and indicators. */
    CHECK_INT(run(wr_op_asset(&c, b, "database", "prod-orders", 0, &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_asset(&c, b, "database", "prod-orders", 0, &w, &err), &w, &err), WR_E_CONFLICT);
    CHECK(strstr(err.msg, "added by alice") != NULL);
    CHECK_INT(wr_op_asset(&c, b, "databse", "x", 0, &w, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "did you mean database") != NULL);
    CHECK_INT(run(wr_op_asset(&c, b, "identity", "ci-bot", 0, &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_asset(&c, b, "identity", "ci-bot", 1, &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_asset(&c, b, "identity", "ci-bot", 1, &w, &err), &w, &err), WR_E_NOTFOUND);
    CHECK_INT(run(wr_op_indicator(&c, b, "ip", "2001:DB8::0:1", "scanner", 0, &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_indicator(&c, b, "domain", "Evil.Example.COM.", NULL, 0, &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_indicator(&c, b, "domain", "evil.example.com", NULL, 0, &w, &err), &w, &err),
              WR_E_CONFLICT);
    CHECK_INT(wr_op_indicator(&c, b, "ip", "300.1.1.1", NULL, 0, &w, &err), WR_E_INVALID);
    wr_indicator *ind;
    size_t nind;
    CHECK_INT(wr_indicators_list(st, b, &ind, &nind, &err), WR_OK);
    CHECK_INT(nind, 2);
    if (nind == 2) {
        CHECK_STR(ind[0].value, "evil.example.com");
        CHECK_STR(ind[1].value, "2001:db8::1");
        CHECK_STR(ind[1].note, "scanner");
    }
    wr_indicators_free(ind, nind);
    wr_asset *as;
    size_t nas;
    CHECK_INT(wr_assets_list(st, b, &as, &nas, &err), WR_OK);
    CHECK(nas == 1 && strcmp(as[0].name, "prod-orders") == 0);
    wr_assets_free(as, nas);
    CHECK_INT(run(wr_op_set(&c, b, "decision", "chaotic", NULL, 0, 0, &w, &err), &w, &err), WR_OK);
    CHECK_INT(wr_op_set(&c, b, "decision", "chaos", NULL, 0, 0, &w, &err), WR_E_INVALID);

    /* Rebuild: the same state, and no second merge entry. */
    char *before_a = NULL, *before_b = NULL, *after_a = NULL, *after_b = NULL;
    wr_incident_json(st, a, 1, &before_a, &err);
    wr_incident_json(st, b, 1, &before_b, &err);
    CHECK(before_b && strstr(before_b, "\"prod-orders\"") && strstr(before_b, "\"decision\":\"chaotic\""));
    CHECK(before_a && strstr(before_a, "\"merged_into\":\"INC-"));
    CHECK_INT(wr_store_rebuild(st, &err), WR_OK);
    wr_incident_json(st, a, 1, &after_a, &err);
    wr_incident_json(st, b, 1, &after_b, &err);
    CHECK_STR(after_a, before_a);
    CHECK_STR(after_b, before_b);
    CHECK_INT(count_kind(b, "incident.merged-in"), 1);
    free(before_a);
    free(before_b);
    free(after_a);
    free(after_b);
}

static void test_indicators(void)
{
    static const struct {
        const char *type, *in, *out;
    } ok[] = {
        {"ip", "203.0.113.7", "203.0.113.7"},
        {"cidr", "203.0.113.0/24", "203.0.113.0/24"},
        {"cidr", "2001:db8:0::/48", "2001:db8::/48"},
        {"hash", "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e"},
        {"email", "Bob.Smith@Example.ORG", "Bob.Smith@example.org"},
        {"url", "https://evil.example/x?a=1", "https://evil.example/x?a=1"},
        {"account", "arn:aws:iam::123456789012:user/ci", "arn:aws:iam::123456789012:user/ci"},
        {"file", "/tmp/.x/kinsing", "/tmp/.x/kinsing"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char *out = NULL;
        wr_error why;
        CHECK_INT(wr_indicator_normalize(ok[i].type, ok[i].in, &out, &why), WR_OK);
        CHECK_STR(out, ok[i].out);
        free(out);
    }
    static const struct {
        const char *type, *in;
    } bad[] = {
        {"ip", "1.2.3"},       {"ip", "10.0.0.0/8"},   {"cidr", "10.0.0.0/33"}, {"cidr", "10.0.0.1"},
        {"hash", "abc"},       {"hash", "zz41d8cd98f00b204e9800998ecf8427e"}, {"domain", "localhost"},
        {"domain", "-a.com"},  {"domain", "a..com"},    {"email", "nobody"},    {"email", "a@b"},
        {"url", "evil.com"},   {"url", "http:///x"},   {"account", "two words"}, {"file", "a\x1b[2Jb"},
        {"colour", "red"},     {"other", "   "},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *out = NULL;
        wr_error why = {0};
        wr_status r = wr_indicator_normalize(bad[i].type, bad[i].in, &out, &why);
        if (r != WR_E_INVALID)
            fprintf(stderr, "accepted %s %s\n", bad[i].type, bad[i].in);
        CHECK_INT(r, WR_E_INVALID);
        CHECK(why.msg[0] != '\0');
        free(out);
    }
}

static void test_required_roles(void)
{
    wr_error err = {0};
    int64_t inc = declare("Outage", "SEV1", 0, 0, 0);
    char **ids;
    size_t n;
    CHECK_INT(wr_roles_missing(st, inc, &ids, &n, &err), WR_OK);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_STR(ids[0], "incident-commander");
        CHECK_STR(ids[3], "communications-liaison");
    }
    wr_strv_free(ids, n);
    wr_opctx c = at(&alice, 1);
    wr_write w;
    run(wr_op_assign(&c, inc, "IC", "alice", 0, &w, &err), &w, &err);
    run(wr_op_assign(&c, inc, "scribe", "bob", 0, &w, &err), &w, &err);
    run(wr_op_assign(&c, inc, "responder", "carol", 0, &w, &err), &w, &err);
    wr_roles_missing(st, inc, &ids, &n, &err);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(ids[0], "deputy");
        CHECK_STR(ids[1], "communications-liaison");
    }
    wr_strv_free(ids, n);
    /* SEV3 requires the commander only. */
    run(wr_op_set(&c, inc, "severity", "SEV3", "contained", 0, 0, &w, &err), &w, &err);
    wr_roles_missing(st, inc, &ids, &n, &err);
    CHECK_INT(n, 0);
    wr_strv_free(ids, n);
    /* Handover history. Bob is not the commander: taking over is refused (the policy), unless forced with a
     * reason (an emergency), which the event records. */
    wr_opctx c2 = at(&bob, 20);
    CHECK_INT(run(wr_op_assign(&c2, inc, "IC", "bob", 0, &w, &err), &w, &err), WR_E_DENIED);
    CHECK(strstr(err.msg, "only the incident commander or the deputy") != NULL);
    CHECK(strstr(err.msg, "Incident commander: alice; Deputy: nobody") != NULL);
    CHECK_INT(wr_op_assign(&c2, inc, "IC", "bob", 0, &w, &err), WR_OK);
    wr_op_force(&w, "alice is unreachable");
    CHECK_INT(run(WR_OK, &w, &err), WR_OK);
    wr_role_span *h;
    size_t nh;
    CHECK_INT(wr_role_history(st, inc, &h, &nh, &err), WR_OK);
    CHECK_INT(nh, 4);
    if (nh == 4) {
        CHECK_STR(h[0].holder, "alice");
        CHECK(h[0].to == T0 + 20 * MIN);
        CHECK_STR(h[0].ended_by, "bob");
        CHECK_STR(h[3].holder, "bob");
        CHECK(h[3].to == 0);
    }
    wr_role_history_free(h, nh);
    /* A resolved incident needs nobody. */
    run(wr_op_set(&c, inc, "severity", "SEV1", "worse", 0, 0, &w, &err), &w, &err);
    CHECK_INT(status(inc, 30, "resolved", 0, NULL, 0, &err), WR_E_DENIED); /* alice no longer commands */
    wr_opctx c3 = at(&bob, 30);
    CHECK_INT(run(wr_op_status(&c3, inc, "resolved", 0, NULL, 0, &w, &err), &w, &err), WR_OK);
    wr_roles_missing(st, inc, &ids, &n, &err);
    CHECK_INT(n, 0);
    wr_strv_free(ids, n);
}

static void test_small_things(void)
{
    char buf[40];
    CHECK_STR(wr_lifecycle_duration(45 * MIN - 3, buf, sizeof buf), "45m");
    CHECK_STR(wr_lifecycle_duration(12 * MIN + 30000, buf, sizeof buf), "12m30s");
    CHECK_STR(wr_lifecycle_duration(65 * MIN, buf, sizeof buf), "1h05m");
    CHECK_STR(wr_lifecycle_duration(1499, buf, sizeof buf), "1s");
    CHECK_STR(wr_lifecycle_time(T0 + 5000, buf, sizeof buf), "2026-03-01 09:00:05");
    CHECK_STR(wr_lifecycle_time(T0, buf, sizeof buf), "2026-03-01 09:00");
    int64_t ms;
    wr_clock_set_fixed(T0 + 3 * 3600000LL, 0);
    CHECK_INT(wr_lifecycle_time_parse("10:40", &ms), 0);
    CHECK(ms == T0 + 100 * MIN);
    CHECK_INT(wr_lifecycle_time_parse("2026-02-28T23:00Z", &ms), 0);
    CHECK_INT(wr_lifecycle_time_parse("25:00", &ms), -1);
    CHECK(wr_decision_approach("chaotic") && strstr(wr_decision_approach("chaotic"), "stabilise"));
    CHECK(strstr(wr_decision_approach("complex"), "probe, sense, respond") != NULL);
    CHECK(strstr(wr_decision_approach("clear"), "runbook") != NULL);
    CHECK(wr_decision_approach("") == NULL && wr_decision_approach("simple") == NULL);
    int64_t times[WR_MS_COUNT] = {0, T0 + 55 * MIN, 0, 0, T0 + 40 * MIN, 0, 0, 0};
    wr_error err;
    CHECK_INT(wr_milestones_check(times, &err), WR_E_INVALID);
    CHECK_STR(err.msg, "contained 09:40 is before detected 09:55");
    times[WR_MS_DETECTED] = 0;
    times[WR_MS_CONTAINED] = T0 + 24 * 60 * MIN;
    times[WR_MS_RESOLVED] = T0 + 10 * MIN;
    CHECK_INT(wr_milestones_check(times, &err), WR_E_INVALID);
    CHECK_STR(err.msg, "resolved 2026-03-01 09:10 is before contained 2026-03-02 09:00");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wr-test-lc-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    wr_clock_set_fixed(T0 + 24 * 60 * MIN, 1);
    wr_policy_apply(NULL);
    wr_actor_set(&alice, "alice", "alice", "tty pts/1", "bastion");
    wr_actor_set(&bob, "bob", "bob", "ssh 10.0.0.7 pts/2", "bastion");
    char *p = wr_xasprintf("%s/lc.db", dir);
    wr_error err = {0};
    st = wr_store_open(p, WR_OPEN_CREATE, &err);
    if (!st) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    test_transition_rules();
    test_milestones();
    test_merge_and_rebuild();
    test_indicators();
    test_required_roles();
    test_small_things();
    wr_store_close(st);
    free(p);
    wr_actor_free(&alice);
    wr_actor_free(&bob);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
