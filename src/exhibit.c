/* SPDX-License-Identifier: MIT */
/* exhibit.c - commands run and files attached as evidence: their event kinds, operations and reads
 * (exhibit.h, docs/evidence.md). The bytes themselves are kept by the store beside the event (store.h:
 * wr_write.blob); the payload names their hash, and the hash of everything the command wrote. */
#include "kinds_int.h"

#include "warroom/clock.h"
#include "warroom/evkind.h"
#include "warroom/exhibit.h"
#include "warroom/json.h"
#include "warroom/postmortem.h"
#include "warroom/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTE_MAX 16384

/* ---- quoting ---- */

static int plain_word(const char *s)
{
    if (!*s)
        return 0;
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-", *p))
            return 0;
    return 1;
}

void wr_exhibit_quote(wr_buf *out, int argc, char *const *argv)
{
    wr_buf_puts(out, "");
    for (int i = 0; i < argc; i++) {
        if (i)
            wr_buf_putc(out, ' ');
        if (plain_word(argv[i])) {
            wr_buf_puts(out, argv[i]);
            continue;
        }
        wr_buf_putc(out, '\'');
        for (const char *p = argv[i]; *p; p++) {
            if (*p == '\'')
                wr_buf_puts(out, "'\\''");
            else
                wr_buf_putc(out, *p);
        }
        wr_buf_putc(out, '\'');
    }
}

/* ---- operations ---- */

/* The rules that fired, "a, b" ("" if none). */
static void fired_list(wr_buf *out, const wr_redactor *r, const unsigned char *a, const unsigned char *b)
{
    wr_buf_puts(out, "");
    for (size_t k = 0; r && k < r->n; k++) {
        if ((a && a[k]) || (b && b[k])) {
            if (out->len)
                wr_buf_puts(out, ", ");
            wr_buf_puts(out, r->v[k].name);
        }
    }
}

static void put_evidence(wr_buf *p, const wr_capture_result *res)
{
    wr_json_kv_int(p, "size", (long long)res->size);
    wr_json_kv_str(p, "sha256", res->sha256);
    wr_json_key(p, "evidence");
    wr_buf_putc(p, '{');
    wr_json_kv_int(p, "bytes", (long long)res->nstored);
    wr_json_kv_str(p, "sha256", res->stored_sha256);
    wr_json_key(p, "binary");
    wr_buf_puts(p, res->binary ? "true" : "false");
    wr_json_key(p, "truncated");
    wr_buf_puts(p, res->truncated ? "true" : "false");
    if (res->truncated) {
        wr_json_kv_int(p, "head", (long long)res->head);
        wr_json_kv_int(p, "omitted", (long long)res->omitted);
    }
    wr_buf_putc(p, '}');
}

/* The note, redacted, into the payload (rules that fired into fired). */
static wr_status put_note(wr_buf *p, const char *note, const wr_redactor *r, unsigned char *fired, wr_error *err)
{
    if (!note)
        return WR_OK;
    if (strlen(note) > NOTE_MAX)
        return wr_error_set(err, WR_E_INVALID, "the note is too long (at most %d bytes)", NOTE_MAX);
    wr_buf red = {0};
    wr_redact_all(r, note, strlen(note), &red, fired);
    wr_json_kv_str(p, "note", wr_buf_str(&red));
    wr_buf_free(&red);
    return WR_OK;
}

static void finish(const wr_opctx *c, wr_write *w, int64_t inc, const char *kind, wr_buf *p,
                   wr_capture_result *res, const char *what)
{
    wr_write_init(w, c->actor, c->source, inc, kind, wr_buf_steal(p));
    w->occurred_at = c->occurred_at;
    w->blob = res->stored;
    w->nblob = res->nstored;
    res->stored = NULL;
    res->nstored = 0;
    char ref[32];
    w->describe = wr_xasprintf("%s on %s", what, wr_incident_ref(inc, ref, sizeof ref));
}

