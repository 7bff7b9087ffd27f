/* SPDX-License-Identifier: MIT */
/* cmd_args.c - an act's arguments: options parsed from its template (wr_args_parse), and the helpers every
 * handler uses (the incident, usage errors, submitting a write, the usual answer). */
#include "cmd_int.h"

#include "warroom/json.h"
#include "warroom/pending.h"
#include "warroom/text.h"
#include "warroom/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wr_args_usage_code(void)
{
    return wr_status_exit_code(WR_E_INVALID);
}

/* The act's usage: every form, one per line on the command line, on one line in the console. */
static void usage(wr_buf *out, const wr_cmd *cmd, int cli)
{
    wr_tpl t;
    wr_buf e = {0};
    int nf = wr_tpl_parse(cmd->args, &t, &e) == 0 ? t.nf : 1;
    wr_buf_free(&e);
    for (int f = 0; f < nf; f++) {
        if (f)
            wr_buf_puts(out, cli ? "\n       " : " | ");
        else
            wr_buf_puts(out, "usage: ");
        wr_tpl_synopsis(out, cmd, f, cli);
    }
    wr_buf_putc(out, '\n');
}

static int usage_error(wr_cmdctx *c, const wr_cmd *cmd, const char *fmt, va_list ap)
{
    wr_buf_printf(&c->err, "%s: ", cmd->name);
    wr_buf_vprintf(&c->err, fmt, ap);
    wr_buf_putc(&c->err, '\n');
    usage(&c->err, cmd, strcmp(c->source, "cli") == 0);
    return wr_args_usage_code();
}

int wr_args_usage(wr_args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = usage_error(a->c, a->cmd, fmt, ap);
    va_end(ap);
    return r;
}

static int parse_error(wr_cmdctx *c, const wr_cmd *cmd, const char *fmt, ...) WR_PRINTF(3, 4);
static int parse_error(wr_cmdctx *c, const wr_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = usage_error(c, cmd, fmt, ap);
    va_end(ap);
    return r;
}

/* ---- parsing ---- */

