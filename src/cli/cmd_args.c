/* cmd_args.c - the argument helpers every command handler uses, and running a command line: finding the
 * command, splitting a line into words, dispatching, help. */
#include "cmd_int.h"

#include "warroom/incident.h"
#include "warroom/pending.h"
#include "warroom/text.h"
#include "warroom/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wr_args_usage(wr_args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wr_buf_printf(&a->c->err, "%s: ", a->cmd->name);
    wr_buf_vprintf(&a->c->err, fmt, ap);
    va_end(ap);
    wr_buf_printf(&a->c->err, "\nusage: %s%s %s\n", strcmp(a->c->source, "cli") == 0 ? "warroom " : ":",
                  a->cmd->name, a->cmd->args);
    return 2;
}

void wr_args_drop(wr_args *a, int i, int n)
{
    memmove(&a->argv[i], &a->argv[i + n], (size_t)(a->argc - i - n) * sizeof(char *));
    a->argc -= n;
}

int wr_args_flag(wr_args *a, const char *flag, const char *alias)
{
    for (int i = 0; i < a->argc; i++) {
        if (strcmp(a->argv[i], "--") == 0)
            break;
        if (strcmp(a->argv[i], flag) == 0 || (alias && strcmp(a->argv[i], alias) == 0)) {
            wr_args_drop(a, i, 1);
            return 1;
        }
    }
    return 0;
}

/* --name VALUE or --name=VALUE. 1 found, 0 absent, -1 missing value (usage error written). */
int wr_args_opt(wr_args *a, const char *name, const char **val)
{
    size_t n = strlen(name);
    for (int i = 0; i < a->argc; i++) {
        if (strcmp(a->argv[i], "--") == 0)
            break;
        if (strncmp(a->argv[i], name, n) == 0 && a->argv[i][n] == '=') {
            *val = a->argv[i] + n + 1;
            wr_args_drop(a, i, 1);
            return 1;
        }
        if (strcmp(a->argv[i], name) == 0) {
            if (i + 1 >= a->argc) {
                wr_args_usage(a, "%s needs a value", name);
                return -1;
            }
            *val = a->argv[i + 1];
            wr_args_drop(a, i, 2);
            return 1;
        }
    }
    return 0;
}

/* After options are taken: refuse unknown ones, drop a "--" separator. 0 ok, 2 usage error. */
int wr_args_no_more_options(wr_args *a)
{
    for (int i = 0; i < a->argc; i++) {
        if (strcmp(a->argv[i], "--") == 0) {
            wr_args_drop(a, i, 1);
            return 0;
        }
        if (a->argv[i][0] == '-' && a->argv[i][1] == '-')
            return wr_args_usage(a, "unknown option %s", a->argv[i]);
    }
    return 0;
}

static int looks_like_ref(const char *s)
{
    int64_t id;
    return wr_incident_parse_ref(s, &id) == 0;
}

/* Resolve the incident: an explicit INC first argument when more than `need` arguments are given, else the
 * console's current incident, else the one open incident. 0 ok, else an exit code. */
int wr_args_incident(wr_args *a, int need, int64_t *id)
{
    const char *ref = NULL;
    int64_t probe;
    if (a->argc > need && wr_incident_parse_ref(a->argv[0], &probe) == -2)
        return wr_args_usage(a, "\"%s\" is not an incident: incident numbers go from 1 to 9223372036854775807",
                             a->argv[0]);
    if (a->argc > need && looks_like_ref(a->argv[0])) {
        ref = a->argv[0];
        wr_args_drop(a, 0, 1);
    }
    if (!ref && a->c->current) {
        *id = a->c->current;
        return 0;
    }
    wr_error err = {0};
    wr_status s = wr_incident_resolve(a->c->store, ref, id, &err);
    if (s != WR_OK && ref && a->c->submit && wr_pending_keeps(s) && wr_incident_parse_ref(ref, id) == 0) {
        /* The console cannot reach the database just now: what the operator typed is kept as written (the
         * store checks the incident when the write lands). */
        return 0;
    }
    if (s != WR_OK) {
        wr_buf_printf(&a->c->err, "%s: %s\n", a->cmd->name, err.msg);
        return wr_status_exit_code(s);
    }
    return 0;
}

