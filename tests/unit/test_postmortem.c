/* SPDX-License-Identifier: MIT */
/* Postmortem and report: percentiles on known data, the report's groups (drills and merges left out),
 * Markdown escaping, the safe JSON writer, and that both postmortem forms hold the same facts. */
#include "check.h"
#include "warroom/action.h"
#include "warroom/clock.h"
#include "warroom/incident.h"
#include "warroom/json.h"
#include "warroom/lifecycle.h"
#include "warroom/policy.h"
#include "warroom/postmortem.h"
#include "warroom/store.h"
#include "warroom/model.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1772355600000LL /* 2026-03-01T09:00:00Z */
#define MIN 60000LL

static void test_percentile(void)
{
    int64_t a[] = {40, 10, 30, 20};
    CHECK_INT(wr_percentile(a, 4, 50), 25);
    CHECK_INT(wr_percentile(a, 4, 90), 37);
    CHECK_INT(wr_percentile(a, 4, 0), 10);
    CHECK_INT(wr_percentile(a, 4, 100), 40);
    int64_t b[] = {7};
    CHECK_INT(wr_percentile(b, 1, 90), 7);
    int64_t c[] = {5, 1, 3};
    CHECK_INT(wr_percentile(c, 3, 50), 3);
    int64_t d[10];
    for (int i = 0; i < 10; i++)
        d[i] = (10 - i) * 60000;
    CHECK_INT(wr_percentile(d, 10, 50), 330000);
    CHECK_INT(wr_percentile(d, 10, 90), 546000);
}

static char *md(const char *s, int oneline)
{
    wr_buf b = {0};
    wr_md_escape(&b, s, oneline);
    return wr_buf_steal(&b);
}

static void test_markdown_escape(void)
{
    struct {
        const char *in, *out;
        int oneline;
    } v[] = {
        {"plain text", "plain text", 1},
        {"*bold* _it_ `code` [l](u) <b> a|b ~~s~~ &amp;", "\\*bold\\* \\_it\\_ \\`code\\` \\[l\\](u) \\<b> a\\|b \\~\\~s\\~\\~ \\&amp;", 1},
        {"# not a heading", "\\# not a heading", 1},
        {"- not a list", "\\- not a list", 1},
        {"1. not a list", "1\\. not a list", 1},
        {"> not a quote", "\\> not a quote", 1},
        {"a # b > c - d 2. e", "a # b > c - d 2. e", 1},
        {"back\\slash", "back\\\\slash", 1},
        {"line one\n# two\n  - three  \n\n4) four", "line one\n\\# two\n\\- three\n\n4\\) four", 0},
        {"two\nlines", "two lines", 1},
        {"esc \x1b[31mred\x1b[0m", "esc \xe2\x90\x9bred\xe2\x90\x9b", 1},
        {"bidi \xe2\x80\xae" "evil", "bidi evil", 1},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *got = md(v[i].in, v[i].oneline);
        CHECK_STR(got, v[i].out);
        free(got);
    }
    /* After a list marker the text starts a block; in the middle of a line it does not. */
    wr_buf b = {0};
    wr_buf_puts(&b, "- ");
    wr_md_escape(&b, "- x", 1);
    wr_buf_puts(&b, " and ");
    wr_md_escape(&b, "- y", 1);
    CHECK_STR(wr_buf_str(&b), "- \\- x and - y");
    wr_buf_free(&b);
}

static void test_json_safe(void)
{
    wr_buf b = {0};
    wr_json_str(&b, "a\"b\\c\n\x1b[2J\xc2\x9b" "x\xe2\x80\xae" "y\xff" "z \xc3\xa9");
    CHECK_STR(wr_buf_str(&b), "\"a\\\"b\\\\c\\n\\u001b[2J\\u009bx\\u202ey\xef\xbf\xbdz \xc3\xa9\"");
    wr_buf_free(&b);
}

static int json_valid(const char *s)
{
    sqlite3 *db;
    sqlite3_open(":memory:", &db);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT json_valid(?1)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, s, -1, SQLITE_STATIC);
    int ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok;
}

static wr_store *st;
static wr_actor alice;

static void run(wr_status prepared, wr_write *w)
{
    wr_error err = {0};
    CHECK_INT(prepared, WR_OK);
    if (prepared == WR_OK) {
        wr_status s = wr_op_commit(st, w, 1000, NULL, NULL, &err);
        if (s != WR_OK)
            fprintf(stderr, "%s\n", err.msg);
        CHECK_INT(s, WR_OK);
    }
}

