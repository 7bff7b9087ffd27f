/* SPDX-License-Identifier: MIT */
/* cmd_alert_http.c - `warroom alert --http`: one HTTP/1.1 connection on stdin/stdout, the inetd and systemd
 * `Accept=yes` way (docs/alerts.md). The request is read with a deadline and limits (http.h), checked
 * (bearer token, method, path), its body taken in alert by alert (alert_intake.h), and answered with a small
 * JSON summary. Every way out answers the client, or closes the connection when there is nothing to answer;
 * nothing waits without a deadline. What happened is logged to stderr, or to syslog when stderr is the
 * connection itself (xinetd). */
#include "cmd_alert.h"

#include "warroom/alert_intake.h"
#include "warroom/clock.h"
#include "warroom/config.h"
#include "warroom/http.h"
#include "warroom/json.h"
#include "warroom/text.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S 30
#define LINGER_MS 500
#define LOG_REJECTS 20 /* refusals logged one by one; the rest as a count */

typedef struct conn {
    int use_syslog;
    char what[128]; /* "POST /alerts/am-eu", for the log */
    int64_t deadline;
    int status;     /* answered with */
} conn;

static void log_line(conn *k, int prio, const char *fmt, ...) WR_PRINTF(3, 4);
static void log_line(conn *k, int prio, const char *fmt, ...)
{
    wr_buf raw = {0}, line = {0};
    va_list ap;
    va_start(ap, fmt);
    wr_buf_vprintf(&raw, fmt, ap);
    va_end(ap);
    /* Text from the request never drives the terminal the log is read on. */
    wr_text_clean(&line, wr_buf_str(&raw), raw.len, WR_TEXT_ONELINE);
    if (k->use_syslog)
        syslog(prio, "%s", wr_buf_str(&line));
    else
        fprintf(stderr, "warroom alert --http: %s\n", wr_buf_str(&line));
    wr_buf_free(&raw);
    wr_buf_free(&line);
}

