/* SPDX-License-Identifier: MIT */
/* The event-kind registry (src/model.c): every kind warroom writes is registered exactly once, with a check,
 * an apply and a describe; a kind this warroom does not know is refused plainly and changes nothing; a
 * payload without what its kind needs is refused by the kind's check; the store opened through the model
 * applies and rebuilds through the same rows. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/evkind.h"
#include "warroom/incident.h"
#include "warroom/model.h"
#include "warroom/store.h"
#include "warroom/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];
static wr_actor alice;

/* Every kind an operation of this warroom writes (grep wr_write_init / start / prepare in src/). */
static const char *const written[] = {
    "incident.declared", "incident.changed", "note",          "role.assigned",   "role.removed",
    "pin",               "unpin",            "runbook.attached", "step.changed",  "step.assigned",
    "step.note",         "milestone.set",    "incident.merged-in", "asset.added", "asset.removed",
    "indicator.added",   "indicator.removed", "update",        "update.sent",     "action.added",
    "action.changed",    "alert.received",   "alert.attached", "alert.dismissed", "command.run",
    "file.attached",
};

static void test_rows(void)
{
    const wr_store_model *m = wr_model();
    CHECK(m != NULL);
    CHECK_INT(m->nmigrations, WR_SCHEMA_VERSION);
    size_t total = 0;
    for (size_t i = 0; i < m->nmodules; i++) {
        const wr_kind_module *mod = m->modules[i];
        CHECK(mod->name && *mod->name);
        for (const wr_event_kind *k = mod->kinds; k->name; k++) {
            total++;
            if (!k->check || !k->apply || !k->describe)
                fprintf(stderr, "kind %s (module %s) lacks check, apply or describe\n", k->name, mod->name);
            CHECK(k->check != NULL);
            CHECK(k->apply != NULL);
            CHECK(k->describe != NULL);
            /* registered once: no other row, in any module, has this name */
            int seen = 0;
            for (size_t j = 0; j < m->nmodules; j++)
                for (const wr_event_kind *o = m->modules[j]->kinds; o->name; o++)
                    seen += strcmp(o->name, k->name) == 0;
            if (seen != 1)
                fprintf(stderr, "kind %s is registered %d times\n", k->name, seen);
            CHECK_INT(seen, 1);
            CHECK(wr_event_kind_find(k->name) == k);
        }
    }
    /* every kind written is known, and nothing else is registered */
    for (size_t i = 0; i < WR_ARRAY_LEN(written); i++) {
        if (!wr_event_kind_find(written[i]))
            fprintf(stderr, "kind %s is written but not registered\n", written[i]);
        CHECK(wr_event_kind_find(written[i]) != NULL);
    }
    CHECK_INT(total, WR_ARRAY_LEN(written));
    CHECK(wr_event_kind_find("no.such.kind") == NULL);
    CHECK(wr_event_kind_find(NULL) == NULL);
}

/* The vocabulary (evkind.h) and the registry name the same kinds: every registered kind has its constant,
 * every constant a registered kind. */
static void test_vocabulary(void)
{
    const wr_store_model *m = wr_model();
    size_t registered = 0;
    for (size_t i = 0; i < m->nmodules; i++)
        for (const wr_event_kind *k = m->modules[i]->kinds; k->name; k++) {
            registered++;
            wr_evkind e = wr_evkind_of(k->name);
            if (e == WR_EV_UNKNOWN)
                fprintf(stderr, "kind %s is registered but has no constant in evkind.h\n", k->name);
            CHECK(e != WR_EV_UNKNOWN);
            CHECK(wr_ev_is(k->name, e));
        }
    for (int e = 1; e < WR_EV_COUNT; e++) {
        if (!wr_event_kind_find(wr_evkind_names[e]))
            fprintf(stderr, "evkind.h names %s, which no module registers\n", wr_evkind_names[e]);
        CHECK(wr_event_kind_find(wr_evkind_names[e]) != NULL);
        CHECK_INT(wr_evkind_of(wr_evkind_names[e]), e);
    }
    CHECK_INT(registered, WR_EV_COUNT - 1);
    CHECK_INT(wr_evkind_of("no.such.kind"), WR_EV_UNKNOWN);
    CHECK_INT(wr_evkind_of(NULL), WR_EV_UNKNOWN);
    CHECK(!wr_ev_is(NULL, WR_EV_NOTE));
}