/* An incident declared at T0+offset, detected `detect` minutes after it started, resolved `resolve` minutes
 * after detection. */
static int64_t incident(const char *sev, const char *type, const char *kind, int64_t offset, int detect,
                        int resolve)
{
    wr_opctx c = {st, &alice, "cli", T0 + offset};
    wr_write w;
    wr_error err = {0};
    int64_t id = 0;
    int64_t detected = T0 + offset - MIN;
    CHECK_INT(wr_op_declare_at(&c, "x", sev, type, kind, detected - detect * MIN, detected, &w, &err), WR_OK);
    wr_op_commit(st, &w, 1000, NULL, &id, &err);
    wr_opctx r = {st, &alice, "cli", detected + resolve * MIN};
    run(wr_op_status(&r, id, "resolved", 0, NULL, 0, &w, &err), &w);
    return id;
}

static void test_report(void)
{
    incident("SEV1", "security", NULL, 0, 10, 60);
    incident("SEV1", "security", NULL, 10 * MIN, 20, 120);
    incident("SEV2", "availability", NULL, 20 * MIN, 30, 30);
    incident("SEV1", "security", "drill", 30 * MIN, 1, 1);
    int64_t dup = incident("SEV2", "availability", NULL, 40 * MIN, 99, 99);
    wr_opctx c = {st, &alice, "cli", T0 + 24 * 60 * MIN};
    wr_write w;
    wr_error err = {0};
    run(wr_op_status(&c, dup, "merged", 3, "same outage", 0, &w, &err), &w);
    /* Not an incident after all, and one not worth working: counted apart, as the merged one. */
    const char *ends[2] = {"declined", "cancelled"};
    for (int k = 0; k < 2; k++) {
        wr_opctx d = {st, &alice, "cli", T0 + (50 + k) * MIN};
        int64_t id = 0;
        CHECK_INT(wr_op_declare_at(&d, "y", "SEV3", "security", NULL, 0, 0, &w, &err), WR_OK);
        wr_op_commit(st, &w, 1000, NULL, &id, &err);
        run(wr_op_status(&c, id, ends[k], 0, "not ours", 0, &w, &err), &w);
    }

    wr_report r;
    CHECK_INT(wr_report_build(st, 0, 0, &r, &err), WR_OK);
    CHECK_INT(r.all.count, 3);
    CHECK_INT(r.left_out_drills, 1);
    CHECK_INT(r.left_out_merged, 1);
    CHECK_INT(r.left_out_declined, 1);
    CHECK_INT(r.left_out_cancelled, 1);
    CHECK_INT(r.all.m[WR_MET_DETECT].n, 3);
    CHECK_INT(r.all.m[WR_MET_DETECT].median_ms, 20 * MIN);
    CHECK_INT(r.all.m[WR_MET_DETECT].p90_ms, 28 * MIN);
    CHECK_INT(r.all.m[WR_MET_RESOLVE].median_ms, 60 * MIN);
    CHECK_INT(r.all.m[WR_MET_CONTAIN].n, 3); /* resolved implies contained */
    CHECK_INT(r.all.m[WR_MET_ACKNOWLEDGE].n, 3); /* resolved implies acknowledged (left triage) */
    CHECK_INT(r.nseverity, 2);
    if (r.nseverity == 2) {
        CHECK_STR(r.by_severity[0].key, "SEV1");
        CHECK_INT(r.by_severity[0].count, 2);
        CHECK_INT(r.by_severity[0].m[WR_MET_RESOLVE].median_ms, 90 * MIN);
        CHECK_INT(r.by_severity[0].m[WR_MET_RESOLVE].p90_ms, 114 * MIN);
        CHECK_INT(r.by_severity[1].count, 1);
    }
    CHECK_INT(r.ntype, 2);
    if (r.ntype == 2) {
        CHECK_STR(r.by_type[0].key, "availability");
        CHECK_STR(r.by_type[1].key, "security");
    }
    wr_buf out = {0};
    wr_report_json(&r, &out);
    CHECK(json_valid(wr_buf_str(&out)));
    wr_buf_reset(&out);
    wr_report_text(&r, &out);
    CHECK(strstr(wr_buf_str(&out), "1 drill left out") != NULL);
    CHECK(strstr(wr_buf_str(&out), "not counted: 1 declined, 1 cancelled, 1 merged") != NULL);
    wr_buf_free(&out);
    wr_report_free(&r);

    CHECK_INT(wr_report_build(st, 0, 1, &r, &err), WR_OK);
    CHECK_INT(r.all.count, 4);
    wr_report_free(&r);
    CHECK_INT(wr_report_build(st, T0 + 15 * MIN, 0, &r, &err), WR_OK); /* since */
    CHECK_INT(r.all.count, 1);
    wr_report_free(&r);
}