wr_status wr_op_command_run(const wr_opctx *c, int64_t inc, const wr_run_record *run, const wr_redactor *r,
                            wr_capture_result *res, wr_write *w, wr_error *err)
{
    if (run->argc < 1 || !run->argv[0][0])
        return wr_error_set(err, WR_E_INVALID, "no command to record");
    unsigned char *fired = wr_xcalloc((r ? r->n : 0) + 1, 1);
    wr_buf cmd = {0}, red = {0}, p = {0}, rules = {0};
    wr_exhibit_quote(&cmd, run->argc, run->argv);
    wr_redact_all(r, cmd.s, cmd.len, &red, fired);
    wr_buf_putc(&p, '{');
    wr_json_kv_int(&p, "status", run->status);
    if (run->exited)
        wr_json_kv_int(&p, "exit", run->exit_code);
    if (run->signal > 0) {
        wr_json_kv_int(&p, "signal", run->signal);
        if (run->signal_name)
            wr_json_kv_str(&p, "signal_name", run->signal_name);
    }
    if (run->error)
        wr_json_kv_str(&p, "error", run->error);
    wr_json_kv_int(&p, "started_at", run->started_at);
    wr_json_kv_int(&p, "ended_at", run->ended_at);
    wr_json_kv_int(&p, "duration_ms", run->duration_ms);
    wr_json_key(&p, "tty");
    wr_buf_puts(&p, run->tty ? "true" : "false");
    put_evidence(&p, res);
    wr_status s = put_note(&p, run->note, r, fired, err);
    if (s == WR_OK) {
        fired_list(&rules, r, fired, res->fired);
        wr_json_kv_str(&p, "redacted", wr_buf_str(&rules));
        wr_json_kv_str(&p, "host", run->host ? run->host : "");
        wr_json_kv_str(&p, "cwd", run->cwd ? run->cwd : "");
        wr_json_kv_str(&p, "command", wr_buf_str(&red));
        wr_buf tail = {0};
        wr_capture_tail_lines(&tail, res->stored, res->nstored, res->binary, WR_EXHIBIT_TAIL_LINES,
                              WR_EXHIBIT_TAIL_BYTES);
        wr_json_kv_str(&p, "tail", wr_buf_str(&tail));
        wr_buf_free(&tail);
        wr_buf_putc(&p, '}');
        finish(c, w, inc, wr_evkind_names[WR_EV_COMMAND_RUN], &p, res, "command run");
    }
    free(fired);
    wr_buf_free(&cmd);
    wr_buf_free(&red);
    wr_buf_free(&p);
    wr_buf_free(&rules);
    return s;
}

wr_status wr_op_file_attach(const wr_opctx *c, int64_t inc, const char *abs_path, int64_t mtime_ms,
                            const char *note, const wr_redactor *r, wr_capture_result *res, wr_write *w,
                            wr_error *err)
{
    if (!abs_path || !*abs_path)
        return wr_error_set(err, WR_E_INVALID, "no file to attach");
    unsigned char *fired = wr_xcalloc((r ? r->n : 0) + 1, 1);
    wr_buf p = {0}, rules = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_int(&p, "mtime", mtime_ms);
    put_evidence(&p, res);
    wr_status s = put_note(&p, note, r, fired, err);
    if (s == WR_OK) {
        fired_list(&rules, r, fired, res->fired);
        wr_json_kv_str(&p, "redacted", wr_buf_str(&rules));
        wr_json_kv_str(&p, "path", abs_path);
        wr_buf_putc(&p, '}');
        finish(c, w, inc, wr_evkind_names[WR_EV_FILE_ATTACHED], &p, res, "file attached");
    }
    free(fired);
    wr_buf_free(&p);
    wr_buf_free(&rules);
    return s;
}

/* ---- the kinds ---- */

static char *pstr(const wr_event *ev, const char *key)
{
    return wr_event_payload_str(ev->payload, key);
}

static long long pint(const wr_event *ev, const char *key, long long dflt)
{
    char *v = pstr(ev, key);
    long long n = v && *v ? strtoll(v, NULL, 10) : dflt;
    free(v);
    return n;
}

static int pbool(const wr_event *ev, const char *key)
{
    char *v = pstr(ev, key);
    int b = v && strcmp(v, "true") == 0;
    free(v);
    return b;
}

/* "0.4 s", "12m" */
static const char *dur_text(int64_t ms, char *buf, size_t size)
{
    if (ms < 60000)
        snprintf(buf, size, "%.1f s", (double)ms / 1000.0);
    else
        wr_duration(ms, buf, size);
    return buf;
}

