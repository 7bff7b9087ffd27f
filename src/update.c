/* update.c - stakeholder updates: CAN template, cadence, the update event and the update command runner. */
#include "kinds_int.h"

#include "warroom/checklist.h"
#include "warroom/clock.h"
#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/policy.h"
#include "warroom/update.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const char *const wr_update_audiences[3] = {"internal", "executive", "customer"};

int wr_update_audience_valid(const char *audience)
{
    for (int i = 0; audience && i < 3; i++)
        if (strcmp(audience, wr_update_audiences[i]) == 0)
            return 1;
    return 0;
}

/* ---- the template ---- */

typedef struct notes {
    wr_buf *out;
    int n;
} notes;

static int note_cb(const wr_event *ev, void *ctx)
{
    notes *ns = ctx;
    if (strcmp(ev->kind, "note") != 0)
        return 0;
    char *text = wr_event_payload_str(ev->payload, "text");
    char t[16];
    wr_buf_printf(ns->out, "  - %s %s: %s\n", wr_time_hms(ev->occurred_at, t, sizeof t), ev->actor, text ? text : "");
    free(text);
    return ++ns->n >= 3;
}

/* A plain-language status for people outside the war room. */
static const char *plain_status(const char *status)
{
    static const struct {
        const char *status, *plain;
    } m[] = {
        {"triage", "We are investigating."},
        {"containment", "We have identified the problem and are working to limit its effect."},
        {"eradication", "The problem is contained; we are removing its cause."},
        {"recovery", "The cause is removed; we are restoring normal service."},
        {"resolved", "The problem is resolved; we are monitoring."},
        {"lessons-learned", "The problem is resolved."},
        {"closed", "The problem is resolved."},
    };
    for (size_t i = 0; i < WR_ARRAY_LEN(m); i++)
        if (strcmp(m[i].status, status) == 0)
            return m[i].plain;
    return "This incident is no longer being worked.";
}

wr_status wr_update_template(wr_store *st, int64_t inc, const char *audience, char **text, wr_error *err)
{
    if (!wr_update_audience_valid(audience))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not an audience: internal, executive or customer",
                            audience ? audience : "");
    wr_incident i;
    wr_status r = wr_incident_get(st, inc, &i, err);
    if (r != WR_OK)
        return r;
    int64_t now = wr_clock_now_ms();
    int internal = strcmp(audience, "internal") == 0, customer = strcmp(audience, "customer") == 0;
    char when[40], decl[40], age[32], due[40];
    wr_buf b = {0};
    wr_buf_printf(&b, "[%s] INC-%lld %s: update for %s, %s UTC\n\n", i.severity, (long long)i.id, i.title,
                  customer ? "customers" : internal ? "the response team" : "executives",
                  wr_lifecycle_time(now, when, sizeof when));
    wr_buf_puts(&b, "CONDITIONS\n");
    if (customer) {
        wr_buf_printf(&b, "%s\n", plain_status(i.status));
    } else {
        const wr_severity_def *sev = wr_policy_severity(i.severity);
        wr_buf_printf(&b, "- Severity %s%s%s; status %s; declared %s UTC (%s ago).\n", i.severity,
                      sev ? ": " : "", sev ? sev->meaning : "", i.status,
                      wr_lifecycle_time(i.declared_at, decl, sizeof decl),
                      wr_lifecycle_duration(now - i.declared_at, age, sizeof age));
    }
    wr_buf_printf(&b, "%sImpact: %s\n", customer ? "" : "- ", *i.impact ? i.impact : "(not yet assessed)");
    if (!customer)
        wr_buf_printf(&b, "- Summary: %s\n", *i.summary ? i.summary : "(none yet)");

    wr_buf_puts(&b, "\nACTIONS\n");
    wr_step_row *steps = NULL;
    size_t nsteps = 0, ndone = 0;
    if (wr_checklist_get(st, inc, &steps, &nsteps, err) == WR_OK) {
        for (size_t k = 0; k < nsteps; k++)
            ndone += strcmp(steps[k].state, "done") == 0;
        if (customer) {
            wr_buf_puts(&b, "Our engineers are working on it.\n");
        } else if (nsteps) {
            wr_buf_printf(&b, "- Runbook steps done: %zu of %zu.\n", ndone, nsteps);
            int shown = 0;
            for (size_t k = 0; k < nsteps; k++)
                if (strcmp(steps[k].state, "done") == 0 && (internal || shown < 3)) {
                    wr_buf_printf(&b, "  - done: %s\n", steps[k].title);
                    shown++;
                }
            shown = 0;
            for (size_t k = 0; k < nsteps && shown < (internal ? 5 : 3); k++)
                if (strcmp(steps[k].state, "todo") == 0 || strcmp(steps[k].state, "in-progress") == 0 ||
                    strcmp(steps[k].state, "blocked") == 0) {
                    wr_buf_printf(&b, "  - %s: %s\n", strcmp(steps[k].state, "todo") == 0 ? "next" : steps[k].state,
                                  steps[k].title);
                    shown++;
                }
        } else {
            wr_buf_puts(&b, "- (describe what is being done)\n");
        }
        wr_checklist_free(steps, nsteps);
    }
    if (internal) {
        wr_role_holder *roles;
        size_t nroles;
        if (wr_roles_list(st, inc, &roles, &nroles, err) == WR_OK && nroles) {
            wr_buf_puts(&b, "- Roles:");
            for (size_t k = 0; k < nroles; k++) {
                const wr_role_def *d = wr_role_find(roles[k].role);
                wr_buf_printf(&b, "%s %s %s", k ? "," : "", d ? d->abbrev : roles[k].role, roles[k].holder);
            }
            wr_buf_puts(&b, ".\n");
            wr_roles_free(roles, nroles);
        }
        wr_buf_puts(&b, "- Latest notes:\n");
        size_t before = b.len;
        notes ns = {&b, 0};
        wr_store_events_before(st, inc, 0, 500, note_cb, &ns, err);
        if (b.len == before)
            wr_buf_puts(&b, "  (none)\n");
    }
    wr_buf_puts(&b, "\nNEEDS\n");
    wr_buf_puts(&b, customer ? "Nothing is needed from you at this time.\n"
                             : "- (what you need from this audience; \"nothing at this time\" if nothing)\n");
    wr_cadence cad;
    if (wr_update_cadence(st, inc, now, &cad, err) == WR_OK && cad.every_ms)
        wr_buf_printf(&b, "\nNext update by %s UTC.\n", wr_lifecycle_time(now + cad.every_ms, due, sizeof due));
    wr_incident_clear(&i);
    *text = wr_buf_steal(&b);
    return WR_OK;
}

