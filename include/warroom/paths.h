/* SPDX-License-Identifier: MIT */
/* paths.h - where warroom finds its database, configuration, runbooks and themes. */
#ifndef WARROOM_PATHS_H
#define WARROOM_PATHS_H

#include <stddef.h>

/* $XDG_CONFIG_HOME/warroom (default ~/.config/warroom). Caller frees. */
char *wr_paths_user_config_dir(void);
/* $XDG_DATA_HOME/warroom (default ~/.local/share/warroom). Caller frees. */
char *wr_paths_user_data_dir(void);
/* $XDG_STATE_HOME/warroom (default ~/.local/state/warroom). Caller frees. */
char *wr_paths_user_state_dir(void);
/* The directory of shipped data (runbooks/, themes/, drills/): $WARROOM_DATA_DIR, else found from the
 * executable's place: <prefix>/share/warroom beside <prefix>/bin/warroom, or the build directory the binary
 * runs from (CMake links the source tree's runbooks/, themes/, drills/ there); else the configured prefix's
 * share/warroom. No build-tree path is compiled in. Caller frees. */
char *wr_paths_shipped_dir(void);

/* Where the documentation page docs/NAME (e.g. "alerts.md") is on this machine, for messages that point at
 * it: installed beside the binary (<prefix>/share/doc/warroom/docs/NAME), the source tree of a build tree the
 * binary runs from, or the configured doc directory. Caller frees. */
char *wr_paths_doc(const char *name);

/* Search path for a kind of YAML file ("runbooks", "themes", "drills"), in priority order: the user's
 * config dir, /etc/warroom, the shipped dir. Fills dirs (caller frees each and the array). */
void wr_paths_search(const char *kind, char ***dirs, size_t *n);
void wr_paths_free(char **dirs, size_t n);

/* The config files in priority order: $XDG_CONFIG_HOME/warroom/config.yaml then /etc/warroom/config.yaml. */
void wr_paths_config_files(char ***files, size_t *n);

#endif
