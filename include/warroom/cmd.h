/* cmd.h - the one command table.
 *
 * Every act of warroom is a row here: the CLI verbs (`warroom note ...`), the console's `:` prompt (the same
 * words), its completion, its key bindings (bindings are command lines, see wr_default_keys) and the help
 * screen all read this table, so each act is defined once. Rows with a handler run the same code from the
 * CLI and the prompt; rows flagged WR_CMD_UI are acts of the console alone (moving, focusing, quitting) and
 * the console carries them out itself.
 */
#ifndef WARROOM_CMD_H
#define WARROOM_CMD_H

#include <stdint.h>

#include "warroom/actor.h"
#include "warroom/checklist.h"
#include "warroom/incident.h"
#include "warroom/store.h"
#include "warroom/util.h"

enum {
    WR_CMD_CLI = 1 << 0,    /* a verb of the command line */
    WR_CMD_PROMPT = 1 << 1, /* usable at the console's `:` prompt */
    WR_CMD_UI = 1 << 2,     /* carried out by the console itself (no handler here) */
    WR_CMD_WRITES = 1 << 3, /* records an event */
    WR_CMD_NODB = 1 << 4,   /* needs no database */
};

typedef struct wr_cmdctx wr_cmdctx;
typedef int (*wr_cmd_fn)(wr_cmdctx *c, int argc, char **argv);

typedef struct wr_cmd {
    const char *name;
    const char *args;    /* synopsis of the arguments, "[INC] TEXT..." */
    const char *summary; /* one line for help */
    unsigned flags;
    wr_cmd_fn fn;        /* NULL for WR_CMD_UI rows */
    /* What each argument position completes to, space-separated words from: incident role operator step
     * runbook field status severity command theme file text; "..." repeats the last. */
    const char *complete;
    /* Where the free text starts, for commands that take one (cmdline.c): patterns of the positional words
     * before it, separated by '|' ("" at once, "*" after one word, "add *|remove *", "* note"); NULL: none.
     * The text is the rest of the line as typed in the console, the remaining words on the command line. */
    const char *text;
} wr_cmd;

extern const wr_cmd wr_cmds[];
extern const size_t wr_ncmds;

/* Exact name, else a unique prefix; NULL otherwise. */
const wr_cmd *wr_cmd_find(const char *name);

/* Default key bindings: key name -> command line. "prompt TEXT" opens the `:` prompt holding TEXT. */
typedef struct wr_keybind {
    const char *key;     /* "n", "C-l", "Tab", "BTab", "Enter", "Space", "Up", "Down", "PgUp", "PgDn", ... */
    const char *command; /* "prompt note ", "focus-next", "tick" */
} wr_keybind;
extern const wr_keybind wr_default_keys[];
extern const size_t wr_ndefault_keys;

/* What the console showed when an act was asked for. Acts derived from it carry it as their expectation
 * (the step's state, the field's value, who held the role: wr_op_expect), so they apply only if it is still
 * true; `--expect VALUE` says the same on the command line. */
typedef struct wr_seen {
    const wr_incident *incident; /* the incident on screen (NULL: none) */
    const wr_role_holder *roles;
    size_t nroles;
    const wr_step_row *steps;
    size_t nsteps;
} wr_seen;

/* How a command reports. The CLI prints out/err at the end; the console shows them in its status line. */
struct wr_cmdctx {
    wr_store *store;      /* NULL for WR_CMD_NODB commands */
    const char *db_path;  /* where the database is (init and doctor use it) */
    unsigned open_flags;  /* WR_OPEN_* the store was (or would be) opened with */
    const wr_actor *actor;
    const char *source; /* "cli", "tui" */
    int json;           /* --json */
    int wait_ms;        /* how long a write may wait for the lock (CLI) */
    int64_t current;    /* the incident the console is showing (0: resolve from arguments) */
    wr_buf out;         /* results */
    wr_buf err;         /* error text */
    /* The console sets this to take prepared writes itself (it retries them without blocking); NULL means
     * commit synchronously, waiting up to wait_ms. Returns a wr_status. The hook owns w afterwards. */
    int (*submit)(wr_cmdctx *c, wr_write *w);
    void *ui;
    const wr_seen *seen; /* the console: what it shows (NULL on the command line) */
    /* The console sets this to ask the operator a yes/no question before a write (an unknown operator name):
     * it takes w over and submits it on yes. NULL on the command line, where an option says yes. */
    void (*confirm)(wr_cmdctx *c, const char *question, wr_write *w);
    const char *const *runbook_dirs; /* where runbooks are looked up */
    size_t nrunbook_dirs;
    const struct wr_config *config;  /* the configuration in force (NULL: none read) */
};

/* Split a command line into words: spaces separate, '...' and "..." quote, backslash escapes.
 * 0 ok (caller frees with wr_cmd_free_argv), -1 with a reason in err (e.g. an unclosed quote). */
int wr_cmd_split(const char *line, int *argc, char ***argv, wr_buf *err);
/* The console's split: the same for the words before the command's free text, which is the rest of the
 * line byte for byte, given after a "--" word (a TEXT-valued option such as --reason that comes last takes
 * the rest of the line likewise). Text as typed: quotes, backslashes, leading dashes, tabs kept. */
int wr_cmd_split_line(const char *line, int *argc, char ***argv, wr_buf *err);
/* The command line's words after the command, reordered for a command with free text: options and the
 * words before the text, "--", then the text's words (every word from the text's start that is not one of
 * the command's options, `--words` included). The array is new (free it); its strings are argv's. */
char **wr_cmd_text_args(const wr_cmd *cmd, int argc, char **argv);
void wr_cmd_free_argv(int argc, char **argv);

/* Run argv[0] with its arguments. Returns a process exit code (0 ok; see wr_status_exit_code; 2 for a
 * usage error, with the right form in c->err). */
int wr_cmd_run(wr_cmdctx *c, int argc, char **argv);

/* Help text: all commands (name == NULL) or one. `ui` includes console-only rows and key bindings. */
void wr_cmd_help(wr_buf *out, const char *name, int ui);

#endif
