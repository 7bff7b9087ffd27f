/* SPDX-License-Identifier: MIT */
/* exhibit.h - commands run and files attached as evidence (docs/evidence.md): their event kinds
 * (command.run, file.attached), the operations that make them from what a front end captured, and the reads
 * that show them (the CLI's `evidence`, the console's pager, the postmortem's list of commands).
 *
 * Running the command is the front end's (src/cli/cmd_exec.c): this module knows no process. */
#ifndef WARROOM_EXHIBIT_H
#define WARROOM_EXHIBIT_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/capture.h"
#include "warroom/incident.h"
#include "warroom/redact.h"

/* The last lines of an output its entry keeps for display (and their bytes at most). */
#define WR_EXHIBIT_TAIL_LINES 10
#define WR_EXHIBIT_TAIL_BYTES 2048

/* What a front end saw of a command it ran. */
typedef struct wr_run_record {
    int argc;
    char *const *argv;      /* as given (redacted here) */
    const char *cwd, *host; /* where it ran */
    const char *note;       /* NULL: none */
    int64_t started_at, ended_at; /* wall clock, ms */
    int64_t duration_ms;    /* monotonic */
    int exited;             /* 1: it exited with exit_code */
    int exit_code;
    int signal;             /* > 0: it died of this signal */
    const char *signal_name; /* "SIGINT" (NULL: unknown) */
    int status;             /* what the front end exits with: the code, 128 + signal, 127 not found, 126 */
    const char *error;      /* it could not be started: why ("command not found"); NULL otherwise */
    int tty;                /* it ran on a pseudo-terminal */
} wr_run_record;

/* Shell quoting of a command line ("ls -l 'my file'"), as a POSIX shell would read it back. */
void wr_exhibit_quote(wr_buf *out, int argc, char *const *argv);

/* Make the command.run event for INC from what ran and what it wrote (cap: kept bytes; its stored bytes are
 * taken over as the event's evidence, res is left empty). The command line and the note are redacted with r. */
wr_status wr_op_command_run(const wr_opctx *c, int64_t inc, const wr_run_record *run, const wr_redactor *r,
                            wr_capture_result *res, wr_write *w, wr_error *err);
/* Make the file.attached event for INC: the file's path as given made absolute (abs_path), its bytes as
 * captured (res, taken over), its note (redacted). */
wr_status wr_op_file_attach(const wr_opctx *c, int64_t inc, const char *abs_path, int64_t mtime_ms,
                            const char *note, const wr_redactor *r, wr_capture_result *res, wr_write *w,
                            wr_error *err);

/* 1 when a timeline entry of this kind carries evidence (a command's output, a file) that Enter can show. */
int wr_exhibit_has(const char *kind);

/* One entry with evidence, read whole. */
typedef struct wr_exhibit {
    wr_event ev;
    unsigned char *bytes; /* the stored evidence (redacted; head then tail when truncated) */
    size_t nbytes;
    int binary, truncated;
    size_t head;          /* truncated: bytes of the head */
    uint64_t omitted;     /* truncated: raw bytes left out between head and tail */
} wr_exhibit;
/* Entry seq of incident inc (inc 0: any) and its bytes: WR_OK; WR_E_NOTFOUND when there is no such entry
 * in it, or it carries no evidence (saying what it is). */
wr_status wr_exhibit_get(wr_store *st, int64_t inc, int64_t seq, wr_exhibit *out, wr_error *err);
void wr_exhibit_clear(wr_exhibit *x);
/* What a person reads of it, cleaned (text.h; binary: a hex summary): a header (the command, where, when,
 * the status, sizes and hashes, the rules that fired, the note), a blank line, then the output (head, a line
 * saying how much was left out, tail). */
void wr_exhibit_text(const wr_exhibit *x, wr_buf *out);
/* The console's pager for entry seq: wr_exhibit_get + wr_exhibit_text. WR_E_NOTFOUND for an entry without
 * evidence. */
wr_status wr_exhibit_pager_text(wr_store *st, int64_t seq, wr_buf *out, wr_error *err);

/* The postmortem's "Commands run" section (Markdown) and its "commands" member (JSON) from the incident's
 * events, oldest first. */
void wr_exhibit_postmortem_md(wr_buf *out, const wr_event *ev, size_t n);
void wr_exhibit_postmortem_json(wr_buf *out, const wr_event *ev, size_t n);

#endif
