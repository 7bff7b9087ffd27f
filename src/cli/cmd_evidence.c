/* SPDX-License-Identifier: MIT */
/* cmd_evidence.c - `warroom attach` (a file as evidence), `warroom evidence` (what an entry recorded), and the
 * command records an earlier `run` had to keep in a file because the database was busy (docs/evidence.md). */
#include "cmd_int.h"

#include "warroom/config.h"
#include "warroom/exhibit.h"
#include "warroom/json.h"
#include "warroom/pending.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int wr_cmd_attach(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int64_t inc;
    int r = wr_args_incident(a, 1, &inc);
    if (r)
        return r;
    if (a->argc != 1)
        return wr_args_usage(a, "give one file");
    const char *path = a->argv[0];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        wr_error e;
        wr_error_set(&e, errno == ENOENT ? WR_E_NOTFOUND : WR_E_INVALID, "cannot read %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return wr_args_fail(c, "attach", &e);
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return wr_args_usage(a, "%s is not a regular file (save what you want to attach to a file first)", path);
    }
    wr_redactor red;
    wr_buf rerr = {0};
    if (wr_config_redactor(c->config, &red, &rerr) != 0) {
        wr_buf_printf(&c->err, "attach: the redaction rules: %s\n", wr_buf_str(&rerr));
        wr_buf_free(&rerr);
        close(fd);
        return wr_args_usage_code();
    }
    wr_capture cap;
    wr_capture_init(&cap, wr_config_evidence_cap(c->config));
    char buf[65536];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            wr_error e;
            wr_error_set(&e, WR_E_IO, "cannot read %s: %s", path, strerror(errno));
            close(fd);
            wr_capture_free(&cap);
            wr_redactor_free(&red);
            return wr_args_fail(c, "attach", &e);
        }
        wr_capture_feed(&cap, buf, (size_t)n);
    }
    close(fd);
    char *abs = realpath(path, NULL);
    wr_capture_result res;
    wr_capture_finish(&cap, &red, &res);
    wr_capture_free(&cap);
    wr_opctx o = wr_args_opctx(c);
    wr_write w;
    wr_error e = {0};
    int64_t mtime = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
    wr_status s = wr_op_file_attach(&o, inc, abs ? abs : path, mtime, wr_args_get(a, "--note"), &red, &res, &w, &e);
    uint64_t size = res.size;
    char sha[65];
    memcpy(sha, res.sha256, sizeof sha);
    free(abs);
    wr_capture_result_free(&res);
    wr_redactor_free(&red);
    if ((r = wr_args_prepared(a, s, &e)) != 0)
        return r;
    int64_t seq = 0;
    if ((r = wr_args_submit(a, &w, &seq, NULL)) != 0)
        return r;
    if (c->json) {
        wr_args_json_ok(&c->out, inc, seq);
        wr_json_kv_int(&c->out, "size", (long long)size);
        wr_json_kv_str(&c->out, "sha256", sha);
        wr_args_json_end(&c->out);
    } else {
        wr_buf what = {0};
        wr_buf_printf(&what, "attached (%llu bytes, sha256 %.12s)", (unsigned long long)size, sha);
        wr_args_ok_line(c, inc, seq, wr_buf_str(&what));
        wr_buf_free(&what);
    }
    return 0;
}

