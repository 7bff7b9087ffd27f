/* SPDX-License-Identifier: MIT */
/* config.c - the layered YAML configuration. */
#include "warroom/config.h"

#include "warroom/capture.h"
#include "warroom/incident.h"
#include "warroom/paths.h"
#include "warroom/policy.h"
#include "warroom/runbook.h"
#include "warroom/yaml.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WR_CONFIG_MAX_BYTES (256 * 1024)

static const char *const config_keys[] = {"db",    "single_host", "theme",          "wait",
                                          "keys",  "roles",       "severities",     "update_command",
                                          "update_timeout", "policy",
                                          "alert_token_file", "mouse", "bell", "redact", "redact_defaults",
                                          "evidence_cap"};
static const char *const redact_keys[] = {"name", "pattern", "group", "ignore_case"};
static const char *const role_keys[] = {"id", "title", "abbrev", "single"};
static const char *const severity_keys[] = {"meaning", "roles", "update_every"};
static const char *const severity_names[WR_CONFIG_NSEVERITIES] = {"SEV1", "SEV2", "SEV3", "SEV4", "SEV5"};

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = wr_xstrdup(v);
}

/* One binding of `keys:` (view "" is the global table); a later one for the same view and key wins. */
static int add_key(wr_config *cfg, const wr_ydoc *doc, const char *view, const char *key, const wr_ynode *v,
                   wr_buf *err)
{
    if (v->kind != WR_Y_SCALAR || !*v->value)
        return wr_yaml_error(doc, v, err, "expected a command line for key '%s' (e.g. \"prompt note \")", key);
    size_t k;
    for (k = 0; k < cfg->nkeys; k++)
        if (strcmp(cfg->key_names[k], key) == 0 && strcmp(cfg->key_views[k], view) == 0)
            break;
    if (k == cfg->nkeys) {
        cfg->key_views = wr_xreallocarray(cfg->key_views, k + 1, sizeof(char *));
        cfg->key_names = wr_xreallocarray(cfg->key_names, k + 1, sizeof(char *));
        cfg->key_commands = wr_xreallocarray(cfg->key_commands, k + 1, sizeof(char *));
        cfg->key_views[k] = wr_xstrdup(view);
        cfg->key_names[k] = wr_xstrdup(key);
        cfg->key_commands[k] = NULL;
        cfg->nkeys++;
    }
    set_str(&cfg->key_commands[k], v->value);
    return 0;
}

static int role_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
        return 0;
    for (const char *p = s; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-'))
            return 0;
    return 1;
}

static void roles_free(wr_config_role *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].title);
        free(v[i].abbrev);
    }
    free(v);
}

/* Is id a role of the set in force: the config's when it has one, else the defaults? */
static int role_known(const wr_config *cfg, const char *id)
{
    if (cfg->roles_set) {
        for (size_t i = 0; i < cfg->nroles; i++)
            if (strcmp(cfg->roles[i].id, id) == 0)
                return 1;
        return 0;
    }
    for (size_t i = 0; i < wr_ndefault_roles; i++)
        if (strcmp(wr_default_roles[i].id, id) == 0)
            return 1;
    return 0;
}

static void role_ids(const wr_config *cfg, wr_buf *out)
{
    size_t n = cfg->roles_set ? cfg->nroles : wr_ndefault_roles;
    for (size_t i = 0; i < n; i++)
        wr_buf_printf(out, "%s%s", i ? ", " : "", cfg->roles_set ? cfg->roles[i].id : wr_default_roles[i].id);
}