/* ---- cadence ---- */

wr_status wr_update_cadence(wr_store *st, int64_t inc, int64_t now, wr_cadence *out, wr_error *err)
{
    memset(out, 0, sizeof *out);
    wr_incident i;
    wr_status r = wr_incident_get(st, inc, &i, err);
    if (r != WR_OK)
        return r;
    const wr_severity_def *sev = wr_policy_severity(i.severity);
    sqlite3_stmt *s = wr_st_stmt(st, "SELECT coalesce(max(occurred_at), 0) FROM events WHERE incident = ?1"
                                     " AND kind = 'update'");
    sqlite3_bind_int64(s, 1, inc);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        out->last_at = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        r = wr_st_read_error(st, rc, err, "reading updates");
    else if (sev && sev->update_every_ms > 0 && wr_status_is_active(i.status)) {
        out->every_ms = sev->update_every_ms;
        out->due_at = (out->last_at ? out->last_at : i.declared_at) + out->every_ms;
        out->left_ms = out->due_at - now;
        out->overdue = out->left_ms < 0;
    }
    wr_incident_clear(&i);
    return r;
}

/* ---- the update event ---- */

wr_status wr_op_update(const wr_opctx *c, int64_t inc, const char *audience, const char *text, wr_write *w,
                       wr_error *err)
{
    if (!wr_update_audience_valid(audience))
        return wr_error_set(err, WR_E_INVALID, "\"%s\" is not an audience: internal, executive or customer",
                            audience ? audience : "");
    size_t n = text ? strlen(text) : 0;
    int blank = 1;
    for (size_t k = 0; k < n; k++)
        if (text[k] != ' ' && text[k] != '\n' && text[k] != '\t' && text[k] != '\r')
            blank = 0;
    if (blank)
        return wr_error_set(err, WR_E_INVALID, "the update is empty: write its text (or - to read it from stdin)");
    if (n > 16384)
        return wr_error_set(err, WR_E_INVALID, "the update is too long (%zu bytes; at most 16384)", n);
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_str(&p, "audience", audience);
    wr_json_kv_str(&p, "text", text);
    wr_buf_putc(&p, '}');
    wr_write_init(w, c->actor, c->source, inc, "update", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("%s update on INC-%lld", audience, (long long)inc);
    return WR_OK;
}

static wr_status apply_update(wr_store *st, wr_write *w, int64_t seq, int64_t at, wr_error *err)
{
    int rc = wr_incident_touch(st, w->incident, seq, at, 0);
    if (rc != SQLITE_OK)
        return wr_st_error(st, rc, err, "recording an update");
    sqlite3_stmt *s;
    if (sqlite3_changes(st->db) == 0)
        return wr_error_set(err, WR_E_NOTFOUND, "there is no incident INC-%lld", (long long)w->incident);
    if (strcmp(w->kind, "update.sent") == 0) {
        int64_t of = wr_st_json_int(st, w->payload, "$.update", 0);
        s = wr_st_stmt(st, "SELECT 1 FROM events WHERE seq = ?1 AND incident = ?2 AND kind = 'update'");
        sqlite3_bind_int64(s, 1, of);
        sqlite3_bind_int64(s, 2, w->incident);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_ROW)
            return wr_error_set(err, WR_E_NOTFOUND, "INC-%lld has no update #%lld", (long long)w->incident,
                                (long long)of);
    }
    return WR_OK;
}


