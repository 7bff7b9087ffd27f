/* SPDX-License-Identifier: MIT */
#include "check.h"
#include "warroom/runbook.h"
#include "warroom/sha256.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char VALID[] =
    "# every field\n"
    "id: compromised-compute-instance\n"
    "title: Compromised compute instance\n"
    "version: 3\n"
    "description: |\n"
    "  An instance shows signs of compromise.\n"
    "  Contain it without destroying evidence.\n"
    "owner: cloud-security\n"
    "applies_to:\n"
    "  types: [security, malware]\n"
    "  assets: [compute-instance, container]\n"
    "  severities: [SEV1, SEV2]\n"
    "roles: [incident-commander, scribe, responder]\n"
    "phases:\n"
    "  recovery:\n"
    "    - id: restore-service\n"
    "      title: Restore from a clean image\n"
    "      role: operations-lead\n"
    "      mandatory: no\n"
    "  containment:\n"
    "    - id: isolate-instance\n"
    "      title: Isolate the instance\n"
    "      detail: |\n"
    "        Swap its security groups for the quarantine group.\n"
    "        Keep it running: memory is evidence.\n"
    "      role: responder\n"
    "      mandatory: true\n"
    "      commands:\n"
    "        - aws ec2 modify-instance-attribute --instance-id \"$INSTANCE_ID\" --groups "
    "\"$QUARANTINE_SG\"\n"
    "        - 'echo \"tab\\there\"'\n"
    "      expect: The instance has only the quarantine security group\n"
    "      timebox: 15m\n"
    "    - id: snapshot-disks\n"
    "      title: Snapshot the disks\n"
    "      role: responder\n"
    "      timebox: 1h30m\n"
    "  detection:\n"
    "    - id: confirm-alert\n"
    "      title: \"Confirm the \\\"GuardDuty\\\" alert \\u00e9\\x01\\u2028\\N\\t\\\\ end\"\n"
    "      role: incident-commander\n"
    "      expect: \"\"\n";

static wr_runbook *load(const char *src, wr_buf *err)
{
    return wr_runbook_load_mem("v.yaml", src, strlen(src), NULL, 0, err);
}

static void check_valid(const wr_runbook *rb)
{
    CHECK_STR(rb->id, "compromised-compute-instance");
    CHECK_STR(rb->title, "Compromised compute instance");
    CHECK_INT(rb->version, 3);
    CHECK_STR(rb->description,
              "An instance shows signs of compromise.\nContain it without destroying evidence.\n");
    CHECK_STR(rb->owner, "cloud-security");
    CHECK_INT(rb->ntypes, 2);
    CHECK_STR(rb->types[0], "security");
    CHECK_STR(rb->types[1], "malware");
    CHECK_INT(rb->nassets, 2);
    CHECK_STR(rb->assets[1], "container");
    CHECK_INT(rb->nseverities, 2);
    CHECK_STR(rb->severities[1], "SEV2");
    CHECK_INT(rb->nroles, 3);
    CHECK_STR(rb->roles[2], "responder");
    CHECK_INT(rb->nsteps, 4);
    if (rb->nsteps != 4)
        return;
    /* phase order, not file order */
    const wr_rb_step *s = rb->steps;
    CHECK_STR(s[0].id, "confirm-alert");
    CHECK_INT(s[0].phase, WR_PHASE_DETECTION);
    CHECK_STR(s[0].title, "Confirm the \"GuardDuty\" alert \xc3\xa9\x01\xe2\x80\xa8\xc2\x85\t\\ end");
    CHECK_STR(s[0].role, "incident-commander");
    CHECK_STR(s[0].expect, "");
    CHECK(s[0].detail == NULL);
    CHECK_INT(s[0].ncommands, 0);
    CHECK_INT(s[0].timebox_s, 0);
    CHECK_INT(s[0].mandatory, 1);
    CHECK_STR(s[1].id, "isolate-instance");
    CHECK_INT(s[1].phase, WR_PHASE_CONTAINMENT);
    CHECK_STR(s[1].title, "Isolate the instance");
    CHECK_STR(s[1].detail, "Swap its security groups for the quarantine group.\n"
                           "Keep it running: memory is evidence.\n");
    CHECK_STR(s[1].role, "responder");
    CHECK_INT(s[1].mandatory, 1);
    CHECK_INT(s[1].ncommands, 2);
    if (s[1].ncommands == 2) {
        CHECK_STR(s[1].commands[0], "aws ec2 modify-instance-attribute --instance-id \"$INSTANCE_ID\" "
                                    "--groups \"$QUARANTINE_SG\"");
        CHECK_STR(s[1].commands[1], "echo \"tab\\there\"");
    }
    CHECK_STR(s[1].expect, "The instance has only the quarantine security group");
    CHECK_INT(s[1].timebox_s, 900);
    CHECK_STR(s[2].id, "snapshot-disks");
    CHECK_INT(s[2].phase, WR_PHASE_CONTAINMENT);
    CHECK_INT(s[2].timebox_s, 5400);
    CHECK(s[2].expect == NULL);
    CHECK_STR(s[3].id, "restore-service");
    CHECK_INT(s[3].phase, WR_PHASE_RECOVERY);
    CHECK_INT(s[3].mandatory, 0);
    CHECK_STR(s[3].role, "operations-lead");
}

