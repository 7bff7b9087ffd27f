/* SPDX-License-Identifier: MIT */
/* http.c - one HTTP/1.1 request read from a byte stream (RFC 9112): a pure state machine, no I/O, no clock. */
#include "warroom/http.h"

#include "warroom/sha256.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    S_HEAD,       /* request line and header fields */
    S_HEAD_DONE,  /* WR_HTTP_HEAD returned; the body comes next */
    S_BODY,       /* Content-Length bytes */
    S_CHUNK_SIZE, /* a chunk-size line */
    S_CHUNK_DATA,
    S_CHUNK_END,  /* the CRLF after a chunk's data */
    S_TRAILER,    /* trailer fields after the last chunk */
    S_DONE,
    S_ERROR,
};

#define MAX_CHUNK_LINE 1024

void wr_http_init(wr_http_req *r)
{
    memset(r, 0, sizeof *r);
    r->max_head = WR_HTTP_MAX_HEAD;
    r->max_fields = WR_HTTP_MAX_FIELDS;
    r->max_body = WR_HTTP_MAX_BODY;
    r->content_length = -1;
    r->state = S_HEAD;
}

void wr_http_free(wr_http_req *r)
{
    free(r->target);
    free(r->host);
    free(r->authorization);
    free(r->content_type);
    wr_buf_free(&r->body);
    wr_buf_free(&r->line);
    memset(r, 0, sizeof *r);
}

int wr_http_fail(wr_http_req *r, int status, const char *reason)
{
    r->state = S_ERROR;
    r->status = status;
    snprintf(r->reason, sizeof r->reason, "%s", reason);
    return WR_HTTP_ERROR;
}

/* tchar (RFC 9110 5.6.2) */
static int tchar(unsigned char c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_token(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!tchar((unsigned char)s[i]))
            return 0;
    return 1;
}

static int request_line(wr_http_req *r, const char *l, size_t n)
{
    const char *sp1 = memchr(l, ' ', n);
    if (!sp1)
        return wr_http_fail(r, 400, "malformed request line");
    size_t mlen = (size_t)(sp1 - l);
    if (!is_token(l, mlen) || mlen >= sizeof r->method)
        return wr_http_fail(r, 400, "malformed request method");
    const char *t = sp1 + 1, *end = l + n;
    const char *sp2 = memchr(t, ' ', (size_t)(end - t));
    if (!sp2 || sp2 == t)
        return wr_http_fail(r, 400, "malformed request line");
    const char *v = sp2 + 1;
    size_t vlen = (size_t)(end - v);
    if (vlen != 8 || memcmp(v, "HTTP/", 5) != 0 || !isdigit((unsigned char)v[5]) || v[6] != '.' ||
        !isdigit((unsigned char)v[7]))
        return wr_http_fail(r, 400, "malformed HTTP version");
    if (v[5] != '1')
        return wr_http_fail(r, 505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
    for (const char *p = t; p < sp2; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
            return wr_http_fail(r, 400, "malformed request target");
    size_t tlen = (size_t)(sp2 - t);
    /* absolute-form (RFC 9112 3.2.2): keep the path */
    if ((tlen > 7 && strncasecmp(t, "http://", 7) == 0) || (tlen > 8 && strncasecmp(t, "https://", 8) == 0)) {
        const char *a = (const char *)memchr(t, ':', tlen) + 3;
        const char *slash = memchr(a, '/', (size_t)(sp2 - a));
        r->target = slash ? wr_xstrndup(slash, (size_t)(sp2 - slash)) : wr_xstrdup("/");
    } else if (t[0] == '/') {
        r->target = wr_xstrndup(t, tlen);
    } else {
        return wr_http_fail(r, 400, "the request target must be a path");
    }
    memcpy(r->method, l, mlen);
    r->method[mlen] = '\0';
    r->minor = v[7] - '0';
    r->close = r->minor == 0;
    return WR_HTTP_MORE;
}

/* A comma-separated list element equal to word (case-insensitive), ignoring spaces around elements. */
static int list_has(const char *v, const char *word)
{
    size_t wl = strlen(word);
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        const char *q = e;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
            q--;
        if ((size_t)(q - p) == wl && strncasecmp(p, word, wl) == 0)
            return 1;
        p = e;
    }
    return 0;
}

static int content_length(wr_http_req *r, const char *v)
{
    /* "N" or "N, N, ..." with equal values (RFC 9112 6.3). */
    int64_t val = -1;
    const char *p = v;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!isdigit((unsigned char)*p))
            return wr_http_fail(r, 400, "Content-Length is not a number");
        int64_t n = 0;
        int huge = 0;
        while (isdigit((unsigned char)*p)) {
            if (n > (INT64_MAX - 9) / 10)
                huge = 1;
            else
                n = n * 10 + (*p - '0');
            p++;
        }
        if (huge)
            n = INT64_MAX;
        if (val >= 0 && n != val)
            return wr_http_fail(r, 400, "conflicting Content-Length values");
        val = n;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (*p != ',')
            return wr_http_fail(r, 400, "Content-Length is not a number");
        p++;
    }
    if (r->content_length >= 0 && r->content_length != val)
        return wr_http_fail(r, 400, "conflicting Content-Length values");
    r->content_length = val;
    return WR_HTTP_MORE;
}