static int same_file(int a, int b)
{
    struct stat sa, sb;
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int is_socket(int fd)
{
    struct stat sb;
    return fstat(fd, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

static int remaining(const conn *k)
{
    int64_t left = k->deadline - wr_clock_mono_ms();
    return left > 0 ? (int)(left > 60000 ? 60000 : left) : 0;
}

/* Write all of data before the deadline. 0, or -1 (the client went away or does not read). */
static int write_all(conn *k, const char *data, size_t len)
{
    while (len) {
        struct pollfd p = {STDOUT_FILENO, POLLOUT, 0};
        int t = remaining(k);
        if (t == 0)
            return -1;
        int pr = poll(&p, 1, t);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            return -1;
        ssize_t n = write(STDOUT_FILENO, data, len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static void answer(conn *k, int status, const char *extra, const char *json)
{
    wr_buf out = {0};
    k->status = status;
    wr_http_response(&out, status, extra, "application/json", json, strlen(json));
    /* The answer gets a fresh few seconds even when the request used up its time. */
    int64_t floor = wr_clock_mono_ms() + 5000;
    if (k->deadline < floor)
        k->deadline = floor;
    if (write_all(k, out.s, out.len) != 0)
        log_line(k, LOG_WARNING, "%s: the client did not take the %d answer", k->what, status);
    wr_buf_free(&out);
}

static void answer_error(conn *k, int status, const char *extra, const char *why)
{
    wr_buf j = {0};
    wr_buf_putc(&j, '{');
    wr_json_key(&j, "ok");
    wr_buf_puts(&j, "false");
    wr_json_kv_int(&j, "status", status);
    wr_json_kv_str(&j, "error", why);
    wr_buf_puts(&j, "}\n");
    answer(k, status, extra, wr_buf_str(&j));
    log_line(k, status >= 500 ? LOG_ERR : LOG_WARNING, "%s: %d %s: %s", k->what[0] ? k->what : "(no request)",
             status, wr_http_status_text(status), why);
    wr_buf_free(&j);
}

/* After answering: close our side, and read what the client still sends for a moment, so that closing a
 * socket with unread bytes does not reset the connection before the client has read the answer. */
static void linger(void)
{
    if (!is_socket(STDIN_FILENO))
        return;
    shutdown(STDOUT_FILENO, SHUT_WR);
    int64_t end = wr_clock_mono_ms() + LINGER_MS;
    char buf[16384];
    size_t total = 0;
    while (total < 4 * 1024 * 1024) {
        int64_t left = end - wr_clock_mono_ms();
        struct pollfd p = {STDIN_FILENO, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break;
        total += (size_t)n;
    }
}

/* The bearer token from its file: 0 (token may be NULL: none configured), or -1 with a reason. */
static int load_token(const char *path, char **token, wr_buf *why)
{
    *token = NULL;
    if (!path)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        wr_buf_printf(why, "cannot read the token file %s: %s", path, strerror(errno));
        return -1;
    }
    char buf[4097];
    size_t n = 0;
    ssize_t got;
    while (n < sizeof buf - 1 && ((got = read(fd, buf + n, sizeof buf - 1 - n)) > 0 || (got < 0 && errno == EINTR)))
        if (got > 0)
            n += (size_t)got;
    close(fd);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        n--;
    if (n == 0 || n >= 4096 || memchr(buf, '\n', n) || memchr(buf, '\0', n)) {
        wr_buf_printf(why, "the token file %s must hold one line of 1-4095 bytes", path);
        return -1;
    }
    *token = wr_xstrndup(buf, n);
    return 0;
}

/* The source a path names: "/", "/alerts" -> dflt; "/alerts/NAME" -> NAME. NULL when no such path. */
static char *source_of(const char *path, const char *dflt)
{
    if (strcmp(path, "/") == 0 || strcmp(path, "/alerts") == 0 || strcmp(path, "/alerts/") == 0)
        return wr_xstrdup(dflt ? dflt : "alertmanager");
    if (strncmp(path, "/alerts/", 8) != 0)
        return NULL;
    const char *name = path + 8;
    size_t n = strlen(name);
    char *s = wr_xstrndup(name, n && name[n - 1] == '/' ? n - 1 : n);
    if (!wr_cmd_alert_source_ok(s)) {
        free(s);
        return NULL;
    }
    return s;
}

/* Check the head: 0 to go on reading the body, or the status to answer (with why). */
static int check_head(const wr_http_req *r, const char *token, const char *dflt, char **source, const char **why)
{
    if (token) {
        size_t n = 0;
        const char *given = wr_http_bearer(r->authorization, &n);
        if (!given || !wr_http_secret_equal(given, n, token, strlen(token))) {
            *why = given ? "wrong bearer token" : "this receiver wants \"Authorization: Bearer TOKEN\"";
            return 401;
        }
    }
    if (strcmp(r->method, "POST") != 0) {
        *why = "alerts are sent with POST";
        return 405;
    }
    char *path = wr_http_path(r);
    *source = source_of(path, dflt);
    free(path);
    if (!*source) {
        *why = "no such path: POST to /alerts or /alerts/SOURCE (SOURCE: 1-64 of A-Z a-z 0-9 . _ -)";
        return 404;
    }
    return 0;
}

/* Read one request before the deadline. Returns WR_HTTP_DONE or WR_HTTP_ERROR (r->status 0: the client
 * sent nothing and left, or went away). At the head, calls check_head; a refusal ends the reading. */
static int read_request(conn *k, wr_http_req *r, const char *token, const char *dflt, char **source,
                        const char **why, int *head_status)
{
    char buf[65536];
    *head_status = 0;
    for (;;) {
        struct pollfd p = {STDIN_FILENO, POLLIN, 0};
        int t = remaining(k);
        int pr = t ? poll(&p, 1, t) : 0;
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            return wr_http_fail(r, 408, "the request did not arrive in time");
        if (pr < 0)
            return wr_http_fail(r, 400, "cannot read the request");
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n < 0) {
            r->status = 0; /* the connection broke: nobody to answer */
            return WR_HTTP_ERROR;
        }
        if (n == 0)
            return wr_http_eof(r);
        size_t off = 0;
        for (;;) {
            /* After the head, feed the rest (maybe nothing: an empty body is complete at once). */
            size_t used = 0;
            int rc = wr_http_feed(r, buf + off, (size_t)n - off, &used);
            off += used;
            if (rc == WR_HTTP_HEAD) {
                snprintf(k->what, sizeof k->what, "%s %.100s", r->method, r->target);
                if ((*head_status = check_head(r, token, dflt, source, why)) != 0)
                    return WR_HTTP_ERROR;
                if (r->expect_continue) {
                    static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
                    if (write_all(k, cont, sizeof cont - 1) != 0)
                        return WR_HTTP_ERROR;
                }
                continue;
            }
            if (rc != WR_HTTP_MORE)
                return rc;
            break;
        }
    }
}

static int store_status(wr_status s)
{
    return s == WR_E_BUSY || s == WR_E_FULL || s == WR_E_IO ? 503 : 500;
}

static void kv_bool(wr_buf *j, const char *key, int v)
{
    wr_json_key(j, key);
    wr_buf_puts(j, v ? "true" : "false");
}

static void summary(wr_buf *j, const char *source, const wr_intake *t)
{
    wr_buf_putc(j, '{');
    kv_bool(j, "ok", t->status == WR_OK);
    wr_json_kv_str(j, "source", source);
    wr_json_kv_str(j, "format", t->format);
    wr_json_kv_int(j, "received", t->received);
    wr_json_kv_int(j, "landed", t->landed);
    wr_json_kv_int(j, "not_landed", t->not_landed);
    wr_json_kv_int(j, "rejected", t->rejected);
    wr_json_kv_int(j, "dropped", t->dropped);
    wr_json_kv_int(j, "noted", t->noted);
    wr_json_kv_int(j, "new", t->outcome.new_);
    wr_json_kv_int(j, "folded", t->outcome.folded);
    wr_json_kv_int(j, "refired", t->outcome.refired);
    wr_json_kv_int(j, "renotified", t->outcome.renotified);
    wr_json_kv_int(j, "resolved", t->outcome.resolved);
    wr_json_kv_int(j, "duplicate", t->outcome.duplicate);
    wr_json_kv_int(j, "truncated_alerts", t->truncated);
    if (t->status != WR_OK)
        wr_json_kv_str(j, "error", t->err.msg);
    wr_json_key(j, "batches");
    wr_buf_putc(j, '[');
    for (size_t i = 0; i < t->nbatches; i++) {
        wr_buf_puts(j, i ? ",{" : "{");
        wr_json_kv_int(j, "first", (long long)t->batches[i].first);
        wr_json_kv_int(j, "last", (long long)t->batches[i].last);
        wr_json_kv_int(j, "alerts", (long long)t->batches[i].n);
        kv_bool(j, "landed", t->batches[i].landed);
        wr_json_kv_int(j, "seq", t->batches[i].seq);
        wr_buf_putc(j, '}');
    }
    wr_buf_putc(j, ']');
    wr_json_key(j, "rejects");
    wr_buf_putc(j, '[');
    for (size_t i = 0; i < t->nrejects; i++) {
        wr_buf_puts(j, i ? ",{" : "{");
        wr_json_kv_int(j, "index", (long long)t->rejects[i].index);
        wr_json_kv_str(j, "reason", t->rejects[i].text);
        wr_buf_putc(j, '}');
    }
    wr_buf_putc(j, ']');
    wr_json_key(j, "notes");
    wr_buf_putc(j, '[');
    for (size_t i = 0; i < t->nnotes; i++) {
        wr_buf_puts(j, i ? ",{" : "{");
        wr_json_kv_int(j, "index", (long long)t->notes[i].index);
        wr_json_kv_value(j, "notes", t->notes[i].text);
        wr_buf_putc(j, '}');
    }
    wr_buf_putc(j, ']');
    if (t->ndrops) {
        wr_json_key(j, "dropped_by");
        wr_buf_putc(j, '{');
        for (size_t i = 0; i < t->ndrops; i++)
            wr_json_kv_int(j, t->drop_rules[i], t->drop_counts[i]);
        wr_buf_putc(j, '}');
    }
    wr_buf_puts(j, "}\n");
}

static void log_intake(conn *k, const char *source, const wr_intake *t)
{
    log_line(k, t->status == WR_OK ? LOG_INFO : LOG_ERR,
             "%s: %d: source %s, %ld alerts: %ld landed (%d new, %d folded, %d fired again, %d resolved, %d repeated)"
             ", %ld rejected, %ld dropped, %ld with changes%s%s", k->what, k->status, source, t->received, t->landed,
             t->outcome.new_, t->outcome.folded, t->outcome.refired, t->outcome.resolved,
             t->outcome.renotified + t->outcome.duplicate, t->rejected, t->dropped, t->noted,
             t->status == WR_OK ? "" : "; stopped: ", t->status == WR_OK ? "" : t->err.msg);
    for (size_t i = 0; i < t->nrejects && i < LOG_REJECTS; i++)
        log_line(k, LOG_WARNING, "%s: refused %s", k->what, t->rejects[i].text);
    if (t->rejected > LOG_REJECTS)
        log_line(k, LOG_WARNING, "%s: ... and %ld more refused", k->what, t->rejected - LOG_REJECTS);
    if (t->truncated)
        log_line(k, LOG_WARNING, "%s: Alertmanager left out %ld alerts of this group (its max_alerts)", k->what,
                 t->truncated);
}

int wr_cmd_alert_http(wr_args *a, const wr_cmd_alert_http_opts *o)
{
    wr_cmdctx *c = a->c;
    conn k = {0};
    signal(SIGPIPE, SIG_IGN);
    k.use_syslog = same_file(STDERR_FILENO, STDOUT_FILENO) && is_socket(STDERR_FILENO);
    if (k.use_syslog)
        openlog("warroom-alert", LOG_PID, LOG_DAEMON);
    long timeout_s = DEFAULT_TIMEOUT_S, max_mib = WR_HTTP_MAX_BODY / (1024 * 1024);
    char *end;
    if (o->timeout && ((timeout_s = strtol(o->timeout, &end, 10)) < 1 || timeout_s > 3600 || *end))
        return wr_args_usage(a, "--timeout takes seconds (1-3600)");
    if (o->max_body && ((max_mib = strtol(o->max_body, &end, 10)) < 1 || max_mib > 1024 || *end))
        return wr_args_usage(a, "--max-body takes MiB (1-1024)");
    k.deadline = wr_clock_mono_ms() + timeout_s * 1000;
    /* Fail closed: a misconfiguration is answered 500 (after reading the head), never served without it. */
    const char *token_path = o->token_file ? o->token_file : c->config ? c->config->alert_token_file : NULL;
    char *token = NULL, *source = NULL;
    wr_buf setup = {0};
    wr_alert_rules *rules = NULL;
    load_token(token_path, &token, &setup);
    if (!setup.len && wr_cmd_alert_load_rules(c, o->rules_file, o->no_rules, &rules) != 0) {
        wr_buf_puts(&setup, wr_buf_str(&c->err));
        wr_buf_reset(&c->err);
    }
    /* Non-blocking writes: a client that does not read cannot hold us past the deadline. */
    int fl = fcntl(STDOUT_FILENO, F_GETFL);
    if (fl >= 0 && !isatty(STDOUT_FILENO))
        fcntl(STDOUT_FILENO, F_SETFL, fl | O_NONBLOCK);
    wr_http_req r;
    wr_http_init(&r);
    r.max_body = (size_t)max_mib * 1024 * 1024;
    const char *why = NULL;
    int head_status = 0, rc = 0;
    int got = read_request(&k, &r, setup.len ? NULL : token, o->source, &source, &why, &head_status);
    if (got == WR_HTTP_DONE && setup.len) {
        answer_error(&k, 500, NULL, "the receiver is misconfigured (see its log)");
        log_line(&k, LOG_ERR, "%s", wr_buf_str(&setup));
        rc = wr_args_usage_code();
    } else if (head_status) {
        answer_error(&k, head_status,
                     head_status == 401   ? "WWW-Authenticate: Bearer realm=\"warroom\"\r\n"
                     : head_status == 405 ? "Allow: POST\r\n"
                                          : NULL,
                     why);
        rc = WR_EXIT_CHECK_FAILED;
    } else if (got == WR_HTTP_ERROR) {
        if (r.status)
            answer_error(&k, r.status, NULL, r.reason);
        else if (k.what[0])
            log_line(&k, LOG_WARNING, "%s: the client went away before sending the whole request", k.what);
        rc = WR_EXIT_CHECK_FAILED;
    } else if ((rc = wr_args_need_store(c, "alert")) != 0) {
        char msg[1100];
        snprintf(msg, sizeof msg, "the database cannot be opened: %.1000s", wr_buf_str(&c->err));
        msg[strcspn(msg, "\n")] = '\0';
        wr_buf_reset(&c->err);
        answer_error(&k, 503, "Retry-After: 30\r\n", msg);
    } else {
        wr_alert_parser *p = wr_alert_parser_new();
        wr_intake_opts io = {0};
        io.source = source;
        io.rules = rules;
        io.batch_alerts = o->batch;
        io.wait_ms = c->wait_ms;
        wr_buf req = {0};
        wr_buf_putc(&req, '{');
        wr_json_kv_str(&req, "via", "http");
        wr_json_kv_str(&req, "path", r.target);
        wr_buf_putc(&req, '}');
        io.request = wr_buf_str(&req);
        wr_opctx op = wr_args_opctx(c);
        wr_intake t;
        wr_status s = wr_intake_doc(&op, p, r.body.s ? r.body.s : "", r.body.len, &io, &t);
        if (t.doc_error) {
            answer_error(&k, 400, NULL, t.doc_error);
            rc = WR_EXIT_CHECK_FAILED;
        } else {
            wr_buf j = {0};
            summary(&j, source, &t);
            int status = s == WR_OK ? 200 : store_status(s);
            answer(&k, status, status == 503 ? "Retry-After: 5\r\n" : NULL, wr_buf_str(&j));
            log_intake(&k, source, &t);
            wr_buf_free(&j);
            rc = s == WR_OK ? 0 : wr_status_exit_code(s);
        }
        wr_intake_free(&t);
        wr_buf_free(&req);
        wr_alert_parser_free(p);
    }
    if (k.status)
        linger();
    wr_http_free(&r);
    wr_alert_rules_free(rules);
    wr_buf_free(&setup);
    free(token);
    free(source);
    if (k.use_syslog)
        closelog();
    return rc;
}