/* "exit 0", "killed by SIGINT (signal 2)", "not run: command not found" */
static void status_text(const wr_event *ev, wr_buf *b)
{
    char *error = pstr(ev, "error"), *sig = pstr(ev, "signal_name");
    long long signal = pint(ev, "signal", 0);
    if (error)
        wr_buf_printf(b, "not run (%s), status %lld", error, pint(ev, "status", 127));
    else if (signal > 0)
        wr_buf_printf(b, "killed by %s (signal %lld)", sig ? sig : "a signal", signal);
    else
        wr_buf_printf(b, "exit %lld", pint(ev, "exit", pint(ev, "status", 0)));
    free(error);
    free(sig);
}

/* ", 3.4 KiB output, sha256 1a2b3c4d5e6f (1.0 MiB kept); redacted: x" */
static void sizes_text(const wr_event *ev, wr_buf *b, const char *what)
{
    char *sha = pstr(ev, "sha256"), *rules = pstr(ev, "redacted");
    wr_buf_puts(b, ", ");
    wr_capture_size(b, (uint64_t)pint(ev, "size", 0));
    wr_buf_printf(b, "%s, sha256 %.12s", what, sha ? sha : "?");
    if (pbool(ev, "truncated")) {
        wr_buf_puts(b, " (");
        wr_capture_size(b, (uint64_t)pint(ev, "bytes", 0));
        wr_buf_puts(b, " kept)");
    }
    if (rules && *rules)
        wr_buf_printf(b, "; redacted: %s", rules);
    free(sha);
    free(rules);
}

static void note_text(const wr_event *ev, wr_buf *b)
{
    char *note = pstr(ev, "note");
    if (note && *note)
        wr_buf_printf(b, " - %s", note);
    free(note);
}

static void describe_run(const wr_event *ev, wr_buf *b)
{
    char *cmd = pstr(ev, "command");
    char d[32];
    wr_buf_printf(b, "ran `%s`: ", cmd ? cmd : "?");
    status_text(ev, b);
    wr_buf_printf(b, ", %s", dur_text(pint(ev, "duration_ms", 0), d, sizeof d));
    sizes_text(ev, b, " output");
    note_text(ev, b);
    free(cmd);
}

static void describe_attached(const wr_event *ev, wr_buf *b)
{
    char *path = pstr(ev, "path");
    wr_buf_printf(b, "attached file %s", path ? path : "?");
    sizes_text(ev, b, "");
    note_text(ev, b);
    free(path);
}

WR_KIND_REQUIRE(check_run, "$.command", "$.status", "$.sha256", "$.evidence.sha256")
WR_KIND_REQUIRE(check_attached, "$.path", "$.sha256", "$.evidence.sha256")

const wr_kind_module wr_kinds_exhibit = {
    "exhibit",
    (const wr_event_kind[]){
        {"command.run", check_run, wr_kind_apply_timeline_only, describe_run},
        {"file.attached", check_attached, wr_kind_apply_timeline_only, describe_attached},
        {NULL, NULL, NULL, NULL},
    },
    NULL, /* no state of its own: the bytes are the store's, never rebuilt */
};

/* ---- reads ---- */

int wr_exhibit_has(const char *kind)
{
    return wr_ev_is(kind, WR_EV_COMMAND_RUN) || wr_ev_is(kind, WR_EV_FILE_ATTACHED);
}

static int take_one(const wr_event *ev, void *ctx)
{
    wr_event *out = ctx;
    wr_event_clear(out);
    *out = *ev;
    out->actor = wr_xstrdup(ev->actor);
    out->os_user = wr_xstrdup(ev->os_user);
    out->origin = wr_xstrdup(ev->origin);
    out->source = wr_xstrdup(ev->source);
    out->kind = wr_xstrdup(ev->kind);
    out->payload = wr_xstrdup(ev->payload);
    return 1;
}

