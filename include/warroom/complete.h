/* complete.h - what a word of the console's `:` command line completes to (no readline, no curses).
 *
 * The command table says it: each wr_cmd.complete lists, per argument position, one of incident, role,
 * operator, step, runbook, field, status, severity, command, theme, file or text ("..." repeats the last).
 * An optional leading [INC] argument shifts the positions when the operator wrote one; option values
 * (--severity S) complete as their kind.
 */
#ifndef WARROOM_COMPLETE_H
#define WARROOM_COMPLETE_H

#include <stddef.h>

/* The kind of the word that starts at byte `start` of line, where line is the text up to the cursor (so
 * line + start is the part of the word typed so far): "command" for the first word, else a kind from the
 * command's `complete` string, or NULL when nothing can be offered (free text, an unknown command, an
 * option name). */
const char *wr_complete_kind(const char *line, size_t start);

/* The words of words[0..n) that start with prefix, sorted, each once, as malloc'd copies appended to
 * (*out, *nout). */
void wr_complete_filter(const char *prefix, const char *const *words, size_t n, char ***out, size_t *nout);
void wr_complete_free(char **v, size_t n);

#endif