/* ---- running the update command ---- */

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void start_failed(wr_update_run *r, const char *what)
{
    snprintf(r->error, sizeof r->error, "could not start the update command: %s: %s", what, strerror(errno));
    r->finished = 1;
}

void wr_update_start(wr_update_run *r, const char *command, const char *incident_ref, const char *audience,
                     const char *severity, const char *text, int timeout_ms)
{
    memset(r, 0, sizeof *r);
    r->in_fd = r->out_fd = -1;
    r->exit_code = -1;
    r->timeout_ms = timeout_ms > 0 ? timeout_ms : WR_UPDATE_TIMEOUT_DEFAULT_S * 1000;
    r->text = wr_xstrdup(text ? text : "");
    r->text_len = strlen(r->text);
    if (!command || !*command) {
        snprintf(r->error, sizeof r->error, "no update_command is configured");
        r->finished = 1;
        return;
    }
    /* The environment, prepared before fork: ours without any WARROOM_INCIDENT/AUDIENCE/SEVERITY, plus them. */
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **envp = wr_xcalloc(n + 4, sizeof *envp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!wr_startswith(environ[i], "WARROOM_INCIDENT=") && !wr_startswith(environ[i], "WARROOM_AUDIENCE=") &&
            !wr_startswith(environ[i], "WARROOM_SEVERITY="))
            envp[k++] = environ[i];
    char *e1 = wr_xasprintf("WARROOM_INCIDENT=%s", incident_ref ? incident_ref : "");
    char *e2 = wr_xasprintf("WARROOM_AUDIENCE=%s", audience ? audience : "");
    char *e3 = wr_xasprintf("WARROOM_SEVERITY=%s", severity ? severity : "");
    envp[k++] = e1;
    envp[k++] = e2;
    envp[k++] = e3;
    envp[k] = NULL;
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    if (pipe(in) != 0 || pipe(out) != 0) {
        start_failed(r, "pipe");
    } else {
        long maxfd = sysconf(_SC_OPEN_MAX);
        if (maxfd < 0 || maxfd > 4096)
            maxfd = 4096;
        pid_t pid = fork();
        if (pid == 0) {
            /* The child: its own process group (so a timeout kills what it started too), default signals. */
            setpgid(0, 0);
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            signal(SIGPIPE, SIG_DFL);
            signal(SIGINT, SIG_DFL);
            signal(SIGTERM, SIG_DFL);
            if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(out[1], 2) < 0)
                _exit(127);
            for (long fd = 3; fd < maxfd; fd++)
                close((int)fd);
            execve("/bin/sh", argv, envp);
            _exit(127);
        }
        if (pid < 0) {
            start_failed(r, "fork");
        } else {
            setpgid(pid, pid); /* also here: no race with the kill at the deadline */
            r->pid = pid;
            r->in_fd = in[1];
            r->out_fd = out[0];
            in[1] = out[0] = -1;
            set_nonblock(r->in_fd);
            set_nonblock(r->out_fd);
            r->deadline = wr_clock_mono_ms() + r->timeout_ms;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (out[i] >= 0)
            close(out[i]);
    }
    free(e1);
    free(e2);
    free(e3);
    free(envp);
    if (r->pid && r->text_len == 0) {
        close(r->in_fd);
        r->in_fd = -1;
    }
}