/* roles: a list of {id, title, abbrev, single}; replaces whatever an earlier layer set. */
static int apply_roles(wr_config *cfg, const wr_ydoc *doc, const wr_ynode *list, wr_buf *err)
{
    if (wr_yaml_as_seq(doc, list, "'roles'", err) != 0)
        return -1;
    if (list->n == 0)
        return wr_yaml_error(doc, list, err, "'roles' must list at least one role");
    if (list->n > WR_CONFIG_MAX_ROLES)
        return wr_yaml_error(doc, list, err, "at most %d roles", WR_CONFIG_MAX_ROLES);
    wr_config_role *v = wr_xcalloc(list->n, sizeof *v);
    size_t n = 0;
    const wr_ynode *ids[WR_CONFIG_MAX_ROLES];
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < list->n; i++) {
        const wr_ynode *m = list->items[i];
        const char *id, *title, *abbrev = NULL;
        int single = 0, r;
        if (wr_yaml_as_map(doc, m, "an item of 'roles'", err) != 0 ||
            wr_yaml_check_keys(doc, m, role_keys, WR_ARRAY_LEN(role_keys), err) != 0 ||
            wr_yaml_str(doc, m, "id", 1, &id, err) < 0 || wr_yaml_str(doc, m, "title", 1, &title, err) < 0 ||
            (r = wr_yaml_str(doc, m, "abbrev", 0, &abbrev, err)) < 0 ||
            wr_yaml_bool(doc, m, "single", 0, &single, err) < 0) {
            rc = -1;
            break;
        }
        if (!role_id_ok(id)) {
            rc = wr_yaml_error(doc, wr_yaml_get(m, "id"), err,
                               "a role id is lowercase letters, digits and '-' (at most 64), not '%.64s'", id);
            break;
        }
        if (!*title) {
            rc = wr_yaml_error(doc, wr_yaml_get(m, "title"), err, "the role '%s' needs a title", id);
            break;
        }
        if (abbrev && (!*abbrev || strlen(abbrev) > 8 || strchr(abbrev, ' '))) {
            rc = wr_yaml_error(doc, wr_yaml_get(m, "abbrev"), err,
                               "an abbreviation is 1-8 characters without spaces");
            break;
        }
        ids[n] = wr_yaml_get(m, "id");
        v[n].id = wr_xstrdup(id);
        v[n].title = wr_xstrdup(title);
        if (abbrev) {
            v[n].abbrev = wr_xstrdup(abbrev);
        } else {
            /* The initials of the id's words: incident-commander -> IC. */
            wr_buf b = {0};
            for (const char *p = id; *p; p++)
                if (p == id || p[-1] == '-')
                    wr_buf_putc(&b, (char)toupper((unsigned char)*p));
            v[n].abbrev = wr_buf_steal(&b);
        }
        v[n].single = single;
        n++;
    }
    if (rc == 0)
        rc = wr_yaml_check_unique(doc, ids, n, "role id", err);
    if (rc != 0) {
        roles_free(v, n);
        return -1;
    }
    roles_free(cfg->roles, cfg->nroles);
    cfg->roles = v;
    cfg->nroles = n;
    cfg->roles_set = 1;
    return 0;
}

static void sev_roles_free(wr_config_severity *sv)
{
    for (size_t i = 0; i < sv->nroles; i++)
        free(sv->roles[i]);
    free(sv->roles);
    sv->roles = NULL;
    sv->nroles = 0;
}

/* severities: SEV1..SEV5 -> {meaning, roles, update_every}, each key overriding an earlier layer's. */
static int apply_severities(wr_config *cfg, const wr_ydoc *doc, const wr_ynode *map, wr_buf *err)
{
    if (wr_yaml_check_keys_as(doc, map, severity_names, WR_CONFIG_NSEVERITIES, "severity", err) != 0)
        return -1;
    for (size_t k = 0; k < map->n; k++) {
        const wr_ynode *m = map->items[k];
        int lvl = 0;
        while (strcmp(severity_names[lvl], map->keys[k]->value) != 0)
            lvl++;
        wr_config_severity *sv = &cfg->severities[lvl];
        const char *s;
        const wr_ynode *roles;
        int r;
        if (wr_yaml_as_map(doc, m, map->keys[k]->value, err) != 0 ||
            wr_yaml_check_keys(doc, m, severity_keys, WR_ARRAY_LEN(severity_keys), err) != 0)
            return -1;
        if ((r = wr_yaml_str(doc, m, "meaning", 0, &s, err)) < 0)
            return -1;
        if (r == 0)
            set_str(&sv->meaning, s);
        if ((r = wr_yaml_str(doc, m, "update_every", 0, &s, err)) < 0)
            return -1;
        if (r == 0) {
            long secs = strcmp(s, "none") == 0 || strcmp(s, "0") == 0 ? 0 : wr_rb_duration_parse(s);
            if (secs < 0 || (secs > 0 && secs < 60))
                return wr_yaml_error(doc, wr_yaml_get(m, "update_every"), err,
                                     "expected a duration of at least one minute (30m, 1h, 4h) or none for "
                                     "'update_every', found '%.40s'", s);
            sv->update_every_s = secs;
            sv->update_every_set = 1;
        }
        if ((r = wr_yaml_seq(doc, m, "roles", 0, &roles, err)) < 0)
            return -1;
        if (r == 0) {
            for (size_t i = 0; i < roles->n; i++) {
                const char *id;
                if (wr_yaml_as_str(doc, roles->items[i], "an item of 'roles'", &id, err) != 0)
                    return -1;
                if (!role_known(cfg, id)) {
                    wr_buf all = {0};
                    role_ids(cfg, &all);
                    wr_yaml_error(doc, roles->items[i], err, "unknown role '%.64s'; roles: %s", id,
                                  wr_buf_str(&all));
                    wr_buf_free(&all);
                    return -1;
                }
            }
            if (wr_yaml_check_unique(doc, (const wr_ynode *const *)roles->items, roles->n, "role", err) != 0)
                return -1;
            sev_roles_free(sv);
            sv->roles = wr_xcalloc(roles->n ? roles->n : 1, sizeof(char *));
            for (size_t i = 0; i < roles->n; i++)
                sv->roles[i] = wr_xstrdup(roles->items[i]->value);
            sv->nroles = roles->n;
            sv->roles_set = 1;
        }
    }
    return 0;
}

