/* SPDX-License-Identifier: MIT */
/* Drills: the loader, runbook checks, a run at high speed (events, actors, source "drill", labelled alerts,
 * a refused event that does not stop the run, the stop flag), and replay order with a backfilled entry. */
#include "check.h"
#include "warroom/alert.h"
#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/drill.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/util.h"
#include "warroom/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];
static wr_actor runner;

static const char runbook[] = "id: rb\ntitle: R\nversion: 1\ndescription: d\nowner: o\n"
                              "applies_to: {types: [security], assets: [database]}\nroles: [responder]\n"
                              "phases:\n  detection:\n    - {id: look, title: Look, role: responder}\n"
                              "  containment:\n    - {id: stop, title: Stop, role: responder}\n";

static const char scenario[] = "id: small\n"
                               "title: Small drill\n"
                               "incident: {title: Drill incident, severity: SEV3, type: security}\n"
                               "events:\n"
                               "  - {at: 0s, alert: {source: ids, title: Port scan, severity: low, labels: {host: a}}}\n"
                               "  - {at: 1s, as: ann, assign: {role: incident-commander, user: ann}}\n"
                               "  - {at: 2s, as: ann, attach: rb}\n"
                               "  - {at: 3s, as: ben, status: containment}\n" /* refused: look is open */
                               "  - {at: 4s, as: ben, step: {id: look}}\n"
                               "  - {at: 5s, as: ben, status: containment, reason: looked}\n"
                               "  - {at: 6s, as: ann, note: \"all good\"}\n"
                               "  - {at: 7s, as: ann, severity: SEV1, reason: worse}\n"
                               "  - {at: 8s, alert: {title: Second, attach: false}}\n";

typedef struct said {
    wr_buf log;
    int failed;
} said;

static void say(void *ctx, int64_t at_ms, int64_t incident, const char *line, int failed)
{
    said *s = ctx;
    wr_buf_printf(&s->log, "%lld INC-%lld %s%s\n", (long long)at_ms, (long long)incident, failed ? "! " : "", line);
    s->failed += failed;
}

typedef struct kinds {
    wr_buf b;
} kinds;

static int kind_cb(const wr_event *ev, void *ctx)
{
    kinds *k = ctx;
    wr_buf_printf(&k->b, "%s %s %s;", ev->kind, ev->actor, ev->source);
    return 0;
}

static void test_load_and_run(void)
{
    wr_buf err = {0};
    wr_drill *d = wr_drill_load_mem("small.yaml", scenario, sizeof scenario - 1, &err);
    CHECK(d != NULL);
    if (!d) {
        fprintf(stderr, "%s", wr_buf_str(&err));
        return;
    }
    CHECK_INT(d->nevents, 9);
    CHECK_INT(d->duration_ms, 8000);
    CHECK_STR(d->events[0].alert.severity, "SEV4");
    CHECK(d->events[0].alert.fingerprint == NULL); /* computed per run */
    CHECK_INT(d->events[8].attach_alert, 0);
    CHECK_STR(d->events[8].alert.source, "drill");
    wr_rb_set set = {0};
    set.v = wr_xcalloc(1, sizeof *set.v);
    set.v[0] = wr_runbook_load_mem("rb.yaml", runbook, sizeof runbook - 1, NULL, 0, &err);
    CHECK(set.v[0] != NULL);
    set.n = 1;
    CHECK_INT(wr_drill_check_runbooks(d, &set, &err), 0);

    char *path = wr_xasprintf("%s/drill.db", dir);
    wr_error e = {0};
    wr_store *st = wr_store_open(path, WR_OPEN_CREATE, &e);
    CHECK(st != NULL);
    said s = {{0}, 0};
    wr_drill_runner r = {st, &runner, &set, 1e6, 1000, NULL, say, &s};
    wr_drill_result res;
    CHECK_INT(wr_drill_run(d, &r, &res, &e), WR_OK);
    CHECK_INT(res.incident, 1);
    CHECK_INT(res.failed, 1);
    CHECK_INT(res.written, 10); /* declaration + 8 events + the attach of the first alert - the refused one */
    CHECK_INT(res.stopped, 0);
    CHECK(strstr(wr_buf_str(&s.log), "3000 INC-1 ! ben: status -> containment: REFUSED: INC-1 has 1 mandatory") != NULL);
    wr_incident inc;
    CHECK_INT(wr_incident_get(st, 1, &inc, &e), WR_OK);
    CHECK_STR(inc.kind, "drill");
    CHECK_STR(inc.severity, "SEV1");
    CHECK_STR(inc.status, "containment");
    wr_incident_clear(&inc);
    kinds k = {{0}};
    CHECK_INT(wr_store_events_after(st, 1, 0, 0, kind_cb, &k, &e), WR_OK);
    CHECK_STR(wr_buf_str(&k.b), "incident.declared runner drill;alert.attached runner drill;role.assigned ann drill;"
                                "runbook.attached ann drill;step.changed ben drill;incident.changed ben drill;"
                                "note ann drill;incident.changed ann drill;");
    wr_buf_free(&k.b);
    wr_alert_row *v;
    size_t n;
    CHECK_INT(wr_alert_list(st, WR_ALERTS_ALL, 0, &v, &n, &e), WR_OK);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(v[0].title, "Second");
        CHECK_STR(v[0].triage, "new"); /* attach: false */
        CHECK(strstr(v[1].labels, "\"drill\":\"small\",\"drill_incident\":\"INC-1\"") != NULL);
        CHECK_INT(v[1].incident, 1);
    }
    wr_alert_rows_free(v, n);
    /* A stop flag already set: the declaration is written, nothing else. */
    volatile sig_atomic_t stop = 1;
    r.stop = &stop;
    CHECK_INT(wr_drill_run(d, &r, &res, &e), WR_OK);
    CHECK_INT(res.stopped, 1);
    CHECK_INT(res.written, 1);

    /* Replay: a note backfilled to before the declaration comes first; offsets count from it. */
    wr_opctx o = {st, &runner, "cli", 0};
    wr_write w;
    o.occurred_at = wr_clock_now_ms() - 600000;
    CHECK_INT(wr_op_note(&o, 1, "earlier", &w, &e), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &e), WR_OK);
    wr_replay rp;
    CHECK_INT(wr_replay_load(st, 1, &rp, &e), WR_OK);
    CHECK_INT(rp.n, 9);
    if (rp.n == 9) {
        CHECK_STR(rp.v[0].kind, "note");
        CHECK_INT(rp.offset_ms[0], 0);
        CHECK(rp.offset_ms[1] >= 600000 - 1000);
        CHECK_INT(rp.span_ms, rp.offset_ms[8]);
        for (size_t i = 1; i < rp.n; i++)
            CHECK(rp.v[i].occurred_at >= rp.v[i - 1].occurred_at);
        char *desc = wr_replay_describe(&rp.v[2]);
        CHECK(strstr(desc, "alert attached: [SEV4] Port scan (ids, ") == desc);
        free(desc);
    }
    wr_replay_free(&rp);
    wr_store_close(st);
    free(path);
    wr_buf_free(&s.log);
    wr_rb_set_free(&set);
    wr_drill_free(d);

    /* A step in a runbook that is not attached before it. */
    const char *late = "id: x\ntitle: X\nincident: {title: T}\nevents:\n  - {at: 0s, step: {id: look}}\n"
                       "  - {at: 1s, attach: rb}\n";
    d = wr_drill_load_mem("late.yaml", late, strlen(late), &err);
    CHECK(d != NULL);
    wr_rb_set one = {0};
    one.v = wr_xcalloc(1, sizeof *one.v);
    one.v[0] = wr_runbook_load_mem("rb.yaml", runbook, sizeof runbook - 1, NULL, 0, &err);
    one.n = 1;
    wr_buf_reset(&err);
    CHECK_INT(wr_drill_check_runbooks(d, &one, &err), -1);
    CHECK_STR(wr_buf_str(&err), "late.yaml:5:20: no step 'look' in the runbooks attached before this event\n");
    wr_rb_set_free(&one);
    wr_drill_free(d);
    wr_buf_free(&err);
}

