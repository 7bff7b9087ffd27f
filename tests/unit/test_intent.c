/* SPDX-License-Identifier: MIT */
/* Acts carry intent, and the policy says who may do what: an act made from what an operator saw applies only
 * if it is still so (else the operator is told who was first, and when); a refusal names the role needed and
 * who holds it; --force --reason gets past it and is recorded; the log replays whatever the policy is now. */
#include "check.h"
#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/cmd.h"
#include "warroom/config.h"
#include "warroom/incident.h"
#include "warroom/policy.h"
#include "warroom/runbook.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static wr_store *st;
static wr_actor ana, ben, cid;

static wr_status run(wr_status prepared, wr_write *w, wr_error *err)
{
    if (prepared != WR_OK)
        return prepared;
    return wr_op_commit(st, w, 1000, NULL, NULL, err);
}

static wr_opctx as(const wr_actor *who)
{
    wr_opctx o = {st, who, "cli", 0};
    return o;
}

static int64_t count(const char *kind, const char *like)
{
    wr_event_list l = {0};
    wr_error err = {0};
    wr_store_events_after(st, 0, 0, 0, wr_event_list_add, &l, &err);
    int64_t n = 0;
    for (size_t i = 0; i < l.n; i++)
        n += strcmp(l.v[i].kind, kind) == 0 && (!like || strstr(l.v[i].payload, like));
    wr_event_list_free(&l);
    return n;
}

static int64_t setup(void)
{
    wr_opctx o = as(&ana);
    wr_write w;
    wr_error err = {0};
    int64_t id = 0;
    CHECK_INT(wr_op_declare(&o, "Leaked key", "SEV2", NULL, NULL, &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, &id, &err), WR_OK);
    /* a small runbook: two steps */
    const char *yaml = "id: t\ntitle: T\nversion: 1\ndescription: test\nowner: sec\napplies_to:\n  types: [credential-leak]\n"
                       "  assets: [identity]\nroles: [incident-commander]\nphases:\n  containment:\n"
                       "    - id: disable-key\n      title: Disable the key\n      role: incident-commander\n"
                       "    - id: notify\n      title: Tell the owner\n      role: incident-commander\n      mandatory: false\n";
    wr_buf e = {0};
    wr_runbook *rb = wr_runbook_load_mem("t.yaml", yaml, strlen(yaml), NULL, 0, &e);
    CHECK(rb != NULL);
    if (!rb) {
        fprintf(stderr, "%s", wr_buf_str(&e));
        wr_buf_free(&e);
        return id;
    }
    CHECK_INT(run(wr_op_attach(&o, id, rb, &w, &err), &w, &err), WR_OK);
    wr_runbook_free(rb);
    wr_buf_free(&e);
    return id;
}

static void test_step_intent(int64_t inc)
{
    wr_error err = {0};
    wr_write a, b;
    wr_opctx oa = as(&ana), ob = as(&ben);
    /* Both saw "todo" and pressed at once: both prepared before either landed. */
    CHECK_INT(wr_op_step(&oa, inc, NULL, "disable-key", "done", NULL, &a, &err), WR_OK);
    wr_op_expect(&a, "todo");
    CHECK_INT(wr_op_step(&ob, inc, NULL, "disable-key", "done", NULL, &b, &err), WR_OK);
    wr_op_expect(&b, "todo");
    CHECK_INT(run(WR_OK, &a, &err), WR_OK);
    CHECK_INT(run(WR_OK, &b, &err), WR_E_CONFLICT);
    CHECK(strstr(err.msg, "step disable-key is already done: ana did it at 00:00:0") != NULL);
    /* The loser's toggle-back, made from a screen that had refreshed: "done -> todo" as seen by nobody. */
    CHECK_INT(wr_op_step(&ob, inc, NULL, "disable-key", "todo", NULL, &b, &err), WR_OK);
    wr_op_expect(&b, "todo");
    CHECK_INT(run(WR_OK, &b, &err), WR_E_CONFLICT);
    CHECK(strstr(err.msg, "is now done (ana changed it at") != NULL && strstr(err.msg, "not todo as you saw it"));
    CHECK_INT(count("step.changed", "\"new\":\"done\""), 1);
    CHECK_INT(count("step.changed", "\"new\":\"todo\""), 0);
    /* Expecting what is there applies, and the expectation is in the event. */
    CHECK_INT(wr_op_step(&ob, inc, NULL, "disable-key", "todo", NULL, &b, &err), WR_OK);
    wr_op_expect(&b, "done");
    CHECK_INT(run(WR_OK, &b, &err), WR_OK);
    CHECK_INT(count("step.changed", "\"expect\":\"done\""), 1);
}

