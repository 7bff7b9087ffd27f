/* SPDX-License-Identifier: MIT */
/* cmd.h - the act table: every act of warroom, defined once.
 *
 * Every act is one row of wr_cmds[]: its name, its argument template, a one-line summary, flags and its
 * handler. The CLI verbs (`warroom note ...`), the console's `:` prompt (the same words), the console's own
 * acts (moving, focusing, quitting, the triage and composer acts), the key tables (a key binds to a command
 * line, keys.h), completion, usage errors, `help` and the help screen all read it; docs/warroom.1 and the
 * README are checked against it by a test (tests/unit/test_docs.c).
 *
 * The argument template (after tmux's usage strings) is the one description of an act's arguments:
 *
 *   form | form | ...           alternative forms (" | " with spaces), e.g. "[INC] add TITLE... | [INC] list"
 *   [ ... ]                     optional: one element, or several ("[--force --reason TEXT]")
 *   --name                      a flag; "-f|--follow" gives it a short spelling
 *   --name VALUE                an option with a value (--name=VALUE works too); a TEXT value is free text
 *   word|word                   literal words (a subcommand, a state: "add|remove", "done|skip")
 *   NAME                        a placeholder; NAME... is one or more words; "X|-" also takes "-"
 *   < NAME                      read from standard input (documentation only)
 *
 * From it come: option parsing (wr_args_parse: no handler parses its own options), the usage text, the
 * free text of the console (the first TEXT..., TITLE..., VALUE... or NAME... placeholder is the rest of the
 * line as typed, cmdline.c), completion (complete.h: placeholders name what they complete to, literal
 * words complete to themselves) and the synopses of the man page and the README.
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
    WR_CMD_UI = 1 << 2,     /* an act of the console alone (no handler here; `ui` says which) */
    WR_CMD_WRITES = 1 << 3, /* records an event */
    WR_CMD_NODB = 1 << 4,   /* needs no database (opens it itself when it does) */
    WR_CMD_READS = 1 << 5,  /* reads the database and prints what it found */
    WR_CMD_JSON = 1 << 6,   /* prints JSON with --json */
};

/* The console's own acts: what a row's `ui` names. The console carries them out (src/tui/acts.c); a row
 * with a handler as well (help, update, replay) is the console's first and runs its handler when the console
 * hands it on. */
typedef enum wr_ui {
    WR_UI_NONE,
    WR_UI_QUIT,
    WR_UI_REDRAW,
    WR_UI_PROMPT,
    WR_UI_HELP,
    WR_UI_FOCUS_NEXT,
    WR_UI_FOCUS_PREV,
    WR_UI_UP,
    WR_UI_DOWN,
    WR_UI_PAGE_UP,
    WR_UI_PAGE_DOWN,
    WR_UI_TOP,
    WR_UI_BOTTOM,
    WR_UI_LEFT,
    WR_UI_RIGHT,
    WR_UI_LINE_START,
    WR_UI_LINE_END,
    WR_UI_SELECT,
    WR_UI_TICK,
    WR_UI_TOGGLE_PIN,
    WR_UI_BACK,
    WR_UI_INCIDENTS,
    WR_UI_TRIAGE,
    WR_UI_OPEN,
    WR_UI_THEME,
    WR_UI_ZOOM,
    WR_UI_MESSAGES,
    WR_UI_FILTER,
    WR_UI_ALERT_DECLARE,
    WR_UI_ALERT_ATTACH,
    WR_UI_ALERT_DISMISS,
    WR_UI_YES,
    WR_UI_NO,
    WR_UI_UPDATE,
    WR_UI_REPLAY,
    WR_UI_SEND,
    WR_UI_NEWLINE,
    WR_UI_INSERT_TAB,
    WR_UI_BACKSPACE,
    WR_UI_DELETE,
    WR_UI_WORD_LEFT,      /* the composer's readline keys (compose.h) */
    WR_UI_WORD_RIGHT,
    WR_UI_KILL_LINE,
    WR_UI_KILL_LINE_START,
    WR_UI_RUBOUT_WORD,
    WR_UI_KILL_WORD_BACK,
    WR_UI_KILL_WORD,
    WR_UI_YANK,
    WR_UI_AUDIENCE,       /* the composer: the next audience */
    WR_UI_DISCARD,        /* the composer: throw the draft away (asks) */
    WR_UI_COUNT
} wr_ui;

