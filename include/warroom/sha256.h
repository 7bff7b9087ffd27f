/* SPDX-License-Identifier: MIT */
/* sha256.h - SHA-256 (FIPS 180-4), for fingerprinting runbook files. */
#ifndef WARROOM_SHA256_H
#define WARROOM_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct wr_sha256 {
    uint32_t h[8];
    uint64_t nbytes;          /* total bytes hashed so far */
    unsigned char block[64];  /* pending partial block */
    size_t nblock;
} wr_sha256;

void wr_sha256_init(wr_sha256 *c);
void wr_sha256_update(wr_sha256 *c, const void *data, size_t len);
/* Finish and write the 32-byte digest; c must be re-initialised to be reused. */
void wr_sha256_final(wr_sha256 *c, unsigned char digest[32]);
/* One shot: the digest of data as 64 lowercase hex digits and a NUL. */
void wr_sha256_hex(const void *data, size_t len, char out[65]);

#endif