static void test_describe(void)
{
    /* each row describes its own kind; an unknown kind is described by its name */
    wr_event ev = {0};
    ev.kind = "note";
    ev.payload = "{\"text\":\"db failover started\",\"tag\":\"went-well\"}";
    char *d = wr_event_describe(&ev);
    CHECK_STR(d, "[went-well] db failover started");
    free(d);
    ev.kind = "step.assigned";
    ev.payload = "{\"step\":\"page-dba\",\"owner\":\"\"}";
    d = wr_event_describe(&ev);
    CHECK_STR(d, "step page-dba owner: (none)");
    free(d);
    ev.kind = "update.sent";
    ev.payload = "{\"update\":7,\"result\":\"sent\",\"n\":3}";
    d = wr_event_describe(&ev);
    CHECK_STR(d, "update #3 sent (exit 0)"); /* the update's entry number in its incident */
    free(d);
    ev.payload = "{\"update\":7,\"result\":\"sent\"}";
    d = wr_event_describe(&ev);
    CHECK_STR(d, "update (log seq 7) sent (exit 0)"); /* recorded before numbers were per incident */
    free(d);
    ev.kind = "pin";
    ev.payload = "{\"event\":7,\"n\":3}";
    d = wr_event_describe(&ev);
    CHECK_STR(d, "pinned entry #3");
    free(d);
    ev.payload = "{\"event\":7}";
    d = wr_event_describe(&ev);
    CHECK_STR(d, "pinned an entry (log seq 7)");
    free(d);
    ev.kind = "made.by.a.newer.warroom";
    ev.payload = "{}";
    d = wr_event_describe(&ev);
    CHECK_STR(d, "made.by.a.newer.warroom");
    free(d);
}

static int64_t count_events(wr_store *st)
{
    int64_t n = -1;
    wr_error err = {0};
    CHECK_INT(wr_store_event_count(st, 1, &n, &err), WR_OK); /* INC-1 */
    return n;
}

static void test_store_through_registry(void)
{
    char *p = wr_xasprintf("%s/kinds.db", dir);
    wr_error err = {0};
    wr_store *st = wr_store_open(p, WR_OPEN_CREATE, &err);
    CHECK(st != NULL);
    if (!st) {
        free(p);
        return;
    }
    wr_opctx c = {st, &alice, "cli", 0};
    wr_write w;
    int64_t inc = 0;
    CHECK_INT(wr_op_declare(&c, "API errors", "SEV2", NULL, NULL, &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, &inc, &err), WR_OK);
    CHECK_INT(inc, 1);
    int64_t before = count_events(st);

    /* An unknown kind: refused plainly, nothing written. */
    wr_write_init(&w, &alice, "cli", inc, "incident.teleported", wr_xstrdup("{\"to\":\"mars\"}"));
    CHECK_INT(wr_store_append(st, &w, 1000, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "unknown event kind \"incident.teleported\"") != NULL);
    CHECK(strstr(err.msg, "nothing changed") != NULL);
    wr_write_clear(&w);
    CHECK_INT(count_events(st), before);

    /* A known kind whose payload lacks what it needs: the kind's check refuses it, nothing written. */
    wr_write_init(&w, &alice, "cli", inc, "note", wr_xstrdup("{\"txt\":\"typo\"}"));
    CHECK_INT(wr_store_append(st, &w, 1000, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "malformed \"note\" event") != NULL);
    CHECK(strstr(err.msg, "\"text\"") != NULL);
    wr_write_clear(&w);
    wr_write_init(&w, &alice, "cli", inc, "role.assigned", wr_xstrdup("{\"role\":\"scribe\"}"));
    CHECK_INT(wr_store_append(st, &w, 1000, &err), WR_E_INVALID);
    CHECK(strstr(err.msg, "\"user\"") != NULL);
    wr_write_clear(&w);
    CHECK_INT(count_events(st), before);

    /* Known kinds apply through their rows, and rebuild replays them through the same rows. */
    CHECK_INT(wr_op_note(&c, inc, "looking at the load balancer", &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
    CHECK_INT(wr_op_set(&c, inc, "status", "containment", NULL, 0, 0, &w, &err), WR_OK);
    CHECK_INT(wr_op_commit(st, &w, 1000, NULL, NULL, &err), WR_OK);
    CHECK_INT(count_events(st), before + 2);
    CHECK_INT(wr_store_rebuild(st, &err), WR_OK);
    wr_incident i;
    CHECK_INT(wr_incident_get(st, inc, &i, &err), WR_OK);
    CHECK_STR(i.status, "containment");
    wr_incident_clear(&i);

    /* The store opened with a model that lacks a kind refuses that kind, and knows the others. */
    static const wr_event_kind none[] = {{NULL, NULL, NULL, NULL}};
    static const wr_kind_module empty = {"empty", none, NULL};
    static const wr_kind_module *const only_empty[] = {&empty};
    wr_store_model bare = *wr_model();
    bare.modules = only_empty;
    bare.nmodules = 1;
    wr_store_close(st);
    st = wr_store_open_model(p, 0, 1000, &bare, &err);
    CHECK(st != NULL);
    if (st) {
        CHECK_INT(wr_op_note(&c, inc, "this store knows no kind", &w, &err), WR_OK);
        CHECK_INT(wr_store_append(st, &w, 1000, &err), WR_E_INVALID);
        CHECK(strstr(err.msg, "unknown event kind \"note\"") != NULL);
        wr_write_clear(&w);
        wr_store_close(st);
    }
    free(p);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/wr-test-model-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    wr_clock_set_fixed(1767225600000LL, 1);
    wr_actor_set(&alice, "alice", "alice", "tty pts/1", "bastion");
    test_rows();
    test_vocabulary();
    test_describe();
    test_store_through_registry();
    wr_actor_free(&alice);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
