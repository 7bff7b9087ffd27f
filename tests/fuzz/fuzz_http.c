/* SPDX-License-Identifier: MIT */
/* fuzz_http.c - libFuzzer target for the HTTP request reader (http.h) and the JSON scanner that splits a
 * request's body (json_scan.h). The same bytes fed at once, in two pieces and one byte at a time must give
 * the same outcome; a refusal always has a status and a reason; the limits hold; a body the scanner
 * accepts stays acceptable after cleaning, and cleaning leaves no dirty string. */
#include "warroom/http.h"
#include "warroom/json_scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct outcome {
    int rc, status;
    wr_buf body;
} outcome;

static void feed(const char *d, size_t n, const size_t *cuts, size_t ncuts, outcome *o)
{
    wr_http_req r;
    wr_http_init(&r);
    r.max_body = 4096;
    r.max_head = 2048;
    r.max_fields = 20;
    size_t off = 0;
    int rc = WR_HTTP_MORE;
    for (size_t k = 0; k <= ncuts && rc != WR_HTTP_DONE && rc != WR_HTTP_ERROR; k++) {
        size_t end = k < ncuts ? cuts[k] : n;
        if (end < off)
            end = off;
        do {
            size_t used = 0;
            rc = wr_http_feed(&r, d + off, end - off, &used);
            if (used > end - off)
                abort();
            off += used;
        } while (rc == WR_HTTP_HEAD || (rc == WR_HTTP_MORE && off < end));
    }
    if (rc == WR_HTTP_MORE)
        rc = wr_http_eof(&r);
    if (rc == WR_HTTP_ERROR && r.status && (r.status < 400 || r.status > 505 || !r.reason[0]))
        abort();
    if (rc == WR_HTTP_DONE && (r.body.len > r.max_body || !r.target || r.target[0] != '/'))
        abort();
    if (r.head_bytes > r.max_head)
        abort();
    o->rc = rc;
    o->status = r.status;
    o->body = r.body;
    memset(&r.body, 0, sizeof r.body);
    wr_http_free(&r);
}

static void scan_body(const char *s, size_t n)
{
    size_t pos = 0;
    int dirty = 0;
    wr_buf why = {0};
    wr_jscan_val v;
    if (wr_jscan_value(s, n, &pos, &v, &dirty, &why) == 0) {
        if (pos > n || v.off + v.len != pos)
            abort();
        if (v.type == '{' || v.type == '[') {
            size_t p = v.off;
            wr_jscan_val k, e;
            int rc;
            while ((rc = v.type == '{' ? wr_jscan_member(s, n, &p, &k, &e, &why) : wr_jscan_element(s, n, &p, &e, &why)) == 1)
                if (e.off + e.len > n)
                    abort();
            if (rc != 0)
                abort(); /* a checked value is always walkable */
        }
        wr_buf clean = {0};
        wr_json_fixes fx = {0};
        wr_json_clean(s + v.off, v.len, &clean, &fx);
        size_t p2 = 0;
        int dirty2 = 0;
        wr_buf why2 = {0};
        if (wr_jscan_value(clean.s ? clean.s : "", clean.len, &p2, NULL, &dirty2, &why2) != 0 || dirty2 ||
            p2 != clean.len)
            abort();
        if (!dirty && (fx.bad_utf8 || fx.control))
            abort();
        wr_buf_free(&why2);
        wr_buf_free(&clean);
    } else if (!why.len) {
        abort();
    }
    wr_buf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *d = (const char *)data;
    outcome a, b, c;
    feed(d, size, NULL, 0, &a);
    size_t cuts[2] = {size ? data[0] % (size + 1) : 0, size ? data[size - 1] % (size + 1) : 0};
    feed(d, size, cuts, 2, &b);
    if (a.rc != b.rc || a.status != b.status || a.body.len != b.body.len ||
        (a.body.len && memcmp(a.body.s, b.body.s, a.body.len) != 0))
        abort();
    if (size <= 512) {
        size_t *every = malloc((size + 1) * sizeof *every);
        for (size_t i = 0; i < size; i++)
            every[i] = i + 1;
        feed(d, size, every, size, &c);
        free(every);
        if (a.rc != c.rc || a.status != c.status || a.body.len != c.body.len)
            abort();
        wr_buf_free(&c.body);
    }
    if (a.rc == WR_HTTP_DONE)
        scan_body(a.body.s ? a.body.s : "", a.body.len);
    else
        scan_body(d, size);
    wr_buf_free(&a.body);
    wr_buf_free(&b.body);
    return 0;
}