int wr_args_number(const char *s, long long max, long long *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*s))
        return -1; /* no sign, no space: strtoll would take them */
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v <= 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

char *wr_args_join(int argc, char **argv)
{
    wr_buf b = {0};
    for (int i = 0; i < argc; i++) {
        if (i)
            wr_buf_putc(&b, ' ');
        wr_buf_puts(&b, argv[i]);
    }
    return wr_buf_steal(&b);
}

int wr_args_fail(wr_cmdctx *c, const char *name, const wr_error *err)
{
    wr_buf_printf(&c->err, "%s: %s\n", name, err->msg);
    return wr_status_exit_code(err->status);
}

int wr_args_is_cli(const wr_cmdctx *c)
{
    return !c->submit && strcmp(c->source, "cli") == 0;
}

void wr_args_flush(wr_cmdctx *c)
{
    if (!wr_args_is_cli(c))
        return;
    if (c->out.len) {
        fputs(wr_buf_str(&c->out), stdout);
        fflush(stdout);
        wr_buf_reset(&c->out);
    }
    if (c->err.len) {
        wr_buf clean = {0};
        wr_text_clean_message(&clean, wr_buf_str(&c->err), wr_text_locale_utf8());
        fputs(wr_buf_str(&clean), stderr);
        fflush(stderr);
        wr_buf_free(&clean);
        wr_buf_reset(&c->err);
    }
}

int wr_args_need_store(wr_cmdctx *c, const char *name)
{
    if (c->store)
        return 0;
    wr_error err = {0};
    c->store = wr_store_open_wait(c->db_path, c->open_flags, c->wait_ms, &err);
    if (!c->store)
        return wr_args_fail(c, name, &err);
    return 0;
}


/* Record a prepared write: handed to the console, or committed now (waiting up to wait_ms). */
int wr_args_submit(wr_args *a, wr_write *w, int64_t *seq, int64_t *result)
{
    wr_cmdctx *c = a->c;
    if (c->submit)
        return wr_status_exit_code((wr_status)c->submit(c, w));
    wr_error err = {0};
    wr_status s = wr_op_commit(c->store, w, c->wait_ms, seq, result, &err);
    if (s != WR_OK)
        return wr_args_fail(c, a->cmd->name, &err);
    return 0;
}

int wr_args_prepared(wr_args *a, wr_status s, const wr_error *err)
{
    if (s == WR_OK)
        return 0;
    if (s == WR_E_INVALID)
        return wr_args_usage(a, "%s", err->msg);
    return wr_args_fail(a->c, a->cmd->name, err);
}

wr_opctx wr_args_opctx(wr_cmdctx *c)
{
    wr_opctx o = {c->store, c->actor, c->source, 0};
    return o;
}

void wr_args_ok_line(wr_cmdctx *c, int64_t inc, int64_t seq, const char *what)
{
    if (c->json)
        wr_buf_printf(&c->out, "{\"ok\":true,\"incident\":%lld,\"ref\":\"INC-%lld\",\"seq\":%lld}\n",
                      (long long)inc, (long long)inc, (long long)seq);
    else if (!c->submit)
        wr_buf_printf(&c->out, "INC-%lld: %s (#%lld)\n", (long long)inc, what, (long long)seq);
}

const wr_cmd *wr_cmd_find(const char *name)
{
    const wr_cmd *found = NULL;
    size_t n = strlen(name);
    if (!n)
        return NULL;
    for (size_t i = 0; i < wr_ncmds; i++) {
        if (strcmp(wr_cmds[i].name, name) == 0)
            return &wr_cmds[i];
        if (strncmp(wr_cmds[i].name, name, n) == 0) {
            if (found)
                return NULL; /* ambiguous prefix */
            found = &wr_cmds[i];
        }
    }
    return found;
}