static void test_valid(void)
{
    wr_buf err = {0};
    wr_runbook *rb = load(VALID, &err);
    CHECK(rb != NULL);
    CHECK_STR(wr_buf_str(&err), "");
    if (!rb) {
        fprintf(stderr, "%s", wr_buf_str(&err));
        return;
    }
    check_valid(rb);
    CHECK_STR(rb->path, "v.yaml");
    char hex[65];
    wr_sha256_hex(VALID, strlen(VALID), hex);
    CHECK_STR(rb->sha256, hex);
    CHECK_INT(rb->steps[1].line, 21);

    /* JSON round trip: same model, same JSON */
    char *json = wr_runbook_to_json(rb);
    CHECK(wr_startswith(json, "{\"id\":\"compromised-compute-instance\",\"title\":"));
    CHECK(strstr(json, "\"phases\":{\"detection\":[{\"id\":\"confirm-alert\"") != NULL);
    CHECK(strstr(json, "\\u0001\\u2028\\u0085\\t\\\\ end") != NULL);
    CHECK(strstr(json, "\"timebox\":\"1h30m\"") != NULL);
    CHECK(strstr(json, "\"mandatory\":false") != NULL);
    for (const char *p = json; *p; p++)
        if ((unsigned char)*p < 0x20)
            CHECK(!"control character in JSON");
    wr_runbook *back = wr_runbook_from_json("copy", json, strlen(json), &err);
    CHECK(back != NULL);
    CHECK_STR(wr_buf_str(&err), "");
    if (back) {
        check_valid(back);
        CHECK_STR(back->sha256, hex);
        CHECK_STR(back->path, "v.yaml");
        char *json2 = wr_runbook_to_json(back);
        CHECK_STR(json2, json);
        free(json2);
        wr_runbook_free(back);
    }
    /* a corrupted copy is refused with a position */
    json[strlen(json) - 1] = ' ';
    back = wr_runbook_from_json("copy", json, strlen(json), &err);
    CHECK(back == NULL);
    CHECK(wr_startswith(wr_buf_str(&err), "copy:2:1: syntax error: did not find expected ',' or '}'"));
    wr_buf_reset(&err);
    free(json);
    back = wr_runbook_from_json("copy", "{\"id\": \"x\"}", 11, &err);
    CHECK(back == NULL);
    CHECK_STR(wr_buf_str(&err), "copy:1:1: missing required key 'title'\n");
    wr_buf_reset(&err);
    /* the JSON-only keys are refused in a runbook file */
    char *withsha = wr_xasprintf("%ssha256: abc\n", VALID);
    CHECK(load(withsha, &err) == NULL);
    CHECK(wr_startswith(wr_buf_str(&err), "v.yaml:42:1: unknown key 'sha256'"));
    free(withsha);
    wr_buf_free(&err);
    wr_runbook_free(rb);
}