static void act_clear(wr_config_act *a)
{
    free(a->act);
    for (size_t i = 0; i < a->nroles; i++)
        free(a->roles[i]);
    free(a->roles);
    memset(a, 0, sizeof *a);
}

/* policy: act -> anyone | [role, ...]; each act replaces what an earlier layer said about it. */
static int apply_policy(wr_config *cfg, const wr_ydoc *doc, const wr_ynode *map, wr_buf *err)
{
    if (wr_yaml_check_keys_as(doc, map, wr_act_names, WR_ACT_COUNT, "act", err) != 0)
        return -1;
    for (size_t k = 0; k < map->n; k++) {
        const wr_ynode *v = map->items[k];
        const char *act = map->keys[k]->value;
        wr_config_act a = {0};
        if (v->kind == WR_Y_SCALAR && !v->quoted && strcmp(v->value, "anyone") == 0) {
            a.anyone = 1;
        } else if (v->kind == WR_Y_SEQ && v->n > 0) {
            for (size_t i = 0; i < v->n; i++) {
                const char *id;
                if (wr_yaml_as_str(doc, v->items[i], "an item of a policy act", &id, err) != 0)
                    return -1;
                if (!role_known(cfg, id)) {
                    wr_buf all = {0};
                    role_ids(cfg, &all);
                    wr_yaml_error(doc, v->items[i], err, "unknown role '%.64s'; roles: %s", id, wr_buf_str(&all));
                    wr_buf_free(&all);
                    return -1;
                }
            }
            if (wr_yaml_check_unique(doc, (const wr_ynode *const *)v->items, v->n, "role", err) != 0)
                return -1;
            a.roles = wr_xcalloc(v->n, sizeof(char *));
            for (size_t i = 0; i < v->n; i++)
                a.roles[i] = wr_xstrdup(v->items[i]->value);
            a.nroles = v->n;
        } else {
            wr_buf what = {0};
            wr_yaml_describe(v, &what);
            wr_yaml_error(doc, v, err, "expected anyone or a list of roles for '%s', found %s", act,
                          wr_buf_str(&what));
            wr_buf_free(&what);
            return -1;
        }
        a.act = wr_xstrdup(act);
        size_t i;
        for (i = 0; i < cfg->npolicy; i++)
            if (strcmp(cfg->policy[i].act, act) == 0)
                break;
        if (i == cfg->npolicy)
            cfg->policy = wr_xreallocarray(cfg->policy, ++cfg->npolicy, sizeof *cfg->policy);
        else
            act_clear(&cfg->policy[i]);
        cfg->policy[i] = a;
    }
    return 0;
}