static void test_field_and_role_intent(int64_t inc)
{
    wr_error err = {0};
    wr_write w;
    wr_opctx oa = as(&ana), ob = as(&ben);
    CHECK_INT(wr_op_set(&oa, inc, "severity", "SEV1", NULL, 0, 0, &w, &err), WR_OK);
    wr_op_expect(&w, "SEV2");
    CHECK_INT(run(WR_OK, &w, &err), WR_OK);
    CHECK_INT(wr_op_set(&ob, inc, "severity", "SEV3", NULL, 0, 0, &w, &err), WR_OK);
    wr_op_expect(&w, "SEV2"); /* ben's screen still said SEV2 */
    CHECK_INT(run(WR_OK, &w, &err), WR_E_CONFLICT);
    CHECK(strstr(err.msg, "severity is now \"SEV1\" (set by ana at 00:00:") != NULL);
    CHECK(strstr(err.msg, "not \"SEV2\" as you saw it") != NULL);

    /* A single-holder role: handed over only from the holder the operator saw. */
    CHECK_INT(run(wr_op_assign(&oa, inc, "IC", "ana", 0, &w, &err), &w, &err), WR_OK);
    CHECK_INT(wr_op_assign(&oa, inc, "IC", "ben", 0, &w, &err), WR_OK);
    wr_op_expect(&w, ""); /* saw nobody */
    CHECK_INT(run(WR_OK, &w, &err), WR_E_CONFLICT);
    CHECK(strstr(err.msg, "is now held by ana (assigned by ana at") != NULL && strstr(err.msg, "not nobody"));
    CHECK_INT(wr_op_assign(&oa, inc, "IC", "ben", 0, &w, &err), WR_OK);
    wr_op_expect(&w, "ana");
    CHECK_INT(run(WR_OK, &w, &err), WR_OK);
    /* back to ana, by ben, as ben saw it */
    CHECK_INT(wr_op_assign(&ob, inc, "IC", "ana", 0, &w, &err), WR_OK);
    wr_op_expect(&w, "ben");
    CHECK_INT(run(WR_OK, &w, &err), WR_OK);
}