int wr_cmd_evidence(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int64_t inc = 0, n = 0, seq = 0;
    int r = wr_args_incident_entry(a, &inc, &n, &seq);
    if (r)
        return r;
    wr_exhibit x;
    wr_error e = {0};
    wr_status s = wr_exhibit_get(c->store, inc, seq, &x, &e);
    if (s != WR_OK)
        return wr_args_fail(c, "evidence", &e);
    int raw = wr_args_has(a, "--raw");
    if (raw && c->json) {
        wr_exhibit_clear(&x);
        return wr_args_usage(a, "--raw prints the bytes themselves; it does not go with --json");
    }
    if (raw) {
        /* The stored bytes as they are: straight to stdout (they may hold NUL bytes). */
        wr_args_flush(c);
        size_t off = 0;
        while (off < x.nbytes) {
            size_t w = fwrite(x.bytes + off, 1, x.nbytes - off, stdout);
            if (!w)
                break;
            off += w;
        }
        int bad = fflush(stdout) != 0 || off < x.nbytes;
        wr_exhibit_clear(&x);
        if (bad) {
            wr_error_set(&e, WR_E_IO, "cannot write the evidence to the standard output: %s", strerror(errno));
            return wr_args_fail(c, "evidence", &e);
        }
        return 0;
    }
    wr_buf text = {0};
    wr_exhibit_text(&x, &text);
    if (c->json) {
        char ref[32];
        wr_json_doc_begin(&c->out);
        wr_json_kv_int(&c->out, "incident", x.ev.incident);
        wr_json_kv_str(&c->out, "ref", wr_incident_ref(x.ev.incident, ref, sizeof ref));
        wr_json_kv_int(&c->out, "seq", x.ev.seq);
        wr_json_kv_str(&c->out, "kind", x.ev.kind);
        wr_json_kv_str(&c->out, "actor", x.ev.actor);
        wr_json_kv_int(&c->out, "occurred_at", x.ev.occurred_at);
        wr_json_kv_value(&c->out, "payload", x.ev.payload);
        wr_json_kv_int(&c->out, "stored_bytes", (long long)x.nbytes);
        wr_json_kv_str(&c->out, "text", wr_buf_str(&text));
        wr_args_json_end(&c->out);
    } else {
        wr_buf_append(&c->out, text.s ? text.s : "", text.len);
    }
    wr_buf_free(&text);
    wr_exhibit_clear(&x);
    return 0;
}

/* A file of this database's kept writes made by `run` ("pending-HASH-run-UID.jsonl"). */
static int is_run_file(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return strstr(base, "-run-") != NULL;
}

void wr_cli_write_kept(wr_store *st, const char *db_path, int wait_ms, wr_buf *err)
{
    if (!st || wr_store_readonly(st))
        return;
    char **files = NULL;
    size_t nfiles = wr_pending_orphans(db_path, &files);
    for (size_t k = 0; k < nfiles; k++) {
        if (!is_run_file(files[k])) {
            free(files[k]);
            continue; /* a console's: it asks before writing them */
        }
        wr_write *v = NULL;
        size_t n = 0;
        int64_t at = 0;
        wr_buf why = {0};
        if (wr_pending_load(files[k], db_path, &v, &n, &at, &why) != 0) {
            wr_buf_printf(err, "warroom: command records kept earlier cannot be read: %s\n", wr_buf_str(&why));
            wr_buf_free(&why);
            free(files[k]);
            continue;
        }
        size_t done = 0;
        int keep = 0;
        for (size_t i = 0; i < n; i++) {
            wr_error e = {0};
            wr_status s = wr_store_append(st, &v[i], wait_ms, &e);
            if (s == WR_OK) {
                done++;
                if (!v[i].duplicate)
                    wr_buf_printf(err, "warroom: recorded %s kept earlier (#%lld)\n",
                                  v[i].describe ? v[i].describe : v[i].kind, (long long)v[i].seq);
            } else if (wr_pending_keeps(s)) {
                keep = 1; /* still not now: the file stays for the next command */
                wr_buf_printf(err, "warroom: %s kept in %s is still not written: %s\n",
                              v[i].describe ? v[i].describe : v[i].kind, files[k], e.msg);
                break;
            } else {
                /* Refused for what it is (its incident gone from this database?): say so, and keep the file
                 * for a person to look at, under a name no warroom takes up again. */
                char *aside = wr_xasprintf("%s.refused", files[k]);
                wr_buf_printf(err, "warroom: %s kept in %s was refused: %s (the file is now %s)\n",
                              v[i].describe ? v[i].describe : v[i].kind, files[k], e.msg, aside);
                if (rename(files[k], aside) != 0)
                    keep = 1;
                free(aside);
                keep = keep ? 1 : 2;
                break;
            }
        }
        if (!keep && done == n && unlink(files[k]) != 0 && errno != ENOENT)
            wr_buf_printf(err, "warroom: cannot remove %s: %s\n", files[k], strerror(errno));
        wr_pending_writes_free(v, n);
        wr_buf_free(&why);
        free(files[k]);
    }
    free(files);
}
