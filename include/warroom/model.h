/* SPDX-License-Identifier: MIT */
/* model.h - the model as one: every domain module's event kinds and tables, assembled in one place
 * (src/model.c), and the store opened with them.
 *
 * Layers (docs/HACKING.md): util -> store -> domain modules -> this -> front ends. The store knows no event
 * kind: it receives this model (warroom/store.h, wr_store_model) when it opens a file.
 */
#ifndef WARROOM_MODEL_H
#define WARROOM_MODEL_H

#include "warroom/store.h"

/* Every event kind warroom knows, with the migrations of its schema. */
const wr_store_model *wr_model(void);
/* The kind's row (name, check, apply, describe), or NULL for a kind this warroom does not know. */
const wr_event_kind *wr_event_kind_find(const char *kind);

/* Open (or with WR_OPEN_CREATE create) the database at path with the whole model: wr_store_open_model
 * (store.h) with wr_model(), waiting up to WR_STORE_READ_WAIT_MS (15 s) for other processes' locks. */
wr_store *wr_store_open(const char *path, unsigned flags, wr_error *err);
/* The same with the caller's deadline for opening and for each later read (0: one try). */
wr_store *wr_store_open_wait(const char *path, unsigned flags, int wait_ms, wr_error *err);

/* One line of human text for an event ("severity SEV3 -> SEV1", "note: ...", "assigned IC: alice"), by
 * its kind's describe; an unknown kind is described by its name. Raw text: clean it before drawing. Caller
 * frees. */
char *wr_event_describe(const wr_event *ev);

#endif