static int field_line(wr_http_req *r, const char *l, size_t n)
{
    if (l[0] == ' ' || l[0] == '\t')
        return wr_http_fail(r, 400, "folded header lines are not accepted");
    const char *colon = memchr(l, ':', n);
    if (!colon || !is_token(l, (size_t)(colon - l)))
        return wr_http_fail(r, 400, "malformed header field");
    if (++r->nfields > r->max_fields)
        return wr_http_fail(r, 431, "too many header fields");
    const char *v = colon + 1, *end = l + n;
    for (const char *p = v; p < end; p++)
        if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
            return wr_http_fail(r, 400, "control character in a header field");
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t nlen = (size_t)(colon - l);
    char *value = wr_xstrndup(v, (size_t)(end - v));
    int rc = WR_HTTP_MORE;
#define NAME(s) (nlen == sizeof(s) - 1 && strncasecmp(l, s, nlen) == 0)
    if (r->state != S_HEAD) {
        /* a trailer field: nothing in it is used */
    } else if (NAME("Host")) {
        if (r->host)
            rc = wr_http_fail(r, 400, "more than one Host field");
        else
            r->host = value, value = NULL;
    } else if (NAME("Content-Length")) {
        rc = content_length(r, value);
    } else if (NAME("Transfer-Encoding")) {
        if (r->minor == 0)
            rc = wr_http_fail(r, 400, "Transfer-Encoding in an HTTP/1.0 request");
        else if (r->chunked || !list_has(value, "chunked") || strchr(value, ','))
            rc = wr_http_fail(r, 501, "only the chunked transfer coding is supported");
        else
            r->chunked = 1;
    } else if (NAME("Authorization")) {
        if (r->authorization)
            rc = wr_http_fail(r, 400, "more than one Authorization field");
        else
            r->authorization = value, value = NULL;
    } else if (NAME("Content-Type")) {
        free(r->content_type);
        r->content_type = value, value = NULL;
    } else if (NAME("Expect")) {
        if (strcasecmp(value, "100-continue") != 0)
            rc = wr_http_fail(r, 417, "only \"Expect: 100-continue\" is understood");
        else
            r->expect_continue = 1;
    } else if (NAME("Connection")) {
        if (list_has(value, "close"))
            r->close = 1;
    }
#undef NAME
    free(value);
    return rc;
}