wr_status wr_exhibit_get(wr_store *st, int64_t inc, int64_t seq, wr_exhibit *out, wr_error *err)
{
    memset(out, 0, sizeof *out);
    char ref[32];
    wr_status r = wr_store_events_after(st, inc, seq - 1, 1, take_one, &out->ev, err);
    if (r != WR_OK)
        return r;
    if (out->ev.seq != seq) {
        wr_exhibit_clear(out);
        if (inc)
            return wr_error_set(err, WR_E_NOTFOUND, "%s has no timeline entry #%lld", wr_incident_ref(inc, ref, sizeof ref),
                                (long long)seq);
        return wr_error_set(err, WR_E_NOTFOUND, "there is no timeline entry #%lld", (long long)seq);
    }
    if (!wr_exhibit_has(out->ev.kind)) {
        wr_error_set(err, WR_E_NOTFOUND, "entry #%lld is a %s, which carries no evidence (only commands recorded "
                     "with `warroom run` and files with `warroom attach` do)", (long long)seq, out->ev.kind);
        wr_exhibit_clear(out);
        return WR_E_NOTFOUND;
    }
    r = wr_store_evidence(st, seq, &out->bytes, &out->nbytes, err);
    if (r != WR_OK) {
        if (r == WR_E_NOTFOUND)
            wr_error_set(err, WR_E_CORRUPT, "the evidence of entry #%lld is missing from the database: "
                         "`warroom verify` says more", (long long)seq);
        wr_exhibit_clear(out);
        return err ? err->status : r;
    }
    out->binary = pbool(&out->ev, "binary");
    out->truncated = pbool(&out->ev, "truncated");
    out->head = (size_t)pint(&out->ev, "head", 0);
    out->omitted = (uint64_t)pint(&out->ev, "omitted", 0);
    if (out->head > out->nbytes)
        out->head = out->nbytes;
    return WR_OK;
}

void wr_exhibit_clear(wr_exhibit *x)
{
    wr_event_clear(&x->ev);
    free(x->bytes);
    memset(x, 0, sizeof *x);
}

static void header_line(wr_buf *out, const char *label, const char *raw)
{
    wr_buf_printf(out, "%-9s ", label);
    wr_text_clean(out, raw, strlen(raw), WR_TEXT_ONELINE);
    wr_buf_putc(out, '\n');
}

void wr_exhibit_text(const wr_exhibit *x, wr_buf *out)
{
    const wr_event *ev = &x->ev;
    int run = wr_ev_is(ev->kind, WR_EV_COMMAND_RUN);
    char t1[64], t2[64], d[32];
    wr_buf line = {0};
    char *s;
    if (run) {
        s = pstr(ev, "command");
        header_line(out, "command", s ? s : "?");
        free(s);
        char *host = pstr(ev, "host"), *cwd = pstr(ev, "cwd");
        wr_buf_printf(&line, "%s (%s) on %s in %s", ev->actor, ev->os_user, host ? host : "?", cwd ? cwd : "?");
        header_line(out, "ran by", wr_buf_str(&line));
        free(host);
        free(cwd);
        wr_buf_reset(&line);
        wr_buf_printf(&line, "%s to %s (%s)%s", wr_time_iso(pint(ev, "started_at", 0), t1, sizeof t1),
                      wr_time_iso(pint(ev, "ended_at", 0), t2, sizeof t2),
                      dur_text(pint(ev, "duration_ms", 0), d, sizeof d), pbool(ev, "tty") ? ", on a terminal" : "");
        header_line(out, "when", wr_buf_str(&line));
        wr_buf_reset(&line);
        status_text(ev, &line);
        header_line(out, "status", wr_buf_str(&line));
    } else {
        s = pstr(ev, "path");
        header_line(out, "file", s ? s : "?");
        free(s);
        wr_buf_printf(&line, "%s (%s) at %s; modified %s", ev->actor, ev->os_user,
                      wr_time_iso(ev->occurred_at, t1, sizeof t1), wr_time_iso(pint(ev, "mtime", 0), t2, sizeof t2));
        header_line(out, "attached", wr_buf_str(&line));
    }
    wr_buf_reset(&line);
    s = pstr(ev, "sha256");
    wr_capture_size(&line, (uint64_t)pint(ev, "size", 0));
    wr_buf_printf(&line, " (%lld bytes), sha256 %s", pint(ev, "size", 0), s ? s : "?");
    header_line(out, run ? "output" : "contents", wr_buf_str(&line));
    free(s);
    wr_buf_reset(&line);
    wr_capture_size(&line, x->nbytes);
    wr_buf_printf(&line, "%s%s", x->truncated ? ", the first and last part" : ", all of it",
                  x->binary ? ", binary" : "");
    if (x->truncated)
        wr_buf_printf(&line, " (%llu bytes left out)", (unsigned long long)x->omitted);
    header_line(out, "kept", wr_buf_str(&line));
    s = pstr(ev, "redacted");
    if (s && *s)
        header_line(out, "redacted", s);
    free(s);
    s = pstr(ev, "note");
    if (s && *s)
        header_line(out, "note", s);
    free(s);
    wr_buf_free(&line);
    wr_buf_putc(out, '\n');
    if (!x->nbytes) {
        wr_buf_puts(out, run ? "(no output)\n" : "(empty)\n");
        return;
    }
    size_t head = x->truncated ? x->head : x->nbytes;
    wr_capture_display(out, x->bytes, head, x->binary);
    if (x->truncated) {
        if (out->len && out->s[out->len - 1] != '\n')
            wr_buf_putc(out, '\n');
        wr_buf_printf(out, "[... %llu bytes left out ...]\n", (unsigned long long)x->omitted);
        wr_capture_display(out, x->bytes + head, x->nbytes - head, x->binary);
    }
    if (out->len && out->s[out->len - 1] != '\n')
        wr_buf_putc(out, '\n');
}

