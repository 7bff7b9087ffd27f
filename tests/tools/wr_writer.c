/* SPDX-License-Identifier: MIT */
/* wr_writer - a writer process for the concurrency and crash tests.
 *
 *   wr_writer DB INCIDENT COUNT TAG [single-host]
 *
 * Appends COUNT notes "TAG n" to INCIDENT through the real store, and after each one is acknowledged prints
 * its event id on stdout (flushed), so a parent that kills this process knows exactly which writes were
 * acknowledged. Prints errors on stderr and exits non-zero on the first failure. With "single-host" the database
 * is opened as with `single_host: true` in the config (for writers on an sshfs mount). */
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 5 && !(argc == 6 && strcmp(argv[5], "single-host") == 0)) {
        fprintf(stderr, "usage: wr_writer DB INCIDENT COUNT TAG [single-host]\n");
        return 2;
    }
    wr_error err = {0};
    wr_store *st = wr_store_open_wait(argv[1], argc == 6 ? WR_OPEN_SINGLE_HOST : 0, 60000, &err);
    if (!st) {
        fprintf(stderr, "wr_writer: %s\n", err.msg);
        return 1;
    }
    wr_actor me;
    wr_actor_set(&me, argv[4], "tester", "local", "localhost");
    wr_opctx c = {st, &me, "test", 0};
    long n = strtol(argv[3], NULL, 10);
    int64_t inc = strtoll(argv[2], NULL, 10);
    int rc = 0;
    for (long i = 0; i < n; i++) {
        char text[128];
        snprintf(text, sizeof text, "%s %ld", argv[4], i);
        wr_write w;
        if (wr_op_note(&c, inc, text, &w, &err) != WR_OK) {
            fprintf(stderr, "wr_writer: %s\n", err.msg);
            rc = 1;
            break;
        }
        char uid[33];
        memcpy(uid, w.uid, sizeof uid);
        if (wr_op_commit(st, &w, 60000, NULL, NULL, &err) != WR_OK) {
            fprintf(stderr, "wr_writer: %s\n", err.msg);
            rc = 1;
            break;
        }
        printf("%s\n", uid);
        fflush(stdout);
    }
    wr_actor_free(&me);
    wr_store_close(st);
    return rc;
}
