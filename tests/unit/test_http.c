/* SPDX-License-Identifier: MIT */
/* test_http.c - the HTTP request reader (http.h) and the JSON scanner (json_scan.h): whole requests fed in
 * every split, each refusal with its status, the limits, and the scanner's spans and repairs. */
#include "check.h"

#include "warroom/http.h"
#include "warroom/json_scan.h"

#include <stdlib.h>
#include <string.h>

/* Feed text in pieces of `chunk` bytes (0: all at once), continuing after WR_HTTP_HEAD; then end of stream
 * if eof. Returns the last result. */
static int run(wr_http_req *r, const char *text, size_t len, size_t chunk, int eof, int *saw_head)
{
    size_t off = 0;
    int rc = WR_HTTP_MORE;
    *saw_head = 0;
    while (off < len || rc == WR_HTTP_HEAD) {
        size_t n = chunk && len - off > chunk ? chunk : len - off;
        size_t used = 0;
        rc = wr_http_feed(r, text + off, n, &used);
        off += used;
        if (rc == WR_HTTP_HEAD) {
            (*saw_head)++;
            continue;
        }
        if (rc != WR_HTTP_MORE)
            return rc;
    }
    return eof ? wr_http_eof(r) : rc;
}

static void expect(const char *text, int want_rc, int want_status, const char *want_reason)
{
    size_t chunks[] = {0, 1, 2, 7, 64};
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        wr_http_req r;
        wr_http_init(&r);
        int head;
        int rc = run(&r, text, strlen(text), chunks[k], 1, &head);
        CHECK_INT(rc, want_rc);
        if (rc != want_rc)
            fprintf(stderr, "  for %.60s (chunk %zu): %d %s\n", text, chunks[k], r.status, r.reason);
        if (want_rc == WR_HTTP_ERROR) {
            CHECK_INT(r.status, want_status);
            if (want_reason && !strstr(r.reason, want_reason)) {
                CHECK_STR(r.reason, want_reason);
            }
        } else {
            CHECK_INT(head, 1);
        }
        wr_http_free(&r);
    }
}

static void test_requests(void)
{
    /* Content-Length, every split. */
    const char *req = "POST /alerts/am-eu?x=1 HTTP/1.1\r\nHost: localhost:9097\r\nContent-Type: application/json\r\n"
                      "Authorization: Bearer s3cr3t \r\nContent-Length: 11\r\n\r\n{\"alerts\":1}";
    for (size_t chunk = 0; chunk < 20; chunk++) {
        wr_http_req r;
        wr_http_init(&r);
        int head;
        CHECK_INT(run(&r, req, strlen(req), chunk, 0, &head), WR_HTTP_DONE);
        CHECK_INT(head, 1);
        CHECK_STR(r.method, "POST");
        CHECK_STR(r.target, "/alerts/am-eu?x=1");
        char *path = wr_http_path(&r);
        CHECK_STR(path, "/alerts/am-eu");
        free(path);
        CHECK_INT(r.minor, 1);
        CHECK_STR(r.host, "localhost:9097");
        CHECK_STR(r.content_type, "application/json");
        CHECK_INT(r.content_length, 11);
        CHECK_INT(r.body.len, 11);
        CHECK_STR(wr_buf_str(&r.body), "{\"alerts\":1");
        size_t n = 0;
        const char *tok = wr_http_bearer(r.authorization, &n);
        CHECK(tok && n == 6 && memcmp(tok, "s3cr3t", 6) == 0);
        wr_http_free(&r);
    }
    /* The byte after the body is not consumed. */
    {
        wr_http_req r;
        wr_http_init(&r);
        const char *t = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nabGET";
        size_t used;
        CHECK_INT(wr_http_feed(&r, t, strlen(t), &used), WR_HTTP_HEAD);
        size_t off = used;
        CHECK_INT(wr_http_feed(&r, t + off, strlen(t) - off, &used), WR_HTTP_DONE);
        CHECK_INT(off + used, strlen(t) - 3);
        wr_http_free(&r);
    }
    /* Chunked, with extensions and a trailer; bare LF line ends are taken too. */
    const char *ch = "POST /alerts HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5;ext=1\r\nhello\r\n19\r\n, world! 0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n";
    for (size_t chunk = 0; chunk < 12; chunk++) {
        wr_http_req r;
        wr_http_init(&r);
        int head;
        CHECK_INT(run(&r, ch, strlen(ch), chunk, 0, &head), WR_HTTP_DONE);
        CHECK_STR(wr_buf_str(&r.body), "hello, world! 0123456789abcdef");
        CHECK_INT(r.chunked, 1);
        wr_http_free(&r);
    }
    expect("POST / HTTP/1.1\nHost: h\nContent-Length: 0\n\n", WR_HTTP_DONE, 0, NULL);
    expect("\r\n\r\nPOST / HTTP/1.0\r\nContent-Length: 1\r\n\r\nx", WR_HTTP_DONE, 0, NULL);
    expect("POST http://example.net:9097/alerts/x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", WR_HTTP_DONE, 0,
           NULL);
    expect("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\nabc", WR_HTTP_DONE, 0, NULL);
    expect("GET / HTTP/1.1\r\nHost: h\r\n\r\n", WR_HTTP_DONE, 0, NULL); /* no body: the caller answers 405 */
    expect("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx", WR_HTTP_DONE, 0, NULL);
}

