/* SPDX-License-Identifier: MIT */
/* redact.h - secrets kept out of the database: named rules (POSIX extended regular expressions, regcomp),
 * found in raw bytes and replaced by "[REDACTED:NAME]" (docs/evidence.md).
 *
 * A rule replaces its whole match, or only one parenthesised group of it (the value after a key name:
 * `aws_secret_access_key = VALUE`). Matches are found in raw coordinates over a window and emitted for any
 * range inside it, a match that crosses the range's edge replaced whole: so a secret that straddles the cut
 * between a capped output's head and tail, or two reads of a pipe, is never stored in part. */
#ifndef WARROOM_REDACT_H
#define WARROOM_REDACT_H

#include <regex.h>
#include <stddef.h>

#include "warroom/util.h"

/* A shipped rule: its name, its pattern and the group replaced (0: the whole match); icase: REG_ICASE. */
typedef struct wr_redact_default {
    const char *name, *pattern;
    int group, icase;
} wr_redact_default;
extern const wr_redact_default wr_redact_defaults[];
extern const size_t wr_redact_ndefaults;

typedef struct wr_redact_rule {
    char *name;
    int group;
    regex_t re;
} wr_redact_rule;

typedef struct wr_redactor {
    wr_redact_rule *v;
    size_t n;
} wr_redactor;

/* An empty redactor (redacts nothing) with the shipped rules when defaults is set. */
void wr_redactor_init(wr_redactor *r, int defaults);
/* Add a rule. 0, or -1 with regcomp's reason in err (a pattern that does not compile, a group it lacks). */
int wr_redactor_add(wr_redactor *r, const char *name, const char *pattern, int group, int icase, wr_buf *err);
void wr_redactor_free(wr_redactor *r);
/* Whether pattern compiles as a rule (for the configuration's check): 0, or -1 with the reason. */
int wr_redact_check(const char *pattern, int group, wr_buf *err);

/* One match: raw bytes [start, end) to replace, by rule `rule`. */
typedef struct wr_redact_hit {
    size_t start, end;
    size_t rule;
} wr_redact_hit;

/* Every match of every rule in data (len bytes; NUL bytes split it into separately searched pieces), sorted
 * and with overlaps merged (the first rule named). Returns how many; *hits malloc'd (caller frees). */
size_t wr_redact_find(const wr_redactor *r, const char *data, size_t len, wr_redact_hit **hits);
/* Append data[from, to) to out with every hit that overlaps it replaced whole by "[REDACTED:NAME]" (a hit
 * that starts before `from` or ends after `to` too). fired (r->n flags, may be NULL) gets 1 for each rule
 * that replaced something. */
void wr_redact_emit(const wr_redactor *r, const char *data, size_t from, size_t to, const wr_redact_hit *hits,
                    size_t nhits, wr_buf *out, unsigned char *fired);
/* Both at once over a whole text (a command line): the redacted copy into out. */
void wr_redact_all(const wr_redactor *r, const char *data, size_t len, wr_buf *out, unsigned char *fired);

#endif