static int head_end(wr_http_req *r)
{
    if (r->minor >= 1 && !r->host)
        return wr_http_fail(r, 400, "an HTTP/1.1 request needs a Host field");
    if (r->chunked && r->content_length >= 0)
        return wr_http_fail(r, 400, "both Content-Length and Transfer-Encoding");
    if (r->content_length > (int64_t)r->max_body) {
        char why[160];
        snprintf(why, sizeof why, "the body would be %lld bytes; at most %zu are taken",
                 (long long)r->content_length, r->max_body);
        return wr_http_fail(r, 413, why);
    }
    if (!r->chunked && r->content_length < 0 &&
        (strcmp(r->method, "POST") == 0 || strcmp(r->method, "PUT") == 0 || strcmp(r->method, "PATCH") == 0))
        return wr_http_fail(r, 411, "a body needs Content-Length or chunked Transfer-Encoding");
    r->state = S_HEAD_DONE;
    return WR_HTTP_HEAD;
}

static int chunk_size(wr_http_req *r, const char *l, size_t n)
{
    size_t i = 0;
    uint64_t v = 0;
    while (i < n && isxdigit((unsigned char)l[i])) {
        if (i >= 16)
            return wr_http_fail(r, 413, "a chunk larger than the body limit");
        int d = isdigit((unsigned char)l[i]) ? l[i] - '0' : (tolower((unsigned char)l[i]) - 'a' + 10);
        v = v * 16 + (uint64_t)d;
        i++;
    }
    if (i == 0)
        return wr_http_fail(r, 400, "malformed chunk size");
    while (i < n && (l[i] == ' ' || l[i] == '\t'))
        i++;
    if (i < n && l[i] != ';')
        return wr_http_fail(r, 400, "malformed chunk size");
    if (v > (uint64_t)r->max_body - r->body.len) {
        char why[160];
        snprintf(why, sizeof why, "the chunked body grows past %zu bytes", r->max_body);
        return wr_http_fail(r, 413, why);
    }
    r->chunk_left = v;
    r->state = v ? S_CHUNK_DATA : S_TRAILER;
    return WR_HTTP_MORE;
}

/* A complete line (without its line end) in r->line, in a line-reading state. */
static int on_line(wr_http_req *r)
{
    const char *l = wr_buf_str(&r->line);
    size_t n = r->line.len;
    if (memchr(l, '\r', n) || memchr(l, '\0', n))
        return wr_http_fail(r, 400, "stray CR or NUL in a line");
    switch (r->state) {
    case S_HEAD:
        if (!r->target) {
            if (n == 0)
                return WR_HTTP_MORE; /* empty lines before the request line are ignored */
            return request_line(r, l, n);
        }
        return n == 0 ? head_end(r) : field_line(r, l, n);
    case S_CHUNK_SIZE:
        return chunk_size(r, l, n);
    case S_CHUNK_END:
        if (n != 0)
            return wr_http_fail(r, 400, "chunk data longer than its size");
        r->state = S_CHUNK_SIZE;
        return WR_HTTP_MORE;
    case S_TRAILER:
        if (n == 0) {
            r->state = S_DONE;
            return WR_HTTP_DONE;
        }
        return field_line(r, l, n);
    default:
        return wr_http_fail(r, 400, "internal error");
    }
}

