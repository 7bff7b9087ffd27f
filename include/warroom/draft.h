/* SPDX-License-Identifier: MIT */
/* draft.h - the update composer's drafts, kept per operator, database, incident and audience until recorded.
 *
 * A draft is one operator's unfinished words, not the war room's state: it lives in a file of that operator
 * (mode 0600), beside the console's kept writes, $XDG_STATE_HOME/warroom/draft-HASH-INC-N-AUDIENCE.txt (HASH
 * names the database as in wr_pending_file), never in the shared database (a row per keystroke would wake
 * every console and publish half-written text). The console writes it after every change (written beside it,
 * then renamed over it, so a console killed at any moment leaves the previous or the new text, whole) and
 * removes it when the update is recorded or the draft discarded.
 */
#ifndef WARROOM_DRAFT_H
#define WARROOM_DRAFT_H

#include <stdint.h>

#include "warroom/util.h"

/* The draft file's path (caller frees). */
char *wr_draft_path(const char *db_path, int64_t inc, const char *audience);
/* The draft kept at path, or NULL when there is none (or it cannot be read). Caller frees. */
char *wr_draft_load(const char *path);
/* Keep text as the draft at path (its directory made 0700 if missing). 0, or -1 with why. */
int wr_draft_save(const char *path, const char *text, wr_buf *why);
/* Remove the draft at path (none there is fine). */
void wr_draft_remove(const char *path);

#endif