typedef struct wr_cmdctx wr_cmdctx;
typedef struct wr_args wr_args;
typedef int (*wr_cmd_fn)(wr_args *a);

typedef struct wr_cmd {
    const char *name;
    const char *args;    /* the argument template (above) */
    const char *summary; /* one line for help */
    unsigned flags;
    wr_cmd_fn fn;        /* the handler of the command line and the prompt; NULL for the console's own acts */
    wr_ui ui;            /* the console's act (WR_UI_NONE: none) */
} wr_cmd;

extern const wr_cmd wr_cmds[];
extern const size_t wr_ncmds;

/* Exact name, else a unique prefix; NULL otherwise. */
const wr_cmd *wr_cmd_find(const char *name);
/* The row of a console act. */
const wr_cmd *wr_cmd_of_ui(wr_ui ui);

/* ---- argument templates (cmd_template.c) ---- */

enum { WR_TPL_MAXFORMS = 8, WR_TPL_MAXELEMS = 16, WR_TPL_WORD = 48 };
typedef enum wr_tpl_kind { WR_TPL_POS, WR_TPL_OPT, WR_TPL_STDIN } wr_tpl_kind;
typedef struct wr_tpl_elem {
    wr_tpl_kind kind;
    int optional;               /* inside [ ] */
    int repeat;                 /* NAME...: one or more words */
    int text;                   /* free text: a text placeholder with "...", or an option with a TEXT value */
    char word[WR_TPL_WORD];     /* POS, STDIN: the token ("add|remove", "INC", "[RUNBOOK/]STEP"); OPT: "--tag" */
    char alias[8];              /* OPT: the short spelling ("-f"), or "" */
    char value[WR_TPL_WORD];    /* OPT: the value's token ("TEXT", "went-well|went-badly"); "" for a flag */
} wr_tpl_elem;
typedef struct wr_tpl_form {
    wr_tpl_elem e[WR_TPL_MAXELEMS];
    int n;
    char text[256]; /* the form as written */
} wr_tpl_form;
typedef struct wr_tpl {
    wr_tpl_form f[WR_TPL_MAXFORMS];
    int nf;
} wr_tpl;

/* Parse a template. 0, or -1 with the reason in err (the act table's test parses every row). */
int wr_tpl_parse(const char *tpl, wr_tpl *out, wr_buf *err);
/* The option of the template spelled `word` ("--tag", "--tag=x", "-f"), or NULL. */
const wr_tpl_elem *wr_tpl_option(const wr_tpl *t, const char *word);
/* What a placeholder or a value token completes to: "incident", "role", "operator", "step", "runbook",
 * "field", "status", "severity", "command", "theme", "file", "text" (free text) or NULL (nothing). A token of
 * literal words ("add|remove") is NULL here: see wr_tpl_literals. */
const char *wr_tpl_token_kind(const char *token);
/* The literal words of a token ("done|skip|block" -> done, skip, block; placeholders left out), each a
 * pointer into buf. Returns how many (at most max). */
size_t wr_tpl_literals(const char *token, char *buf, size_t bufsize, const char **words, size_t max);
/* 1 when the form's first element is the optional incident ("[INC]"). */
int wr_tpl_form_has_inc(const wr_tpl_form *f);
/* Where a form's free text starts, matched against the positional words typed so far (the incident left
 * out): 2 when the text starts at the next word, 1 when it may still, 0 when it cannot. Over all forms:
 * the best. */
int wr_tpl_text_match(const wr_tpl *t, char *const *pos, int npos);
/* 1 when the template has free text (a text placeholder or a TEXT-valued option). */
int wr_tpl_has_text(const wr_tpl *t);
/* The synopsis of one form for the command line ("warroom NAME FORM") or the prompt (":NAME FORM"). */
void wr_tpl_synopsis(wr_buf *out, const wr_cmd *cmd, int form, int cli);

/* ---- running an act ---- */

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
    int db_chosen;        /* --db or WARROOM_DB named it (demo uses its own database otherwise) */
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
    /* The entry point sets this to open the console on a store (the `demo` act); it takes st over and returns
     * the console's exit code. NULL: no console here. */
    int (*console)(wr_cmdctx *c, wr_store *st);
    const char *const *runbook_dirs; /* where runbooks are looked up */
    size_t nrunbook_dirs;
    const struct wr_config *config;  /* the configuration in force (NULL: none read) */
};

