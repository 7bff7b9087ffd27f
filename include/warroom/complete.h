/* SPDX-License-Identifier: MIT */
/* complete.h - what a word of the console's `:` command line completes to (no readline, no curses).
 *
 * The act's argument template says it (cmd.h): at each position, over the forms the words typed so far fit,
 * a placeholder names a kind (INC incident, ROLE role, USER operator, STEP step, ID runbook, FIELD field,
 * STATUS status, SEV severity, COMMAND command, THEME theme, FILE file; free text nothing) and literal
 * words (a subcommand, a state: "add|remove") complete to themselves. An optional leading [INC] shifts the
 * positions when the operator wrote one; an option's value completes as its token says (--severity SEV1..SEV5,
 * --audience internal|executive|customer); after "-" the act's option names.
 */
#ifndef WARROOM_COMPLETE_H
#define WARROOM_COMPLETE_H

#include <stddef.h>
#include <stdint.h>

/* The kind of the word that starts at byte `start` of line, where line is the text up to the cursor (so
 * line + start is the part of the word typed so far): "command" for the first word, else a kind from the
 * act's template, or NULL when no kind applies (free text, literal words only, an unknown command, an
 * option name). */
const char *wr_complete_kind(const char *line, size_t start);
/* The literal words the template offers there that start with what is typed (subcommands, states, option
 * values, option names after "-"), appended to (*out, *nout) as by wr_complete_filter. */
void wr_complete_literals(const char *line, size_t start, char ***out, size_t *nout);

/* The words of words[0..n) that start with prefix, sorted, each once, as malloc'd copies appended to
 * (*out, *nout). */
void wr_complete_filter(const char *prefix, const char *const *words, size_t n, char ***out, size_t *nout);
void wr_complete_free(char **v, size_t n);

/* The fixed vocabularies, by kind: "field", "status", "severity", "milestone" (declared ... closed),
 * "asset-kind" (the runbooks' asset kinds), "ioc-type" (indicator types). Appends the words that start with
 * prefix; 0 when kind is not one of them. */
int wr_complete_fixed(const char *kind, const char *prefix, char ***out, size_t *nout);
/* The incident types known here: those the runbooks apply to (set may be NULL) and those incidents in the
 * store (may be NULL) already have; sorted, each once. A type outside them is new (declare --new-type). */
struct wr_store;
struct wr_rb_set;
void wr_complete_types(struct wr_store *st, const struct wr_rb_set *set, const char *prefix, char ***out,
                       size_t *nout);

#endif
