/* SPDX-License-Identifier: MIT */
/* Config and policy: the old keys, roles and severities from the file, layering, errors with positions,
 * the shipped example, and what the policy in force answers. */
#include "check.h"
#include "warroom/config.h"
#include "warroom/incident.h"
#include "warroom/policy.h"

#include <stdlib.h>
#include <string.h>

static int load(wr_config *cfg, const char *yaml, wr_buf *err)
{
    wr_buf_reset(err);
    return wr_config_load_mem(cfg, "test.yaml", yaml, strlen(yaml), err);
}

static void test_old_keys_still_work(void)
{
    wr_config cfg;
    wr_buf err = {0};
    wr_config_init(&cfg);
    CHECK_INT(load(&cfg, "db: /srv/w.db\nsingle_host: true\ntheme: dark\nwait: 12\nkeys:\n  N: \"prompt note \"\n",
                   &err), 0);
    CHECK_STR(cfg.db, "/srv/w.db");
    CHECK_INT(cfg.single_host, 1);
    CHECK_STR(cfg.theme, "dark");
    CHECK_INT(cfg.wait_s, 12);
    CHECK_INT(cfg.nkeys, 1);
    CHECK_STR(cfg.key_views[0], ""); /* a key at the top of keys: is the global table's */
    CHECK(!cfg.roles_set && cfg.update_command == NULL && cfg.update_timeout_s == 0);
    wr_config_free(&cfg);
    wr_buf_free(&err);
}

/* keys: per view: a view's name holds its own table (the names are checked by the key tables, keys.h). */
static void test_keys_per_view(void)
{
    wr_config cfg;
    wr_buf err = {0};
    wr_config_init(&cfg);
    CHECK_INT(load(&cfg, "keys:\n  N: \"prompt note \"\n  room: {x: \"prompt note \"}\n  triage:\n    x: none\n"
                         "    X: alert-dismiss\n", &err), 0);
    CHECK_INT(cfg.nkeys, 4);
    int found = 0;
    for (size_t i = 0; i < cfg.nkeys; i++) {
        if (strcmp(cfg.key_views[i], "room") == 0 && strcmp(cfg.key_names[i], "x") == 0)
            found += strcmp(cfg.key_commands[i], "prompt note ") == 0;
        if (strcmp(cfg.key_views[i], "triage") == 0 && strcmp(cfg.key_names[i], "X") == 0)
            found += strcmp(cfg.key_commands[i], "alert-dismiss") == 0;
    }
    CHECK_INT(found, 2);
    wr_config_free(&cfg);
    wr_config_init(&cfg);
    CHECK_INT(load(&cfg, "keys:\n  room: {x: [a, b]}\n", &err), -1);
    CHECK(strstr(wr_buf_str(&err), "expected a command line for key 'x'") != NULL);
    wr_config_free(&cfg);
    wr_buf_free(&err);
}

