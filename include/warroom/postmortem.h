/* SPDX-License-Identifier: MIT */
/* postmortem.h - the blameless postmortem of one incident (Markdown or JSON, the same content). (The
 * response-metrics report across incidents is report.h, included here for its callers.)
 *
 * The postmortem has: summary, impact, severity and its changes, roles and who held them when, milestones,
 * metrics, key moments (pinned timeline entries), the full timeline, runbook progress, stakeholder updates, the
 * commands run (`warroom run`, exhibit.h),
 * affected assets and indicators, what went well / what went badly / contributing factors (notes tagged
 * went-well, went-badly, contributing-factor, else placeholders to fill in) and the action items. Every
 * text that comes from the database is cleaned for the terminal and escaped for Markdown; every time comes
 * from the events, the milestones or the injected clock (the "generated" line).
 */
#ifndef WARROOM_POSTMORTEM_H
#define WARROOM_POSTMORTEM_H

#include <stddef.h>
#include <stdint.h>

#include "warroom/lifecycle.h"
#include "warroom/report.h"
#include "warroom/store.h"
#include "warroom/util.h"

wr_status wr_postmortem_markdown(wr_store *st, int64_t inc, char **md, wr_error *err);
wr_status wr_postmortem_json(wr_store *st, int64_t inc, char **json, wr_error *err);

/* Append text made safe for Markdown: cleaned (wr_text_clean), then every character that could start
 * markup escaped with a backslash (\ ` * _ [ ] < > | ~ # &, and - + = or "1." at the start of a line).
 * oneline: line breaks become spaces (for list items and table cells); else lines are kept, their leading
 * and trailing blanks dropped (for paragraphs). */
void wr_md_escape(wr_buf *out, const char *s, int oneline);

#endif