static void test_refusals(void)
{
    expect("POST / HTTP/1.1\r\nHost: h\r\n\r\n", WR_HTTP_ERROR, 411, "Content-Length");
    expect("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1073741824\r\n\r\n", WR_HTTP_ERROR, 413, "1073741824");
    expect("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", WR_HTTP_ERROR, 413, NULL);
    expect("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", WR_HTTP_ERROR, 400, "not a number");
    expect("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", WR_HTTP_ERROR, 400,
           "conflicting");
    expect("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 2\r\n\r\nab", WR_HTTP_ERROR, 400, "conflicting");
    expect("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", WR_HTTP_ERROR, 400,
           "both");
    expect("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", WR_HTTP_ERROR, 501, NULL);
    expect("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", WR_HTTP_ERROR, 400, "Host");
    expect("POST / HTTP/2.0\r\nHost: h\r\n\r\n", WR_HTTP_ERROR, 505, NULL);
    expect("POST / HTTP/1.1 extra\r\nHost: h\r\n\r\n", WR_HTTP_ERROR, 400, NULL);
    expect("POST  / HTTP/1.1\r\n\r\n", WR_HTTP_ERROR, 400, NULL);
    expect("POST alerts HTTP/1.1\r\nHost: h\r\n\r\n", WR_HTTP_ERROR, 400, "path");
    expect("POST / HTTP/1.1\r\nHost : h\r\n\r\n", WR_HTTP_ERROR, 400, "malformed header");
    expect("POST / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", WR_HTTP_ERROR, 400, "folded");
    expect("POST / HTTP/1.1\r\nHost: h\rX: 1\r\n\r\n", WR_HTTP_ERROR, 400, "CR");
    expect("POST / HTTP/1.1\r\nHost: h\r\nExpect: magic\r\n\r\n", WR_HTTP_ERROR, 417, NULL);
    expect("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", WR_HTTP_ERROR, 400, "chunk size");
    expect("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", WR_HTTP_ERROR,
           400, "longer than");
    expect("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n40000000\r\n", WR_HTTP_ERROR, 413, NULL);
    expect("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", WR_HTTP_ERROR,
           413, NULL);
    /* The stream ends early. */
    expect("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc", WR_HTTP_ERROR, 400, "before the whole body");
    expect("POST / HTTP/1.1\r\nHost: h\r\n", WR_HTTP_ERROR, 400, "inside the request head");
    expect("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", WR_HTTP_ERROR, 400, NULL);
    {
        /* Nothing at all: nothing to answer. */
        wr_http_req r;
        wr_http_init(&r);
        CHECK_INT(wr_http_eof(&r), WR_HTTP_ERROR);
        CHECK_INT(r.status, 0);
        wr_http_free(&r);
    }
    /* A header flood is refused as soon as it passes the limit, not at its end. */
    {
        wr_http_req r;
        wr_http_init(&r);
        const char *start = "POST / HTTP/1.1\r\nHost: h\r\n";
        CHECK_INT(wr_http_feed(&r, start, strlen(start), NULL), WR_HTTP_MORE);
        int rc = WR_HTTP_MORE;
        size_t fed = strlen(start);
        while (rc == WR_HTTP_MORE && fed < 10 * WR_HTTP_MAX_HEAD) {
            const char *line = "X-Flood: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
            rc = wr_http_feed(&r, line, strlen(line), NULL);
            fed += strlen(line);
        }
        CHECK_INT(rc, WR_HTTP_ERROR);
        CHECK_INT(r.status, 431);
        CHECK(fed <= WR_HTTP_MAX_HEAD + 100);
        wr_http_free(&r);
    }
    {
        /* Many small fields: the field count. */
        wr_http_req r;
        wr_http_init(&r);
        int rc = wr_http_feed(&r, "POST / HTTP/1.1\r\n", 17, NULL);
        for (int i = 0; i < 200 && rc == WR_HTTP_MORE; i++)
            rc = wr_http_feed(&r, "A: b\r\n", 6, NULL);
        CHECK_INT(rc, WR_HTTP_ERROR);
        CHECK_INT(r.status, 431);
        CHECK(strstr(r.reason, "too many") != NULL);
        wr_http_free(&r);
    }
    {
        /* One endless line. */
        wr_http_req r;
        wr_http_init(&r);
        char big[4096];
        memset(big, 'a', sizeof big);
        int rc = WR_HTTP_MORE;
        for (int i = 0; i < 10 && rc == WR_HTTP_MORE; i++)
            rc = wr_http_feed(&r, big, sizeof big, NULL);
        CHECK_INT(rc, WR_HTTP_ERROR);
        CHECK_INT(r.status, 431);
        wr_http_free(&r);
    }
    {
        /* A smaller body limit; a timeout from outside. */
        wr_http_req r;
        wr_http_init(&r);
        r.max_body = 10;
        const char *t = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n";
        CHECK_INT(wr_http_feed(&r, t, strlen(t), NULL), WR_HTTP_ERROR);
        CHECK_INT(r.status, 413);
        wr_http_free(&r);
        wr_http_init(&r);
        CHECK_INT(wr_http_feed(&r, "POST / HT", 9, NULL), WR_HTTP_MORE);
        CHECK_INT(wr_http_fail(&r, 408, "too slow"), WR_HTTP_ERROR);
        CHECK_INT(wr_http_feed(&r, "TP/1.1\r\n", 8, NULL), WR_HTTP_ERROR);
        CHECK_INT(r.status, 408);
        wr_http_free(&r);
    }
}

