/* SPDX-License-Identifier: MIT */
/* capture.h - an output (or a file) taken in as evidence, in pieces as it arrives: its size, the SHA-256 of all
 * of it, and what is kept of it (docs/evidence.md): everything up to the cap, beyond it the first and the last
 * half of the cap, redacted (redact.h). No I/O here: the caller feeds the bytes it read. */
#ifndef WARROOM_CAPTURE_H
#define WARROOM_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/redact.h"
#include "warroom/sha256.h"
#include "warroom/util.h"

#define WR_CAPTURE_DEFAULT_CAP (1024 * 1024)
#define WR_CAPTURE_MIN_CAP 1024
#define WR_CAPTURE_MAX_CAP (256 * 1024 * 1024)
/* How far past a cut the redaction rules look, so a secret that crosses it is replaced whole: longer than
 * any secret the rules find (a 4096-bit RSA private key block is about 3.3 KiB). */
#define WR_CAPTURE_MARGIN (64 * 1024)

typedef struct wr_capture {
    size_t cap;        /* bytes kept at most (before the redaction markers) */
    uint64_t total;    /* bytes fed */
    wr_sha256 all;     /* of every byte fed */
    char *head;        /* the first cap + MARGIN bytes */
    size_t nhead, head_max;
    char *ring;        /* the last cap / 2 + MARGIN bytes, circular */
    size_t ring_max, ring_at;
} wr_capture;

void wr_capture_init(wr_capture *c, size_t cap);
void wr_capture_feed(wr_capture *c, const void *data, size_t len);
void wr_capture_free(wr_capture *c);

/* What is kept of it. */
typedef struct wr_capture_result {
    uint64_t size;          /* every byte fed */
    char sha256[65];        /* of every byte fed, unredacted */
    unsigned char *stored;  /* the bytes kept, redacted: all, or head then tail */
    size_t nstored;
    char stored_sha256[65]; /* of stored */
    int truncated;          /* more than the cap: head and tail only */
    size_t head;            /* truncated: how many of stored are the head */
    uint64_t omitted;       /* truncated: raw bytes left out between them */
    int binary;             /* not text (a NUL byte, or much that is not UTF-8) */
    unsigned char *fired;   /* one flag per rule of the redactor: it replaced something */
    size_t nrules;
} wr_capture_result;

/* Finish: the kept bytes redacted with r (NULL: none). c may be freed after. */
void wr_capture_finish(wr_capture *c, const wr_redactor *r, wr_capture_result *out);
void wr_capture_result_free(wr_capture_result *res);

/* 1 when bytes look binary: a NUL, or more than one byte in 20 not part of valid UTF-8. */
int wr_capture_is_binary(const void *data, size_t len);
/* Text for a person from stored bytes: terminal escape sequences (colours) taken out, then cleaned
 * (text.h); binary: a hex summary (size, the first bytes in hex and as characters). Appended to out. */
void wr_capture_display(wr_buf *out, const void *data, size_t len, int binary);
/* The last `lines` lines (at most max_bytes) of stored bytes as display text (wr_capture_display). */
void wr_capture_tail_lines(wr_buf *out, const void *data, size_t len, int binary, int lines, size_t max_bytes);
/* "1.5 MiB", "312 B" */
void wr_capture_size(wr_buf *out, uint64_t n);

#endif
