/* SPDX-License-Identifier: MIT */
/* yaml.c - a strict YAML document tree on libyaml's event parser. */
#include "warroom/yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "warroom/text.h"

/* ---- errors ------------------------------------------------------------- */

static void put_position(wr_buf *err, const char *name, long line, long col)
{
    wr_buf_printf(err, "%s:%ld:%ld: ", name, line, col);
}

int wr_yaml_error(const wr_ydoc *doc, const wr_ynode *node, wr_buf *err, const char *fmt, ...)
{
    va_list ap;
    put_position(err, doc && doc->name ? doc->name : "-", node ? node->line : 1,
                 node ? node->col : 1);
    va_start(ap, fmt);
    wr_buf_vprintf(err, fmt, ap);
    va_end(ap);
    wr_buf_putc(err, '\n');
    return -1;
}

/* A piece of untrusted text for a message: cleaned, one line, <= 40 columns. */
static void put_snippet(wr_buf *out, const char *s)
{
    wr_text_fit(out, s, strlen(s), 40, 1, WR_TEXT_ONELINE);
}

/* ---- tree --------------------------------------------------------------- */

static void node_free(wr_ynode *n)
{
    if (!n)
        return;
    if (n->kind != WR_Y_SCALAR) {
        for (size_t i = 0; i < n->n; i++) {
            node_free(n->items[i]);
            if (n->keys)
                node_free(n->keys[i]);
        }
    }
    free(n->items);
    free(n->keys);
    free(n->value);
    free(n);
}

void wr_yaml_free(wr_ydoc *doc)
{
    if (!doc)
        return;
    node_free(doc->root);
    free(doc->name);
    free(doc);
}

struct frame {
    wr_ynode *node;
    wr_ynode *key; /* MAP: a key waiting for its value */
    size_t cap;
};

struct builder {
    wr_ydoc *doc;
    wr_buf *err;
    struct frame stack[WR_YAML_MAX_DEPTH];
    int depth;
    int docs;
};

static int mark_error(struct builder *b, yaml_mark_t m, const char *fmt, ...) WR_PRINTF(3, 4);

static int mark_error(struct builder *b, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    put_position(b->err, b->doc->name, (long)m.line + 1, (long)m.column + 1);
    va_start(ap, fmt);
    wr_buf_vprintf(b->err, fmt, ap);
    va_end(ap);
    wr_buf_putc(b->err, '\n');
    return -1;
}

static int key_cmp(const void *pa, const void *pb)
{
    const wr_ynode *a = *(const wr_ynode *const *)pa, *b = *(const wr_ynode *const *)pb;
    int c = strcmp(a->value, b->value);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return a->col < b->col ? -1 : a->col > b->col;
}

static int before(const wr_ynode *a, const wr_ynode *b)
{
    return a->line < b->line || (a->line == b->line && a->col < b->col);
}

int wr_yaml_check_unique(const wr_ydoc *doc, const wr_ynode *const *nodes, size_t n,
                         const char *what, wr_buf *err)
{
    if (n < 2)
        return 0;
    const wr_ynode **k = wr_xreallocarray(NULL, n, sizeof *k);
    memcpy(k, nodes, n * sizeof *k);
    qsort(k, n, sizeof *k, key_cmp);
    const wr_ynode *dup = NULL, *first = NULL;
    size_t group = 0; /* index of the first node of the current run of equal values */
    for (size_t i = 1; i < n; i++) {
        if (strcmp(k[i]->value, k[group]->value) != 0) {
            group = i;
            continue;
        }
        if (i == group + 1 && (!dup || before(k[i], dup))) {
            dup = k[i];
            first = k[group];
        }
    }
    int rc = 0;
    if (dup) {
        wr_buf msg = {0};
        put_snippet(&msg, dup->value);
        rc = wr_yaml_error(doc, dup, err, "duplicate %s '%s' (first defined at line %d)", what,
                           wr_buf_str(&msg), first->line);
        wr_buf_free(&msg);
    }
    free(k);
    return rc;
}

static void push_child(wr_ynode *parent, size_t *cap, wr_ynode *key, wr_ynode *value)
{
    if (parent->n == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        parent->items = wr_xreallocarray(parent->items, *cap, sizeof *parent->items);
        if (parent->kind == WR_Y_MAP)
            parent->keys = wr_xreallocarray(parent->keys, *cap, sizeof *parent->keys);
    }
    parent->items[parent->n] = value;
    if (parent->kind == WR_Y_MAP)
        parent->keys[parent->n] = key;
    parent->n++;
}