static int given_index(const wr_args *a, const char *name)
{
    for (size_t i = 0; i < a->nopts; i++)
        if (strcmp(a->opts[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Every option given must go with a form the positional words fit (when one does). */
static int check_forms(wr_args *a, const wr_tpl *t)
{
    const char *given[WR_ARGS_MAXOPTS];
    for (size_t i = 0; i < a->nopts; i++)
        given[i] = a->opts[i].name;
    int fit[WR_TPL_MAXFORMS], any = 0;
    for (int f = 0; f < t->nf; f++)
        any |= fit[f] = wr_tpl_form_fits(&t->f[f], a->argv, a->argc, given, a->nopts);
    if (!any)
        return 0; /* the handler says what is wrong */
    for (size_t i = 0; i < a->nopts; i++) {
        int ok = 0;
        for (int f = 0; f < t->nf && !ok; f++)
            for (int k = 0; fit[f] && k < t->f[f].n; k++)
                ok |= t->f[f].e[k].kind == WR_TPL_OPT && strcmp(t->f[f].e[k].word, given[i]) == 0;
        if (ok)
            continue;
        wr_buf forms = {0};
        for (int f = 0; f < t->nf; f++)
            for (int k = 0; k < t->f[f].n; k++)
                if (t->f[f].e[k].kind == WR_TPL_OPT && strcmp(t->f[f].e[k].word, given[i]) == 0) {
                    wr_buf_puts(&forms, forms.len ? " or `" : "`");
                    wr_tpl_synopsis(&forms, a->cmd, f, strcmp(a->c->source, "cli") == 0);
                    wr_buf_putc(&forms, '`');
                    break;
                }
        int r = parse_error(a->c, a->cmd, "%s does not go with these arguments: it goes with %s", given[i],
                            wr_buf_str(&forms));
        wr_buf_free(&forms);
        return r;
    }
    return 0;
}

int wr_args_parse(wr_args *a, wr_cmdctx *c, const wr_cmd *cmd, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->c = c;
    a->cmd = cmd;
    a->vec = wr_xcalloc((size_t)argc + 1, sizeof *a->vec);
    a->argv = a->vec;
    a->dash = -1;
    wr_tpl t;
    wr_buf terr = {0};
    if (wr_tpl_parse(cmd->args, &t, &terr) != 0)
        wr_die("the act table: %s", wr_buf_str(&terr)); /* a bug of the table: its test parses every row */
    int i;
    for (i = 0; i < argc; i++) {
        char *w = argv[i];
        if (strcmp(w, "--") == 0) {
            a->dash = a->argc;
            i++;
            break;
        }
        int dashes = w[0] == '-' && w[1] == '-' && w[2];
        const wr_tpl_elem *e = w[0] == '-' && w[1] ? wr_tpl_option(&t, w) : NULL;
        if (!e) {
            if (dashes)
                return parse_error(c, cmd, "unknown option %s", w);
            a->argv[a->argc++] = w; /* "-", "-2h": words */
            continue;
        }
        const char *eq = dashes ? strchr(w, '=') : NULL;
        const char *value = NULL;
        if (e->value[0]) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else
                return parse_error(c, cmd, "%s needs a value", e->word);
        } else if (eq) {
            return parse_error(c, cmd, "%s takes no value", e->word);
        }
        if (given_index(a, e->word) >= 0)
            return parse_error(c, cmd, "%s is given twice", e->word);
        if (a->nopts == WR_ARGS_MAXOPTS)
            return parse_error(c, cmd, "too many options");
        snprintf(a->names[a->nopts], sizeof a->names[a->nopts], "%s", e->word);
        a->opts[a->nopts].name = a->names[a->nopts];
        a->opts[a->nopts].value = value;
        a->nopts++;
    }
    for (; i < argc; i++)
        a->argv[a->argc++] = argv[i];
    a->argv[a->argc] = NULL;
    return check_forms(a, &t);
}

void wr_args_free(wr_args *a)
{
    free(a->vec);
    a->vec = NULL;
    a->argv = NULL;
    a->argc = 0;
}

/* The option must be one of the template's: a misspelt name in a handler is a bug, caught by its tests. */
static void known(const wr_args *a, const char *name)
{
    wr_tpl t;
    wr_buf e = {0};
    if (wr_tpl_parse(a->cmd->args, &t, &e) != 0 || !wr_tpl_option(&t, name))
        wr_die("act %s has no option %s in its template", a->cmd->name, name);
    wr_buf_free(&e);
}

const char *wr_args_get(const wr_args *a, const char *name)
{
    int i = given_index(a, name);
    if (i < 0) {
        known(a, name);
        return NULL;
    }
    return a->opts[i].value;
}

int wr_args_has(const wr_args *a, const char *name)
{
    if (given_index(a, name) >= 0)
        return 1;
    known(a, name);
    return 0;
}

void wr_args_drop(wr_args *a, int i, int n)
{
    memmove(&a->argv[i], &a->argv[i + n], (size_t)(a->argc - i - n + 1) * sizeof(char *));
    a->argc -= n;
}

static int looks_like_ref(const char *s)
{
    int64_t id;
    return wr_incident_parse_ref(s, &id) == 0;
}

/* Resolve the incident: an explicit INC first argument when more than `need` arguments are given, else the
 * console's current incident, else the one open incident. 0 ok, else an exit code. */
int wr_args_incident(wr_args *a, int need, int64_t *id)
{
    const char *ref = NULL;
    int64_t probe;
    if (a->argc > need && wr_incident_parse_ref(a->argv[0], &probe) == -2)
        return wr_args_usage(a, "\"%s\" is not an incident: incident numbers go from 1 to 9223372036854775807",
                             a->argv[0]);
    if (a->argc > need && looks_like_ref(a->argv[0])) {
        ref = a->argv[0];
        wr_args_drop(a, 0, 1);
    }
    if (!ref && a->c->current) {
        *id = a->c->current;
        return 0;
    }
    wr_error err = {0};
    wr_status s = wr_incident_resolve(a->c->store, ref, id, &err);
    if (s != WR_OK && ref && a->c->submit && wr_pending_keeps(s) && wr_incident_parse_ref(ref, id) == 0) {
        /* The console cannot reach the database just now: what the operator typed is kept as written (the
         * store checks the incident when the write lands). */
        return 0;
    }
    if (s != WR_OK) {
        wr_buf_printf(&a->c->err, "%s: %s\n", a->cmd->name, err.msg);
        return wr_status_exit_code(s);
    }
    return 0;
}

int wr_args_number(const char *s, long long max, long long *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*s))
        return -1; /* no sign, no space: strtoll would take them */
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v <= 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

char *wr_args_join(int argc, char **argv)
{
    wr_buf b = {0};
    for (int i = 0; i < argc; i++) {
        if (i)
            wr_buf_putc(&b, ' ');
        wr_buf_puts(&b, argv[i]);
    }
    return wr_buf_steal(&b);
}

int wr_args_fail(wr_cmdctx *c, const char *name, const wr_error *err)
{
    wr_buf_printf(&c->err, "%s: %s\n", name, err->msg);
    return wr_status_exit_code(err->status);
}

int wr_args_is_cli(const wr_cmdctx *c)
{
    return !c->submit && strcmp(c->source, "cli") == 0;
}

void wr_args_flush(wr_cmdctx *c)
{
    if (!wr_args_is_cli(c))
        return;
    if (c->out.len) {
        fputs(wr_buf_str(&c->out), stdout);
        fflush(stdout);
        wr_buf_reset(&c->out);
    }
    if (c->err.len) {
        wr_buf clean = {0};
        wr_text_clean_message(&clean, wr_buf_str(&c->err), wr_text_locale_utf8());
        fputs(wr_buf_str(&clean), stderr);
        fflush(stderr);
        wr_buf_free(&clean);
        wr_buf_reset(&c->err);
    }
}

int wr_args_need_store(wr_cmdctx *c, const char *name)
{
    if (c->store)
        return 0;
    wr_error err = {0};
    c->store = wr_store_open_wait(c->db_path, c->open_flags, c->wait_ms, &err);
    if (!c->store)
        return wr_args_fail(c, name, &err);
    return 0;
}

/* Record a prepared write: handed to the console, or committed now (waiting up to wait_ms). */
int wr_args_submit(wr_args *a, wr_write *w, int64_t *seq, int64_t *result)
{
    wr_cmdctx *c = a->c;
    if (c->submit)
        return wr_status_exit_code((wr_status)c->submit(c, w));
    wr_error err = {0};
    wr_status s = wr_op_commit(c->store, w, c->wait_ms, seq, result, &err);
    if (s != WR_OK)
        return wr_args_fail(c, a->cmd->name, &err);
    return 0;
}

int wr_args_prepared(wr_args *a, wr_status s, const wr_error *err)
{
    if (s == WR_OK)
        return 0;
    if (s == WR_E_INVALID)
        return wr_args_usage(a, "%s", err->msg);
    return wr_args_fail(a->c, a->cmd->name, err);
}

wr_opctx wr_args_opctx(wr_cmdctx *c)
{
    wr_opctx o = {c->store, c->actor, c->source, 0};
    return o;
}

void wr_args_json_ok(wr_buf *o, int64_t inc, int64_t seq)
{
    char ref[32];
    wr_json_doc_begin(o);
    wr_json_key(o, "ok");
    wr_buf_puts(o, "true");
    wr_json_kv_int(o, "incident", inc);
    wr_json_kv_str(o, "ref", wr_incident_ref(inc, ref, sizeof ref));
    wr_json_kv_int(o, "seq", seq);
}

void wr_args_json_end(wr_buf *o)
{
    wr_buf_puts(o, "}\n");
}

/* The entry's number in its incident (docs/store.md); 0 when it cannot be read (the answer then names none). */
static int64_t entry_number(wr_cmdctx *c, int64_t inc, int64_t seq)
{
    int64_t n = 0;
    wr_error err = {0};
    if (!c->store || !seq || wr_store_entry_number(c->store, inc, seq, &n, &err) != WR_OK)
        return 0;
    return n;
}

void wr_args_ok_line(wr_cmdctx *c, int64_t inc, int64_t seq, const char *what)
{
    if (c->json) {
        wr_args_json_ok(&c->out, inc, seq);
        int64_t n = entry_number(c, inc, seq);
        if (n)
            wr_json_kv_int(&c->out, "n", n);
        wr_args_json_end(&c->out);
    } else if (!c->submit) {
        int64_t n = entry_number(c, inc, seq);
        if (n)
            wr_buf_printf(&c->out, "INC-%lld: %s (#%lld)\n", (long long)inc, what, (long long)n);
        else
            wr_buf_printf(&c->out, "INC-%lld: %s\n", (long long)inc, what);
    }
}

int wr_args_entry(wr_args *a, const char *word, int64_t inc, int64_t *n, int64_t *seq)
{
    const char *d = word[0] == '#' ? word + 1 : word;
    long long v;
    if (wr_args_number(d, INT64_MAX, &v) != 0)
        return wr_args_usage(a, "\"%s\" is not an entry number (as `warroom tail` shows them: #1 is the "
                                "incident's first entry)", word);
    wr_error err = {0};
    if (wr_store_entry_seq(a->c->store, inc, v, seq, &err) != WR_OK)
        return wr_args_fail(a->c, a->cmd->name, &err);
    if (!*seq) {
        int64_t total = 0;
        wr_store_event_count(a->c->store, inc, &total, &err);
        err.status = WR_E_NOTFOUND;
        snprintf(err.msg, sizeof err.msg, "INC-%lld has no timeline entry #%lld (its entries are #1 to #%lld)",
                 (long long)inc, v, (long long)total);
        return wr_args_fail(a->c, a->cmd->name, &err);
    }
    *n = v;
    return 0;
}

int wr_args_incident_entry(wr_args *a, int64_t *inc, int64_t *n, int64_t *seq)
{
    int r = wr_args_incident(a, 1, inc);
    if (r)
        return r;
    if (a->argc != 1)
        return wr_args_usage(a, "give the timeline entry number (as shown by `warroom tail`)");
    return wr_args_entry(a, a->argv[0], *inc, n, seq);
}