static void test_helpers(void)
{
    wr_buf b = {0};
    wr_http_response(&b, 413, "Retry-After: 5\r\n", "application/json", "{}", 2);
    CHECK_STR(wr_buf_str(&b), "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                              "Connection: close\r\nCache-Control: no-store\r\nRetry-After: 5\r\n\r\n{}");
    wr_buf_free(&b);
    size_t n;
    CHECK(wr_http_bearer("Basic abc", &n) == NULL);
    CHECK(wr_http_bearer("Bearer", &n) == NULL);
    CHECK(wr_http_bearer("Bearer   ", &n) == NULL);
    const char *t = wr_http_bearer("bearer  tok", &n);
    CHECK(t && n == 3 && memcmp(t, "tok", 3) == 0);
    CHECK_INT(wr_http_secret_equal("abc", 3, "abc", 3), 1);
    CHECK_INT(wr_http_secret_equal("abd", 3, "abc", 3), 0);
    CHECK_INT(wr_http_secret_equal("ab", 2, "abc", 3), 0);
    CHECK_INT(wr_http_secret_equal("", 0, "", 0), 0); /* an empty secret never matches */
}

static void test_scan(void)
{
    const char *doc = " {\"version\":\"4\",\"alerts\":[{\"a\":[1,-2.5e3,true,null,{}]},{\"b\":\"x\\\"y\"}],\"n\":0} ";
    size_t len = strlen(doc), pos = 0;
    wr_jscan_val v, k;
    wr_buf why = {0};
    int dirty = 0;
    CHECK_INT(wr_jscan_value(doc, len, &pos, &v, &dirty, &why), 0);
    CHECK_INT(v.type, '{');
    CHECK_INT(v.off, 1);
    CHECK_INT(wr_jscan_end(doc, len, pos, &why), 0);
    CHECK_INT(dirty, 0);
    size_t p = v.off;
    int found = 0, members = 0, rc;
    while ((rc = wr_jscan_member(doc, len, &p, &k, &v, &why)) == 1) {
        members++;
        if (wr_jscan_is(doc, &k, "alerts")) {
            found = 1;
            size_t q = v.off;
            wr_jscan_val e;
            int n = 0;
            while (wr_jscan_element(doc, len, &q, &e, &why) == 1) {
                CHECK_INT(e.type, '{');
                if (n == 1)
                    CHECK(e.len == strlen("{\"b\":\"x\\\"y\"}") && memcmp(doc + e.off, "{\"b\"", 4) == 0);
                n++;
            }
            CHECK_INT(n, 2);
        }
    }
    CHECK_INT(rc, 0);
    CHECK_INT(members, 3);
    CHECK_INT(found, 1);
    static const char *const bad[] = {"{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "tru", "\"\\x\"",
                                      "\"abc", "[1 2]", "{1:2}", "nul", "1e", "\"\\u12\"", "[]]", "{}x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wr_buf_reset(&why);
        pos = 0;
        int r = wr_jscan_value(bad[i], strlen(bad[i]), &pos, NULL, NULL, &why);
        if (r == 0)
            r = wr_jscan_end(bad[i], strlen(bad[i]), pos, &why);
        CHECK_INT(r, -1);
        CHECK(why.len > 0);
    }
    /* Deep nesting is refused, not recursed into. */
    char deep[2 * WR_JSCAN_MAX_DEPTH + 10];
    memset(deep, '[', WR_JSCAN_MAX_DEPTH + 1);
    memset(deep + WR_JSCAN_MAX_DEPTH + 1, ']', WR_JSCAN_MAX_DEPTH + 1);
    pos = 0;
    wr_buf_reset(&why);
    CHECK_INT(wr_jscan_value(deep, 2 * WR_JSCAN_MAX_DEPTH + 2, &pos, NULL, NULL, &why), -1);
    CHECK(strstr(wr_buf_str(&why), "nested too deeply") != NULL);
    /* Dirty strings are found, and cleaned. */
    const char raw[] = "{\"a\":\"x\x01y\",\"b\":\"\xff\xfe\",\"c\":\"n\\u0000ul\",\"d\":\"\\ud800z\",\"e\":\"\xc3\xa9\\ud83d\\ude00\","
                       "\"f\":\"z\0z\"}";
    size_t rlen = sizeof raw - 1;
    pos = 0;
    dirty = 0;
    CHECK_INT(wr_jscan_value(raw, rlen, &pos, NULL, &dirty, &why), 0);
    CHECK_INT(dirty, 1);
    wr_buf out = {0};
    wr_json_fixes fx = {0};
    wr_json_clean(raw, rlen, &out, &fx);
    CHECK_STR(wr_buf_str(&out), "{\"a\":\"x\\u0001y\",\"b\":\"\xef\xbf\xbd\xef\xbf\xbd\",\"c\":\"n\\ufffdul\","
                                "\"d\":\"\\ufffdz\",\"e\":\"\xc3\xa9\\ud83d\\ude00\",\"f\":\"z\\ufffdz\"}");
    CHECK_INT(fx.nul, 2);
    CHECK_INT(fx.bad_utf8, 3);
    CHECK_INT(fx.control, 1);
    pos = 0;
    dirty = 0;
    CHECK_INT(wr_jscan_value(out.s, out.len, &pos, NULL, &dirty, &why), 0);
    CHECK_INT(dirty, 0);
    wr_buf_free(&out);
    wr_buf_free(&why);
}

int main(void)
{
    test_requests();
    test_refusals();
    test_helpers();
    test_scan();
    return check_done();
}