static void test_defaults_and_roles(void)
{
    const char *src = "id: minimal\ntitle: Minimal\nversion: 1\ndescription: d\nowner: o\n"
                      "applies_to: {types: [a-b], assets: [api]}\nroles: [commander]\n"
                      "phases:\n  lessons-learned:\n    - {id: retro, title: Retro, role: commander}\n";
    wr_buf err = {0};
    /* the default roles do not know "commander" */
    CHECK(load(src, &err) == NULL);
    CHECK(wr_startswith(wr_buf_str(&err), "v.yaml:7:9: unknown role 'commander'; expected one of: "
                                          "incident-commander, deputy,"));
    wr_buf_reset(&err);
    static const char *const roles[] = {"commander", "tech"};
    wr_runbook *rb = wr_runbook_load_mem("m.yaml", src, strlen(src), roles, 2, &err);
    CHECK(rb != NULL);
    CHECK_STR(wr_buf_str(&err), "");
    if (rb) {
        CHECK_INT(rb->nseverities, 5); /* default: all */
        CHECK_STR(rb->severities[0], "SEV1");
        CHECK_STR(rb->severities[4], "SEV5");
        CHECK_INT(rb->nsteps, 1);
        CHECK_INT(rb->steps[0].phase, WR_PHASE_LESSONS);
        CHECK_INT(rb->steps[0].mandatory, 1);
        /* a JSON copy keeps custom roles even without the list */
        char *json = wr_runbook_to_json(rb);
        wr_runbook *back = wr_runbook_from_json("copy", json, strlen(json), &err);
        CHECK(back != NULL);
        CHECK_STR(wr_buf_str(&err), "");
        if (back)
            CHECK_STR(back->steps[0].role, "commander");
        wr_runbook_free(back);
        free(json);
    }
    wr_runbook_free(rb);
    wr_buf_free(&err);
}

/* Long strings (beyond libyaml's 1024-character simple-key window) survive the JSON copy. */
static void test_long_json(void)
{
    wr_buf src = {0}, err = {0};
    wr_buf_puts(&src, "id: long\ntitle: Long\nversion: 1\ndescription: \"");
    for (int i = 0; i < 3000; i++)
        wr_buf_puts(&src, i % 100 == 99 ? "\\n" : "x");
    wr_buf_puts(&src, "\"\nowner: o\napplies_to: {types: [a], assets: [api]}\nroles: [scribe]\n"
                      "phases:\n  detection:\n    - id: a\n      title: A\n      role: scribe\n"
                      "      commands:\n        - \"");
    for (int i = 0; i < 5000; i++)
        wr_buf_putc(&src, (char)('a' + i % 26));
    wr_buf_puts(&src, "\"\n");
    wr_runbook *rb = load(wr_buf_str(&src), &err);
    CHECK(rb != NULL);
    CHECK_STR(wr_buf_str(&err), "");
    if (rb) {
        CHECK_INT(strlen(rb->description), 3000);
        CHECK_INT(strlen(rb->steps[0].commands[0]), 5000);
        char *json = wr_runbook_to_json(rb);
        wr_runbook *back = wr_runbook_from_json("copy", json, strlen(json), &err);
        CHECK(back != NULL);
        CHECK_STR(wr_buf_str(&err), "");
        if (back) {
            CHECK_STR(back->description, rb->description);
            CHECK_STR(back->steps[0].commands[0], rb->steps[0].commands[0]);
        }
        wr_runbook_free(back);
        free(json);
    }
    wr_runbook_free(rb);
    wr_buf_free(&src);
    wr_buf_free(&err);
}