static void test_roles_and_severities(void)
{
    wr_config cfg;
    wr_buf err = {0};
    wr_config_init(&cfg);
    const char *y = "roles:\n"
                    "  - {id: incident-commander, title: Incident commander, single: true}\n"
                    "  - id: comms\n    title: Comms\n    abbrev: CL\n"
                    "  - {id: responder, title: Responder}\n"
                    "severities:\n"
                    "  SEV1: {roles: [incident-commander, comms], update_every: 15m, meaning: Everything burns}\n"
                    "  SEV4: {update_every: 2h}\n"
                    "update_command: \"cat >/dev/null\"\n"
                    "update_timeout: 5\n";
    CHECK_INT(load(&cfg, y, &err), 0);
    CHECK_STR(wr_buf_str(&err), "");
    CHECK_INT(cfg.nroles, 3);
    CHECK_STR(cfg.roles[0].abbrev, "IC"); /* initials when not given */
    CHECK_STR(cfg.roles[1].abbrev, "CL");
    CHECK_INT(cfg.roles[0].single, 1);
    CHECK_INT(cfg.roles[2].single, 0);
    CHECK_INT(cfg.severities[0].update_every_s, 900);
    CHECK_INT(cfg.severities[0].nroles, 2);
    CHECK_INT(cfg.severities[3].update_every_s, 7200);
    CHECK(!cfg.severities[1].roles_set && !cfg.severities[1].update_every_set);

    wr_policy_apply(&cfg);
    wr_config_free(&cfg); /* the policy keeps its own copies */
    size_t n;
    const wr_role_def *roles = wr_policy_roles(&n);
    CHECK_INT(n, 3);
    CHECK_STR(roles[1].id, "comms");
    CHECK(wr_role_find("comms") != NULL);
    CHECK(wr_role_find("cl") != NULL);     /* abbreviation, any case */
    CHECK(wr_role_find("scribe") == NULL); /* not in the configured set */
    const wr_severity_def *s1 = wr_policy_severity("SEV1");
    CHECK(s1 && s1->update_every_ms == 900000 && s1->nroles == 2);
    CHECK_STR(s1->meaning, "Everything burns");
    const wr_severity_def *s2 = wr_policy_severity("SEV2"); /* untouched: the default */
    CHECK(s2 && s2->update_every_ms == 3600000 && s2->nroles == 3);
    CHECK(wr_policy_severity("SEV4")->update_every_ms == 7200000);
    CHECK(wr_policy_severity("SEV9") == NULL);
    CHECK_STR(wr_policy_update_command(), "cat >/dev/null");
    CHECK_INT(wr_policy_update_timeout_ms(), 5000);

    /* Back to the defaults. */
    wr_policy_apply(NULL);
    roles = wr_policy_roles(&n);
    CHECK_INT(n, 8);
    CHECK(wr_role_find("scribe") != NULL);
    CHECK(wr_policy_severity("SEV1")->nroles == 4 && wr_policy_severity("SEV1")->update_every_ms == 1800000);
    CHECK(wr_policy_severity("SEV3")->update_every_ms == 4 * 3600000LL);
    CHECK(wr_policy_severity("SEV5")->update_every_ms == 0);
    CHECK(wr_policy_update_command() == NULL);
    CHECK_INT(wr_policy_update_timeout_ms(), 30000);
    wr_buf_free(&err);
}

static void expect_error(const char *yaml, const char *needle)
{
    wr_config cfg;
    wr_buf err = {0};
    wr_config_init(&cfg);
    CHECK_INT(load(&cfg, yaml, &err), -1);
    if (!strstr(wr_buf_str(&err), needle))
        fprintf(stderr, "expected [%s] in [%s]\n", needle, wr_buf_str(&err));
    CHECK(strstr(wr_buf_str(&err), needle) != NULL);
    wr_config_free(&cfg);
    wr_buf_free(&err);
}

static void test_errors(void)
{
    expect_error("severities:\n  SEV6: {}\n", "test.yaml:2:3: unknown severity 'SEV6'");
    expect_error("severities:\n  SEV1: {roles: [nobody]}\n", "test.yaml:2:18: unknown role 'nobody'");
    expect_error("severities:\n  SEV1: {update_every: soon}\n", "expected a duration");
    expect_error("severities:\n  SEV1: {update_every: 10s}\n", "at least one minute");
    expect_error("severities:\n  SEV1: {colour: red}\n", "unknown key 'colour'");
    expect_error("roles: []\n", "at least one role");
    expect_error("roles:\n  - {id: IC, title: x}\n", "lowercase");
    expect_error("roles:\n  - {id: a, title: x}\n  - {id: a, title: y}\n", "duplicate role id 'a'");
    expect_error("roles:\n  - {id: a}\n", "missing required key 'title'");
    expect_error("update_timeout: 0\n", "update_timeout");
    expect_error("update_command: \"\"\n", "update_command");
    expect_error("updat_command: x\n", "did you mean 'update_command'");
    expect_error("bell: loud\n", "test.yaml:1:7: expected true, false or flash for 'bell', found \"loud\"");
    /* bell: the console's bell for notices that need action; unset rings. */
    {
        wr_config b;
        wr_buf e = {0};
        wr_config_init(&b);
        CHECK_INT(b.bell, -1);
        CHECK_INT(load(&b, "bell: flash\n", &e), 0);
        CHECK_INT(b.bell, 2);
        CHECK_INT(load(&b, "bell: false\n", &e), 0);
        CHECK_INT(b.bell, 0);
        CHECK_INT(load(&b, "bell: true\n", &e), 0);
        CHECK_INT(b.bell, 1);
        wr_config_free(&b);
        wr_buf_free(&e);
    }
    /* A role defined in the same file may be required. */
    wr_config cfg;
    wr_buf err = {0};
    wr_config_init(&cfg);
    CHECK_INT(load(&cfg, "severities:\n  SEV1: {roles: [lead]}\nroles:\n  - {id: lead, title: Lead}\n", &err), 0);
    /* A later layer that drops a required role is refused. */
    CHECK_INT(load(&cfg, "roles:\n  - {id: other, title: Other}\n", &err), -1);
    CHECK(strstr(wr_buf_str(&err), "SEV1 requires the role 'lead'") != NULL);
    wr_config_free(&cfg);
    /* Layers: a later file overrides one key of a level and keeps the rest. */
    wr_config_init(&cfg);
    CHECK_INT(load(&cfg, "severities:\n  SEV2: {update_every: 2h, meaning: a}\n", &err), 0);
    CHECK_INT(load(&cfg, "severities:\n  SEV2: {meaning: b}\n", &err), 0);
    CHECK_INT(cfg.severities[1].update_every_s, 7200);
    CHECK_STR(cfg.severities[1].meaning, "b");
    wr_config_free(&cfg);
    wr_buf_free(&err);
}

