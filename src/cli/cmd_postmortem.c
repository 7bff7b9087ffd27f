/* SPDX-License-Identifier: MIT */
/* cmd_postmortem.c - the postmortem and report commands. */
#include "cmd_int.h"

#include "warroom/clock.h"
#include "warroom/lifecycle.h"
#include "warroom/json.h"
#include "warroom/postmortem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wr_cmd_postmortem(wr_args *a)
{
    wr_cmdctx *c = a->c;
    int json = wr_args_has(a, "--json") || c->json;
    int r;
    int64_t inc;
    if ((r = wr_args_incident(a, 0, &inc)) != 0)
        return r;
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    wr_error err = {0};
    char *doc = NULL;
    wr_status s = json ? wr_postmortem_json(c->store, inc, &doc, &err) : wr_postmortem_markdown(c->store, inc, &doc, &err);
    if (s != WR_OK)
        return wr_args_fail(c, "postmortem", &err);
    if (json)
        wr_json_doc(&c->out, NULL, doc);
    else
        wr_buf_printf(&c->out, "%s\n", doc);
    free(doc);
    return 0;
}

int wr_cmd_report(wr_args *a)
{
    wr_cmdctx *c = a->c;
    const char *since_s = wr_args_get(a, "--since");
    int drills = wr_args_has(a, "--drills");
    int json = wr_args_has(a, "--json") || c->json;
    if (a->argc)
        return wr_args_usage(a, "unexpected argument \"%s\"", a->argv[0]);
    int64_t since = 0;
    if (since_s && wr_time_parse(since_s, &since) != 0)
        return wr_args_usage(a, "--since \"%s\" is not a date (2026-01-01, 2026-01-01T00:00Z or -30d)", since_s);
    wr_error err = {0};
    wr_report rep;
    if (wr_report_build(c->store, since, drills, &rep, &err) != WR_OK)
        return wr_args_fail(c, "report", &err);
    if (json) {
        wr_buf doc = {0};
        wr_report_json(&rep, &doc);
        wr_json_doc(&c->out, NULL, wr_buf_str(&doc));
        wr_buf_free(&doc);
    } else {
        wr_report_text(&rep, &c->out);
    }
    wr_report_free(&rep);
    return 0;
}
