/* SPDX-License-Identifier: MIT */
/* store_event.c - the store's side of an event: find its kind in the model the store was opened with, run the
 * kind's check and apply, and the helpers every kind's apply shares. The store knows no kind itself and calls
 * no domain module by name: the kinds come in as data (warroom/store.h, wr_store_model). */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

const wr_event_kind *wr_store_model_kind(const wr_store_model *model, const char *kind)
{
    if (!model || !kind)
        return NULL;
    for (size_t m = 0; m < model->nmodules; m++)
        for (const wr_event_kind *k = model->modules[m]->kinds; k->name; k++)
            if (strcmp(k->name, kind) == 0)
                return k;
    return NULL;
}

void wr_st_payload_set(wr_store *st, wr_write *w, const char *path, const char *value)
{
    sqlite3_stmt *js = wr_st_stmt(st, "SELECT json_set(?1, ?2, ?3)");
    wr_st_bind_text(js, 1, w->payload);
    wr_st_bind_text(js, 2, path);
    wr_st_bind_text(js, 3, value);
    if (sqlite3_step(js) == SQLITE_ROW) {
        free(w->payload);
        w->payload = wr_st_col_text(js, 0);
    }
    sqlite3_reset(js);
}

wr_status wr_st_require(wr_store *st, const wr_write *w, const char *const *members, wr_error *err)
{
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT json_type(?1, ?2)");
    for (const char *const *m = members; *m; m++) {
        wr_st_bind_text(s, 1, w->payload);
        wr_st_bind_text(s, 2, *m);
        int rc = sqlite3_step(s);
        int there = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL;
        sqlite3_reset(s);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return wr_st_error(st, rc, err, "checking an event");
        if (!there)
            return wr_error_set(err, WR_E_INVALID, "malformed \"%s\" event: its payload has no \"%s\"", w->kind,
                                *m + 2);
    }
    return WR_OK;
}

wr_status wr_st_apply_event(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    const wr_event_kind *k = wr_store_model_kind(st->model, w->kind);
    if (!k)
        return wr_error_set(err, WR_E_INVALID, "unknown event kind \"%.100s\" (made by a newer warroom?); nothing "
                            "changed", w->kind ? w->kind : "");
    wr_status r = k->check(st, w, err);
    if (r == WR_OK)
        r = k->apply(st, w, seq, at, err);
    /* Its evidence bytes (none in a rebuild's replay: they stay where they are) */
    if (r == WR_OK && w->blob && (r = wr_st_evidence_check(st, w, err)) == WR_OK &&
        wr_st_evidence_insert(st, w, seq) != SQLITE_DONE)
        r = wr_st_fail(st, err, "recording the evidence");
    return r;
}

void wr_st_model_reset(wr_store *st)
{
    for (size_t m = 0; st->model && m < st->model->nmodules; m++)
        if (st->model->modules[m]->reset_sql)
            sqlite3_exec(st->db, st->model->modules[m]->reset_sql, NULL, NULL, NULL);
}