int wr_cmd_split(const char *line, int *argc, char ***argv, wr_buf *err)
{
    int n = 0;
    char **v = NULL;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        wr_buf word = {0};
        wr_buf_puts(&word, "");
        char quote = 0;
        for (; *p; p++) {
            if (quote) {
                if (*p == quote)
                    quote = 0;
                else if (*p == '\\' && quote == '"' && (p[1] == '"' || p[1] == '\\'))
                    wr_buf_putc(&word, *++p);
                else
                    wr_buf_putc(&word, *p);
            } else if (*p == '\'' || *p == '"') {
                quote = *p;
            } else if (*p == '\\' && p[1]) {
                wr_buf_putc(&word, *++p);
            } else if (*p == ' ' || *p == '\t') {
                break;
            } else {
                wr_buf_putc(&word, *p);
            }
        }
        if (quote) {
            wr_buf_printf(err, "unclosed %c quote: close it, or escape it with a backslash", quote);
            wr_buf_free(&word);
            wr_cmd_free_argv(n, v);
            return -1;
        }
        v = wr_xreallocarray(v, (size_t)n + 2, sizeof *v);
        v[n++] = wr_buf_steal(&word);
        v[n] = NULL;
    }
    if (!v) {
        v = wr_xcalloc(1, sizeof *v);
    }
    *argc = n;
    *argv = v;
    return 0;
}

void wr_cmd_free_argv(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}

/* A command during which SQLite met a broken page (or an I/O error) may have read part of what it shows, even
 * if the code that read it dropped the error; one that failed because of damage may have printed part of its
 * answer before it found it. Either way nothing it printed is shown as if it were whole: it fails with the
 * damaged status (9; 8 for an I/O error) and one sentence says what to do. doctor reports damage itself. */
static int damage_guard(wr_cmdctx *c, const wr_cmd *cmd, const wr_store_faults *before,
                        const wr_store_faults *after, int r)
{
    if (strcmp(cmd->name, "doctor") == 0 || ((cmd->flags & WR_CMD_WRITES) && c->submit))
        return r; /* the console's writes: the pending queue says what became of them */
    int damaged = after->damaged != before->damaged || r == wr_status_exit_code(WR_E_CORRUPT);
    int io = after->io != before->io && r == 0;
    if (!damaged && !io)
        return r;
    wr_error err = {0};
    if (damaged && (cmd->flags & WR_CMD_WRITES) && r == 0) {
        /* The change itself was committed: keep its acknowledgement, and say what was found. */
        wr_store_damaged_error(c->db_path ? c->db_path : "the database", &err, "reading it");
        wr_buf_printf(&c->err, "%s: the change was recorded, but %s\n", cmd->name, err.msg);
        return wr_status_exit_code(WR_E_CORRUPT);
    }
    wr_buf_reset(&c->out);
    if (r == wr_status_exit_code(WR_E_CORRUPT))
        return r; /* it said so itself (wr_store_damaged_error) */
    wr_buf_reset(&c->err);
    if (damaged) {
        wr_store_damaged_error(c->db_path ? c->db_path : "the database", &err, "reading it");
    } else {
        wr_error_set(&err, WR_E_IO, "an I/O error on %s while reading it, so nothing read is shown as if it were "
                                    "whole: is a network mount gone? retrying is safe",
                     c->db_path ? c->db_path : "the database");
    }
    return wr_args_fail(c, cmd->name, &err);
}

