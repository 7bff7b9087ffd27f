#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/pkg/run.sh [OUTDIR] - the package stage of .ci/run: build the Debian package (dpkg-buildpackage -b
# -us -uc) from a copy of this tree, check it with lintian (no errors, no warnings) and every man page it
# ships with `mandoc -T lint` (no message at all), unpack it into a scratch root and run tests/pkg/smoke.sh on
# it; as root (CI's fresh machine) also install it for real with apt, run the smoke test on /usr, and purge it
# (WARROOM_PKG_INSTALL=0: not on this machine, e.g. a shared one).
# The .deb, .changes and .buildinfo are left in OUTDIR (default build-deb/). Exits 1 on any failure, 77 when
# all ran passed but the smoke test could not check a part here.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mkdir -p "${1:-$src/build-deb}" && cd "${1:-$src/build-deb}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wr-pkg.XXXXXX")
trap 'rm -rf "$work"' EXIT
rc=0

echo "-- dpkg-buildpackage -b -us -uc (in a copy of the tree: it writes to the parent directory)"
version=$(cd "$src" && dpkg-parsechangelog -S Version)
mkdir "$work/warroom-$version"
(cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$work/warroom-$version")
(cd "$work/warroom-$version" && dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1) ||
  { tail -40 "$work/build.log"; echo "package build failed" >&2; exit 1; }
deb=$(ls "$work"/warroom_"$version"_*.deb)
cp "$work"/warroom*_"$version"_*.{deb,changes,buildinfo} "$out/"
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
cmake_version=$(sed -n 's/^project(warroom VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ "$cmake_version" = "${version%%-*}" ] ||
  { echo "debian/changelog says $version, CMakeLists.txt says $cmake_version" >&2; rc=1; }

echo "-- lintian"
# (As root, lintian first says that running as root is not recommended: CI runs as root.)
if ! lintian --fail-on error,warning "$work"/warroom_"$version"_*.changes; then
  echo "lintian found errors or warnings" >&2
  rc=1
fi

echo "-- unpacked into a scratch root"
root="$work/root"
dpkg -x "$deb" "$root"
echo "-- mandoc -T lint of every man page shipped"
for m in "$root"/usr/share/man/man*/*; do
  msgs=$(mandoc -T lint "$m" 2>&1) || true
  if [ -n "$msgs" ]; then
    echo "$msgs" | head -20
    echo "mandoc -T lint: $(echo "$msgs" | wc -l) message(s) for ${m#"$root"}" >&2
    rc=1
  else
    echo "${m#"$root"}: clean"
  fi
done

smoke() { # smoke PREFIX: the smoke test; 77 (parts not checkable here) is reported, and kept
  local r=0
  bash "$src/tests/pkg/smoke.sh" "$1" || r=$?
  case $r in
    0) ;;
    77) echo "smoke test on $1: passed, with parts skipped (above)"; [ "$rc" = 0 ] && rc=77 ;;
    *) echo "smoke test on $1 failed" >&2; rc=1 ;;
  esac
}
echo "-- smoke test in the scratch root"
smoke "$root/usr"

if [ "$(id -u)" = 0 ] && [ "${WARROOM_PKG_INSTALL:-1}" = 1 ]; then
  if dpkg-query -W -f='${Status}' warroom 2>/dev/null | grep -q "install ok installed"; then
    echo "-- warroom is already installed on this machine: not installing over it"
  else
    echo "-- apt install $(basename "$deb"), the smoke test on /usr, apt purge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "$deb" >"$work/apt.log" 2>&1 ||
      { tail -20 "$work/apt.log"; echo "apt install failed" >&2; exit 1; }
    smoke /usr
    apt-get purge -y -q warroom >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; rc=1; }
    if [ -e /usr/bin/warroom ] || [ -e /usr/share/warroom ] || [ -e /lib/systemd/system/warroom-alert.socket ]; then
      echo "purge left files behind" >&2
      rc=1
    fi
  fi
fi
exit $rc