static const char *kind_noun(wr_ykind k)
{
    return k == WR_Y_MAP ? "a mapping" : k == WR_Y_SEQ ? "a list" : "a scalar";
}

/* Hang a new node on the tree (taking ownership: freed on error). */
static int attach(struct builder *b, wr_ynode *node)
{
    if (b->depth == 0) {
        b->doc->root = node;
        return 0;
    }
    struct frame *f = &b->stack[b->depth - 1];
    if (f->node->kind == WR_Y_SEQ) {
        push_child(f->node, &f->cap, NULL, node);
        return 0;
    }
    if (f->key) {
        push_child(f->node, &f->cap, f->key, node);
        f->key = NULL;
        return 0;
    }
    int rc = 0;
    if (node->kind != WR_Y_SCALAR)
        rc = wr_yaml_error(b->doc, node, b->err, "mapping keys must be plain strings, found %s",
                           kind_noun(node->kind));
    else if (wr_yaml_is_null(node))
        rc = wr_yaml_error(b->doc, node, b->err, "empty (null) mapping key");
    if (rc) {
        node_free(node);
        return rc;
    }
    f->key = node;
    return 0;
}

static wr_ynode *new_node(wr_ykind kind, yaml_mark_t m)
{
    wr_ynode *n = wr_xcalloc(1, sizeof *n);
    n->kind = kind;
    n->line = (int)(m.line < INT_MAX ? m.line + 1 : INT_MAX);
    n->col = (int)(m.column < INT_MAX ? m.column + 1 : INT_MAX);
    return n;
}

/* One event: 0 go on, 1 end of stream, -1 error. */
static int handle(struct builder *b, yaml_event_t *ev)
{
    const char *anchor = NULL, *tag = NULL;
    wr_ynode *node = NULL;
    switch (ev->type) {
    case YAML_STREAM_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
    case YAML_NO_EVENT:
        return 0;
    case YAML_DOCUMENT_START_EVENT:
        if (b->docs++ > 0)
            return mark_error(b, ev->start_mark, "more than one document in the file");
        return 0;
    case YAML_STREAM_END_EVENT:
        if (!b->doc->root || (b->doc->root->kind == WR_Y_SCALAR && !b->doc->root->quoted &&
                              b->doc->root->value[0] == '\0'))
            return wr_yaml_error(b->doc, NULL, b->err, "empty file: expected a mapping");
        return 1;
    case YAML_ALIAS_EVENT:
        return mark_error(b, ev->start_mark, "anchors and aliases are not allowed");
    case YAML_SCALAR_EVENT:
        anchor = (const char *)ev->data.scalar.anchor;
        tag = (const char *)ev->data.scalar.tag;
        break;
    case YAML_SEQUENCE_START_EVENT:
        anchor = (const char *)ev->data.sequence_start.anchor;
        tag = (const char *)ev->data.sequence_start.tag;
        break;
    case YAML_MAPPING_START_EVENT:
        anchor = (const char *)ev->data.mapping_start.anchor;
        tag = (const char *)ev->data.mapping_start.tag;
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        struct frame *f = &b->stack[--b->depth];
        if (f->node->kind != WR_Y_MAP)
            return 0;
        return wr_yaml_check_unique(b->doc, (const wr_ynode *const *)f->node->keys, f->node->n,
                                    "key", b->err);
    }
    }
    if (anchor)
        return mark_error(b, ev->start_mark, "anchors and aliases are not allowed");
    if (tag) {
        wr_buf t = {0};
        if (wr_startswith(tag, "tag:yaml.org,2002:")) {
            wr_buf_puts(&t, "!!");
            tag += strlen("tag:yaml.org,2002:");
        }
        put_snippet(&t, tag);
        int rc = mark_error(b, ev->start_mark, "tags are not allowed (found '%s')", wr_buf_str(&t));
        wr_buf_free(&t);
        return rc;
    }
    if (ev->type == YAML_SCALAR_EVENT) {
        const char *v = (const char *)ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        if (memchr(v, '\0', len))
            return mark_error(b, ev->start_mark, "a string may not contain a NUL character");
        node = new_node(WR_Y_SCALAR, ev->start_mark);
        node->value = wr_xstrndup(v, len);
        node->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        return attach(b, node);
    }
    if (b->depth >= WR_YAML_MAX_DEPTH)
        return mark_error(b, ev->start_mark, "nesting deeper than %d levels", WR_YAML_MAX_DEPTH);
    node = new_node(ev->type == YAML_MAPPING_START_EVENT ? WR_Y_MAP : WR_Y_SEQ, ev->start_mark);
    if (attach(b, node) < 0)
        return -1;
    b->stack[b->depth].node = node;
    b->stack[b->depth].key = NULL;
    b->stack[b->depth].cap = 0;
    b->depth++;
    return 0;
}

