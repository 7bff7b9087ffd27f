/* SPDX-License-Identifier: MIT */
/* alert_rules.c - noise rules (alert-rules.yaml): drop or lower alerts by label match, first match wins. */
#include "warroom/alert.h"

#include "warroom/paths.h"
#include "warroom/yaml.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define WR_RULES_MAX_BYTES (512 * 1024)
#define WR_RULE_RE_MAX 1000

static const char *const root_keys[] = {"rules"};
static const char *const rule_keys[] = {"name", "source", "match", "match_re", "action", "severity"};
static const char *const actions[] = {"drop", "lower"};

static int bad(const wr_ydoc *doc, const wr_ynode *n, wr_buf *err, const char *fmt, ...) WR_PRINTF(4, 5);
static int bad(const wr_ydoc *doc, const wr_ynode *n, wr_buf *err, const char *fmt, ...)
{
    wr_buf m = {0};
    va_list ap;
    va_start(ap, fmt);
    wr_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    wr_yaml_error(doc, n, err, "%s", wr_buf_str(&m));
    wr_buf_free(&m);
    return -1;
}

static int valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return 0;
    return 1;
}

static int add_matchers(const wr_ydoc *doc, const wr_ynode *map, int regex, wr_alert_rule *r, wr_buf *err)
{
    for (size_t i = 0; i < map->n; i++) {
        const char *v;
        char what[200];
        snprintf(what, sizeof what, "label '%.64s'", map->keys[i]->value);
        if (wr_yaml_as_str(doc, map->items[i], what, &v, err) < 0)
            return -1;
        r->m = wr_xreallocarray(r->m, r->nm + 1, sizeof *r->m);
        wr_alert_matcher *m = &r->m[r->nm++];
        memset(m, 0, sizeof *m);
        m->label = wr_xstrdup(map->keys[i]->value);
        m->value = wr_xstrdup(v);
        if (!regex)
            continue;
        m->is_regex = 1;
        if (strlen(v) > WR_RULE_RE_MAX)
            return bad(doc, map->items[i], err, "regular expression too long (at most %d bytes)", WR_RULE_RE_MAX);
        /* Anchored like Alertmanager's matchers: the whole value must match. */
        char *anchored = wr_xasprintf("^(%s)$", v);
        regex_t *re = wr_xcalloc(1, sizeof *re);
        int rc = regcomp(re, anchored, REG_EXTENDED | REG_NOSUB);
        free(anchored);
        if (rc != 0) {
            char msg[256];
            regerror(rc, re, msg, sizeof msg);
            free(re);
            return bad(doc, map->items[i], err, "invalid regular expression for label '%.64s': %s (POSIX "
                                                "extended syntax)", map->keys[i]->value, msg);
        }
        m->re = re;
    }
    return 0;
}

