/* SPDX-License-Identifier: MIT */
/* cmd_runbook.c - runbook lint/list/show/attach/suggest and step changes. */
#include "cmd_int.h"

#include "warroom/checklist.h"
#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/runbook.h"
#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void load_set(wr_cmdctx *c, wr_rb_set *set, wr_buf *err)
{
    memset(set, 0, sizeof *set);
    wr_rb_set_load_dirs(set, c->runbook_dirs, c->nrunbook_dirs, NULL, 0, err);
}

static void clean_line(wr_buf *out, const char *s)
{
    wr_text_clean(out, s, strlen(s), WR_TEXT_ONELINE);
}

static int rb_lint(wr_args *a)
{
    if (a->argc < 1)
        return wr_args_usage(a, "name the runbook files to check");
    int bad = 0;
    for (int i = 0; i < a->argc; i++) {
        wr_buf err = {0};
        wr_runbook *rb = wr_runbook_load_file(a->argv[i], NULL, 0, &err);
        if (rb) {
            wr_buf_printf(&a->c->out, "%s: ok (%s v%ld, %zu steps)\n", a->argv[i], rb->id, rb->version, rb->nsteps);
            wr_runbook_free(rb);
        } else {
            bad++;
            wr_buf_puts(&a->c->err, wr_buf_str(&err));
        }
        wr_buf_free(&err);
    }
    if (bad)
        wr_buf_printf(&a->c->err, "%d of %d file%s failed; nothing was loaded from %s\n", bad, a->argc,
                      a->argc == 1 ? "" : "s", bad == 1 ? "it" : "them");
    return bad ? WR_EXIT_CHECK_FAILED : 0;
}

static void join_list(wr_buf *out, char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        wr_buf_printf(out, "%s%s", i ? "," : "", v[i]);
}

static int rb_list(wr_args *a)
{
    wr_buf err = {0};
    wr_rb_set set;
    load_set(a->c, &set, &err);
    if (a->c->json) {
        wr_json_doc_begin(&a->c->out);
        wr_json_key(&a->c->out, "runbooks");
        wr_buf_putc(&a->c->out, '[');
        for (size_t i = 0; i < set.n; i++) {
            const wr_runbook *rb = set.v[i];
            wr_buf_puts(&a->c->out, i ? ",{" : "{");
            wr_json_kv_str(&a->c->out, "id", rb->id);
            wr_json_kv_str(&a->c->out, "title", rb->title);
            wr_json_kv_int(&a->c->out, "version", rb->version);
            wr_json_kv_str(&a->c->out, "sha256", rb->sha256);
            wr_json_kv_str(&a->c->out, "path", rb->path);
            wr_json_kv_int(&a->c->out, "steps", (long long)rb->nsteps);
            wr_buf_putc(&a->c->out, '}');
        }
        wr_buf_puts(&a->c->out, "]}\n");
    }
    for (size_t i = 0; !a->c->json && i < set.n; i++) {
        const wr_runbook *rb = set.v[i];
        wr_buf_printf(&a->c->out, "%-36s v%-3ld ", rb->id, rb->version);
        wr_text_fit(&a->c->out, rb->title, strlen(rb->title), 44, 1, 0);
        wr_buf_puts(&a->c->out, "  types=");
        join_list(&a->c->out, rb->types, rb->ntypes);
        wr_buf_puts(&a->c->out, " assets=");
        join_list(&a->c->out, rb->assets, rb->nassets);
        wr_buf_putc(&a->c->out, '\n');
    }
    if (err.len)
        wr_buf_printf(&a->c->err, "some runbook files were not loaded:\n%s", wr_buf_str(&err));
    wr_buf_free(&err);
    wr_rb_set_free(&set);
    return 0;
}

static int rb_show(wr_args *a)
{
    if (a->argc != 1)
        return wr_args_usage(a, "name one runbook id (`warroom runbook list` shows them)");
    wr_buf err = {0};
    wr_rb_set set;
    load_set(a->c, &set, &err);
    const wr_runbook *rb = wr_rb_set_find(&set, a->argv[0]);
    int rc = 0;
    if (!rb) {
        wr_buf_printf(&a->c->err, "runbook: no runbook \"%s\" (`warroom runbook list` shows them)\n", a->argv[0]);
        rc = wr_status_exit_code(WR_E_NOTFOUND);
    } else if (a->c->json) {
        char *json = wr_runbook_to_json(rb);
        wr_json_doc(&a->c->out, NULL, json);
        free(json);
    } else {
        wr_buf *o = &a->c->out;
        wr_buf_printf(o, "%s v%ld  (%s)\n", rb->id, rb->version, rb->path);
        clean_line(o, rb->title);
        wr_buf_puts(o, "\nowner: ");
        clean_line(o, rb->owner);
        wr_buf_puts(o, "\n\n");
        wr_text_clean(o, rb->description, strlen(rb->description), 0);
        int phase = -1;
        for (size_t i = 0; i < rb->nsteps; i++) {
            const wr_rb_step *s = &rb->steps[i];
            if ((int)s->phase != phase) {
                phase = (int)s->phase;
                wr_buf_printf(o, "\n== %s ==\n", wr_phase_title(s->phase));
            }
            wr_buf_printf(o, "  %s %s  [%s]%s\n    ", s->mandatory ? "*" : "-", s->id, s->role,
                          s->timebox_s ? " (timeboxed)" : "");
            clean_line(o, s->title);
            wr_buf_putc(o, '\n');
            for (size_t k = 0; k < s->ncommands; k++) {
                wr_buf_puts(o, "    $ ");
                clean_line(o, s->commands[k]);
                wr_buf_putc(o, '\n');
            }
        }
    }
    wr_buf_free(&err);
    wr_rb_set_free(&set);
    return rc;
}

