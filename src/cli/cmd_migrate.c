/* SPDX-License-Identifier: MIT */
/* cmd_migrate.c - `warroom migrate --to TARGET`: copy the war room (its event log as it is) into an empty
 * PostgreSQL database or a new SQLite file, and check that the state derived from the copy is this war room's
 * (warroom/migrate.h; docs/store.md "Moving a war room"). */
#include "cmd_int.h"

#include "warroom/json.h"
#include "warroom/migrate.h"
#include "warroom/text.h"

#include <string.h>

static void clean(wr_buf *o, const char *s)
{
    wr_text_clean(o, s, strlen(s), 0);
}

static void migrate_json(wr_cmdctx *c, const char *to, const wr_migrate_result *m)
{
    wr_buf *o = &c->out;
    wr_json_doc_begin(o);
    wr_json_key(o, "ok");
    wr_buf_puts(o, m->matches ? "true" : "false");
    wr_json_kv_str(o, "from", wr_store_name(c->store));
    wr_json_kv_str(o, "to", to);
    wr_json_kv_int(o, "events", m->events);
    wr_json_kv_int(o, "evidence", m->evidence);
    wr_json_kv_int(o, "incidents", m->incidents);
    wr_json_kv_int(o, "upto_seq", m->upto);
    wr_json_key(o, "state_matches");
    wr_buf_puts(o, m->table[0] ? "false" : "true");
    if (m->table[0])
        wr_json_kv_str(o, "table", m->table);
    wr_json_kv_int(o, "entries", m->entries);
    wr_json_kv_int(o, "chains", m->chains);
    wr_json_kv_int(o, "breaks", (int64_t)m->nbreaks);
    if (m->detail[0])
        wr_json_kv_str(o, "detail", m->detail);
    wr_json_key(o, "kept");
    wr_buf_puts(o, m->matches ? "true" : "false");
    wr_buf_puts(o, "}\n");
}

int wr_cmd_migrate(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *to = wr_args_get(a, "--to");
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\" (the target goes after --to)", a->argv[0]);
    if (!to || !*to)
        return wr_args_usage(a, "migrate needs a target: --to PATH (a new file) or --to postgresql://... (an empty "
                                "database)");
    wr_error err = {0};
    wr_migrate_result m;
    wr_status s = wr_migrate(c->store, to, c->wait_ms, &m, &err);
    if (s == WR_E_INVALID)
        return wr_args_usage(a, "%s", err.msg);
    if (s != WR_OK)
        return wr_args_fail(c, "migrate", &err);
    if (c->json) {
        migrate_json(c, to, &m);
    } else if (m.matches) {
        wr_buf *o = &c->out;
        wr_buf_puts(o, "copied ");
        clean(o, wr_store_name(c->store));
        wr_buf_puts(o, " to ");
        clean(o, to);
        wr_buf_printf(o, "\n%lld events, %lld evidence, %lld incidents\n", (long long)m.events,
                      (long long)m.evidence, (long long)m.incidents);
        wr_buf_printf(o, "state matches; chain verified: %lld entries in %lld chains\n", (long long)m.entries,
                      (long long)m.chains);
    }
    if (!m.matches) {
        wr_buf *e = &c->err;
        if (m.table[0])
            wr_buf_printf(e, "migrate: the state derived from the copy differs from this war room's in table %s: ",
                          m.table);
        else
            wr_buf_printf(e, "migrate: the copy's chain does not verify (%zu break%s): ", m.nbreaks,
                          m.nbreaks == 1 ? "" : "s");
        clean(e, m.detail);
        wr_buf_puts(e, "\nmigrate: nothing was kept at ");
        clean(e, to);
        wr_buf_puts(e, m.table[0] ? "\n" : " (run `warroom verify` on this war room)\n");
        return WR_EXIT_CHECK_FAILED;
    }
    return 0;
}
