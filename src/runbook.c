/* SPDX-License-Identifier: MIT */
/* runbook.c - the runbook model: strict loader, canonical JSON, search path, matching. */
#include "warroom/runbook.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warroom/sha256.h"
#include "warroom/text.h"
#include "warroom/yaml.h"

/* ---- constants ---------------------------------------------------------- */

static const char *const phase_names[WR_PHASE_COUNT] = {
    "preparation", "detection", "containment", "eradication", "recovery", "lessons-learned",
};
static const char *const phase_titles[WR_PHASE_COUNT] = {
    "Preparation", "Detection", "Containment", "Eradication", "Recovery", "Lessons learned",
};

const char *const wr_rb_default_roles[WR_RB_NDEFAULT_ROLES] = {
    "incident-commander", "deputy",    "scribe",   "communications-liaison", "operations-lead",
    "subject-matter-expert", "responder", "observer",
};
const char *const wr_rb_asset_kinds[WR_RB_NASSET_KINDS] = {
    "compute-instance", "container", "application-data", "object-storage", "database",
    "api", "network", "serverless-function", "identity",
};
const char *const wr_rb_severities[WR_RB_NSEVERITIES] = {"SEV1", "SEV2", "SEV3", "SEV4", "SEV5"};

static const char *const root_keys[] = {"id",    "title",      "version", "description",
                                        "owner", "applies_to", "roles",   "phases",
                                        /* JSON copies only: */ "sha256", "path"};
#define NROOT_KEYS_YAML 8
#define NROOT_KEYS_JSON 10
static const char *const applies_keys[] = {"types", "assets", "severities"};
static const char *const step_keys[] = {"id",        "title",    "detail",  "role",
                                        "mandatory", "commands", "expect",  "timebox"};

#define DURATION_MAX (365L * 86400L)

const char *wr_phase_name(wr_phase p)
{
    return (unsigned)p < WR_PHASE_COUNT ? phase_names[p] : "?";
}

const char *wr_phase_title(wr_phase p)
{
    return (unsigned)p < WR_PHASE_COUNT ? phase_titles[p] : "?";
}

int wr_phase_from_name(const char *name)
{
    for (int i = 0; i < WR_PHASE_COUNT; i++)
        if (name && strcmp(name, phase_names[i]) == 0)
            return i;
    return -1;
}

/* ---- durations ------------------------------------------------------------ */

long wr_rb_duration_parse(const char *s)
{
    static const char units[] = "dhms";
    static const long long mult[] = {86400, 3600, 60, 1};
    if (!s || !*s)
        return -1;
    long long total = 0;
    size_t next = 0; /* the first unit still allowed */
    while (*s) {
        if (*s < '0' || *s > '9')
            return -1;
        long long v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            if (++digits > 8)
                return -1;
            v = v * 10 + (*s - '0');
            s++;
        }
        const char *u = *s ? strchr(units + next, *s) : NULL;
        if (!u)
            return -1;
        size_t k = (size_t)(u - units);
        total += v * mult[k];
        if (total > DURATION_MAX)
            return -1;
        next = k + 1;
        s++;
    }
    return total > 0 ? (long)total : -1;
}

