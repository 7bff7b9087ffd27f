/* SPDX-License-Identifier: MIT */
/* On-call: time-zone arithmetic across DST (Europe/Berlin, America/New_York; spring and autumn), rotations,
 * overrides, role suggestions, escalation steps, and the strict loader's errors. */
#include "check.h"
#include "warroom/clock.h"
#include "warroom/oncall.h"
#include "warroom/tz.h"
#include "warroom/util.h"

#include <stdlib.h>
#include <string.h>

static int64_t T(const char *iso)
{
    int64_t ms = 0;
    if (wr_time_parse(iso, &ms) != 0) {
        fprintf(stderr, "bad time in test: %s\n", iso);
        abort();
    }
    return ms;
}

static const char *iso(int64_t ms)
{
    static char buf[4][40];
    static int i;
    i = (i + 1) % 4;
    return wr_time_iso(ms, buf[i], sizeof buf[i]);
}

static wr_oncall *load(const char *yaml, wr_buf *err)
{
    wr_buf_reset(err);
    return wr_oncall_load_mem("oncall.yaml", yaml, strlen(yaml), err);
}

static void test_tz(void)
{
    setenv("TZ", "Asia/Tokyo", 1);
    wr_civil c;
    long off;
    char abbr[16];
    int64_t ms;
    CHECK(wr_tz_valid("Europe/Berlin"));
    CHECK(wr_tz_valid("UTC"));
    CHECK(!wr_tz_valid("Europe/Berlni"));
    CHECK(!wr_tz_valid("../etc/passwd"));
    CHECK(!wr_tz_valid("/usr/share/zoneinfo/UTC"));
    CHECK(!wr_tz_valid(""));
    /* Berlin, spring 2026: 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z). */
    CHECK_INT(wr_tz_local("Europe/Berlin", T("2026-03-29T00:59:59Z"), &c, &off, abbr), 0);
    CHECK_INT(c.hour, 1);
    CHECK_INT(off, 3600);
    CHECK_STR(abbr, "CET");
    CHECK_INT(wr_tz_local("Europe/Berlin", T("2026-03-29T01:00:00Z"), &c, &off, abbr), 0);
    CHECK_INT(c.hour, 3);
    CHECK_INT(off, 7200);
    CHECK_STR(abbr, "CEST");
    /* 02:30 does not exist that night: read with the offset before the change = 03:30 CEST. */
    wr_civil gap = {2026, 3, 29, 2, 30, 0};
    CHECK_INT(wr_tz_to_utc("Europe/Berlin", &gap, &ms), 0);
    CHECK_STR(iso(ms), "2026-03-29T01:30:00.000Z");
    /* Autumn: 2026-10-25 03:00 CEST -> 02:00 CET; 02:30 exists twice: the first (CEST). */
    wr_civil twice = {2026, 10, 25, 2, 30, 0};
    CHECK_INT(wr_tz_to_utc("Europe/Berlin", &twice, &ms), 0);
    CHECK_STR(iso(ms), "2026-10-25T00:30:00.000Z");
    wr_civil after = {2026, 10, 25, 3, 30, 0};
    CHECK_INT(wr_tz_to_utc("Europe/Berlin", &after, &ms), 0);
    CHECK_STR(iso(ms), "2026-10-25T02:30:00.000Z");
    /* New York 2026: spring 03-08 02:00 EST -> 03:00 EDT; autumn 11-01 02:00 EDT -> 01:00 EST. */
    wr_civil nygap = {2026, 3, 8, 2, 15, 0};
    CHECK_INT(wr_tz_to_utc("America/New_York", &nygap, &ms), 0);
    CHECK_STR(iso(ms), "2026-03-08T07:15:00.000Z"); /* 02:15 EST = 03:15 EDT */
    wr_civil nytwice = {2026, 11, 1, 1, 30, 0};
    CHECK_INT(wr_tz_to_utc("America/New_York", &nytwice, &ms), 0);
    CHECK_STR(iso(ms), "2026-11-01T05:30:00.000Z"); /* 01:30 EDT, the first */
    CHECK_INT(wr_tz_local("America/New_York", T("2026-11-01T06:30:00Z"), &c, &off, abbr), 0);
    CHECK_INT(c.hour, 1); /* the second 01:30, EST */
    CHECK_STR(abbr, "EST");
    char buf[64];
    CHECK_STR(wr_tz_format("Europe/Berlin", T("2026-07-01T07:00:00Z"), buf, sizeof buf), "2026-07-01 09:00 CEST");
    CHECK_STR(wr_tz_format("UTC", T("2026-07-01T07:00:05Z"), buf, sizeof buf), "2026-07-01 07:00:05 UTC");
    CHECK_INT(wr_tz_local("Nowhere/Atlantis", 0, &c, &off, abbr), -1);
    /* TZ is put back after every call. */
    CHECK_STR(getenv("TZ"), "Asia/Tokyo");
    unsetenv("TZ");
    CHECK_INT(wr_tz_local("Europe/Berlin", 0, &c, &off, NULL), 0);
    CHECK(getenv("TZ") == NULL);
    /* civil parsing */
    int has;
    long o;
    CHECK_INT(wr_civil_parse("2026-01-05 09:00", &c, &has, &o), 0);
    CHECK_INT(has, 0);
    CHECK_INT(c.hour, 9);
    CHECK_INT(wr_civil_parse("2026-01-05T09:00:30+05:30", &c, &has, &o), 0);
    CHECK_INT(has, 1);
    CHECK_INT(o, 5 * 3600 + 1800);
    CHECK_INT(wr_civil_parse("2026-02-30", &c, &has, &o), -1);
    CHECK_INT(wr_civil_parse("2026-01-05 9:00", &c, &has, &o), -1);
    CHECK_INT(wr_civil_parse("2026-01-05 09:00 ", &c, &has, &o), -1);
    CHECK_INT(wr_oncall_duration_parse("0m"), 0);
    CHECK_INT(wr_oncall_duration_parse("1d12h"), 129600);
    CHECK_INT(wr_oncall_duration_parse("12h1d"), -1);
    CHECK_INT(wr_oncall_duration_parse("5"), -1);
    CHECK_INT(wr_oncall_duration_parse(""), -1);
}

