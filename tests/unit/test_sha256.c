/* SPDX-License-Identifier: MIT */
#include "check.h"
#include "warroom/sha256.h"

#include <stdlib.h>

static const char *hex(const char *s)
{
    static char out[65];
    wr_sha256_hex(s, strlen(s), out);
    return out;
}

int main(void)
{
    /* FIPS 180-4 / NIST test vectors */
    CHECK_STR(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_STR(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_STR(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK_STR(hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                  "klmnopqrlmnopqrsmnopqrstnopqrstu"),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");

    /* one million 'a', fed in uneven pieces */
    char *a = malloc(1000000);
    memset(a, 'a', 1000000);
    wr_sha256 c;
    unsigned char d[32];
    wr_sha256_init(&c);
    size_t off = 0, step = 1;
    while (off < 1000000) {
        size_t n = step < 1000000 - off ? step : 1000000 - off;
        wr_sha256_update(&c, a + off, n);
        off += n;
        step = step * 7 % 1000 + 1;
    }
    wr_sha256_final(&c, d);
    CHECK_INT(d[0], 0xcd);
    CHECK_INT(d[31], 0xd0);
    char one[65];
    wr_sha256_hex(a, 1000000, one);
    CHECK_STR(one, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);

    /* lengths around the padding boundary hash consistently one-shot vs streamed */
    char buf[130];
    memset(buf, 'x', sizeof buf);
    int bad = 0;
    for (size_t n = 0; n <= sizeof buf; n++) {
        char h1[65], h2[65];
        wr_sha256_hex(buf, n, h1);
        wr_sha256_init(&c);
        for (size_t i = 0; i < n; i++)
            wr_sha256_update(&c, buf + i, 1);
        wr_sha256_final(&c, d);
        static const char hx[] = "0123456789abcdef";
        for (int i = 0; i < 32; i++) {
            h2[2 * i] = hx[d[i] >> 4];
            h2[2 * i + 1] = hx[d[i] & 15];
        }
        h2[64] = '\0';
        bad += strcmp(h1, h2) != 0;
    }
    CHECK_INT(bad, 0);
    CHECK_STR(hex("The quick brown fox jumps over the lazy dog"),
              "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
    return check_done();
}