static void syntax_error(struct builder *b, yaml_parser_t *p, const char *data, size_t len)
{
    if (p->error == YAML_MEMORY_ERROR)
        wr_die("out of memory (libyaml)");
    const char *problem = p->problem ? p->problem : "unknown error";
    if (p->error == YAML_READER_ERROR) {
        /* libyaml gives a byte offset: turn it into line and column */
        size_t off = p->problem_offset < len ? p->problem_offset : len;
        long line = 1, col = 1;
        for (size_t i = 0; i < off; i++) {
            unsigned char c = (unsigned char)data[i];
            if (c == '\n') {
                line++;
                col = 1;
            } else if ((c & 0xC0) != 0x80) {
                col++;
            }
        }
        put_position(b->err, b->doc->name, line, col);
        wr_buf_printf(b->err, "invalid text: %s", problem);
        if (p->problem_value != -1)
            wr_buf_printf(b->err, " (#%X)", (unsigned)p->problem_value);
        wr_buf_putc(b->err, '\n');
        return;
    }
    put_position(b->err, b->doc->name, (long)p->problem_mark.line + 1,
                 (long)p->problem_mark.column + 1);
    wr_buf_printf(b->err, "syntax error: %s", problem);
    if (p->context)
        wr_buf_printf(b->err, " (%s at line %ld)", p->context, (long)p->context_mark.line + 1);
    wr_buf_putc(b->err, '\n');
}

wr_ydoc *wr_yaml_load_mem(const char *name, const char *data, size_t len, wr_buf *err)
{
    wr_ydoc *doc = wr_xcalloc(1, sizeof *doc);
    doc->name = wr_xstrdup(name ? name : "-");
    struct builder b = {doc, err, {{0}}, 0, 0};
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        wr_die("out of memory (libyaml)");
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    int rc = 0;
    while (rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            syntax_error(&b, &p, data, len);
            rc = -1;
            break;
        }
        rc = handle(&b, &ev);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (rc < 0) {
        /* keys still waiting for their value are not on the tree yet */
        for (int i = 0; i < b.depth; i++)
            node_free(b.stack[i].key);
        wr_yaml_free(doc);
        return NULL;
    }
    return doc;
}

char *wr_yaml_read_file(const char *path, size_t max_bytes, size_t *len_out, wr_buf *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        wr_buf_printf(err, "%s: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        wr_buf_printf(err, "%s: cannot read: %s\n", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        wr_buf_printf(err, "%s: cannot read: not a regular file\n", path);
        close(fd);
        return NULL;
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        wr_buf_printf(err, "%s:1:1: file too large: %lld bytes (the limit is %zu)\n", path,
                      (long long)st.st_size, max_bytes);
        close(fd);
        return NULL;
    }
    /* read at most max_bytes + 1: the file may have grown since fstat */
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *data = wr_xmalloc(cap + 1);
    for (;;) {
        if (len == cap) {
            if (cap > max_bytes)
                break;
            cap = cap > (max_bytes + 1) / 2 ? max_bytes + 1 : cap * 2;
            data = wr_xrealloc(data, cap + 1);
        }
        ssize_t r = read(fd, data + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            wr_buf_printf(err, "%s: cannot read: %s\n", path, strerror(errno));
            close(fd);
            free(data);
            return NULL;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (len > max_bytes) {
        wr_buf_printf(err, "%s:1:1: file too large: more than %zu bytes\n", path, max_bytes);
        free(data);
        return NULL;
    }
    data[len] = '\0';
    *len_out = len;
    return data;
}

wr_ydoc *wr_yaml_load_file(const char *path, size_t max_bytes, wr_buf *err)
{
    size_t len;
    char *data = wr_yaml_read_file(path, max_bytes, &len, err);
    if (!data)
        return NULL;
    wr_ydoc *doc = wr_yaml_load_mem(path, data, len, err);
    free(data);
    return doc;
}

/* ---- lookups and typed access ---------------------------------------- */

const wr_ynode *wr_yaml_get_key(const wr_ynode *map, const char *key)
{
    if (!map || map->kind != WR_Y_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->value, key) == 0)
            return map->keys[i];
    return NULL;
}

const wr_ynode *wr_yaml_get(const wr_ynode *map, const char *key)
{
    if (!map || map->kind != WR_Y_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->value, key) == 0)
            return map->items[i];
    return NULL;
}