char *wr_rb_duration_format(long secs, char *buf, size_t n)
{
    if (n == 0)
        return buf;
    if (secs <= 0) {
        snprintf(buf, n, "0s");
        return buf;
    }
    long d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
    size_t used = 0;
    buf[0] = '\0';
    const long parts[4] = {d, h, m, s};
    const char units[4] = {'d', 'h', 'm', 's'};
    for (int i = 0; i < 4; i++) {
        if (!parts[i] || used >= n)
            continue;
        int w = snprintf(buf + used, n - used, "%ld%c", parts[i], units[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

/* ---- freeing --------------------------------------------------------------- */

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void wr_runbook_free(wr_runbook *rb)
{
    if (!rb)
        return;
    free(rb->id);
    free(rb->title);
    free(rb->description);
    free(rb->owner);
    free(rb->path);
    free_strs(rb->types, rb->ntypes);
    free_strs(rb->assets, rb->nassets);
    free_strs(rb->severities, rb->nseverities);
    free_strs(rb->roles, rb->nroles);
    for (size_t i = 0; i < rb->nsteps; i++) {
        wr_rb_step *s = &rb->steps[i];
        free(s->id);
        free(s->title);
        free(s->detail);
        free(s->role);
        free(s->expect);
        free_strs(s->commands, s->ncommands);
    }
    free(rb->steps);
    free(rb);
}

/* ---- validation -------------------------------------------------------------- */

struct ctx {
    const wr_ydoc *doc;
    wr_buf *err;
    const char *const *roles;
    size_t nroles;
    int json; /* reading a JSON copy: extra root keys, roles checked for form only */
};

static int is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* [a-z0-9][a-z0-9-]*, at most WR_RB_ID_MAX; first_dash: '-' allowed first */
static int id_ok(const char *s, int first_dash)
{
    size_t n = strlen(s);
    if (n == 0 || n > WR_RB_ID_MAX || (!first_dash && s[0] == '-'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

static void put_snippet(wr_buf *out, const char *s)
{
    wr_text_fit(out, s, strlen(s), 40, 1, WR_TEXT_ONELINE);
}

/* "<fmt with one %s for the cleaned value>" at node. */
static int value_error(struct ctx *c, const wr_ynode *node, const char *fmt, const char *value)
{
    wr_buf v = {0};
    put_snippet(&v, value);
    wr_buf m = {0};
    wr_buf_printf(&m, fmt, wr_buf_str(&v));
    int rc = wr_yaml_error(c->doc, node, c->err, "%s", wr_buf_str(&m));
    wr_buf_free(&m);
    wr_buf_free(&v);
    return rc;
}

static int bad_id(struct ctx *c, const wr_ynode *node, const char *what)
{
    wr_buf f = {0};
    wr_buf_printf(&f, "invalid %s '%%s': use lowercase letters, digits and '-', starting with a "
                      "letter or digit, at most %d characters", what, WR_RB_ID_MAX);
    int rc = value_error(c, node, wr_buf_str(&f), node->value);
    wr_buf_free(&f);
    return rc;
}

/* value must be one of list: "unknown <noun> 'x' (did you mean 'y'?); expected one of: ..." */
static int one_of(struct ctx *c, const wr_ynode *node, const char *noun, const char *const *list,
                  size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], node->value) == 0)
            return 0;
    wr_buf m = {0};
    wr_buf_printf(&m, "unknown %s '", noun);
    put_snippet(&m, node->value);
    wr_buf_putc(&m, '\'');
    const char *s = wr_suggest(node->value, list, n);
    if (s)
        wr_buf_printf(&m, " (did you mean '%s'?)", s);
    wr_buf_puts(&m, "; expected one of: ");
    for (size_t i = 0; i < n; i++)
        wr_buf_printf(&m, "%s%s", i ? ", " : "", list[i]);
    int rc = wr_yaml_error(c->doc, node, c->err, "%s", wr_buf_str(&m));
    wr_buf_free(&m);
    return rc;
}

static int check_role(struct ctx *c, const wr_ynode *node)
{
    if (c->json)
        return id_ok(node->value, 0) ? 0 : bad_id(c, node, "role id");
    return one_of(c, node, "role", c->roles, c->nroles);
}

/* A text field: 0 set (or absent and optional: *out stays NULL), -1 error. */
static int get_text(struct ctx *c, const wr_ynode *map, const char *key, int required,
                    int nonblank, char **out)
{
    const char *s;
    int rc = wr_yaml_str(c->doc, map, key, required, &s, c->err);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return 0;
    if (nonblank && is_blank(s))
        return wr_yaml_error(c->doc, wr_yaml_get(map, key), c->err, "'%s' must not be empty", key);
    *out = wr_xstrdup(s);
    return 0;
}

enum list_kind { LIST_TYPES, LIST_ASSETS, LIST_SEVERITIES, LIST_ROLES, LIST_COMMANDS };

/* A list of strings: 0 set, 1 absent (optional), -1 error. Entries are
 * checked by kind; all but commands must be non-empty lists without repeats. */
static int get_list(struct ctx *c, const wr_ynode *map, const char *key, int required,
                    enum list_kind kind, char ***out, size_t *nout)
{
    const wr_ynode *seq;
    int rc = wr_yaml_seq(c->doc, map, key, required, &seq, c->err);
    if (rc != 0)
        return rc;
    if (seq->n == 0 && kind != LIST_COMMANDS)
        return wr_yaml_error(c->doc, seq, c->err, "'%s' must not be an empty list", key);
    wr_buf what = {0};
    wr_buf_printf(&what, "an item of '%s'", key);
    rc = 0;
    for (size_t i = 0; i < seq->n && rc == 0; i++) {
        const wr_ynode *it = seq->items[i];
        const char *s;
        if (wr_yaml_as_str(c->doc, it, wr_buf_str(&what), &s, c->err) < 0) {
            rc = -1;
            break;
        }
        switch (kind) {
        case LIST_TYPES:
            if (!id_ok(s, 1))
                rc = value_error(c, it, "invalid incident type '%s' in 'types': use lowercase "
                                        "letters, digits and '-', at most 64 characters", s);
            break;
        case LIST_ASSETS:
            rc = one_of(c, it, "asset kind", wr_rb_asset_kinds, WR_RB_NASSET_KINDS);
            break;
        case LIST_SEVERITIES:
            rc = one_of(c, it, "severity", wr_rb_severities, WR_RB_NSEVERITIES);
            break;
        case LIST_ROLES:
            rc = check_role(c, it);
            break;
        case LIST_COMMANDS:
            if (is_blank(s))
                rc = wr_yaml_error(c->doc, it, c->err, "a command must not be empty");
            break;
        }
    }
    if (rc == 0 && kind != LIST_COMMANDS) {
        wr_buf_reset(&what);
        wr_buf_printf(&what, "entry in '%s':", key);
        rc = wr_yaml_check_unique(c->doc, (const wr_ynode *const *)seq->items, seq->n,
                                  wr_buf_str(&what), c->err);
    }
    wr_buf_free(&what);
    if (rc < 0)
        return -1;
    *out = wr_xcalloc(seq->n ? seq->n : 1, sizeof **out);
    for (size_t i = 0; i < seq->n; i++)
        (*out)[i] = wr_xstrdup(seq->items[i]->value);
    *nout = seq->n;
    return 0;
}

static int load_step(struct ctx *c, const wr_ynode *node, wr_phase phase, wr_rb_step *st)
{
    char what[64];
    snprintf(what, sizeof what, "a step of phase '%s'", phase_names[phase]);
    if (wr_yaml_as_map(c->doc, node, what, c->err) < 0)
        return -1;
    if (wr_yaml_check_keys(c->doc, node, step_keys, WR_ARRAY_LEN(step_keys), c->err) < 0)
        return -1;
    st->phase = phase;
    st->line = node->line;
    st->mandatory = 1;
    const char *s;
    if (wr_yaml_str(c->doc, node, "id", 1, &s, c->err) < 0)
        return -1;
    if (!id_ok(s, 0))
        return bad_id(c, wr_yaml_get(node, "id"), "step id");
    st->id = wr_xstrdup(s);
    if (get_text(c, node, "title", 1, 1, &st->title) < 0 ||
        get_text(c, node, "detail", 0, 0, &st->detail) < 0)
        return -1;
    if (wr_yaml_str(c->doc, node, "role", 1, &s, c->err) < 0 ||
        check_role(c, wr_yaml_get(node, "role")) < 0)
        return -1;
    st->role = wr_xstrdup(s);
    if (wr_yaml_bool(c->doc, node, "mandatory", 0, &st->mandatory, c->err) < 0)
        return -1;
    if (get_list(c, node, "commands", 0, LIST_COMMANDS, &st->commands, &st->ncommands) < 0)
        return -1;
    if (get_text(c, node, "expect", 0, 0, &st->expect) < 0)
        return -1;
    int rc = wr_yaml_str(c->doc, node, "timebox", 0, &s, c->err);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        st->timebox_s = wr_rb_duration_parse(s);
        if (st->timebox_s < 0)
            return value_error(c, wr_yaml_get(node, "timebox"), "invalid timebox '%s': expected a "
                               "duration like 90s, 15m, 1h30m or 2d (at most 365d)", s);
    }
    return 0;
}

static int load_phases(struct ctx *c, const wr_ynode *root, wr_runbook *rb)
{
    const wr_ynode *phases;
    if (wr_yaml_map(c->doc, root, "phases", 1, &phases, c->err) < 0)
        return -1;
    if (wr_yaml_check_keys_as(c->doc, phases, phase_names, WR_PHASE_COUNT, "phase", c->err) < 0)
        return -1;
    if (phases->n == 0)
        return wr_yaml_error(c->doc, phases, c->err, "'phases' must list at least one phase");
    size_t total = 0;
    for (size_t i = 0; i < phases->n; i++) {
        char what[64];
        snprintf(what, sizeof what, "phase '%s'", phases->keys[i]->value);
        if (wr_yaml_as_seq(c->doc, phases->items[i], what, c->err) < 0)
            return -1;
        if (phases->items[i]->n == 0)
            return wr_yaml_error(c->doc, phases->items[i], c->err,
                                 "phase '%s' has no steps: expected a non-empty list",
                                 phases->keys[i]->value);
        total += phases->items[i]->n;
    }
    rb->steps = wr_xcalloc(total, sizeof *rb->steps);
    const wr_ynode **ids = wr_xcalloc(total, sizeof *ids);
    for (int p = 0; p < WR_PHASE_COUNT; p++) {
        const wr_ynode *list = wr_yaml_get(phases, phase_names[p]);
        for (size_t i = 0; list && i < list->n; i++) {
            wr_rb_step *st = &rb->steps[rb->nsteps++];
            if (load_step(c, list->items[i], (wr_phase)p, st) < 0) {
                free(ids);
                return -1;
            }
            ids[rb->nsteps - 1] = wr_yaml_get(list->items[i], "id");
        }
    }
    int rc = wr_yaml_check_unique(c->doc, ids, rb->nsteps, "step id", c->err);
    free(ids);
    return rc;
}

static int is_hex64(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return i == 64;
}

static int validate(struct ctx *c, wr_runbook *rb)
{
    const wr_ynode *root = c->doc->root;
    if (wr_yaml_as_map(c->doc, root, "the runbook", c->err) < 0)
        return -1;
    if (wr_yaml_check_keys(c->doc, root, root_keys, c->json ? NROOT_KEYS_JSON : NROOT_KEYS_YAML,
                           c->err) < 0)
        return -1;
    const char *s;
    if (wr_yaml_str(c->doc, root, "id", 1, &s, c->err) < 0)
        return -1;
    if (!id_ok(s, 0))
        return bad_id(c, wr_yaml_get(root, "id"), "runbook id");
    rb->id = wr_xstrdup(s);
    if (get_text(c, root, "title", 1, 1, &rb->title) < 0)
        return -1;
    long long v;
    if (wr_yaml_int(c->doc, root, "version", 1, 1, 2147483647, &v, c->err) < 0)
        return -1;
    rb->version = (long)v;
    if (get_text(c, root, "description", 1, 1, &rb->description) < 0 ||
        get_text(c, root, "owner", 1, 1, &rb->owner) < 0)
        return -1;

    const wr_ynode *applies;
    if (wr_yaml_map(c->doc, root, "applies_to", 1, &applies, c->err) < 0 ||
        wr_yaml_check_keys(c->doc, applies, applies_keys, WR_ARRAY_LEN(applies_keys), c->err) < 0)
        return -1;
    if (get_list(c, applies, "types", 1, LIST_TYPES, &rb->types, &rb->ntypes) < 0 ||
        get_list(c, applies, "assets", 1, LIST_ASSETS, &rb->assets, &rb->nassets) < 0)
        return -1;
    int rc = get_list(c, applies, "severities", 0, LIST_SEVERITIES, &rb->severities,
                      &rb->nseverities);
    if (rc < 0)
        return -1;
    if (rc > 0) {
        rb->severities = wr_xcalloc(WR_RB_NSEVERITIES, sizeof *rb->severities);
        for (size_t i = 0; i < WR_RB_NSEVERITIES; i++)
            rb->severities[i] = wr_xstrdup(wr_rb_severities[i]);
        rb->nseverities = WR_RB_NSEVERITIES;
    }
    if (get_list(c, root, "roles", 1, LIST_ROLES, &rb->roles, &rb->nroles) < 0)
        return -1;
    if (load_phases(c, root, rb) < 0)
        return -1;
    if (c->json) {
        if (wr_yaml_str(c->doc, root, "sha256", 1, &s, c->err) < 0)
            return -1;
        if (!is_hex64(s))
            return wr_yaml_error(c->doc, wr_yaml_get(root, "sha256"), c->err,
                                 "'sha256' must be 64 lowercase hex digits");
        memcpy(rb->sha256, s, 65);
        if (get_text(c, root, "path", 0, 0, &rb->path) < 0)
            return -1;
    }
    return 0;
}

static wr_runbook *load(const char *name, const char *data, size_t len, const char *const *roles,
                        size_t nroles, int json, wr_buf *err)
{
    wr_ydoc *doc = wr_yaml_load_mem(name, data, len, err);
    if (!doc)
        return NULL;
    struct ctx c = {doc, err, roles ? roles : wr_rb_default_roles,
                    roles ? nroles : WR_RB_NDEFAULT_ROLES, json};
    wr_runbook *rb = wr_xcalloc(1, sizeof *rb);
    int rc = validate(&c, rb);
    wr_yaml_free(doc);
    if (rc < 0) {
        wr_runbook_free(rb);
        return NULL;
    }
    return rb;
}

wr_runbook *wr_runbook_load_mem(const char *name, const char *data, size_t len,
                                const char *const *roles, size_t nroles, wr_buf *err)
{
    if (!name)
        name = "-";
    if (len > WR_RB_MAX_BYTES) {
        wr_buf_printf(err, "%s:1:1: file too large: %zu bytes (the limit is %d)\n", name, len,
                      WR_RB_MAX_BYTES);
        return NULL;
    }
    wr_runbook *rb = load(name, data, len, roles, nroles, 0, err);
    if (!rb)
        return NULL;
    rb->path = wr_xstrdup(name);
    wr_sha256_hex(data, len, rb->sha256);
    return rb;
}

wr_runbook *wr_runbook_load_file(const char *path, const char *const *roles, size_t nroles,
                                 wr_buf *err)
{
    size_t len;
    char *data = wr_yaml_read_file(path, WR_RB_MAX_BYTES, &len, err);
    if (!data)
        return NULL;
    wr_runbook *rb = wr_runbook_load_mem(path, data, len, roles, nroles, err);
    free(data);
    return rb;
}

/* ---- JSON ------------------------------------------------------------------- */

/* A JSON string that is also a YAML double-quoted scalar: every character
 * YAML would not take raw (controls, DEL, C1, BOM, line separators,
 * noncharacters U+FFFE/U+FFFF) is escaped; invalid UTF-8 becomes U+FFFD. */
static void json_str(wr_buf *b, const char *s)
{
    size_t len = strlen(s), i = 0;
    wr_buf_putc(b, '"');
    while (i < len) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch < 0x7F && ch != '"' && ch != '\\') {
            size_t j = i + 1;
            while (j < len && s[j] >= 0x20 && s[j] < 0x7F && s[j] != '"' && s[j] != '\\')
                j++;
            wr_buf_append(b, s + i, j - i);
            i = j;
            continue;
        }
        uint32_t cp;
        size_t n = wr_utf8_decode(s + i, len - i, &cp);
        switch (cp) {
        case '"': wr_buf_puts(b, "\\\""); break;
        case '\\': wr_buf_puts(b, "\\\\"); break;
        case '\n': wr_buf_puts(b, "\\n"); break;
        case '\t': wr_buf_puts(b, "\\t"); break;
        case '\r': wr_buf_puts(b, "\\r"); break;
        case '\b': wr_buf_puts(b, "\\b"); break;
        case '\f': wr_buf_puts(b, "\\f"); break;
        default:
            if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
                cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF)
                wr_buf_printf(b, "\\u%04x", (unsigned)cp);
            else
                wr_utf8_put(b, cp);
        }
        i += n;
    }
    wr_buf_putc(b, '"');
}

