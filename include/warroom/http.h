/* SPDX-License-Identifier: MIT */
/* http.h - reading one HTTP/1.1 request from a byte stream (RFC 9112), for `warroom alert --http`.
 *
 * A pure state machine: the caller feeds it whatever bytes arrived (any split, one byte at a time or all at
 * once) and it says whether it needs more, has the head (request line and header fields), has the whole
 * request, or refuses it with the status to answer. It does no I/O and keeps no clock: reading, the read
 * timeout (408) and writing the answer belong to the caller. Limits: the head's size and its number of
 * fields (431), the body's size (413, told from Content-Length before any body is read, or while a chunked
 * body grows). A request needs Content-Length or `Transfer-Encoding: chunked` (411 otherwise; both at once
 * is refused, 400), HTTP/1.0 or 1.1 (505 otherwise), and a Host field on HTTP/1.1 (400).
 */
#ifndef WARROOM_HTTP_H
#define WARROOM_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/util.h"

#define WR_HTTP_MAX_HEAD (16 * 1024)        /* bytes of request line + header fields */
#define WR_HTTP_MAX_FIELDS 100              /* header fields */
#define WR_HTTP_MAX_BODY (32 * 1024 * 1024) /* default body limit */

enum {
    WR_HTTP_MORE = 0,  /* feed more bytes */
    WR_HTTP_HEAD = 1,  /* the head is complete (once); the body follows: feed on */
    WR_HTTP_DONE = 2,  /* the request is complete; bytes after it are not consumed */
    WR_HTTP_ERROR = 3, /* refused: answer req->status with req->reason (and close) */
};

typedef struct wr_http_req {
    /* limits (set by wr_http_init; may be changed before the first feed) */
    size_t max_head, max_fields, max_body;
    /* the head, once WR_HTTP_HEAD was returned */
    char method[16];
    char *target;        /* as sent, e.g. "/alerts/am-eu?x=1" */
    int minor;           /* HTTP/1.minor */
    char *host, *authorization, *content_type; /* NULL when absent */
    int64_t content_length; /* -1: none */
    int chunked;
    int expect_continue; /* "Expect: 100-continue" */
    int close;           /* "Connection: close" or HTTP/1.0 */
    size_t nfields;
    /* the body (de-chunked), once WR_HTTP_DONE was returned */
    wr_buf body;
    /* refusal */
    int status;          /* 400, 405, 408, 411, 413, 431, 501, 505 */
    char reason[160];
    /* private state */
    int state;
    wr_buf line;         /* the line being read (head, chunk size, trailer) */
    size_t head_bytes;
    uint64_t chunk_left;
} wr_http_req;

void wr_http_init(wr_http_req *r);
void wr_http_free(wr_http_req *r);
/* Feed len bytes; *used (may be NULL) gets how many were consumed (less than len only at WR_HTTP_HEAD,
 * WR_HTTP_DONE and WR_HTTP_ERROR). Returns one of WR_HTTP_*. After WR_HTTP_HEAD, feed the rest again. */
int wr_http_feed(wr_http_req *r, const char *data, size_t len, size_t *used);
/* The stream ended (the client closed its side): WR_HTTP_DONE if the request was complete, else
 * WR_HTTP_ERROR with 400 and a reason (nothing at all received: status 0, nothing to answer). */
int wr_http_eof(wr_http_req *r);
/* Refuse from outside (e.g. the read timeout): sets status and reason, returns WR_HTTP_ERROR. */
int wr_http_fail(wr_http_req *r, int status, const char *reason);

/* The path of the target without the query ("/alerts/am-eu"). Caller frees. */
char *wr_http_path(const wr_http_req *r);
/* The standard reason phrase of a status ("Payload Too Large"). */
const char *wr_http_status_text(int status);
/* A whole response: status line, Content-Type (when body), Content-Length, Connection: close, the extra
 * header lines (each ending in \r\n, may be NULL), then the body. */
void wr_http_response(wr_buf *out, int status, const char *extra_headers, const char *content_type,
                      const char *body, size_t body_len);
/* The token of "Authorization: Bearer TOKEN" (scheme case-insensitive), or NULL. Points into value. */
const char *wr_http_bearer(const char *value, size_t *len);
/* Compare a presented secret with the expected one in time that depends on neither (both are hashed
 * first). 1 equal, 0 not. */
int wr_http_secret_equal(const char *given, size_t given_len, const char *want, size_t want_len);

#endif