int wr_update_pollfds(const wr_update_run *r, struct pollfd fds[2])
{
    int n = 0;
    if (r->finished)
        return 0;
    if (r->in_fd >= 0) {
        fds[n].fd = r->in_fd;
        fds[n].events = POLLOUT;
        fds[n++].revents = 0;
    }
    if (r->out_fd >= 0) {
        fds[n].fd = r->out_fd;
        fds[n].events = POLLIN;
        fds[n++].revents = 0;
    }
    return n;
}

int wr_update_wait_ms(const wr_update_run *r)
{
    if (r->finished)
        return 0;
    if (r->in_fd < 0 && r->out_fd < 0)
        return 10; /* waiting for it to exit */
    int64_t left = r->deadline - wr_clock_mono_ms();
    return left < 0 ? 0 : left > 1000 ? 1000 : (int)left;
}

/* write() that turns a reader gone away into EPIPE, never a SIGPIPE that would end warroom. */
static ssize_t write_nosigpipe(int fd, const char *p, size_t n)
{
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE);
    sigprocmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t w = write(fd, p, n);
    int saved = errno;
    if (w < 0 && errno == EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return w;
}

static void reap(wr_update_run *r, int options)
{
    if (!r->pid)
        return;
    int status;
    pid_t got;
    do
        got = waitpid(r->pid, &status, options);
    while (got < 0 && errno == EINTR);
    if (got == r->pid || (got < 0 && errno == ECHILD)) {
        if (got == r->pid) {
            if (WIFEXITED(status))
                r->exit_code = WEXITSTATUS(status);
            else if (WIFSIGNALED(status))
                r->signal = WTERMSIG(status);
        }
        r->pid = 0;
    }
}

int wr_update_pump(wr_update_run *r)
{
    if (r->finished)
        return 1;
    if (r->in_fd >= 0) {
        while (r->text_off < r->text_len) {
            ssize_t w = write_nosigpipe(r->in_fd, r->text + r->text_off, r->text_len - r->text_off);
            if (w > 0) {
                r->text_off += (size_t)w;
                continue;
            }
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            r->text_off = r->text_len; /* EPIPE: it does not read its input; that is its business */
        }
        if (r->text_off >= r->text_len) {
            close(r->in_fd);
            r->in_fd = -1;
        }
    }
    if (r->out_fd >= 0) {
        char buf[4096];
        for (;;) {
            ssize_t got = read(r->out_fd, buf, sizeof buf);
            if (got > 0) {
                size_t room = r->output.len < WR_UPDATE_OUTPUT_MAX ? WR_UPDATE_OUTPUT_MAX - r->output.len : 0;
                size_t take = (size_t)got < room ? (size_t)got : room;
                if (take)
                    wr_buf_append(&r->output, buf, take);
                if (take < (size_t)got)
                    r->truncated = 1;
                continue;
            }
            if (got < 0 && errno == EINTR)
                continue;
            if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                close(r->out_fd);
                r->out_fd = -1;
            }
            break;
        }
    }
    reap(r, WNOHANG);
    if (r->pid && wr_clock_mono_ms() >= r->deadline && !r->timed_out) {
        /* Past its time: kill the process group, stop listening, reap (SIGKILL cannot be ignored). */
        r->timed_out = 1;
        kill(-r->pid, SIGKILL);
        if (r->in_fd >= 0)
            close(r->in_fd);
        if (r->out_fd >= 0)
            close(r->out_fd);
        r->in_fd = r->out_fd = -1;
        reap(r, WNOHANG); /* if not yet, a later pump reaps it */
    } else if (!r->pid && r->out_fd >= 0 && wr_clock_mono_ms() >= r->deadline) {
        /* It exited but something it started still holds its output open: stop listening. */
        close(r->out_fd);
        r->out_fd = -1;
    }
    if (!r->pid && r->out_fd < 0) {
        if (r->in_fd >= 0) {
            close(r->in_fd);
            r->in_fd = -1;
        }
        r->finished = 1;
    }
    return r->finished;
}

void wr_update_wait(wr_update_run *r)
{
    while (!wr_update_pump(r)) {
        struct pollfd fds[2];
        int n = wr_update_pollfds(r, fds);
        poll(fds, (nfds_t)n, wr_update_wait_ms(r));
    }
}

