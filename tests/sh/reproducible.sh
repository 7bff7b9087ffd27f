#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Reproducible builds: the binary holds no path of the tree it was built in (debug info and __FILE__ are
# mapped with -ffile-prefix-map; the shipped data is found from the executable's place, src/paths.c), yet run
# from the build tree it still finds runbooks/, themes/ and drills/, and installed under a prefix it finds
# them there. Building twice in two directories gives the same bytes: tools/reproducible-check.sh (run by
# .ci/run; too slow for this suite).
. "$(dirname "$0")/lib.sh"
command -v strings >/dev/null || skip "strings (binutils) is not installed"
export WARROOM_DATA_DIR= # empty is unset to warroom: found from the binary's place
src=$(cd "$WR_SRC" && pwd -P)
bld=$(cd "$WR_BINDIR" && pwd -P)
paths() { strings -a "$1" | grep -F -e "$src" -e "$bld" -e "$WR_SRC" -e "$WR_BINDIR" | head -5; }
# A sanitizer build (never shipped) names its source files in its diagnostics' locations, which
# -ffile-prefix-map does not reach: the path checks are for real builds.
SANITIZED=0
strings -a "$WR_BIN" | grep -qE '__(asan|ubsan)_' && SANITIZED=1
if [ "$SANITIZED" = 0 ]; then
  check_eq "no source or build path in the built binary" "$(paths "$WR_BIN")" ""
fi

# Run from the build tree: the data beside the binary (links to the source tree's).
expect_rc "runbook list from the build tree" 0 "$WR_BIN" --db "$DB" runbook list
check_eq "every runbook found" "$(printf '%s\n' "$OUT" | grep -c .)" "$(ls "$WR_SRC/runbooks"/*.yaml | wc -l)"
expect_rc "drill list from the build tree" 0 "$WR_BIN" --db "$DB" drill list
check_contains "drills found" "$OUT" "$(basename "$(ls "$WR_SRC/drills"/*.yaml | head -1)" .yaml)"
for d in runbooks themes drills; do
  check "build tree has $d/ beside the binary" [ -d "$WR_BINDIR/$d" ]
done

# Installed with DESTDIR (as a package build does): no path of this tree, and the data found in the prefix.
DESTDIR="$T/stage" cmake --install "$WR_BINDIR" --prefix /opt/wr >/dev/null
[ "$SANITIZED" = 0 ] &&
  check_eq "no source or build path in the installed binary" "$(paths "$T/stage/opt/wr/bin/warroom")" ""
expect_rc "installed binary finds its runbooks" 0 "$T/stage/opt/wr/bin/warroom" --db "$DB" runbook show \
  leaked-cloud-credentials

# A binary copied where nothing is beside it looks in the configured prefix only, never in the build or
# source tree (it used to fall back to the source tree compiled in).
mkdir -p "$T/lone"
cp "$WR_BIN" "$T/lone/warroom"
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:[A-Z]*=//p' "$WR_BINDIR/CMakeCache.txt")
want=$(ls "$prefix/share/warroom/runbooks"/*.yaml 2>/dev/null | wc -l)
expect_rc "a lone binary: runbook list" 0 "$T/lone/warroom" --db "$DB" runbook list
check_eq "a lone binary finds only what $prefix/share/warroom holds" "$(printf '%s' "$OUT" | grep -c .)" "$want"
finish || exit 1
[ "$SANITIZED" = 0 ] || skip "a sanitizer build names its sources in its diagnostics: the path checks were left out (the rest passed)"