int wr_http_feed(wr_http_req *r, const char *data, size_t len, size_t *used)
{
    size_t i = 0;
    int rc = WR_HTTP_MORE;
    if (r->state == S_HEAD_DONE) {
        if (r->chunked) {
            r->state = S_CHUNK_SIZE;
        } else if (r->content_length <= 0) {
            r->state = S_DONE;
            rc = WR_HTTP_DONE;
        } else {
            r->state = S_BODY;
        }
    }
    while (rc == WR_HTTP_MORE && i < len) {
        switch (r->state) {
        case S_BODY:
        case S_CHUNK_DATA: {
            uint64_t want = r->state == S_BODY ? (uint64_t)r->content_length - r->body.len : r->chunk_left;
            size_t take = len - i < want ? len - i : (size_t)want;
            wr_buf_append(&r->body, data + i, take);
            i += take;
            if (r->state == S_BODY) {
                if (r->body.len == (size_t)r->content_length) {
                    r->state = S_DONE;
                    rc = WR_HTTP_DONE;
                }
            } else if ((r->chunk_left -= take) == 0) {
                r->state = S_CHUNK_END;
            }
            break;
        }
        case S_HEAD:
        case S_CHUNK_SIZE:
        case S_CHUNK_END:
        case S_TRAILER: {
            const char *nl = memchr(data + i, '\n', len - i);
            size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
            int in_head = r->state == S_HEAD || r->state == S_TRAILER;
            size_t budget = in_head ? r->max_head : MAX_CHUNK_LINE;
            size_t have = in_head ? r->head_bytes : r->line.len;
            if (have + n + (nl ? 1 : 0) > budget) {
                rc = in_head ? wr_http_fail(r, 431, "the request head is too large")
                             : wr_http_fail(r, 400, "chunk size line too long");
                break;
            }
            wr_buf_append(&r->line, data + i, n);
            if (in_head)
                r->head_bytes += n + (nl ? 1 : 0);
            i += n;
            if (!nl)
                break;
            i++;
            if (r->line.len && r->line.s[r->line.len - 1] == '\r')
                r->line.s[--r->line.len] = '\0';
            rc = on_line(r);
            wr_buf_reset(&r->line);
            break;
        }
        case S_DONE:
            rc = WR_HTTP_DONE;
            break;
        default:
            rc = WR_HTTP_ERROR;
            break;
        }
    }
    if (rc == WR_HTTP_MORE && r->state == S_DONE)
        rc = WR_HTTP_DONE;
    if (rc == WR_HTTP_MORE && r->state == S_ERROR)
        rc = WR_HTTP_ERROR;
    if (used)
        *used = i;
    return rc;
}

int wr_http_eof(wr_http_req *r)
{
    if (r->state == S_DONE)
        return WR_HTTP_DONE;
    if (r->state == S_ERROR)
        return WR_HTTP_ERROR;
    if (r->state == S_HEAD_DONE && !r->chunked && r->content_length <= 0) {
        r->state = S_DONE;
        return WR_HTTP_DONE;
    }
    if (r->state == S_HEAD && r->head_bytes == 0 && r->line.len == 0) {
        r->state = S_ERROR;
        r->status = 0;
        r->reason[0] = '\0';
        return WR_HTTP_ERROR;
    }
    if (r->state == S_HEAD)
        return wr_http_fail(r, 400, "the connection ended inside the request head");
    return wr_http_fail(r, 400, "the connection ended before the whole body arrived");
}

char *wr_http_path(const wr_http_req *r)
{
    if (!r->target)
        return wr_xstrdup("");
    size_t n = strcspn(r->target, "?#");
    return wr_xstrndup(r->target, n);
}

const char *wr_http_status_text(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

void wr_http_response(wr_buf *out, int status, const char *extra_headers, const char *content_type,
                      const char *body, size_t body_len)
{
    wr_buf_printf(out, "HTTP/1.1 %d %s\r\n", status, wr_http_status_text(status));
    if (body_len && content_type)
        wr_buf_printf(out, "Content-Type: %s\r\n", content_type);
    wr_buf_printf(out, "Content-Length: %zu\r\nConnection: close\r\nCache-Control: no-store\r\n", body_len);
    if (extra_headers)
        wr_buf_puts(out, extra_headers);
    wr_buf_puts(out, "\r\n");
    if (body_len)
        wr_buf_append(out, body, body_len);
}

const char *wr_http_bearer(const char *value, size_t *len)
{
    if (!value || strncasecmp(value, "Bearer", 6) != 0 || (value[6] != ' ' && value[6] != '\t'))
        return NULL;
    const char *t = value + 6;
    while (*t == ' ' || *t == '\t')
        t++;
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    if (n == 0)
        return NULL;
    *len = n;
    return t;
}

int wr_http_secret_equal(const char *given, size_t given_len, const char *want, size_t want_len)
{
    unsigned char a[32], b[32];
    wr_sha256 c;
    wr_sha256_init(&c);
    wr_sha256_update(&c, given, given_len);
    wr_sha256_final(&c, a);
    wr_sha256_init(&c);
    wr_sha256_update(&c, want, want_len);
    wr_sha256_final(&c, b);
    volatile unsigned char diff = 0;
    for (int i = 0; i < 32; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0 && want_len > 0;
}