int wr_yaml_check_keys_as(const wr_ydoc *doc, const wr_ynode *map, const char *const *allowed,
                          size_t n, const char *noun, wr_buf *err)
{
    if (!map || map->kind != WR_Y_MAP)
        return wr_yaml_as_map(doc, map, NULL, err);
    int rc = 0;
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->value;
        size_t j = 0;
        while (j < n && strcmp(allowed[j], k) != 0)
            j++;
        if (j < n)
            continue;
        wr_buf msg = {0};
        wr_buf_printf(&msg, "unknown %s '", noun);
        put_snippet(&msg, k);
        wr_buf_puts(&msg, "'");
        const char *s = wr_suggest(k, allowed, n);
        if (s)
            wr_buf_printf(&msg, " (did you mean '%s'?)", s);
        wr_buf_puts(&msg, "; expected one of: ");
        for (j = 0; j < n; j++)
            wr_buf_printf(&msg, "%s%s", j ? ", " : "", allowed[j]);
        rc = wr_yaml_error(doc, map->keys[i], err, "%s", wr_buf_str(&msg));
        wr_buf_free(&msg);
        break; /* the first error only, like everything else here */
    }
    return rc;
}

int wr_yaml_check_keys(const wr_ydoc *doc, const wr_ynode *map, const char *const *allowed,
                       size_t n, wr_buf *err)
{
    return wr_yaml_check_keys_as(doc, map, allowed, n, "key", err);
}

int wr_yaml_is_null(const wr_ynode *node)
{
    if (!node || node->kind != WR_Y_SCALAR || node->quoted)
        return 0;
    const char *v = node->value;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
           !strcmp(v, "NULL");
}

static int plain_bool(const wr_ynode *node, int *out)
{
    if (node->kind != WR_Y_SCALAR || node->quoted)
        return 0;
    if (!strcmp(node->value, "true") || !strcmp(node->value, "yes")) {
        *out = 1;
        return 1;
    }
    if (!strcmp(node->value, "false") || !strcmp(node->value, "no")) {
        *out = 0;
        return 1;
    }
    return 0;
}

/* 1 if node is a plain decimal integer (range errors: *overflow = 1). */
static int plain_int(const wr_ynode *node, long long *out, int *overflow)
{
    *overflow = 0;
    if (node->kind != WR_Y_SCALAR || node->quoted)
        return 0;
    const char *s = node->value;
    size_t i = (*s == '-' || *s == '+') ? 1 : 0;
    if (!s[i])
        return 0;
    for (size_t j = i; s[j]; j++)
        if (s[j] < '0' || s[j] > '9')
            return 0;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE)
        *overflow = 1;
    *out = v;
    return 1;
}

void wr_yaml_describe(const wr_ynode *node, wr_buf *out)
{
    long long v;
    int b, overflow;
    if (!node) {
        wr_buf_puts(out, "nothing");
    } else if (node->kind == WR_Y_MAP) {
        wr_buf_puts(out, "a mapping");
    } else if (node->kind == WR_Y_SEQ) {
        wr_buf_puts(out, "a list");
    } else if (wr_yaml_is_null(node)) {
        wr_buf_puts(out, node->value[0] ? "null" : "an empty value");
    } else if (plain_int(node, &v, &overflow)) {
        wr_buf_puts(out, "an integer ");
        put_snippet(out, node->value);
    } else if (plain_bool(node, &b)) {
        wr_buf_printf(out, "a boolean %s", node->value);
    } else {
        wr_buf_puts(out, "a string \"");
        put_snippet(out, node->value);
        wr_buf_putc(out, '"');
    }
}

static int type_error(const wr_ydoc *doc, const wr_ynode *node, const char *expected,
                      const char *what, wr_buf *err)
{
    wr_buf d = {0};
    wr_yaml_describe(node, &d);
    int rc = what ? wr_yaml_error(doc, node, err, "expected %s for %s, found %s", expected, what,
                                  wr_buf_str(&d))
                  : wr_yaml_error(doc, node, err, "expected %s, found %s", expected, wr_buf_str(&d));
    wr_buf_free(&d);
    return rc;
}

int wr_yaml_as_str(const wr_ydoc *doc, const wr_ynode *node, const char *what, const char **out,
                   wr_buf *err)
{
    if (!node || node->kind != WR_Y_SCALAR || wr_yaml_is_null(node))
        return type_error(doc, node, "a string", what, err);
    *out = node->value;
    return 0;
}