wr_status wr_update_finish(const wr_update_run *r, const wr_opctx *c, int64_t inc, int64_t update_seq,
                           wr_write *w, wr_error *err)
{
    if (!r->finished)
        return wr_error_set(err, WR_E_INVALID, "the update command has not finished yet");
    wr_buf p = {0};
    wr_buf_putc(&p, '{');
    wr_json_kv_int(&p, "update", update_seq);
    int ok = !r->error[0] && !r->timed_out && r->exit_code == 0;
    wr_json_kv_str(&p, "result", ok ? "sent" : r->error[0] ? "error" : r->timed_out ? "timeout" : "failed");
    if (r->error[0])
        wr_json_kv_str(&p, "error", r->error);
    if (r->exit_code >= 0)
        wr_json_kv_int(&p, "exit", r->exit_code);
    if (r->signal && !r->timed_out)
        wr_json_kv_int(&p, "signal", r->signal);
    if (r->timed_out)
        wr_json_kv_int(&p, "timeout_ms", r->timeout_ms);
    /* The output is recorded as text: invalid UTF-8 is kept byte for byte by the JSON writer and cleaned
     * whenever it is shown. */
    wr_json_kv_str(&p, "output", wr_buf_str(&r->output));
    if (r->truncated)
        wr_json_kv_int(&p, "truncated", 1);
    wr_buf_putc(&p, '}');
    (void)err;
    wr_write_init(w, c->actor, c->source, inc, "update.sent", wr_buf_steal(&p));
    w->occurred_at = c->occurred_at;
    w->describe = wr_xasprintf("result of update #%lld on INC-%lld", (long long)update_seq, (long long)inc);
    return WR_OK;
}

void wr_update_free(wr_update_run *r)
{
    if (r->pid) {
        kill(-r->pid, SIGKILL);
        reap(r, 0);
    }
    if (r->in_fd >= 0)
        close(r->in_fd);
    if (r->out_fd >= 0)
        close(r->out_fd);
    r->in_fd = r->out_fd = -1;
    wr_buf_free(&r->output);
    free(r->text);
    r->text = NULL;
}

/* ---- describing ---- */

static void describe_update(const wr_event *ev, wr_buf *out)
{
    {
        char *aud = wr_event_payload_str(ev->payload, "audience");
        char *text = wr_event_payload_str(ev->payload, "text");
        wr_buf_printf(out, "update to %s: %s", aud ? aud : "?", text ? text : "");
        free(aud);
        free(text);
    }
}

static void describe_sent(const wr_event *ev, wr_buf *out)
{
    char *of = wr_event_payload_str(ev->payload, "update");
    char *result = wr_event_payload_str(ev->payload, "result");
    char *code = wr_event_payload_str(ev->payload, "exit");
    char *sig = wr_event_payload_str(ev->payload, "signal");
    char *tmo = wr_event_payload_str(ev->payload, "timeout_ms");
    char *error = wr_event_payload_str(ev->payload, "error");
    char *output = wr_event_payload_str(ev->payload, "output");
    if (result && strcmp(result, "sent") == 0) {
        wr_buf_printf(out, "update #%s sent (exit 0)", of ? of : "?");
    } else {
        wr_buf_printf(out, "update #%s NOT sent: ", of ? of : "?");
        if (error)
            wr_buf_puts(out, error);
        else if (tmo)
            wr_buf_printf(out, "the update command was stopped after %llds (update_timeout)",
                          (strtoll(tmo, NULL, 10) + 999) / 1000);
        else if (sig)
            wr_buf_printf(out, "the update command was killed by signal %s", sig);
        else
            wr_buf_printf(out, "the update command exited with %s", code ? code : "?");
    }
    if (output) {
        size_t len = strlen(output);
        while (len && (output[len - 1] == '\n' || output[len - 1] == ' ' || output[len - 1] == '\r'))
            output[--len] = '\0';
        size_t n = strcspn(output, "\n");
        if (len)
            wr_buf_printf(out, ": %.*s%s", (int)(n > 200 ? 200 : n), output, n < len || n > 200 ? " ..." : "");
    }
    free(of);
    free(result);
    free(code);
    free(sig);
    free(tmo);
    free(error);
    free(output);
}

WR_KIND_REQUIRE(check_update, "$.audience", "$.text")
WR_KIND_REQUIRE(check_sent, "$.update", "$.result")

const wr_kind_module wr_kinds_update = {
    "update",
    (const wr_event_kind[]){
        {"update", check_update, apply_update, describe_update},
        {"update.sent", check_sent, apply_update, describe_sent},
        {NULL, NULL, NULL, NULL},
    },
    "",
};