static int with_store(wr_args *a, wr_store **st)
{
    wr_error err = {0};
    if (a->c->store) {
        *st = a->c->store;
        return 0;
    }
    *st = wr_store_open_wait(a->c->db_path, a->c->open_flags, a->c->wait_ms, &err);
    if (!*st)
        return wr_args_fail(a->c, "runbook", &err);
    a->c->store = *st;
    return 0;
}

static int rb_attach(wr_args *a)
{
    wr_store *st;
    int r = with_store(a, &st);
    int64_t inc;
    if (r || (r = wr_args_incident(a, 1, &inc)) != 0)
        return r;
    if (a->argc != 1)
        return wr_args_usage(a, "name one runbook to attach");
    wr_buf err = {0};
    wr_rb_set set;
    load_set(a->c, &set, &err);
    const wr_runbook *rb = wr_rb_set_find(&set, a->argv[0]);
    if (!rb) {
        const char *ids[256];
        size_t n = 0;
        for (size_t i = 0; i < set.n && n < 256; i++)
            ids[n++] = set.v[i]->id;
        const char *s = wr_suggest(a->argv[0], ids, n);
        r = wr_args_usage(a, "no runbook \"%s\"%s%s%s (`warroom runbook list` shows them)", a->argv[0],
                          s ? "; did you mean " : "", s ? s : "", s ? "?" : "");
    } else {
        wr_opctx o = wr_args_opctx(a->c);
        wr_write w;
        wr_error e = {0};
        wr_status s = wr_op_attach(&o, inc, rb, &w, &e);
        if ((r = wr_args_prepared(a, s, &e)) == 0) {
            int64_t seq = 0;
            char what[200];
            snprintf(what, sizeof what, "attached %s v%ld (%zu steps)", rb->id, rb->version, rb->nsteps);
            if ((r = wr_args_submit(a, &w, &seq, NULL)) == 0)
                wr_args_ok_line(a->c, inc, seq, what);
        }
    }
    wr_buf_free(&err);
    wr_rb_set_free(&set);
    return r;
}