static void expect_error(const char *yaml, const char *want)
{
    CHECK(*want); /* an empty expectation is found in every message: it would check nothing */
    wr_buf err = {0};
    wr_drill *d = wr_drill_load_mem("d.yaml", yaml, strlen(yaml), &err);
    CHECK(d == NULL);
    if (!strstr(wr_buf_str(&err), want)) {
        check_failed++;
        fprintf(stderr, "expected [%s], got [%s]\n", want, wr_buf_str(&err));
    } else {
        check_passed++;
    }
    wr_drill_free(d);
    wr_buf_free(&err);
}

#define HEAD "id: x\ntitle: X\nincident: {title: T}\nevents:\n"

static void test_errors(void)
{
    expect_error(HEAD "  - {at: 0s}\n", "d.yaml:5:5: an event needs one action");
    expect_error(HEAD "  - {at: 0s, severity: SEV7}\n", "unknown severity 'SEV7'");
    expect_error(HEAD "  - {at: 0s, status: contained}\n", "unknown status 'contained' (did you mean 'containment'?)");
    expect_error(HEAD "  - {at: 0s, assign: {role: commander, user: a}}\n", "unknown role 'commander'");
    expect_error(HEAD "  - {at: 0s, step: {id: s, action: finish}}\n", "unknown step action 'finish'");
    expect_error(HEAD "  - {at: 0s, step: {id: s, action: skip}}\n", "skip needs a 'reason' on the event");
    expect_error(HEAD "  - {at: 0s, note: a, force: true}\n", "'force' is only for status changes");
    expect_error(HEAD "  - {at: 0s, status: closed, force: true}\n", "'force' needs a 'reason'");
    expect_error(HEAD "  - {at: 8d, note: a}\n", "invalid time '8d'");
    expect_error(HEAD "  - {at: 0s, set: {field: severity, value: SEV1}}\n", "unknown field 'severity'");
    expect_error(HEAD "  - {at: 0s, alert: {title: a, labels: {drill: x}}}\n", "the label 'drill' is set by the drill");
    expect_error(HEAD "  - {at: 0s, alert: {title: a, severity: loud}}\n", "unknown alert severity 'loud'");
    expect_error(HEAD "  - {at: 0s, alert: {title: a, fingerprint: f}}\n", "unknown key 'fingerprint'");
    expect_error(HEAD "  - {at: 0s, attach: Not-An-Id}\n", "is not a runbook id");
    expect_error(HEAD "[]\n", "d.yaml:6:1: syntax error: could not find expected ':'");
    expect_error("id: Bad\ntitle: X\nincident: {title: T}\nevents: [{at: 0s, note: a}]\n", "invalid drill id 'Bad'");
    expect_error("id: x\ntitle: X\nevents: [{at: 0s, note: a}]\n", "missing required key 'incident'");
    expect_error(HEAD, "d.yaml:4:8: expected a list for 'events', found an empty value");
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wr-test-drill-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    wr_clock_set_fixed(1772355600000LL, 1);
    wr_actor_set(&runner, "runner", "op", "tty pts/1", "bastion");
    test_load_and_run();
    test_errors();
    wr_actor_free(&runner);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
