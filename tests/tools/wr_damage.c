/* SPDX-License-Identifier: MIT */
/* wr_damage - overwrite bytes of one page of a database file, deterministically, for the damage tests.
 *
 *   wr_damage FILE SEED LENGTH [PAGE]
 *
 * From SEED alone (the same SEED always does the same): picks a page of FILE (page size read from the
 * header; page 1, the schema, included) and an offset in it, and overwrites LENGTH bytes there (cut at the
 * page's end) with pseudo-random bytes. Prints "page P offset O length L". With PAGE, that page is damaged
 * where SQLite puts a b-tree page's cells (they grow from the end): in its last sixteenth for an interior page
 * (a few cells), in its last three quarters for a leaf (full of them): damage aimed at one b-tree's keys. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t next(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: wr_damage FILE SEED LENGTH [PAGE]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r+b");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    unsigned char hdr[100];
    if (fread(hdr, 1, sizeof hdr, f) != sizeof hdr) {
        fprintf(stderr, "wr_damage: %s is too short\n", argv[1]);
        fclose(f);
        return 1;
    }
    long psize = hdr[16] << 8 | hdr[17];
    if (psize == 1)
        psize = 65536;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    long pages = size / psize;
    if (pages < 1 || psize < 512) {
        fprintf(stderr, "wr_damage: %s is not an SQLite database\n", argv[1]);
        fclose(f);
        return 1;
    }
    uint64_t s = strtoull(argv[2], NULL, 10);
    long page = 1 + (long)(next(&s) % (uint64_t)pages);
    long off = (long)(next(&s) % (uint64_t)psize);
    if (argc == 5) {
        page = strtol(argv[4], NULL, 10);
        if (page < 2 || page > pages) {
            fprintf(stderr, "wr_damage: no page %s in %s\n", argv[4], argv[1]);
            fclose(f);
            return 1;
        }
        /* An interior page holds few cells, at its end; a full leaf's cells fill its last three quarters. */
        unsigned char type = 0;
        fseek(f, (page - 1) * psize, SEEK_SET);
        if (fread(&type, 1, 1, f) != 1)
            type = 0;
        if (type == 0x0a || type == 0x0d)
            off = psize / 4 + off % (psize - psize / 4);
        else
            off = psize - psize / 16 + off % (psize / 16);
    }
    if (page == 1 && off < 100)
        off = 100; /* keep the file header: that damage is "not a database", tested elsewhere */
    long len = strtol(argv[3], NULL, 10);
    if (off + len > psize)
        len = psize - off;
    fseek(f, (page - 1) * psize + off, SEEK_SET);
    for (long i = 0; i < len; i++)
        fputc((int)(next(&s) & 0xff), f);
    if (fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    printf("page %ld offset %ld length %ld\n", page, off, len);
    return 0;
}