static int rb_suggest(wr_args *a)
{
    wr_store *st;
    int r = with_store(a, &st);
    int64_t inc;
    if (r || (r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    wr_error e = {0};
    wr_incident i;
    if (wr_incident_get(st, inc, &i, &e) != WR_OK)
        return wr_args_fail(a->c, "runbook", &e);
    wr_buf err = {0};
    wr_rb_set set;
    load_set(a->c, &set, &err);
    int any = 0;
    /* The affected assets' kinds (each once) narrow the choice: a runbook for none of them does not apply. */
    wr_asset *as = NULL;
    size_t nas = 0, nkinds = 0;
    wr_assets_list(st, inc, &as, &nas, &e);
    const char **kinds = wr_xcalloc(nas ? nas : 1, sizeof *kinds);
    for (size_t k = 0; k < nas; k++) {
        size_t j;
        for (j = 0; j < nkinds && strcmp(kinds[j], as[k].kind) != 0; j++)
            ;
        if (j == nkinds)
            kinds[nkinds++] = as[k].kind;
    }
    int *score = wr_xcalloc(set.n ? set.n : 1, sizeof *score);
    wr_buf *why = wr_xcalloc(set.n ? set.n : 1, sizeof *why);
    for (size_t k = 0; k < set.n; k++)
        score[k] = wr_runbook_match_why(set.v[k], *i.type ? i.type : NULL, kinds, nkinds, i.severity, &why[k]);
    int json = a->c->json;
    if (json) {
        char ref[32];
        wr_json_doc_begin(&a->c->out);
        wr_json_kv_str(&a->c->out, "incident", wr_incident_ref(inc, ref, sizeof ref));
        wr_json_kv_str(&a->c->out, "type", *i.type ? i.type : NULL);
        wr_json_key(&a->c->out, "runbooks");
        wr_buf_putc(&a->c->out, '[');
    }
    for (;;) { /* best first */
        size_t best = set.n;
        for (size_t k = 0; k < set.n; k++)
            if (score[k] > 0 && (best == set.n || score[k] > score[best]))
                best = k;
        if (best == set.n)
            break;
        if (json) {
            wr_buf_puts(&a->c->out, any ? ",{" : "{");
            wr_json_key(&a->c->out, "id");
            wr_json_str(&a->c->out, set.v[best]->id);
            wr_json_kv_str(&a->c->out, "title", set.v[best]->title);
            wr_json_kv_int(&a->c->out, "score", score[best]);
            wr_json_kv_str(&a->c->out, "why", wr_buf_str(&why[best]));
            wr_buf_putc(&a->c->out, '}');
        } else {
            wr_buf_printf(&a->c->out, "%-36s ", set.v[best]->id);
            clean_line(&a->c->out, set.v[best]->title);
            wr_buf_puts(&a->c->out, "\n    ");
            clean_line(&a->c->out, wr_buf_str(&why[best]));
            wr_buf_putc(&a->c->out, '\n');
        }
        score[best] = 0;
        any = 1;
    }
    free(score);
    for (size_t k = 0; k < set.n; k++)
        wr_buf_free(&why[k]);
    free(why);
    if (json)
        wr_buf_puts(&a->c->out, "]}\n");
    else if (!any)
        wr_buf_printf(&a->c->out, "no runbook applies to type \"%s\"%s (`warroom runbook list` shows all)\n",
                      *i.type ? i.type : "(none)", nkinds ? " or these asset kinds" : "");
    free(kinds);
    wr_assets_free(as, nas);
    wr_incident_clear(&i);
    wr_buf_free(&err);
    wr_rb_set_free(&set);
    return 0;
}

int wr_cmd_runbook(wr_args *a)
{
    if (a->argc < 1)
        return wr_args_usage(a, "say what to do: lint, list, show, attach or suggest");
    const char *sub = a->argv[0];
    wr_args_drop(a, 0, 1);
    if (strcmp(sub, "lint") == 0)
        return rb_lint(a);
    if (strcmp(sub, "list") == 0)
        return rb_list(a);
    if (strcmp(sub, "show") == 0)
        return rb_show(a);
    if (strcmp(sub, "attach") == 0)
        return rb_attach(a);
    if (strcmp(sub, "suggest") == 0)
        return rb_suggest(a);
    return wr_args_usage(a, "\"%s\" is not a runbook action: lint, list, show, attach or suggest", sub);
}

int wr_cmd_step(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *reason = wr_args_get(a, "--reason"), *expect = wr_args_get(a, "--expect");
    int force = wr_args_has(a, "--force");
    int r;
    int64_t inc;
    if ((r = wr_args_incident(a, 2, &inc)) != 0)
        return r;
    if (a->argc < 2)
        return wr_args_usage(a, "name a step and what to do (done, skip, block, start, todo, assign USER, note TEXT)");
    char *rb = NULL;
    const char *step = a->argv[0];
    const char *slash = strchr(step, '/');
    if (slash) {
        rb = wr_xstrndup(step, (size_t)(slash - step));
        step = slash + 1;
    }
    const char *action = a->argv[1];
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error e = {0};
    wr_status s;
    if (strcmp(action, "note") == 0) {
        if (a->argc < 3) {
            free(rb);
            return wr_args_usage(a, "write the note's text after `note`");
        }
        char *text = wr_args_join(a->argc - 2, a->argv + 2);
        s = wr_op_step_note(&o, inc, rb, step, text, &w, &e);
        free(text);
    } else if (strcmp(action, "assign") == 0) {
        if (a->argc != 3) {
            free(rb);
            return wr_args_usage(a, "assign takes one operator (or - to clear)");
        }
        s = wr_op_step_assign(&o, inc, rb, step, a->argv[2], &w, &e);
    } else {
        if (a->argc != 2) {
            free(rb);
            return wr_args_usage(a, "unexpected argument \"%s\" (a reason goes in --reason TEXT)", a->argv[2]);
        }
        s = wr_op_step(&o, inc, rb, step, action, reason, &w, &e);
        if (s == WR_OK) /* intent: the state the operator saw ("todo -> done", never a blind toggle) */
            wr_op_expect(&w, wr_args_expect_step(c, inc, rb, step, expect));
    }
    if (s == WR_OK && force) {
        if (!reason || !*reason) {
            wr_write_clear(&w);
            free(rb);
            return wr_args_usage(a, "forcing a step change past the policy needs a reason: add --reason TEXT");
        }
        wr_op_force(&w, reason);
    }
    free(rb);
    if ((r = wr_args_prepared(a, s, &e)) != 0)
        return r;
    int64_t seq = 0;
    char what[200];
    snprintf(what, sizeof what, "step %.64s %s", step, action);
    if ((r = wr_args_submit(a, &w, &seq, NULL)) == 0)
        wr_args_ok_line(c, inc, seq, what);
    return r;
}
