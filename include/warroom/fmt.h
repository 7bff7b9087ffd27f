/* SPDX-License-Identifier: MIT */
/* fmt.h - formatting helpers of the console that need no terminal (unit tested). */
#ifndef WARROOM_FMT_H
#define WARROOM_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/util.h"

/* Append raw (untrusted) text cleaned to one line and made exactly cols display columns wide: cut with
 * "…" when longer, padded with spaces when shorter (on the left when right_align). Wide characters count
 * two columns and are never split (a space pads the gap). */
void wr_fmt_cell(wr_buf *out, const char *raw, size_t cols, int right_align);

/* Milliseconds until wr_duration(elapsed_ms) reads differently: at most 1000 while it shows seconds, up to
 * a minute while it shows minutes, up to an hour when it shows days and hours. Always > 0. */
int64_t wr_fmt_duration_next(int64_t elapsed_ms);

/* The checklist marker of a step state: "[ ]" todo, "[~]" in progress, "[x]" done, "[-]" skipped,
 * "[!]" blocked, "[?]" anything else. */
const char *wr_fmt_step_marker(const char *state);
/* What ticking a step does: "todo" for a done step, "done" for any other. */
const char *wr_fmt_tick_action(const char *state);

/* The question asked when a status change meets open mandatory steps:
 * "Leave containment with 2 mandatory steps open? Reason: ". Returns buf. */
char *wr_fmt_gate_question(const char *status, int open, char *buf, size_t size);
/* How many mandatory steps a WR_E_GATE message says are open ("... has 2 mandatory ..."), 0 if none said. */
int wr_fmt_gate_count(const char *msg);
/* The steps the gate's refusal names ("disable-key, notify-owner and 2 more", from the "(...)" after "or
 * before"), copied to buf ("" when the message names none). */
char *wr_fmt_gate_steps(const char *msg, char *buf, size_t size);

#endif
