/* cmd_int.h - private to the command handlers (cmd*.c): shared argument helpers and the handlers that live
 * outside cmd.c. */
#ifndef WARROOM_CMD_INT_H
#define WARROOM_CMD_INT_H

#include "warroom/cmd.h"
#include "warroom/incident.h"
#include "warroom/model.h"

typedef struct wr_args {
    int argc;
    char **argv;
    const wr_cmd *cmd;
    wr_cmdctx *c;
} wr_args;

/* Write "name: why" and the right form to c->err; returns 2. */
int wr_args_usage(wr_args *a, const char *fmt, ...) WR_PRINTF(2, 3);
void wr_args_drop(wr_args *a, int i, int n);
int wr_args_flag(wr_args *a, const char *flag, const char *alias);
int wr_args_opt(wr_args *a, const char *name, const char **val);
int wr_args_no_more_options(wr_args *a);
int wr_args_incident(wr_args *a, int need, int64_t *id);
int wr_args_fail(wr_cmdctx *c, const char *name, const wr_error *err);
/* 1 when the command runs from the command line (not the console's prompt). */
int wr_args_is_cli(const wr_cmdctx *c);
/* Long-running commands print as they go (the CLI prints c->out/c->err only at the end otherwise); errors are
 * cleaned like every message that reaches stderr. Nothing in the console. */
void wr_args_flush(wr_cmdctx *c);
/* The store, for commands flagged NODB that need it for some of their acts (honouring --wait while
 * opening). 0, or an exit code with the reason in c->err. */
int wr_args_need_store(wr_cmdctx *c, const char *name);
int wr_args_prepared(wr_args *a, wr_status s, const wr_error *err);
int wr_args_submit(wr_args *a, wr_write *w, int64_t *seq, int64_t *result);
wr_opctx wr_args_opctx(wr_cmdctx *c);
void wr_args_ok_line(wr_cmdctx *c, int64_t inc, int64_t seq, const char *what);
char *wr_args_join(int argc, char **argv);
/* A whole number 1..max written in decimal digits only: 0, or -1 for anything else (a sign, spaces, letters,
 * a number too large), never clamped. */
int wr_args_number(const char *s, long long max, long long *out);

/* Intent (cmd_intent.c): what an act expects to find. `given` is --expect's value when there was one;
 * otherwise what the console showed (c->seen) of that incident; NULL when neither says. For a role, "" (or
 * "-" given) means nobody held it. */
const char *wr_args_expect_field(wr_cmdctx *c, int64_t inc, const char *field, const char *given);
const char *wr_args_expect_step(wr_cmdctx *c, int64_t inc, const char *runbook, const char *step,
                                const char *given);
const char *wr_args_expect_holder(wr_cmdctx *c, int64_t inc, const char *role, const char *given);

int wr_cmd_init(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_list(wr_cmdctx *c, int argc, char **argv);   /* cmd_read.c */
int wr_cmd_show(wr_cmdctx *c, int argc, char **argv);   /* cmd_read.c */
int wr_cmd_export(wr_cmdctx *c, int argc, char **argv); /* cmd_read.c */
int wr_cmd_tail(wr_cmdctx *c, int argc, char **argv);   /* cmd_read.c */
int wr_cmd_doctor(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_runbook(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_step(wr_cmdctx *c, int argc, char **argv);
/* cmd_lifecycle.c */
int wr_cmd_milestone(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_decision(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_asset(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_indicator(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_roles(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_who(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_update(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_action(wr_cmdctx *c, int argc, char **argv);
/* The lifecycle lines of `show`: decision, milestones, metrics, update cadence, missing roles, assets,
 * indicators, action items. */
void wr_cmd_show_lifecycle(wr_cmdctx *c, const wr_incident *i);
/* cmd_postmortem.c */
int wr_cmd_postmortem(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_report(wr_cmdctx *c, int argc, char **argv);
/* cmd_prep.c */
int wr_cmd_oncall(wr_cmdctx *c, int argc, char **argv);
/* cmd_alert.c */
int wr_cmd_alert(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_alerts(wr_cmdctx *c, int argc, char **argv);
/* cmd_prep.c */
int wr_cmd_drill(wr_cmdctx *c, int argc, char **argv);
int wr_cmd_replay(wr_cmdctx *c, int argc, char **argv);

#endif