static const char *rotations =
    "timezone: Europe/Berlin\n"
    "roles:\n"
    "  incident-commander: leads\n"
    "  responder: platform\n"
    "teams:\n"
    "  leads:\n"
    "    members: [ann, ben, cat]\n"
    "    rotation: {shift: weekly, start: \"2026-01-05 09:00\"}\n"
    "    escalation: lead-pages\n"
    "  berlin-daily:\n"
    "    members: [d1, d2]\n"
    "    rotation: {shift: daily, start: 2026-01-01 09:00}\n"
    "  night:\n"
    "    members: [n1, n2, n3]\n"
    "    rotation: {shift: daily, start: 2026-01-01 02:30}\n"
    "  platform:\n"
    "    name: Platform (New York)\n"
    "    members: [dave, erin, frank, gina]\n"
    "    rotation:\n"
    "      shift: custom\n"
    "      every: 12h\n"
    "      start: 2026-03-01 09:00\n"
    "      timezone: America/New_York\n"
    "    escalation: platform-pages\n"
    "overrides:\n"
    "  - user: zoe\n"
    "    for: erin\n"
    "    from: 2026-03-08 00:00\n"
    "    to: 2026-03-08 12:00\n"
    "    timezone: America/New_York\n"
    "  - user: yan\n"
    "    team: leads\n"
    "    from: 2026-04-01 00:00\n"
    "    to: 2026-04-02 00:00\n"
    "  - user: xia\n"
    "    team: leads\n"
    "    from: 2026-04-01 12:00\n"
    "    to: 2026-04-01 13:00\n"
    "escalations:\n"
    "  lead-pages:\n"
    "    - after: 0m\n"
    "      reach: [team:leads]\n"
    "    - after: 10m\n"
    "      reach: [team:platform, user:boss]\n"
    "  platform-pages:\n"
    "    - after: 5m\n"
    "      reach: [team:platform]\n";

