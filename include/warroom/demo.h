/* SPDX-License-Identifier: MIT */
/* demo.h - a ready demo war room, for a first look (`warroom demo`). */
#ifndef WARROOM_DEMO_H
#define WARROOM_DEMO_H

#include "warroom/actor.h"
#include "warroom/store.h"

/* Make sure a demo database exists at path (reset: build it anew), holding one live incident with a
 * severity change, roles, a partly ticked runbook, notes and a pinned key moment. */
wr_status wr_demo_ensure(const char *path, const wr_actor *me, int reset, wr_error *err);
/* Fill an open, empty store with the demo incident; times are set relative to now. */
wr_status wr_demo_build(wr_store *st, const wr_actor *me, wr_error *err);

#endif