/* An act's arguments, parsed from its template: the options by name, the positional words in order. */
enum { WR_ARGS_MAXOPTS = 24 };
struct wr_args {
    wr_cmdctx *c;
    const wr_cmd *cmd;
    int argc;       /* the positional words (options and a "--" taken out) */
    char **argv;
    int dash;       /* how many of them came before a "--" (-1: there was none) */
    size_t nopts;
    struct wr_argopt {
        const char *name;  /* the template's spelling ("--follow" for -f) */
        const char *value; /* NULL for a flag */
    } opts[WR_ARGS_MAXOPTS];
    char names[WR_ARGS_MAXOPTS][WR_TPL_WORD]; /* where opts[].name points */
    char **vec; /* owned: the array argv points into */
};

/* Take the act's options out of argv (argv[0] is the first argument after the act's name) wherever they
 * stand up to a "--", checked against its template: unknown options, a missing value, a flag given a value,
 * an option given twice, an option that goes with another form of the act are usage errors. 0, or an exit
 * code with the reason and the usage in c->err. The strings stay argv's; free with wr_args_free. */
int wr_args_parse(wr_args *a, wr_cmdctx *c, const wr_cmd *cmd, int argc, char **argv);
void wr_args_free(wr_args *a);
/* The value of option `name` (the template's long spelling), or NULL when not given. Naming an option the
 * template does not have is a programming error (it aborts). */
const char *wr_args_get(const wr_args *a, const char *name);
/* 1 when flag (or option) `name` was given. */
int wr_args_has(const wr_args *a, const char *name);
/* Write "name: why" and the act's usage to c->err; returns the usage exit code (WR_E_INVALID's). */
int wr_args_usage(wr_args *a, const char *fmt, ...) WR_PRINTF(2, 3);

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

/* Run argv[0] with its arguments. Returns a process exit code (0 ok; see wr_status_exit_code; a usage error
 * is WR_E_INVALID's, with the right form in c->err). */
int wr_cmd_run(wr_cmdctx *c, int argc, char **argv);

/* Write the command records an earlier `warroom run` kept in files because the database was busy
 * (cmd_evidence.c; the entry point calls it once a command has opened the store); what it did goes to err. */
void wr_cli_write_kept(wr_store *st, const char *db_path, int wait_ms, wr_buf *err);

/* Help text: all commands (name == NULL) or one. `ui` lists the prompt's commands (":name") instead of the
 * command line's (the console adds its keys, keys.h). */
void wr_cmd_help(wr_buf *out, const char *name, int ui);

/* Documents made from the table (cmd_docs.c): the generated part of docs/warroom.1 (SYNOPSIS, OPTIONS,
 * COMMANDS, KEYS), and the completion script for "bash" or "zsh" (-1: another shell). */
void wr_cmd_man(wr_buf *out);
int wr_cmd_completion_script(wr_buf *out, const char *shell);

/* ---- global options (cmd_global.c): rows too ---- */

typedef struct wr_globals {
    const char *db, *as, *theme, *config;
    int json, readonly;
    int wait_s; /* -1: not given */
} wr_globals;

typedef struct wr_global_opt {
    const char *name;    /* "--db" */
    const char *alias;   /* "-h", or NULL */
    const char *value;   /* "PATH", or NULL for a flag */
    const char *summary;
    const char *act;     /* --help, --version: the act they stand for at the command's place, else NULL */
} wr_global_opt;
extern const wr_global_opt wr_global_opts[];
extern const size_t wr_nglobal_opts;

/* Take the global options out of argv (argv[0] is the program) wherever they stand up to a "--"; --help and
 * --version (-h, -V) at the command's place become the acts they stand for. 0, or an exit code with
 * "warroom: why" and the usage in err. */
int wr_globals_parse(int *argc, char **argv, wr_globals *g, wr_buf *err);
/* "usage: warroom [--db PATH] ... [COMMAND [ARGS]]", from the rows. */
void wr_globals_usage(wr_buf *out);

/* An act ran that only checks (runbook lint, doctor, alert intake with refusals) and found problems: the
 * process exits with this (1), which no wr_status stands for. */
#define WR_EXIT_CHECK_FAILED 1
/* A long-running act (drill run, replay) stopped by Ctrl-C: the shell's code for SIGINT. */
#define WR_EXIT_STOPPED 130

#endif
