#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The package smoke test (tests/pkg/smoke.sh, which .ci/run runs on the built .deb) on a `cmake --install`
# of this build: the installed binary finds its runbooks, themes and drills, the man page renders, the
# completion is in place, doctor is content with a fresh init. Skipped (77) where a part cannot be checked.
. "$(dirname "$0")/lib.sh"
P="$T/prefix"
expect_rc "cmake --install" 0 cmake --install "$WR_BINDIR" --prefix "$P"
[ "$FAILED" = 0 ] || { finish; exit 1; }
bash "$WR_SRC/tests/pkg/smoke.sh" "$P"