static void json_key(wr_buf *b, int *first, const char *key)
{
    if (!*first)
        wr_buf_putc(b, ',');
    *first = 0;
    json_str(b, key);
    wr_buf_putc(b, ':');
}

static void json_strs(wr_buf *b, char *const *v, size_t n)
{
    wr_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            wr_buf_putc(b, ',');
        json_str(b, v[i]);
    }
    wr_buf_putc(b, ']');
}

char *wr_runbook_to_json(const wr_runbook *rb)
{
    wr_buf b = {0};
    int first = 1;
    wr_buf_putc(&b, '{');
    json_key(&b, &first, "id");
    json_str(&b, rb->id);
    json_key(&b, &first, "title");
    json_str(&b, rb->title);
    json_key(&b, &first, "version");
    wr_buf_printf(&b, "%ld", rb->version);
    json_key(&b, &first, "description");
    json_str(&b, rb->description);
    json_key(&b, &first, "owner");
    json_str(&b, rb->owner);
    json_key(&b, &first, "applies_to");
    int f2 = 1;
    wr_buf_putc(&b, '{');
    json_key(&b, &f2, "types");
    json_strs(&b, rb->types, rb->ntypes);
    json_key(&b, &f2, "assets");
    json_strs(&b, rb->assets, rb->nassets);
    json_key(&b, &f2, "severities");
    json_strs(&b, rb->severities, rb->nseverities);
    wr_buf_putc(&b, '}');
    json_key(&b, &first, "roles");
    json_strs(&b, rb->roles, rb->nroles);
    json_key(&b, &first, "phases");
    wr_buf_putc(&b, '{');
    f2 = 1;
    for (size_t i = 0; i < rb->nsteps; i++) {
        const wr_rb_step *st = &rb->steps[i];
        if (i == 0 || rb->steps[i - 1].phase != st->phase) {
            if (i)
                wr_buf_putc(&b, ']');
            json_key(&b, &f2, wr_phase_name(st->phase));
            wr_buf_putc(&b, '[');
        } else {
            wr_buf_putc(&b, ',');
        }
        int f3 = 1;
        wr_buf_putc(&b, '{');
        json_key(&b, &f3, "id");
        json_str(&b, st->id);
        json_key(&b, &f3, "title");
        json_str(&b, st->title);
        if (st->detail) {
            json_key(&b, &f3, "detail");
            json_str(&b, st->detail);
        }
        json_key(&b, &f3, "role");
        json_str(&b, st->role);
        json_key(&b, &f3, "mandatory");
        wr_buf_puts(&b, st->mandatory ? "true" : "false");
        if (st->ncommands) {
            json_key(&b, &f3, "commands");
            json_strs(&b, st->commands, st->ncommands);
        }
        if (st->expect) {
            json_key(&b, &f3, "expect");
            json_str(&b, st->expect);
        }
        if (st->timebox_s > 0) {
            char d[32];
            json_key(&b, &f3, "timebox");
            json_str(&b, wr_rb_duration_format(st->timebox_s, d, sizeof d));
        }
        wr_buf_putc(&b, '}');
    }
    if (rb->nsteps)
        wr_buf_putc(&b, ']');
    wr_buf_putc(&b, '}');
    json_key(&b, &first, "sha256");
    json_str(&b, rb->sha256);
    if (rb->path) {
        json_key(&b, &first, "path");
        json_str(&b, rb->path);
    }
    wr_buf_putc(&b, '}');
    return wr_buf_steal(&b);
}

