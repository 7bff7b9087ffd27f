/* SPDX-License-Identifier: MIT */
/* cmd_alert.h - private to cmd_alert.c and cmd_alert_http.c. */
#ifndef WARROOM_CMD_ALERT_H
#define WARROOM_CMD_ALERT_H

#include "cmd_int.h"

#include "warroom/alert.h"

/* The noise rules: FILE, else the default file (none: *out NULL), or none at all. 0, or 2 with the reason in
 * c->err. */
int wr_cmd_alert_load_rules(wr_cmdctx *c, const char *file, int none, wr_alert_rules **out);
/* A source name taken from a URL path: 1-64 of A-Z a-z 0-9 . _ - */
int wr_cmd_alert_source_ok(const char *s);

typedef struct wr_cmd_alert_http_opts {
    const char *source, *rules_file;
    int no_rules;
    const char *timeout, *max_body, *token_file; /* as given, or NULL */
    size_t batch;                                /* alerts per transaction, 0: the default */
} wr_cmd_alert_http_opts;
/* `warroom alert --http`: one HTTP/1.1 request on stdin, its answer on stdout (cmd_alert_http.c). */
int wr_cmd_alert_http(wr_args *a, const wr_cmd_alert_http_opts *o);

#endif