static void test_phases_and_durations(void)
{
    CHECK_STR(wr_phase_name(WR_PHASE_CONTAINMENT), "containment");
    CHECK_STR(wr_phase_name(WR_PHASE_LESSONS), "lessons-learned");
    CHECK_STR(wr_phase_title(WR_PHASE_LESSONS), "Lessons learned");
    CHECK_STR(wr_phase_title(WR_PHASE_PREPARATION), "Preparation");
    CHECK_STR(wr_phase_name(WR_PHASE_COUNT), "?");
    CHECK_INT(wr_phase_from_name("eradication"), WR_PHASE_ERADICATION);
    CHECK_INT(wr_phase_from_name("Eradication"), -1);
    CHECK_INT(wr_phase_from_name(""), -1);

    CHECK_INT(wr_rb_duration_parse("90s"), 90);
    CHECK_INT(wr_rb_duration_parse("15m"), 900);
    CHECK_INT(wr_rb_duration_parse("1h"), 3600);
    CHECK_INT(wr_rb_duration_parse("1h30m"), 5400);
    CHECK_INT(wr_rb_duration_parse("2d"), 172800);
    CHECK_INT(wr_rb_duration_parse("1d2h3m4s"), 93784);
    CHECK_INT(wr_rb_duration_parse("365d"), 365L * 86400);
    CHECK_INT(wr_rb_duration_parse("366d"), -1);
    CHECK_INT(wr_rb_duration_parse("99999999999999s"), -1);
    CHECK_INT(wr_rb_duration_parse("0s"), -1);
    CHECK_INT(wr_rb_duration_parse(""), -1);
    CHECK_INT(wr_rb_duration_parse("15"), -1);
    CHECK_INT(wr_rb_duration_parse("m"), -1);
    CHECK_INT(wr_rb_duration_parse("30m1h"), -1);
    CHECK_INT(wr_rb_duration_parse("1h1h"), -1);
    CHECK_INT(wr_rb_duration_parse("1h 30m"), -1);
    CHECK_INT(wr_rb_duration_parse("1H"), -1);
    CHECK_INT(wr_rb_duration_parse("-5m"), -1);
    char buf[32];
    CHECK_STR(wr_rb_duration_format(5400, buf, sizeof buf), "1h30m");
    CHECK_STR(wr_rb_duration_format(90, buf, sizeof buf), "1m30s");
    CHECK_STR(wr_rb_duration_format(172800, buf, sizeof buf), "2d");
    CHECK_STR(wr_rb_duration_format(93784, buf, sizeof buf), "1d2h3m4s");
    CHECK_STR(wr_rb_duration_format(0, buf, sizeof buf), "0s");
    for (long s = 1; s < 200000; s += 97)
        if (wr_rb_duration_parse(wr_rb_duration_format(s, buf, sizeof buf)) != s)
            CHECK(!"duration format/parse round trip");
}

static void test_match(void)
{
    wr_buf err = {0};
    wr_runbook *rb = load(VALID, &err);
    CHECK(rb != NULL);
    if (!rb)
        return;
    static const char *const vm[] = {"compute-instance"};
    static const char *const both[] = {"compute-instance", "container"};
    static const char *const db[] = {"database"};
    int base = wr_runbook_match(rb, "security", NULL, 0, NULL);
    CHECK_INT(base, 1000 - 4);
    CHECK_INT(wr_runbook_match(rb, "malware", vm, 1, "SEV1"), 1100 - 4);
    CHECK_INT(wr_runbook_match(rb, "security", both, 2, "SEV2"), 1200 - 4);
    /* the type or an asset kind in common is enough; a type match ranks first */
    CHECK_INT(wr_runbook_match(rb, "availability", vm, 1, NULL), 100 - 4);
    CHECK_INT(wr_runbook_match(rb, "security", db, 1, NULL), 1000 - 4);
    CHECK_INT(wr_runbook_match(rb, "availability", db, 1, NULL), 0);
    CHECK_INT(wr_runbook_match(rb, "availability", NULL, 0, NULL), 0);
    wr_buf why = {0};
    CHECK_INT(wr_runbook_match_why(rb, "security", both, 2, NULL, &why), 1200 - 4);
    CHECK_STR(wr_buf_str(&why), "type security matches; 2 of 2 asset kinds match (compute-instance, container)");
    wr_buf_reset(&why);
    wr_runbook_match_why(rb, "availability", both, 2, NULL, &why);
    CHECK_STR(wr_buf_str(&why), "type availability does not match (security, malware); 2 of 2 asset kinds match "
                                "(compute-instance, container)");
    wr_buf_free(&why);
    CHECK_INT(wr_runbook_match(rb, "security", vm, 1, "SEV3"), 0);
    CHECK_INT(wr_runbook_match(rb, NULL, NULL, 0, NULL), 1000 - 4);

    /* a more specific runbook ranks higher */
    const char *narrow = "id: narrow\ntitle: N\nversion: 1\ndescription: d\nowner: o\n"
                         "applies_to: {types: [security], assets: [compute-instance]}\nroles: [scribe]\n"
                         "phases: {detection: [{id: a, title: A, role: scribe}]}\n";
    wr_runbook *n = load(narrow, &err);
    CHECK(n != NULL);
    CHECK_STR(wr_buf_str(&err), "");
    if (n)
        CHECK(wr_runbook_match(n, "security", vm, 1, "SEV4") >
              wr_runbook_match(rb, "security", vm, 1, "SEV1"));
    wr_runbook_free(n);
    wr_runbook_free(rb);
    wr_buf_free(&err);
}