/* After a layer: every required role must still be in the role set (a later layer may replace it). */
static int check_merged(const wr_config *cfg, const char *name, wr_buf *err)
{
    for (size_t k = 0; k < cfg->npolicy; k++)
        for (size_t i = 0; i < cfg->policy[k].nroles; i++)
            if (!role_known(cfg, cfg->policy[k].roles[i])) {
                wr_buf_printf(err, "%s: the policy lets the role '%s' %s, but it is not in the role set\n", name,
                              cfg->policy[k].roles[i], cfg->policy[k].act);
                return -1;
            }
    for (int l = 0; l < WR_CONFIG_NSEVERITIES; l++)
        for (size_t i = 0; i < cfg->severities[l].nroles; i++)
            if (!role_known(cfg, cfg->severities[l].roles[i])) {
                wr_buf all = {0};
                role_ids(cfg, &all);
                wr_buf_printf(err, "%s: %s requires the role '%s', which is not in the role set (%s)\n", name,
                              severity_names[l], cfg->severities[l].roles[i], wr_buf_str(&all));
                wr_buf_free(&all);
                return -1;
            }
    return 0;
}

/* redact: a list of patterns, or of {name, pattern, group, ignore_case}; each layer's rules add to the last's. */
static int apply_redact(wr_config *cfg, const wr_ydoc *doc, const wr_ynode *list, wr_buf *err)
{
    if (wr_yaml_as_seq(doc, list, "'redact'", err) != 0)
        return -1;
    for (size_t i = 0; i < list->n; i++) {
        const wr_ynode *m = list->items[i];
        const char *name = NULL, *pattern = NULL;
        long long group = 0;
        int icase = 0;
        char auto_name[32];
        if (m->kind == WR_Y_MAP) {
            if (wr_yaml_check_keys(doc, m, redact_keys, WR_ARRAY_LEN(redact_keys), err) != 0 ||
                wr_yaml_str(doc, m, "pattern", 1, &pattern, err) < 0 || wr_yaml_str(doc, m, "name", 0, &name, err) < 0 ||
                wr_yaml_int(doc, m, "group", 0, 0, 9, &group, err) < 0 ||
                wr_yaml_bool(doc, m, "ignore_case", 0, &icase, err) < 0)
                return -1;
        } else if (wr_yaml_as_str(doc, m, "an item of 'redact' (a pattern, or {name, pattern})", &pattern, err) != 0) {
            return -1;
        }
        if (!name || !*name) {
            snprintf(auto_name, sizeof auto_name, "redact-%zu", cfg->nredact + 1);
            name = auto_name;
        }
        for (const char *c = name; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-') || c - name >= 64)
                return wr_yaml_error(doc, m, err, "a rule's name is lowercase letters, digits and '-' (at most 64)");
        wr_buf why = {0};
        if (wr_redact_check(pattern, (int)group, &why) != 0) {
            int r = wr_yaml_error(doc, m, err, "redaction rule %s: %s", name, wr_buf_str(&why));
            wr_buf_free(&why);
            return r;
        }
        cfg->redact = wr_xreallocarray(cfg->redact, cfg->nredact + 1, sizeof *cfg->redact);
        wr_config_redact *x = &cfg->redact[cfg->nredact++];
        x->name = wr_xstrdup(name);
        x->pattern = wr_xstrdup(pattern);
        x->group = (int)group;
        x->icase = icase;
    }
    return 0;
}

int wr_config_redactor(const wr_config *cfg, wr_redactor *r, wr_buf *err)
{
    wr_redactor_init(r, !cfg || cfg->redact_defaults != 0);
    for (size_t i = 0; cfg && i < cfg->nredact; i++) {
        const wr_config_redact *x = &cfg->redact[i];
        if (wr_redactor_add(r, x->name, x->pattern, x->group, x->icase, err) != 0) {
            wr_redactor_free(r);
            return -1;
        }
    }
    return 0;
}

size_t wr_config_evidence_cap(const wr_config *cfg)
{
    return cfg && cfg->evidence_cap > 0 ? (size_t)cfg->evidence_cap : WR_CAPTURE_DEFAULT_CAP;
}

static int apply_doc(wr_config *cfg, const wr_ydoc *doc, wr_buf *err)
{
    const wr_ynode *root = doc->root;
    if (wr_yaml_is_null(root))
        return 0; /* an empty config is fine */
    if (root->kind != WR_Y_MAP)
        return wr_yaml_error(doc, root, err, "expected a mapping of settings (db, single_host, theme, wait, keys, "
                                             "roles, severities, update_command, update_timeout, policy, "
                                             "alert_token_file, mouse, bell, redact, redact_defaults, "
                                             "evidence_cap)");
    if (wr_yaml_check_keys(doc, root, config_keys, WR_ARRAY_LEN(config_keys), err) != 0)
        return -1;
    const char *s;
    int b, r;
    long long n;
    const wr_ynode *keys;
    if ((r = wr_yaml_str(doc, root, "db", 0, &s, err)) < 0)
        return -1;
    if (r == 0) {
        if (!*s)
            return wr_yaml_error(doc, wr_yaml_get(root, "db"), err, "expected a path for 'db', found nothing");
        set_str(&cfg->db, s);
    }
    if ((r = wr_yaml_bool(doc, root, "single_host", 0, &b, err)) < 0)
        return -1;
    if (r == 0)
        cfg->single_host = b;
    if ((r = wr_yaml_bool(doc, root, "mouse", 0, &b, err)) < 0)
        return -1;
    if (r == 0)
        cfg->mouse = b;
    /* bell: true (the terminal's bell), flash (its visual bell), false (neither). */
    if ((r = wr_yaml_str(doc, root, "bell", 0, &s, err)) < 0)
        return -1;
    if (r == 0) {
        if (strcmp(s, "flash") == 0)
            cfg->bell = 2;
        else if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0 || strcmp(s, "on") == 0)
            cfg->bell = 1;
        else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0 || strcmp(s, "off") == 0)
            cfg->bell = 0;
        else
            return wr_yaml_error(doc, wr_yaml_get(root, "bell"), err,
                                 "expected true, false or flash for 'bell', found \"%.40s\"", s);
    }
    if ((r = wr_yaml_str(doc, root, "theme", 0, &s, err)) < 0)
        return -1;
    if (r == 0)
        set_str(&cfg->theme, s);
    if ((r = wr_yaml_int(doc, root, "wait", 0, 0, 3600, &n, err)) < 0)
        return -1;
    if (r == 0)
        cfg->wait_s = (int)n;
    if ((r = wr_yaml_map(doc, root, "keys", 0, &keys, err)) < 0)
        return -1;
    for (size_t i = 0; r == 0 && i < keys->n; i++) {
        const wr_ynode *v = keys->items[i];
        if (v->kind == WR_Y_MAP) {
            /* A view's own table: keys: {triage: {x: none}}. The view's name is checked where the tables are. */
            for (size_t j = 0; j < v->n; j++)
                if (add_key(cfg, doc, keys->keys[i]->value, v->keys[j]->value, v->items[j], err) != 0)
                    return -1;
        } else if (add_key(cfg, doc, "", keys->keys[i]->value, v, err) != 0) {
            return -1;
        }
    }
    const wr_ynode *node;
    /* roles before severities: a severity may name a role this same file defines. */
    if ((r = wr_yaml_seq(doc, root, "roles", 0, &node, err)) < 0)
        return -1;
    if (r == 0 && apply_roles(cfg, doc, node, err) != 0)
        return -1;
    if ((r = wr_yaml_map(doc, root, "severities", 0, &node, err)) < 0)
        return -1;
    if (r == 0 && apply_severities(cfg, doc, node, err) != 0)
        return -1;
    if ((r = wr_yaml_str(doc, root, "update_command", 0, &s, err)) < 0)
        return -1;
    if (r == 0) {
        if (!*s)
            return wr_yaml_error(doc, wr_yaml_get(root, "update_command"), err,
                                 "expected a command line for 'update_command', found nothing");
        set_str(&cfg->update_command, s);
    }
    if ((r = wr_yaml_int(doc, root, "update_timeout", 0, 1, 3600, &n, err)) < 0)
        return -1;
    if (r == 0)
        cfg->update_timeout_s = (int)n;
    if ((r = wr_yaml_map(doc, root, "policy", 0, &node, err)) < 0)
        return -1;
    if (r == 0 && apply_policy(cfg, doc, node, err) != 0)
        return -1;
    if ((r = wr_yaml_str(doc, root, "alert_token_file", 0, &s, err)) < 0)
        return -1;
    if (r == 0) {
        if (s[0] != '/')
            return wr_yaml_error(doc, wr_yaml_get(root, "alert_token_file"), err,
                                 "expected an absolute path for 'alert_token_file'");
        set_str(&cfg->alert_token_file, s);
    }
    if ((r = wr_yaml_seq(doc, root, "redact", 0, &node, err)) < 0)
        return -1;
    if (r == 0 && apply_redact(cfg, doc, node, err) != 0)
        return -1;
    if ((r = wr_yaml_bool(doc, root, "redact_defaults", 0, &b, err)) < 0)
        return -1;
    if (r == 0)
        cfg->redact_defaults = b;
    if ((r = wr_yaml_int(doc, root, "evidence_cap", 0, WR_CAPTURE_MIN_CAP, WR_CAPTURE_MAX_CAP, &n, err)) < 0)
        return -1;
    if (r == 0)
        cfg->evidence_cap = (long)n;
    return check_merged(cfg, doc->name, err);
}