static void test_rotations(void)
{
    wr_buf err = {0};
    wr_oncall *oc = load(rotations, &err);
    CHECK(oc != NULL);
    if (!oc) {
        fprintf(stderr, "%s", wr_buf_str(&err));
        return;
    }
    wr_oncall_slot s;
    /* Weekly, Monday 09:00 Berlin. The week spanning the spring change is 167 h long. */
    CHECK_INT(wr_oncall_at(oc, "leads", T("2026-03-29T12:00:00Z"), &s), 0);
    CHECK_STR(iso(s.shift_start), "2026-03-23T08:00:00.000Z"); /* 09:00 CET */
    CHECK_STR(iso(s.shift_end), "2026-03-30T07:00:00.000Z");   /* 09:00 CEST */
    CHECK_INT(s.shift_index, 11);
    CHECK_STR(s.scheduled, "cat");
    CHECK_STR(s.next, "ann");
    CHECK_STR(s.user, "cat");
    CHECK(s.override == NULL);
    /* One second before the handoff is still cat; at it, ann. */
    CHECK_INT(wr_oncall_at(oc, "leads", T("2026-03-30T06:59:59Z"), &s), 0);
    CHECK_STR(s.user, "cat");
    CHECK_INT(wr_oncall_at(oc, "leads", T("2026-03-30T07:00:00Z"), &s), 0);
    CHECK_STR(s.user, "ann");
    CHECK_INT(s.shift_end - s.shift_start, 7 * 86400 * 1000LL);
    /* Before the rotation's start it runs backwards: the week before is cat's (k = -1). */
    CHECK_INT(wr_oncall_at(oc, "leads", T("2026-01-01T12:00:00Z"), &s), 0);
    CHECK_INT(s.shift_index, -1);
    CHECK_STR(s.user, "cat");
    /* Daily at 09:00 Berlin: 23 h in spring, 25 h in autumn. */
    CHECK_INT(wr_oncall_at(oc, "berlin-daily", T("2026-03-29T06:30:00Z"), &s), 0);
    CHECK_STR(iso(s.shift_start), "2026-03-28T08:00:00.000Z");
    CHECK_STR(iso(s.shift_end), "2026-03-29T07:00:00.000Z");
    CHECK_INT(wr_oncall_at(oc, "berlin-daily", T("2026-10-25T07:30:00Z"), &s), 0);
    CHECK_STR(iso(s.shift_start), "2026-10-24T07:00:00.000Z");
    CHECK_STR(iso(s.shift_end), "2026-10-25T08:00:00.000Z");
    CHECK_INT(s.shift_end - s.shift_start, 25 * 3600 * 1000LL);
    /* Daily at 02:30 Berlin: skipped on 03-29 (handoff at 03:30 CEST), the first 02:30 on 10-25. */
    CHECK_INT(wr_oncall_at(oc, "night", T("2026-03-29T01:00:00Z"), &s), 0);
    CHECK_STR(iso(s.shift_end), "2026-03-29T01:30:00.000Z");
    CHECK_INT(wr_oncall_at(oc, "night", T("2026-10-25T01:00:00Z"), &s), 0);
    CHECK_STR(iso(s.shift_start), "2026-10-25T00:30:00.000Z");
    CHECK_INT(wr_oncall_at(oc, "night", T("2026-10-25T00:45:00Z"), &s), 0);
    CHECK_STR(iso(s.shift_start), "2026-10-25T00:30:00.000Z"); /* the repeated 02:30-03:00 is the new shift */
    /* New York, 12 h shifts at 09:00/21:00: the night of the spring change is 11 h, of the autumn one 13 h. */
    CHECK_INT(wr_oncall_at(oc, "platform", T("2026-03-08T05:00:00Z"), &s), 0);
    CHECK_STR(iso(s.shift_start), "2026-03-08T02:00:00.000Z"); /* 21:00 EST on the 7th */
    CHECK_STR(iso(s.shift_end), "2026-03-08T13:00:00.000Z");   /* 09:00 EDT */
    CHECK_INT(s.shift_index, 13);
    CHECK_STR(s.scheduled, "erin");
    CHECK_INT(wr_oncall_at(oc, "platform", T("2026-11-01T12:00:00Z"), &s), 0);
    CHECK_STR(iso(s.shift_start), "2026-11-01T01:00:00.000Z"); /* 21:00 EDT on 10-31 */
    CHECK_STR(iso(s.shift_end), "2026-11-01T14:00:00.000Z");   /* 09:00 EST */
    CHECK_INT(s.shift_end - s.shift_start, 13 * 3600 * 1000LL);
    /* Overrides: zoe covers erin from 00:00 to 12:00 New York time on 03-08, inside erin's shift. */
    CHECK_INT(wr_oncall_at(oc, "platform", T("2026-03-08T04:00:00Z"), &s), 0); /* 23:00 EST: erin */
    CHECK_STR(s.user, "erin");
    CHECK_STR(iso(s.since), "2026-03-08T02:00:00.000Z");
    CHECK_STR(iso(s.until), "2026-03-08T05:00:00.000Z"); /* zoe takes over at 00:00 EST */
    CHECK_INT(wr_oncall_at(oc, "platform", T("2026-03-08T06:00:00Z"), &s), 0);
    CHECK_STR(s.user, "zoe");
    CHECK_STR(s.scheduled, "erin");
    CHECK(s.override == &oc->overrides[0]);
    CHECK_STR(iso(s.since), "2026-03-08T05:00:00.000Z");
    CHECK_STR(iso(s.until), "2026-03-08T13:00:00.000Z"); /* the shift ends before the override */
    /* After the handoff frank is on: the override is for erin only. */
    CHECK_INT(wr_oncall_at(oc, "platform", T("2026-03-08T14:00:00Z"), &s), 0);
    CHECK_STR(s.user, "frank");
    CHECK(s.override == NULL);
    /* Team-wide override for a day, and a later one inside it wins for its hour. */
    CHECK_INT(wr_oncall_at(oc, "leads", T("2026-04-01T09:00:00Z"), &s), 0);
    CHECK_STR(s.user, "yan");
    CHECK_STR(iso(s.since), "2026-03-31T22:00:00.000Z"); /* 00:00 CEST */
    CHECK_STR(iso(s.until), "2026-04-01T10:00:00.000Z"); /* xia's hour starts */
    CHECK_INT(wr_oncall_at(oc, "leads", T("2026-04-01T10:30:00Z"), &s), 0);
    CHECK_STR(s.user, "xia");
    CHECK_INT(wr_oncall_at(oc, "leads", T("2026-04-01T11:30:00Z"), &s), 0);
    CHECK_STR(s.user, "yan");
    CHECK_STR(iso(s.since), "2026-04-01T11:00:00.000Z");
    CHECK_STR(iso(s.until), "2026-04-01T22:00:00.000Z");
    CHECK_INT(wr_oncall_at(oc, "nope", 0, &s), -1);

    /* Suggestions: the on-call first, then the rotation order from the next one. */
    wr_oncall_pick p;
    CHECK_INT(wr_oncall_suggest(oc, "responder", T("2026-03-08T06:00:00Z"), &p), 0);
    CHECK_STR(p.team, "platform");
    CHECK_STR(p.oncall, "zoe");
    CHECK_INT(p.n, 5);
    if (p.n == 5) {
        CHECK_STR(p.people[1], "frank");
        CHECK_STR(p.people[2], "gina");
        CHECK_STR(p.people[3], "dave");
        CHECK_STR(p.people[4], "erin"); /* the one covered, last */
    }
    wr_oncall_pick_free(&p);
    CHECK_INT(wr_oncall_suggest(oc, "scribe", 0, &p), -1);

    /* Escalation for an empty incident-commander role. */
    wr_oncall_due d;
    CHECK_INT(wr_oncall_escalation_due(oc, "incident-commander", 3 * 60000, T("2026-03-08T06:00:00Z"), &d), 0);
    CHECK_INT(d.step, 0);
    CHECK_INT(d.next_after_ms, 10 * 60000);
    CHECK_INT(d.nreach, 1);
    if (d.nreach == 1)
        CHECK_STR(d.reach[0].user, "cat"); /* leads' week 9 (03-02..03-09): k = 8 -> cat */
    wr_oncall_due_free(&d);
    CHECK_INT(wr_oncall_escalation_due(oc, "incident-commander", 12 * 60000, T("2026-03-08T06:00:00Z"), &d), 0);
    CHECK_INT(d.step, 1);
    CHECK_INT(d.next_after_ms, -1);
    CHECK_INT(d.nreach, 2);
    if (d.nreach == 2) {
        CHECK_STR(d.reach[0].user, "zoe"); /* platform's on-call, override included */
        CHECK(d.reach[0].target->is_team);
        CHECK_STR(d.reach[1].user, "boss");
    }
    wr_oncall_due_free(&d);
    /* platform-pages has its first step at 5m: nothing due at 2m yet. */
    CHECK_INT(wr_oncall_escalation_due(oc, "responder", 2 * 60000, 0, &d), 0);
    CHECK_INT(d.step, -1);
    CHECK_INT(d.next_after_ms, 5 * 60000);
    wr_oncall_due_free(&d);
    CHECK_INT(wr_oncall_escalation_due(oc, "scribe", 0, 0, &d), -1);
    wr_oncall_free(oc);
    wr_buf_free(&err);
}

