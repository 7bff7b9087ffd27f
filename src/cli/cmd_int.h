/* SPDX-License-Identifier: MIT */
/* cmd_int.h - private to the act handlers (cmd*.c): shared argument helpers and the handlers that live
 * outside cmd.c (the table). */
#ifndef WARROOM_CMD_INT_H
#define WARROOM_CMD_INT_H

#include "warroom/cmd.h"
#include "warroom/incident.h"
#include "warroom/model.h"

/* 1 when form f takes the positional words pos and its required options are among `given` (cmd_template.c). */
int wr_tpl_form_fits(const wr_tpl_form *f, char *const *pos, int npos, const char *const *given, size_t ngiven);

void wr_args_drop(wr_args *a, int i, int n);
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
/* The usual answer to a write: "INC-3: what (#12)", or with --json {"ok":true,"incident":3,...}. */
void wr_args_ok_line(wr_cmdctx *c, int64_t inc, int64_t seq, const char *what);
/* A timeline entry named by its number in incident inc ("7" or "#7", as `tail` shows them) -> *n and the
 * event's *seq. 0, or the exit code after saying what is wrong (not a number: usage; no such entry). The one
 * mapping from an entry number to an event: `pin`, `unpin` (and `evidence`) use it. */
int wr_args_entry(wr_args *a, const char *word, int64_t inc, int64_t *n, int64_t *seq);
/* "[INC] N": the incident (or the current one) and one entry number, as `pin` and `evidence` take them. */
int wr_args_incident_entry(wr_args *a, int64_t *inc, int64_t *n, int64_t *seq);
/* The JSON answer to a write, opened: {"ok":true,"incident":N,"ref":"INC-N","seq":S (the caller adds members
 * and closes it with wr_args_json_end). */
void wr_args_json_ok(wr_buf *o, int64_t inc, int64_t seq);
void wr_args_json_end(wr_buf *o);
char *wr_args_join(int argc, char **argv);
/* A whole number 1..max written in decimal digits only: 0, or -1 for anything else (a sign, spaces, letters,
 * a number too large), never clamped. */
int wr_args_number(const char *s, long long max, long long *out);
/* The usage exit code (a wrong argument: nothing was done). */
int wr_args_usage_code(void);

/* Intent (cmd_intent.c): what an act expects to find. `given` is --expect's value when there was one;
 * otherwise what the console showed (c->seen) of that incident; NULL when neither says. For a role, "" (or
 * "-" given) means nobody held it. */
const char *wr_args_expect_field(wr_cmdctx *c, int64_t inc, const char *field, const char *given);
const char *wr_args_expect_step(wr_cmdctx *c, int64_t inc, const char *runbook, const char *step,
                                const char *given);
const char *wr_args_expect_holder(wr_cmdctx *c, int64_t inc, const char *role, const char *given);

/* cmd_write.c: the write acts of the war room itself */
int wr_cmd_declare(wr_args *a);
int wr_cmd_note(wr_args *a);
int wr_cmd_set(wr_args *a);
int wr_cmd_severity(wr_args *a);
int wr_cmd_status(wr_args *a);
int wr_cmd_assign(wr_args *a);
int wr_cmd_unassign(wr_args *a);
int wr_cmd_pin(wr_args *a);
int wr_cmd_unpin(wr_args *a);
/* cmd_admin.c */
int wr_cmd_init(wr_args *a);
int wr_cmd_doctor(wr_args *a);
int wr_cmd_demo(wr_args *a);
int wr_cmd_help_act(wr_args *a);
int wr_cmd_version(wr_args *a);
/* cmd_docs.c */
int wr_cmd_completion(wr_args *a);
/* `completion words`: what the last of argv completes to, one per line (cmd_complete.c). */
int wr_cmd_complete_words(wr_cmdctx *c, char **argv, int argc);
/* cmd_read.c */
int wr_cmd_list(wr_args *a);
int wr_cmd_show(wr_args *a);
int wr_cmd_export(wr_args *a);
int wr_cmd_tail(wr_args *a);
/* cmd_runbook.c */
int wr_cmd_runbook(wr_args *a);
int wr_cmd_step(wr_args *a);
/* cmd_lifecycle.c */
int wr_cmd_milestone(wr_args *a);
int wr_cmd_decision(wr_args *a);
int wr_cmd_asset(wr_args *a);
int wr_cmd_indicator(wr_args *a);
int wr_cmd_update(wr_args *a);
int wr_cmd_action(wr_args *a);
/* cmd_roles.c */
int wr_cmd_roles(wr_args *a);
int wr_cmd_who(wr_args *a);
/* The lifecycle lines of `show`: decision, milestones, metrics, update cadence, missing roles, assets,
 * indicators, action items. */
void wr_cmd_show_lifecycle(wr_cmdctx *c, const wr_incident *i);
/* "warning: SEV1 requires X and Y: nobody holds them" (cmd_roles.c) */
void wr_cmd_missing_line(wr_buf *o, const char *severity, char **missing, size_t n);
/* cmd_postmortem.c */
int wr_cmd_postmortem(wr_args *a);
int wr_cmd_report(wr_args *a);
/* cmd_prep.c */
int wr_cmd_oncall(wr_args *a);
int wr_cmd_drill(wr_args *a);
int wr_cmd_replay(wr_args *a);
/* cmd_verify.c */
int wr_cmd_verify(wr_args *a);
/* cmd_migrate.c */
int wr_cmd_migrate(wr_args *a);
/* cmd_exec.c: commands run and files attached as evidence */
int wr_cmd_exec(wr_args *a);
int wr_cmd_attach(wr_args *a);
int wr_cmd_evidence(wr_args *a);

/* cmd_alert.c */
int wr_cmd_alert(wr_args *a);
int wr_cmd_alerts(wr_args *a);

#endif