static void test_policy(int64_t inc)
{
    wr_error err = {0};
    wr_write w;
    wr_opctx oa = as(&ana), oc = as(&cid);
    /* ana commands; cid is a responder: may note and tick, may not end the incident nor take command. */
    CHECK_INT(run(wr_op_note(&oc, inc, "cid was here", &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_step(&oc, inc, NULL, "notify", "done", NULL, &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_set(&oc, inc, "status", "resolved", NULL, 0, 0, &w, &err), &w, &err), WR_E_DENIED);
    CHECK(strstr(err.msg, "only the incident commander or the deputy may end INC-1") != NULL);
    CHECK(strstr(err.msg, "Incident commander: ana; Deputy: nobody") != NULL);
    CHECK(strstr(err.msg, "you are cid") != NULL && strstr(err.msg, "--force --reason"));
    CHECK_INT(wr_status_exit_code(err.status), 14);
    CHECK_INT(run(wr_op_assign(&oc, inc, "IC", "cid", 0, &w, &err), &w, &err), WR_E_DENIED);
    /* Ending it with open mandatory steps: the gate; only its roles may override it, even forced. */
    CHECK_INT(run(wr_op_set(&oa, inc, "status", "containment", NULL, 0, 0, &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_set(&oc, inc, "status", "resolved", "ana is offline", 0, 1, &w, &err), &w, &err),
              WR_E_DENIED);
    CHECK(strstr(err.msg, "override the phase gate or the lifecycle rules of INC-1") != NULL);
    CHECK_INT(run(wr_op_set(&oa, inc, "status", "eradication", NULL, 0, 0, &w, &err), &w, &err), WR_E_GATE);
    CHECK_INT(run(wr_op_set(&oa, inc, "status", "eradication", "vendor", 0, 1, &w, &err), &w, &err), WR_OK);
    /* An emergency: cid takes command, forced with a reason; recorded as forced, and said in the timeline. */
    CHECK_INT(wr_op_assign(&oc, inc, "IC", "cid", 0, &w, &err), WR_OK);
    wr_op_force(&w, "ana unreachable for 20 min");
    CHECK_INT(run(WR_OK, &w, &err), WR_OK);
    CHECK_INT(count("role.assigned", "\"forced\":\"hand-over-ic\""), 1);
    wr_event_list l = {0};
    wr_store_events_before(st, inc, 0, 1, wr_event_list_add, &l, &err);
    char *d = l.n ? wr_event_describe(&l.v[0]) : NULL;
    CHECK(d && strstr(d, "forced past the policy: ana unreachable for 20 min"));
    free(d);
    wr_event_list_free(&l);
    /* A drill's injected acts are not a person's: no policy. */
    wr_opctx od = {st, &ben, "drill", 0};
    CHECK_INT(run(wr_op_set(&od, inc, "severity", "SEV2", NULL, 0, 0, &w, &err), &w, &err), WR_OK);

    /* A configured policy: only the commander changes the severity. */
    wr_config cfg;
    wr_buf e = {0};
    wr_config_init(&cfg);
    const char *y = "policy:\n  severity: [incident-commander]\n  resolve: anyone\n";
    CHECK_INT(wr_config_load_mem(&cfg, "p.yaml", y, strlen(y), &e), 0);
    wr_policy_apply(&cfg);
    wr_config_free(&cfg);
    CHECK_INT(run(wr_op_set(&oa, inc, "severity", "SEV3", NULL, 0, 0, &w, &err), &w, &err), WR_E_DENIED);
    CHECK(strstr(err.msg, "only the incident commander may change the severity of INC-1 (Incident commander: cid)"));
    /* The log replays whatever the policy says now: every event was allowed when it was written. */
    CHECK_INT(wr_store_rebuild(st, &err), WR_OK);
    wr_config_init(&cfg);
    static const char *const bad[] = {"policy:\n  resolv: anyone\n", "policy:\n  resolve: [ic]\n",
                                      "policy:\n  resolve: everyone\n", "policy:\n  resolve: []\n"};
    static const char *const want[] = {"p.yaml:2:3: unknown act 'resolv' (did you mean 'resolve'?)",
                                       "p.yaml:2:13: unknown role 'ic'", "p.yaml:2:12: expected anyone or a list",
                                       "p.yaml:2:12: expected anyone or a list"};
    for (size_t i = 0; i < 4; i++) {
        wr_buf_reset(&e);
        CHECK_INT(wr_config_load_mem(&cfg, "p.yaml", bad[i], strlen(bad[i]), &e), -1);
        if (!strstr(wr_buf_str(&e), want[i]))
            fprintf(stderr, "got: %s", wr_buf_str(&e));
        CHECK(strstr(wr_buf_str(&e), want[i]) != NULL);
    }
    wr_config_free(&cfg);
    wr_buf_free(&e);
    wr_policy_apply(NULL);
}

/* The console's commands carry what it showed (wr_seen) when no --expect is given. */
static void test_seen_by_the_console(int64_t inc)
{
    wr_error err = {0};
    wr_incident shown;
    CHECK_INT(wr_incident_get(st, inc, &shown, &err), WR_OK);
    wr_role_holder *roles;
    size_t nroles;
    CHECK_INT(wr_roles_list(st, inc, &roles, &nroles, &err), WR_OK);
    wr_step_row *steps;
    size_t nsteps;
    CHECK_INT(wr_checklist_get(st, inc, &steps, &nsteps, &err), WR_OK);
    /* Meanwhile, from the command line: */
    wr_opctx ob = {st, &ben, "drill", 0};
    wr_write w;
    CHECK_INT(run(wr_op_set(&ob, inc, "severity", "SEV4", NULL, 0, 0, &w, &err), &w, &err), WR_OK);
    CHECK_INT(run(wr_op_step(&ob, inc, NULL, "disable-key", "start", NULL, &w, &err), &w, &err), WR_OK);
    wr_seen seen = {&shown, roles, nroles, steps, nsteps};
    wr_cmdctx c = {0};
    c.store = st;
    c.actor = &cid;
    c.source = "tui";
    c.wait_ms = 1000;
    c.current = inc;
    c.seen = &seen;
    char *a1[] = {"severity", "SEV3", NULL};
    CHECK_INT(wr_cmd_run(&c, 2, a1), 4);
    CHECK(strstr(wr_buf_str(&c.err), "severity is now \"SEV4\" (set by ben at") != NULL);
    wr_buf_reset(&c.err);
    char *a2[] = {"step", "disable-key", "done", NULL};
    CHECK_INT(wr_cmd_run(&c, 3, a2), 4);
    CHECK(strstr(wr_buf_str(&c.err), "step disable-key is now in-progress (ben changed it at") != NULL);
    wr_buf_reset(&c.err);
    /* --expect says what the operator means instead. */
    char *a3[] = {"step", "disable-key", "done", "--expect", "in-progress", NULL};
    CHECK_INT(wr_cmd_run(&c, 5, a3), 0);
    if (c.err.len)
        fprintf(stderr, "%s", wr_buf_str(&c.err));
    wr_buf_free(&c.out);
    wr_buf_free(&c.err);
    wr_incident_clear(&shown);
    wr_roles_free(roles, nroles);
    wr_checklist_free(steps, nsteps);
}

int main(void)
{
    char dir[] = "/tmp/wr-test-intent-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    wr_clock_set_fixed(1767225600000LL, 1);
    wr_actor_set(&ana, "ana", "ana", "tty pts/1", "bastion");
    wr_actor_set(&ben, "ben", "ben", "tty pts/2", "bastion");
    wr_actor_set(&cid, "cid", "cid", "tty pts/3", "bastion");
    char *db = wr_xasprintf("%s/w.db", dir);
    wr_error err = {0};
    st = wr_store_open(db, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    if (st) {
        int64_t inc = setup();
        test_step_intent(inc);
        test_field_and_role_intent(inc);
        test_policy(inc);
        test_seen_by_the_console(inc);
        wr_store_close(st);
    }
    wr_actor_free(&ana);
    wr_actor_free(&ben);
    wr_actor_free(&cid);
    char *cmd = wr_xasprintf("rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    free(cmd);
    free(db);
    return check_done();
}