static void test_postmortem_forms(void)
{
    wr_opctx c = {st, &alice, "cli", T0};
    wr_write w;
    wr_error err = {0};
    int64_t inc = 0;
    wr_op_declare(&c, "Title with *stars* and \x1b]0;x\x07", "SEV2", "security", NULL, &w, &err);
    wr_op_commit(st, &w, 1000, NULL, &inc, &err);
    run(wr_op_note_tagged(&c, inc, "Paging worked | fast", "went-well", &w, &err), &w);
    run(wr_op_action_add(&c, inc, "Fix [the] thing", "dev", "2026-03-20", "corrective", &w, &err), &w);
    CHECK_INT(wr_op_action_add(&c, inc, "x", NULL, "20-03-2026", NULL, &w, &err), WR_E_INVALID);
    CHECK_INT(wr_op_action_add(&c, inc, "x", NULL, NULL, "curative", &w, &err), WR_E_INVALID);
    CHECK_INT(wr_op_action_state(&c, inc, 1, "wontdo", NULL, &w, &err), WR_E_INVALID);
    CHECK_INT(wr_op_note_tagged(&c, inc, "x", "went-ok", &w, &err), WR_E_INVALID);
    char *m = NULL, *j = NULL;
    CHECK_INT(wr_postmortem_markdown(st, inc, &m, &err), WR_OK);
    CHECK_INT(wr_postmortem_json(st, inc, &j, &err), WR_OK);
    CHECK(m && strstr(m, "# Postmortem: INC-") && strstr(m, "Title with \\*stars\\*"));
    CHECK(m && !strchr(m, '\x1b') && !strchr(m, '\x07'));
    CHECK(m && strstr(m, "## What went well\n\n- Paging worked \\| fast (alice)"));
    CHECK(m && strstr(m, "| 1 | Fix \\[the\\] thing | corrective | dev | 2026-03-20 | open |"));
    CHECK(m && strstr(m, "## What went badly\n\n_To fill in"));
    CHECK(j && json_valid(j));
    CHECK(j && !strchr(j, '\x1b'));
    CHECK(j && strstr(j, "\"went_well\":[{\"text\":\"Paging worked | fast\""));
    CHECK(j && strstr(j, "\"action_items\":[{\"n\":1,\"title\":\"Fix [the] thing\""));
    /* The state rebuilt from the log tells the same story (action items, notes, milestones...). */
    wr_opctx c2 = {st, &alice, "cli", T0 + 5 * MIN};
    run(wr_op_action_state(&c2, inc, 1, "wontdo", "superseded", &w, &err), &w);
    run(wr_op_status(&c2, inc, "resolved", 0, NULL, 0, &w, &err), &w);
    char *m1 = NULL, *j1 = NULL, *m2 = NULL, *j2 = NULL;
    wr_clock_set_fixed(T0 + 48 * 60 * MIN, 0);
    wr_postmortem_markdown(st, inc, &m1, &err);
    wr_postmortem_json(st, inc, &j1, &err);
    CHECK_INT(wr_store_rebuild(st, &err), WR_OK);
    wr_postmortem_markdown(st, inc, &m2, &err);
    wr_postmortem_json(st, inc, &j2, &err);
    CHECK(m1 && strstr(m1, "wont-do: superseded") && strstr(m1, "| resolved | 2026-03-01 09:05 | status change |"));
    CHECK_STR(m2, m1);
    CHECK_STR(j2, j1);
    free(m1);
    free(m2);
    free(j1);
    free(j2);
    free(m);
    free(j);
    CHECK_INT(wr_postmortem_markdown(st, 999, &m, &err), WR_E_NOTFOUND);
}

int main(void)
{
    char dir[] = "/tmp/wr-test-pm-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    wr_policy_apply(NULL);
    wr_clock_set_fixed(T0 + 48 * 60 * MIN, 1);
    wr_actor_set(&alice, "alice", "alice", "tty", "host");
    char *path = wr_xasprintf("%s/pm.db", dir);
    wr_error err = {0};
    st = wr_store_open(path, WR_OPEN_CREATE, &err);
    test_percentile();
    test_markdown_escape();
    test_json_safe();
    test_report();
    test_postmortem_forms();
    wr_store_close(st);
    free(path);
    wr_actor_free(&alice);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
