/* SPDX-License-Identifier: MIT */
/* model.c - the one place the event kinds and the schema of every domain module are assembled, and handed
 * to the store when it opens a file. Adding an event kind: docs/HACKING.md. */
#include "kinds_int.h"

#include "warroom/model.h"

#include <stdlib.h>

/* Every module that owns event kinds. A kind appears in exactly one (unit.test_model checks). */
static const wr_kind_module *const modules[] = {
    &wr_kinds_incident, &wr_kinds_checklist, &wr_kinds_lifecycle, &wr_kinds_evidence,
    &wr_kinds_update,   &wr_kinds_action,    &wr_kinds_alert,     &wr_kinds_exhibit,
};

/* Migration i takes user_version i to i+1; they run in one transaction. Never edit a released migration:
 * add a new one (and raise WR_SCHEMA_VERSION). */
static const char *const v1[] = {wr_schema_core_v1,      wr_schema_checklist_v1, wr_schema_presence_v1,
                                 wr_schema_lifecycle_v1, wr_schema_action_v1,    wr_schema_alert_v1,
                                 NULL};
/* 1 -> 2: alerts are known by source and fingerprint; folding counts firings (alert_fold.c). */
static const char *const v2[] = {wr_schema_alert_v2, NULL};
/* 2 -> 3: every event is chained (store_chain.c); the events already there are chained as it runs. */
static const char *const v3[] = {wr_schema_chain_v3, NULL};
/* 3 -> 4: evidence bytes beside their events (commands run, files attached: exhibit.c). */
static const char *const v4[] = {wr_schema_evidence_v4, NULL};
static const char *const *const migrations[] = {v1, v2, v3, v4};

static const wr_store_model model = {
    modules,
    WR_ARRAY_LEN(modules),
    migrations,
    (int)WR_ARRAY_LEN(migrations),
};

const wr_store_model *wr_model(void)
{
    return &model;
}

const wr_event_kind *wr_event_kind_find(const char *kind)
{
    return wr_store_model_kind(&model, kind);
}

wr_store *wr_store_open(const char *path, unsigned flags, wr_error *err)
{
    return wr_store_open_model(path, flags, WR_STORE_READ_WAIT_MS, &model, err);
}

wr_store *wr_store_open_wait(const char *path, unsigned flags, int wait_ms, wr_error *err)
{
    return wr_store_open_model(path, flags, wait_ms, &model, err);
}

char *wr_event_describe(const wr_event *ev)
{
    wr_buf b = {0};
    const wr_event_kind *k = wr_event_kind_find(ev->kind);
    if (k)
        k->describe(ev, &b);
    else
        wr_buf_puts(&b, ev->kind ? ev->kind : "?");
    return wr_buf_steal(&b);
}