static void test_too_large(void)
{
    wr_buf err = {0};
    size_t big = WR_RB_MAX_BYTES + 1;
    char *data = malloc(big);
    memset(data, '#', big);
    CHECK(wr_runbook_load_mem("big.yaml", data, big, NULL, 0, &err) == NULL);
    CHECK_STR(wr_buf_str(&err), "big.yaml:1:1: file too large: 262145 bytes (the limit is 262144)\n");
    wr_buf_reset(&err);

    char path[] = "/tmp/warroom-test-rb-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK_INT(write(fd, data, big), (long long)big);
        close(fd);
        CHECK(wr_runbook_load_file(path, NULL, 0, &err) == NULL);
        char expect[256];
        snprintf(expect, sizeof expect, "%s:1:1: file too large: 262145 bytes (the limit is 262144)\n",
                 path);
        CHECK_STR(wr_buf_str(&err), expect);
        unlink(path);
    }
    free(data);
    wr_buf_free(&err);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every tests/data/runbooks-bad/NN-name.yaml says on its first line
 * "# expect: L:C: substring": the first error must be "path:L:C: ..." and
 * contain the substring. */
static void test_bad_files(void)
{
    const char *src = getenv("WARROOM_SRCDIR");
    CHECK(src != NULL);
    if (!src)
        return;
    char *dirpath = wr_xasprintf("%s/tests/data/runbooks-bad", src);
    DIR *d = opendir(dirpath);
    CHECK(d != NULL);
    if (!d) {
        free(dirpath);
        return;
    }
    char *names[256];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 256)
        if (e->d_name[0] != '.' && strstr(e->d_name, ".yaml"))
            names[n++] = wr_xstrdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_name);
    CHECK(n >= 60);
    for (size_t i = 0; i < n; i++) {
        char *path = wr_xasprintf("%s/%s", dirpath, names[i]);
        FILE *f = fopen(path, "rb");
        char first[512] = "";
        if (f) {
            if (!fgets(first, sizeof first, f))
                first[0] = '\0';
            fclose(f);
        }
        first[strcspn(first, "\n")] = '\0';
        int line = 0, col = 0, off = 0;
        if (sscanf(first, "# expect: %d:%d: %n", &line, &col, &off) != 2 || off == 0) {
            fprintf(stderr, "%s: no '# expect: L:C: text' first line\n", names[i]);
            CHECK(!"bad expect line");
            free(path);
            continue;
        }
        const char *want = first + off;
        wr_buf err = {0};
        wr_runbook *rb = wr_runbook_load_file(path, NULL, 0, &err);
        const char *got = wr_buf_str(&err);
        char prefix[1200];
        snprintf(prefix, sizeof prefix, "%s:%d:%d: ", path, line, col);
        size_t firstlen = strcspn(got, "\n");
        char *gotline = wr_xstrndup(got, firstlen);
        int ok = rb == NULL && wr_startswith(gotline, prefix) && strstr(gotline + strlen(prefix), want);
        if (!ok)
            fprintf(stderr, "%s:\n  expected: %d:%d: ...%s...\n  got:      %s\n", names[i], line, col,
                    want, rb ? "(loaded fine)" : gotline + (strlen(gotline) > strlen(dirpath) ? strlen(dirpath) + 1 : 0));
        CHECK(ok);
        free(gotline);
        wr_runbook_free(rb);
        wr_buf_free(&err);
        free(path);
        free(names[i]);
    }
    free(dirpath);
}

static void write_file(const char *dir, const char *name, const char *content)
{
    char *path = wr_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(content, f);
        fclose(f);
    }
    free(path);
}