static void add_source(wr_config *cfg, const char *name)
{
    char *s = wr_xasprintf("%s%s%s", cfg->sources ? cfg->sources : "", cfg->sources && *cfg->sources ? ", " : "",
                           name);
    free(cfg->sources);
    cfg->sources = s;
}

/* Nothing but blank lines, comments and document markers: a config file that sets nothing (a fresh
 * /etc/warroom/config.yaml with every line commented out) is fine, not an error. */
static int blank_yaml(const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p < e && *p != '#') {
            int marker = (e - p >= 3) && (strncmp(p, "---", 3) == 0 || strncmp(p, "...", 3) == 0);
            const char *q = marker ? p + 3 : p;
            while (marker && q < e && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (!marker || (q < e && *q != '#'))
                return 0;
        }
        p = nl ? nl + 1 : end;
    }
    return 1;
}

int wr_config_load_mem(wr_config *cfg, const char *name, const char *data, size_t len, wr_buf *err)
{
    if (blank_yaml(data, len)) {
        add_source(cfg, name);
        return 0;
    }
    wr_ydoc *doc = wr_yaml_load_mem(name, data, len, err);
    if (!doc)
        return -1;
    int r = apply_doc(cfg, doc, err);
    wr_yaml_free(doc);
    if (r == 0)
        add_source(cfg, name);
    return r;
}