wr_runbook *wr_runbook_from_json(const char *name, const char *json, size_t len, wr_buf *err)
{
    if (!name)
        name = "-";
    if (len > 8 * (size_t)WR_RB_MAX_BYTES) {
        wr_buf_printf(err, "%s:1:1: runbook copy too large: %zu bytes\n", name, len);
        return NULL;
    }
    return load(name, json, len, NULL, 0, 1, err);
}

/* ---- search path ---------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_rb(const void *a, const void *b)
{
    return strcmp((*(wr_runbook *const *)a)->id, (*(wr_runbook *const *)b)->id);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

const wr_runbook *wr_rb_set_find(const wr_rb_set *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->v[i]->id, id) == 0)
            return set->v[i];
    return NULL;
}

void wr_rb_set_load_dirs(wr_rb_set *set, const char *const *dirs, size_t ndirs,
                         const char *const *roles, size_t nroles, wr_buf *err)
{
    for (size_t d = 0; d < ndirs; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir) {
            if (errno != ENOENT)
                wr_buf_printf(err, "%s: cannot read: %s\n", dirs[d], strerror(errno));
            continue;
        }
        char **names = NULL;
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.' || !ends_with(e->d_name, ".yaml"))
                continue;
            names = wr_xreallocarray(names, n + 1, sizeof *names);
            names[n++] = wr_xstrdup(e->d_name);
        }
        closedir(dir);
        if (n)
            qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n; i++) {
            char *path = wr_xasprintf("%s/%s", dirs[d], names[i]);
            wr_runbook *rb = wr_runbook_load_file(path, roles, nroles, err);
            if (rb) {
                const wr_runbook *old = wr_rb_set_find(set, rb->id);
                if (old) {
                    wr_buf_printf(err, "%s: runbook '%s' ignored: already loaded from %s\n", path,
                                  rb->id, old->path);
                    wr_runbook_free(rb);
                } else {
                    set->v = wr_xreallocarray(set->v, set->n + 1, sizeof *set->v);
                    set->v[set->n++] = rb;
                }
            }
            free(path);
            free(names[i]);
        }
        free(names);
    }
    if (set->n)
        qsort(set->v, set->n, sizeof *set->v, cmp_rb);
}

void wr_rb_set_free(wr_rb_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        wr_runbook_free(set->v[i]);
    free(set->v);
    set->v = NULL;
    set->n = 0;
}
