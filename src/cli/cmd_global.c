/* SPDX-License-Identifier: MIT */
/* cmd_global.c - the global options: rows of their own, parsed wherever they stand on the command line. */
#include "cmd_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const wr_global_opt wr_global_opts[] = {
    {"--db", NULL, "PATH", "the database (else WARROOM_DB, the config's db:, ~/.local/share/warroom/warroom.db)",
     NULL},
    {"--as", NULL, "NAME", "act under this operator name (else WARROOM_USER, the login name)", NULL},
    {"--json", NULL, NULL, "print JSON (every reading command and every write's answer)", NULL},
    {"--wait", NULL, "SECONDS", "how long to wait for other operators' locks (0-3600; default 30)", NULL},
    {"--read-only", NULL, NULL, "open the database read-only (writes are refused)", NULL},
    {"--theme", NULL, "NAME", "the console's colour theme", NULL},
    {"--config", NULL, "FILE", "the configuration file (else WARROOM_CONFIG, ~/.config/warroom/config.yaml)", NULL},
    {"--help", "-h", NULL, "list the commands (after a command: explain it)", "help"},
    {"--version", "-V", NULL, "print the version", "version"},
};
const size_t wr_nglobal_opts = WR_ARRAY_LEN(wr_global_opts);

void wr_globals_usage(wr_buf *out)
{
    wr_buf_puts(out, "usage: warroom");
    for (size_t i = 0; i < wr_nglobal_opts; i++) {
        const wr_global_opt *g = &wr_global_opts[i];
        if (g->act)
            continue;
        wr_buf_printf(out, " [%s%s%s]", g->name, g->value ? " " : "", g->value ? g->value : "");
    }
    wr_buf_puts(out, " [COMMAND [ARGS]]\n");
}

static int bad(wr_buf *err, const char *fmt, const char *arg)
{
    wr_buf_puts(err, "warroom: ");
    wr_buf_printf(err, fmt, arg);
    wr_buf_putc(err, '\n');
    wr_globals_usage(err);
    wr_buf_puts(err, "       `warroom help` lists the commands\n");
    return wr_args_usage_code();
}

static const wr_global_opt *find(const char *a)
{
    for (size_t i = 0; i < wr_nglobal_opts; i++) {
        const wr_global_opt *g = &wr_global_opts[i];
        size_t n = strlen(g->name);
        if (strncmp(a, g->name, n) == 0 && (a[n] == '\0' || (a[n] == '=' && g->value)))
            return g;
        if (g->alias && strcmp(a, g->alias) == 0)
            return g;
    }
    return NULL;
}

int wr_globals_parse(int *argc, char **argv, wr_globals *g, wr_buf *err)
{
    int out = 1, i;
    int command_at = 0; /* where the command word landed in the output (0: not yet) */
    for (i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        const wr_global_opt *o = find(a);
        if (o && o->act) {
            /* --help/--version at the command's place are the acts; after a command, --help is its own */
            if (command_at) {
                argv[out++] = argv[i];
                continue;
            }
            argv[out++] = (char *)o->act;
            command_at = out - 1;
            continue;
        }
        if (!o) {
            if (!command_at && a[0] == '-' && a[1])
                return bad(err, "unknown option %s", a);
            if (!command_at)
                command_at = out;
            argv[out++] = argv[i];
            continue;
        }
        const char *val = NULL;
        if (o->value) {
            size_t n = strlen(o->name);
            if (a[n] == '=') {
                val = a + n + 1;
            } else {
                if (i + 1 >= *argc)
                    return bad(err, "%s needs a value", o->name);
                val = argv[++i];
            }
        }
        if (strcmp(o->name, "--wait") == 0) {
            char *end;
            errno = 0;
            long w = strtol(val, &end, 10);
            if (!isdigit((unsigned char)val[0]) || *end || errno || w < 0 || w > 3600)
                return bad(err, "--wait takes a number of seconds (0-3600), not \"%s\"", val);
            g->wait_s = (int)w;
        } else if (strcmp(o->name, "--db") == 0) {
            g->db = val;
        } else if (strcmp(o->name, "--as") == 0) {
            g->as = val;
        } else if (strcmp(o->name, "--theme") == 0) {
            g->theme = val;
        } else if (strcmp(o->name, "--config") == 0) {
            g->config = val;
        } else if (strcmp(o->name, "--json") == 0) {
            g->json = 1;
        } else if (strcmp(o->name, "--read-only") == 0) {
            g->readonly = 1;
        }
    }
    for (; i < *argc; i++)
        argv[out++] = argv[i];
    argv[out] = NULL;
    *argc = out;
    return 0;
}