static int load_file(wr_config *cfg, const char *path, int must_exist, wr_buf *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (!must_exist && errno == ENOENT)
            return 0;
        wr_buf_printf(err, "%s: cannot read the config file: %s\n", path, strerror(errno));
        return -1;
    }
    size_t len = 0;
    char *data = wr_yaml_read_file(path, WR_CONFIG_MAX_BYTES, &len, err);
    if (!data)
        return -1;
    int r = wr_config_load_mem(cfg, path, data, len, err);
    free(data);
    return r;
}

void wr_config_init(wr_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->single_host = -1;
    cfg->mouse = -1;
    cfg->bell = -1;
    cfg->wait_s = -1;
    cfg->redact_defaults = -1;
    cfg->sources = wr_xstrdup("");
}

int wr_config_load(wr_config *cfg, const char *path, wr_buf *err)
{
    wr_config_init(cfg);
    if (path)
        return load_file(cfg, path, 1, err);
    char **files;
    size_t n;
    wr_paths_config_files(&files, &n);
    int r = 0;
    /* Lowest priority first: /etc, then the operator's own. */
    for (size_t i = n; r == 0 && i > 0; i--)
        r = load_file(cfg, files[i - 1], 0, err);
    wr_paths_free(files, n);
    return r;
}

void wr_config_free(wr_config *cfg)
{
    free(cfg->db);
    free(cfg->theme);
    for (size_t i = 0; i < cfg->nkeys; i++) {
        free(cfg->key_views[i]);
        free(cfg->key_names[i]);
        free(cfg->key_commands[i]);
    }
    free(cfg->key_views);
    free(cfg->key_names);
    free(cfg->key_commands);
    roles_free(cfg->roles, cfg->nroles);
    for (int l = 0; l < WR_CONFIG_NSEVERITIES; l++) {
        sev_roles_free(&cfg->severities[l]);
        free(cfg->severities[l].meaning);
    }
    free(cfg->update_command);
    for (size_t k = 0; k < cfg->npolicy; k++)
        act_clear(&cfg->policy[k]);
    free(cfg->policy);
    free(cfg->alert_token_file);
    for (size_t i = 0; i < cfg->nredact; i++) {
        free(cfg->redact[i].name);
        free(cfg->redact[i].pattern);
    }
    free(cfg->redact);
    free(cfg->sources);
    memset(cfg, 0, sizeof *cfg);
}
