/* SPDX-License-Identifier: MIT */
/* tui.h - the war-room console (ncurses + readline). The only module that draws. */
#ifndef WARROOM_TUI_H
#define WARROOM_TUI_H

#include <stdint.h>

#include "warroom/actor.h"
#include "warroom/config.h"
#include "warroom/store.h"

typedef struct wr_tui_opts {
    wr_store *store;                 /* taken over: the console closes it (it may open the path again) */
    unsigned open_flags;             /* how store was opened (WR_OPEN_*), to open it again */
    int wait_ms;                     /* the open's deadline, likewise */
    const wr_actor *actor;
    const char *theme;               /* theme name or path; NULL = config or "default" */
    int64_t incident;                /* open this incident; 0 = the open one, else the list */
    const char *const *runbook_dirs; /* where runbooks are looked up */
    size_t nrunbook_dirs;
    const char *const *theme_dirs;   /* where themes are looked up */
    size_t ntheme_dirs;
    const wr_config *config;         /* key bindings and other settings */
} wr_tui_opts;

/* Run the console until the operator quits or a signal ends it; the terminal is restored in every case.
 * The store is closed when it returns. Returns a process exit code. */
int wr_tui_run(const wr_tui_opts *o);

#endif