wr_status wr_exhibit_pager_text(wr_store *st, int64_t seq, wr_buf *out, wr_error *err)
{
    wr_exhibit x;
    wr_status r = wr_exhibit_get(st, 0, seq, &x, err);
    if (r != WR_OK)
        return r;
    wr_exhibit_text(&x, out);
    wr_exhibit_clear(&x);
    return WR_OK;
}

/* ---- the postmortem ---- */

void wr_exhibit_postmortem_md(wr_buf *o, const wr_event *ev, size_t n)
{
    int any = 0;
    char t[64];
    wr_buf_puts(o, "## Commands run\n\n");
    for (size_t k = 0; k < n; k++) {
        const wr_event *e = &ev[k];
        if (!wr_ev_is(e->kind, WR_EV_COMMAND_RUN))
            continue;
        if (!any)
            wr_buf_puts(o, "| # | When | By | Command | Status | Output |\n|---|---|---|---|---|---|\n");
        any = 1;
        char *cmd = pstr(e, "command"), *sha = pstr(e, "sha256");
        wr_buf st = {0}, size = {0};
        status_text(e, &st);
        wr_capture_size(&size, (uint64_t)pint(e, "size", 0));
        wr_buf_printf(o, "| %lld | %s | ", (long long)e->seq, wr_time_iso(e->occurred_at, t, sizeof t));
        wr_md_escape(o, e->actor, 1);
        wr_buf_puts(o, " | ");
        wr_md_escape(o, cmd ? cmd : "?", 1);
        wr_buf_puts(o, " | ");
        wr_md_escape(o, wr_buf_str(&st), 1);
        wr_buf_printf(o, " | %s, sha256 %.12s |\n", wr_buf_str(&size), sha ? sha : "?");
        free(cmd);
        free(sha);
        wr_buf_free(&st);
        wr_buf_free(&size);
    }
    wr_buf_puts(o, any ? "\n" : "_No command was recorded (`warroom run -- CMD` records one as it runs)._\n\n");
}

void wr_exhibit_postmortem_json(wr_buf *o, const wr_event *ev, size_t n)
{
    int first = 1;
    char t[64];
    wr_json_key(o, "commands");
    wr_buf_putc(o, '[');
    for (size_t k = 0; k < n; k++) {
        const wr_event *e = &ev[k];
        if (!wr_ev_is(e->kind, WR_EV_COMMAND_RUN))
            continue;
        char *cmd = pstr(e, "command"), *sha = pstr(e, "sha256"), *sig = pstr(e, "signal_name"),
             *error = pstr(e, "error");
        wr_buf_puts(o, first ? "{" : ",{");
        first = 0;
        wr_json_kv_int(o, "seq", e->seq);
        wr_json_kv_str(o, "at", wr_time_iso(e->occurred_at, t, sizeof t));
        wr_json_kv_str(o, "by", e->actor);
        wr_json_kv_str(o, "command", cmd ? cmd : "");
        wr_json_kv_int(o, "status", pint(e, "status", 0));
        if (pint(e, "signal", 0) > 0) {
            wr_json_kv_int(o, "signal", pint(e, "signal", 0));
            wr_json_kv_str(o, "signal_name", sig ? sig : "");
        }
        if (error)
            wr_json_kv_str(o, "error", error);
        wr_json_kv_int(o, "duration_ms", pint(e, "duration_ms", 0));
        wr_json_kv_int(o, "size", pint(e, "size", 0));
        wr_json_kv_str(o, "sha256", sha ? sha : "");
        wr_buf_putc(o, '}');
        free(cmd);
        free(sha);
        free(sig);
        free(error);
    }
    wr_buf_putc(o, ']');
}