static int load_rule(const wr_ydoc *doc, const wr_ynode *node, wr_alert_rule *r, wr_buf *err)
{
    r->line = node->line;
    if (wr_yaml_as_map(doc, node, "a rule", err) < 0 ||
        wr_yaml_check_keys(doc, node, rule_keys, WR_ARRAY_LEN(rule_keys), err) < 0)
        return -1;
    const char *s;
    if (wr_yaml_str(doc, node, "name", 1, &s, err) < 0)
        return -1;
    if (!valid_name(s))
        return bad(doc, wr_yaml_get(node, "name"), err, "invalid rule name '%.64s': use letters, digits, '-', '_' "
                                                        "and '.' (at most 64)", s);
    r->name = wr_xstrdup(s);
    int rc = wr_yaml_str(doc, node, "source", 0, &s, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        r->source = wr_xstrdup(s);
    const wr_ynode *m;
    if ((rc = wr_yaml_map(doc, node, "match", 0, &m, err)) < 0 || (rc == 0 && add_matchers(doc, m, 0, r, err) < 0))
        return -1;
    if ((rc = wr_yaml_map(doc, node, "match_re", 0, &m, err)) < 0 ||
        (rc == 0 && add_matchers(doc, m, 1, r, err) < 0))
        return -1;
    if (!r->nm && !r->source)
        return bad(doc, node, err, "rule '%s' matches every alert: give it 'match', 'match_re' or 'source'",
                   r->name);
    if (wr_yaml_str(doc, node, "action", 1, &s, err) < 0)
        return -1;
    if (strcmp(s, "drop") != 0 && strcmp(s, "lower") != 0) {
        const char *sug = wr_suggest(s, actions, 2);
        return bad(doc, wr_yaml_get(node, "action"), err, "unknown action '%.40s'%s%s%s; expected drop or lower", s,
                   sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
    }
    r->drop = strcmp(s, "drop") == 0;
    rc = wr_yaml_str(doc, node, "severity", 0, &s, err);
    if (rc < 0)
        return -1;
    if (r->drop && rc == 0)
        return bad(doc, wr_yaml_get_key(node, "severity"), err, "'severity' is only for action: lower");
    if (!r->drop) {
        if (rc == 1)
            return bad(doc, node, err, "action lower needs 'severity' (SEV2..SEV5: the most severe it may stay)");
        if (strlen(s) != 4 || strncmp(s, "SEV", 3) != 0 || s[3] < '1' || s[3] > '5')
            return bad(doc, wr_yaml_get(node, "severity"), err, "expected SEV1..SEV5 for 'severity', found '%.20s'",
                       s);
        r->severity = wr_xstrdup(s);
    }
    return 0;
}

wr_alert_rules *wr_alert_rules_load_mem(const char *name, const char *data, size_t len, wr_buf *err)
{
    wr_ydoc *doc = wr_yaml_load_mem(name, data, len, err);
    if (!doc)
        return NULL;
    wr_alert_rules *r = wr_xcalloc(1, sizeof *r);
    r->path = wr_xstrdup(name);
    const wr_ynode *list;
    int rc = -1;
    if (wr_yaml_as_map(doc, doc->root, "the rule file", err) < 0 ||
        wr_yaml_check_keys(doc, doc->root, root_keys, 1, err) < 0 ||
        wr_yaml_seq(doc, doc->root, "rules", 1, &list, err) < 0)
        goto out;
    r->v = wr_xcalloc(list->n + 1, sizeof *r->v);
    const wr_ynode **names = wr_xcalloc(list->n + 1, sizeof *names);
    rc = 0;
    for (size_t i = 0; rc == 0 && i < list->n; i++) {
        r->n++;
        rc = load_rule(doc, list->items[i], &r->v[i], err);
        names[i] = wr_yaml_get(list->items[i], "name");
    }
    if (rc == 0)
        rc = wr_yaml_check_unique(doc, names, list->n, "rule name", err);
    free(names);
out:
    wr_yaml_free(doc);
    if (rc != 0) {
        wr_alert_rules_free(r);
        return NULL;
    }
    return r;
}

wr_alert_rules *wr_alert_rules_load_file(const char *path, wr_buf *err)
{
    size_t len;
    char *data = wr_yaml_read_file(path, WR_RULES_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    wr_alert_rules *r = wr_alert_rules_load_mem(path, data, len, err);
    free(data);
    return r;
}

void wr_alert_rules_free(wr_alert_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        wr_alert_rule *x = &r->v[i];
        for (size_t k = 0; k < x->nm; k++) {
            free(x->m[k].label);
            free(x->m[k].value);
            if (x->m[k].re) {
                regfree(x->m[k].re);
                free(x->m[k].re);
            }
        }
        free(x->m);
        free(x->name);
        free(x->source);
        free(x->severity);
    }
    free(r->v);
    free(r->path);
    free(r);
}

char *wr_alert_rules_default_path(void)
{
    char *dir = wr_paths_user_config_dir();
    char *cands[2] = {wr_xasprintf("%s/alert-rules.yaml", dir), wr_xstrdup("/etc/warroom/alert-rules.yaml")};
    free(dir);
    char *found = NULL;
    for (int i = 0; i < 2; i++) {
        struct stat sb;
        if (!found && stat(cands[i], &sb) == 0)
            found = cands[i];
        else
            free(cands[i]);
    }
    return found;
}

static int rule_matches(const wr_alert_rule *r, const wr_alert *a)
{
    if (r->source && (!a->source || strcmp(r->source, a->source) != 0))
        return 0;
    for (size_t i = 0; i < r->nm; i++) {
        const char *v = wr_alert_label(a, r->m[i].label);
        if (!v)
            v = "";
        if (r->m[i].is_regex ? regexec(r->m[i].re, v, 0, NULL, 0) != 0 : strcmp(v, r->m[i].value) != 0)
            return 0;
    }
    return 1;
}

const wr_alert_rule *wr_alert_rules_match(const wr_alert_rules *r, const wr_alert *a)
{
    for (size_t i = 0; r && i < r->n; i++)
        if (rule_matches(&r->v[i], a))
            return &r->v[i];
    return NULL;
}

int wr_alert_rules_apply(const wr_alert_rules *r, wr_alert *a, const wr_alert_rule **matched)
{
    const wr_alert_rule *m = wr_alert_rules_match(r, a);
    if (matched)
        *matched = m;
    if (!m)
        return 0;
    if (m->drop)
        return 1;
    /* Lower: "SEV1" < "SEV4" as text, so the milder is the greater string. */
    if (strcmp(a->severity, m->severity) < 0) {
        free(a->severity);
        a->severity = wr_xstrdup(m->severity);
    }
    free(a->rule);
    a->rule = wr_xstrdup(m->name);
    return 0;
}