static void test_example_file(void)
{
    const char *src = getenv("WARROOM_SRCDIR");
    char *path = wr_xasprintf("%s/docs/config.example.yaml", src ? src : WARROOM_SOURCE_DIR);
    wr_config cfg;
    wr_buf err = {0};
    int r = wr_config_load(&cfg, path, &err);
    if (r != 0)
        fprintf(stderr, "%s", wr_buf_str(&err));
    CHECK_INT(r, 0);
    CHECK_INT(cfg.nroles, 8);
    CHECK(cfg.update_command != NULL);
    CHECK_INT(cfg.update_timeout_s, 30);
    CHECK_INT(cfg.severities[0].update_every_s, 1800);
    CHECK(cfg.severities[3].update_every_set && cfg.severities[3].update_every_s == 0);
    CHECK(strstr(cfg.sources, "config.example.yaml") != NULL);
    /* The policy section documents the shipped defaults: applying it changes nothing. */
    CHECK_INT(cfg.npolicy, WR_ACT_COUNT);
    size_t n0[WR_ACT_COUNT], n1;
    wr_policy_apply(NULL);
    for (int a = 0; a < WR_ACT_COUNT; a++)
        wr_policy_may((wr_act)a, &n0[a]);
    wr_policy_apply(&cfg);
    for (int a = 0; a < WR_ACT_COUNT; a++) {
        wr_policy_may((wr_act)a, &n1);
        CHECK_INT(n1, n0[a]);
    }
    wr_policy_apply(NULL);
    CHECK_STR(cfg.alert_token_file, "/etc/warroom/alert-token");
    CHECK_INT(cfg.bell, 1);
    wr_config_free(&cfg);
    /* The token file must be named by an absolute path (the receiver runs from anywhere). */
    wr_config_init(&cfg);
    const char *rel = "alert_token_file: token.txt\n";
    CHECK_INT(wr_config_load_mem(&cfg, "rel.yaml", rel, strlen(rel), &err), -1);
    CHECK(strstr(wr_buf_str(&err), "rel.yaml:1:19: expected an absolute path for 'alert_token_file'") != NULL);
    wr_config_free(&cfg);
    wr_buf_free(&err);
    free(path);
}

/* A config file that sets nothing (empty, comments only, document markers) is fine: issue 11, a fresh
 * /etc/warroom/config.yaml with every line commented out made every command exit 2. */
static void test_blank_files(void)
{
    static const char *const blank[] = {"", "\n\n", "# nothing yet\n", "  # indented\n\n#db: /x\n",
                                        "---\n# c\n...\n", "--- # c\n", "\t\r\n"};
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++) {
        wr_config cfg;
        wr_buf err = {0};
        wr_config_init(&cfg);
        CHECK_INT(load(&cfg, blank[i], &err), 0);
        CHECK_STR(wr_buf_str(&err), "");
        CHECK(cfg.db == NULL && cfg.single_host == -1 && cfg.wait_s == -1);
        wr_config_free(&cfg);
        wr_buf_free(&err);
    }
    /* Not blank: still checked. */
    wr_config cfg;
    wr_buf err = {0};
    wr_config_init(&cfg);
    CHECK_INT(load(&cfg, "# a comment\nfoo: 1\n", &err), -1);
    CHECK(strstr(wr_buf_str(&err), "test.yaml:2:1: unknown key 'foo'") != NULL);
    wr_config_free(&cfg);
    wr_buf_free(&err);
}

int main(void)
{
    test_blank_files();
    test_old_keys_still_work();
    test_keys_per_view();
    test_roles_and_severities();
    test_errors();
    test_example_file();
    return check_done();
}
