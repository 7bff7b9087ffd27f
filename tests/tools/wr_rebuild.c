/* SPDX-License-Identifier: MIT */
/* wr_rebuild - rebuild a database's current state from its event log (for the shell tests).
 *
 *   wr_rebuild DB */
#include "warroom/store.h"
#include "warroom/model.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: wr_rebuild DB\n");
        return 2;
    }
    wr_error err = {0};
    wr_store *st = wr_store_open(argv[1], 0, &err);
    if (!st || wr_store_rebuild(st, &err) != WR_OK) {
        fprintf(stderr, "wr_rebuild: %s\n", err.msg);
        wr_store_close(st);
        return 1;
    }
    wr_store_close(st);
    return 0;
}