int wr_cmd_run(wr_cmdctx *c, int argc, char **argv)
{
    if (argc < 1) {
        wr_buf_puts(&c->err, "no command given: `help` lists them\n");
        return 2;
    }
    const wr_cmd *cmd = wr_cmd_find(argv[0]);
    int cli = strcmp(c->source, "cli") == 0;
    if (!cmd || (cli && !(cmd->flags & WR_CMD_CLI)) || (!cli && !(cmd->flags & (WR_CMD_PROMPT | WR_CMD_UI)))) {
        const char *names[128] = {0};
        size_t n = 0;
        for (size_t i = 0; i < wr_ncmds && n < 128; i++)
            if (wr_cmds[i].flags & (cli ? WR_CMD_CLI : (WR_CMD_PROMPT | WR_CMD_UI)))
                names[n++] = wr_cmds[i].name;
        const char *s = wr_suggest(argv[0], names, n);
        wr_buf_printf(&c->err, "\"%s\" is not a command%s%s%s; `%shelp` lists them\n", argv[0],
                      s ? " (did you mean " : "", s ? s : "", s ? "?)" : "", cli ? "warroom " : ":");
        return 2;
    }
    if (!cmd->fn) {
        wr_buf_printf(&c->err, "%s is an act of the console: open `warroom` and use it there\n", cmd->name);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            wr_cmd_help(&c->out, cmd->name, !cli);
            return 0;
        }
    /* Handlers may reorder and drop their arguments: give them a copy of the vector. On the command line the
     * words of a free text are gathered after "--" (the console's split did that already). */
    char **copy;
    int n = argc - 1;
    if (cli && cmd->text) {
        copy = wr_cmd_text_args(cmd, n, argv + 1);
        for (n = 0; copy[n]; n++) {
        }
    } else {
        copy = wr_xcalloc((size_t)argc + 1, sizeof *copy);
        memcpy(copy, argv + 1, (size_t)n * sizeof *copy);
    }
    wr_store_faults before, after;
    wr_store_faults_get(&before);
    int r = cmd->fn(c, n, copy);
    free(copy);
    wr_store_faults_get(&after);
    return damage_guard(c, cmd, &before, &after, r);
}

void wr_cmd_help(wr_buf *out, const char *name, int ui)
{
    if (name) {
        const wr_cmd *cmd = wr_cmd_find(name);
        if (!cmd)
            return;
        wr_buf_printf(out, "%s%s %s\n  %s\n", ui ? ":" : "warroom ", cmd->name, cmd->args, cmd->summary);
        for (size_t i = 0; i < wr_ndefault_keys; i++) {
            size_t n = strlen(cmd->name);
            const char *kc = wr_default_keys[i].command;
            if (strcmp(kc, cmd->name) == 0 || (wr_startswith(kc, "prompt ") && strncmp(kc + 7, cmd->name, n) == 0 &&
                                               (kc[7 + n] == ' ' || !kc[7 + n])))
                wr_buf_printf(out, "  key: %s\n", wr_default_keys[i].key);
        }
        return;
    }
    if (!ui)
        wr_buf_puts(out, "usage: warroom [--db PATH] [--as NAME] [--json] [--wait SECONDS] COMMAND [ARGS]\n"
                         "       warroom            open the console\n\ncommands:\n");
    else
        wr_buf_puts(out, "commands (type them after :)\n");
    for (size_t i = 0; i < wr_ncmds; i++) {
        const wr_cmd *cmd = &wr_cmds[i];
        if (ui ? !(cmd->flags & WR_CMD_PROMPT) : !(cmd->flags & WR_CMD_CLI))
            continue;
        if (strlen(cmd->args) <= 40)
            wr_buf_printf(out, "  %-10s %-40s %s\n", cmd->name, cmd->args, cmd->summary);
        else
            wr_buf_printf(out, "  %-10s %s\n  %-10s %-40s %s\n", cmd->name, cmd->args, "", "", cmd->summary);
    }
    if (ui) {
        wr_buf_puts(out, "\nkeys\n");
        for (size_t i = 0; i < wr_ndefault_keys; i++) {
            const char *kc = wr_default_keys[i].command;
            char word[32];
            snprintf(word, sizeof word, "%s", wr_startswith(kc, "prompt ") ? kc + 7 : kc);
            word[strcspn(word, " ")] = '\0';
            const wr_cmd *cmd = wr_cmd_find(word);
            wr_buf_printf(out, "  %-6s %-16s %s\n", wr_default_keys[i].key, kc,
                          cmd ? cmd->summary : "");
        }
    }
}