int wr_yaml_as_int(const wr_ydoc *doc, const wr_ynode *node, const char *what, long long min,
                   long long max, long long *out, wr_buf *err)
{
    long long v;
    int overflow;
    if (!node || !plain_int(node, &v, &overflow))
        return type_error(doc, node, "an integer", what, err);
    if (overflow || v < min || v > max) {
        wr_buf s = {0};
        put_snippet(&s, node->value);
        if (max == LLONG_MAX)
            wr_yaml_error(doc, node, err, "%s must be at least %lld, found %s", what, min,
                          wr_buf_str(&s));
        else
            wr_yaml_error(doc, node, err, "%s must be between %lld and %lld, found %s", what, min,
                          max, wr_buf_str(&s));
        wr_buf_free(&s);
        return -1;
    }
    *out = v;
    return 0;
}

int wr_yaml_as_bool(const wr_ydoc *doc, const wr_ynode *node, const char *what, int *out,
                    wr_buf *err)
{
    if (!node || !plain_bool(node, out))
        return type_error(doc, node, "a boolean (true/false/yes/no)", what, err);
    return 0;
}

int wr_yaml_as_seq(const wr_ydoc *doc, const wr_ynode *node, const char *what, wr_buf *err)
{
    if (!node || node->kind != WR_Y_SEQ)
        return type_error(doc, node, "a list", what, err);
    return 0;
}

int wr_yaml_as_map(const wr_ydoc *doc, const wr_ynode *node, const char *what, wr_buf *err)
{
    if (!node || node->kind != WR_Y_MAP)
        return type_error(doc, node, "a mapping", what, err);
    return 0;
}

/* Shared by the getters: 0 with *val set, 1 absent/null and optional, -1 error. */
static int lookup(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                  const wr_ynode **val, wr_buf *what, wr_buf *err)
{
    if (!map || map->kind != WR_Y_MAP)
        return wr_yaml_as_map(doc, map, NULL, err);
    const wr_ynode *v = wr_yaml_get(map, key);
    if (!v) {
        if (required)
            return wr_yaml_error(doc, map, err, "missing required key '%s'", key);
        return 1;
    }
    if (wr_yaml_is_null(v) && !required)
        return 1;
    *val = v;
    wr_buf_printf(what, "'%s'", key);
    return 0;
}

int wr_yaml_str(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                const char **out, wr_buf *err)
{
    const wr_ynode *v = NULL;
    wr_buf what = {0};
    int rc = lookup(doc, map, key, required, &v, &what, err);
    if (rc == 0)
        rc = wr_yaml_as_str(doc, v, wr_buf_str(&what), out, err);
    wr_buf_free(&what);
    return rc;
}

int wr_yaml_int(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                long long min, long long max, long long *out, wr_buf *err)
{
    const wr_ynode *v = NULL;
    wr_buf what = {0};
    int rc = lookup(doc, map, key, required, &v, &what, err);
    if (rc == 0)
        rc = wr_yaml_as_int(doc, v, wr_buf_str(&what), min, max, out, err);
    wr_buf_free(&what);
    return rc;
}

int wr_yaml_bool(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                 int *out, wr_buf *err)
{
    const wr_ynode *v = NULL;
    wr_buf what = {0};
    int rc = lookup(doc, map, key, required, &v, &what, err);
    if (rc == 0)
        rc = wr_yaml_as_bool(doc, v, wr_buf_str(&what), out, err);
    wr_buf_free(&what);
    return rc;
}

int wr_yaml_seq(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                const wr_ynode **out, wr_buf *err)
{
    const wr_ynode *v = NULL;
    wr_buf what = {0};
    int rc = lookup(doc, map, key, required, &v, &what, err);
    if (rc == 0 && (rc = wr_yaml_as_seq(doc, v, wr_buf_str(&what), err)) == 0)
        *out = v;
    wr_buf_free(&what);
    return rc;
}

int wr_yaml_map(const wr_ydoc *doc, const wr_ynode *map, const char *key, int required,
                const wr_ynode **out, wr_buf *err)
{
    const wr_ynode *v = NULL;
    wr_buf what = {0};
    int rc = lookup(doc, map, key, required, &v, &what, err);
    if (rc == 0 && (rc = wr_yaml_as_map(doc, v, wr_buf_str(&what), err)) == 0)
        *out = v;
    wr_buf_free(&what);
    return rc;
}