static void expect_error(const char *yaml, const char *want)
{
    wr_buf err = {0};
    wr_oncall *oc = load(yaml, &err);
    CHECK(oc == NULL);
    if (!strstr(wr_buf_str(&err), want)) {
        check_failed++;
        fprintf(stderr, "expected error containing [%s], got [%s]\n", want, wr_buf_str(&err));
    } else {
        check_passed++;
    }
    wr_oncall_free(oc);
    wr_buf_free(&err);
}

#define TEAM "teams:\n  a:\n    members: [x, y]\n    rotation: {shift: daily, start: 2026-01-01 09:00}\n"

static void test_errors(void)
{
    expect_error("temas: {}\n", "oncall.yaml:1:1: unknown key 'temas' (did you mean 'teams'?)");
    expect_error("timezone: Europe/Berlni\n" TEAM, "oncall.yaml:1:11: unknown time zone 'Europe/Berlni'");
    expect_error("teams:\n  a:\n    members: [x]\n    rotation: {shift: custom, start: 2026-01-01}\n",
                 "oncall.yaml:4:15: a custom shift needs 'every'");
    expect_error("teams:\n  a:\n    members: [x]\n    rotation: {shift: daily, every: 12h, start: 2026-01-01}\n",
                 "oncall.yaml:4:30: 'every' is only for shift: custom");
    expect_error("teams:\n  a:\n    members: [x]\n    rotation: {shift: dialy, start: 2026-01-01}\n",
                 "unknown shift 'dialy' (did you mean 'daily'?)");
    expect_error("teams:\n  a:\n    members: [x]\n    rotation: {shift: daily, start: 2026-13-01}\n",
                 "oncall.yaml:4:37: invalid time '2026-13-01'");
    expect_error("teams:\n  a:\n    members: [x, x]\n    rotation: {shift: daily, start: 2026-01-01}\n",
                 "duplicate member 'x'");
    expect_error("teams:\n  a:\n    members: []\n    rotation: {shift: daily, start: 2026-01-01}\n",
                 "'members' must list at least one person");
    expect_error(TEAM "roles: {responder: b}\n", "oncall.yaml:5:20: unknown team 'b' (did you mean 'a'?)");
    expect_error(TEAM "overrides:\n  - {user: z, from: 2026-01-01, to: 2026-01-02}\n",
                 "an override needs 'team'");
    expect_error(TEAM "overrides:\n  - {user: z, for: q, from: 2026-01-01, to: 2026-01-02}\n",
                 "'q' is not a member of any team");
    expect_error(TEAM "overrides:\n  - {user: z, team: a, from: 2026-01-02, to: 2026-01-01}\n",
                 "'to' must be after 'from'");
    expect_error(TEAM "    escalation: pages\n", "unknown escalation policy 'pages'");
    expect_error(TEAM "escalations:\n  p:\n    - {after: 5m, reach: [team:a]}\n    - {after: 5m, reach: [user:u]}\n",
                 "oncall.yaml:8:15: 'after' must grow");
    expect_error(TEAM "escalations:\n  p:\n    - {after: 5m, reach: [a]}\n", "expected team:TEAM");
    expect_error(TEAM "escalations:\n  p:\n    - {after: soon, reach: [team:a]}\n", "invalid delay 'soon'");
    expect_error("teams:\n  Bad Team:\n    members: [x]\n    rotation: {shift: daily, start: 2026-01-01}\n",
                 "invalid team id 'Bad Team'");
    expect_error("", "empty file");
}

static void test_example(void)
{
    const char *src = getenv("WARROOM_SRCDIR");
    char *path = wr_xasprintf("%s/docs/oncall.example.yaml", src ? src : ".");
    wr_buf err = {0};
    wr_oncall *oc = wr_oncall_load_file(path, &err);
    CHECK(oc != NULL);
    if (!oc)
        fprintf(stderr, "%s", wr_buf_str(&err));
    if (oc) {
        for (size_t i = 0; i < oc->nteams; i++) {
            wr_oncall_slot s;
            CHECK_INT(wr_oncall_at(oc, oc->teams[i].id, T("2026-03-29T08:00:00Z"), &s), 0);
        }
    }
    wr_oncall_free(oc);
    wr_buf_free(&err);
    free(path);
}

int main(void)
{
    test_tz();
    test_rotations();
    test_errors();
    test_example();
    return check_done();
}