static char *mini(const char *id, const char *title)
{
    return wr_xasprintf("id: %s\ntitle: %s\nversion: 1\ndescription: d\nowner: o\n"
                        "applies_to: {types: [security], assets: [api]}\nroles: [scribe]\n"
                        "phases: {detection: [{id: a, title: A, role: scribe}]}\n",
                        id, title);
}

static void test_set(void)
{
    char base[] = "/tmp/warroom-test-rbset-XXXXXX";
    CHECK(mkdtemp(base) != NULL);
    char *d1 = wr_xasprintf("%s/one", base), *d2 = wr_xasprintf("%s/two", base);
    char *d3 = wr_xasprintf("%s/missing", base);
    mkdir(d1, 0700);
    mkdir(d2, 0700);
    char *t;
    write_file(d1, "b.yaml", t = mini("zeta", "Zeta from one"));
    free(t);
    write_file(d1, "a.yaml", t = mini("alpha", "Alpha from one"));
    free(t);
    write_file(d1, "c.yaml", t = mini("alpha", "Alpha again in one"));
    free(t);
    write_file(d1, "broken.yaml", "id: [\n");
    write_file(d1, "skip.yml", "not even yaml: [");
    write_file(d1, ".hidden.yaml", "not even yaml: [");
    write_file(d2, "x.yaml", t = mini("zeta", "Zeta from two"));
    free(t);
    write_file(d2, "y.yaml", t = mini("beta", "Beta from two"));
    free(t);

    const char *dirs[] = {d3, d1, d2};
    wr_rb_set set = {0};
    wr_buf err = {0};
    wr_rb_set_load_dirs(&set, dirs, 3, NULL, 0, &err);
    CHECK_INT(set.n, 3);
    if (set.n == 3) {
        CHECK_STR(set.v[0]->id, "alpha");
        CHECK_STR(set.v[0]->title, "Alpha from one");
        CHECK_STR(set.v[1]->id, "beta");
        CHECK_STR(set.v[2]->id, "zeta");
        CHECK_STR(set.v[2]->title, "Zeta from one");
    }
    CHECK(wr_rb_set_find(&set, "beta") != NULL);
    CHECK(wr_rb_set_find(&set, "gamma") == NULL);
    char *expect = wr_xasprintf("%s/broken.yaml:2:1: syntax error:", d1);
    CHECK(strstr(wr_buf_str(&err), expect) != NULL);
    free(expect);
    expect = wr_xasprintf("%s/c.yaml: runbook 'alpha' ignored: already loaded from %s/a.yaml\n", d1, d1);
    CHECK(strstr(wr_buf_str(&err), expect) != NULL);
    free(expect);
    expect = wr_xasprintf("%s/x.yaml: runbook 'zeta' ignored: already loaded from %s/b.yaml\n", d2, d1);
    CHECK(strstr(wr_buf_str(&err), expect) != NULL);
    free(expect);
    CHECK(strstr(wr_buf_str(&err), "skip.yml") == NULL);
    CHECK(strstr(wr_buf_str(&err), "hidden") == NULL);
    CHECK(strstr(wr_buf_str(&err), "missing") == NULL);
    int lines = 0;
    for (const char *p = wr_buf_str(&err); *p; p++)
        lines += *p == '\n';
    CHECK_INT(lines, 3);
    wr_rb_set_free(&set);
    CHECK_INT(set.n, 0);
    wr_buf_free(&err);

    const char *rm[] = {"b.yaml", "a.yaml", "c.yaml", "broken.yaml", "skip.yml", ".hidden.yaml"};
    for (size_t i = 0; i < WR_ARRAY_LEN(rm); i++) {
        char *p = wr_xasprintf("%s/%s", d1, rm[i]);
        unlink(p);
        free(p);
    }
    const char *rm2[] = {"x.yaml", "y.yaml"};
    for (size_t i = 0; i < WR_ARRAY_LEN(rm2); i++) {
        char *p = wr_xasprintf("%s/%s", d2, rm2[i]);
        unlink(p);
        free(p);
    }
    rmdir(d1);
    rmdir(d2);
    rmdir(base);
    free(d1);
    free(d2);
    free(d3);
}

int main(void)
{
    test_valid();
    test_defaults_and_roles();
    test_long_json();
    test_phases_and_durations();
    test_match();
    test_too_large();
    test_bad_files();
    test_set();
    return check_done();
}
