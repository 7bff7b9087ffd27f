#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tools/spdx.sh [FILE...] - give every source file the line `SPDX-License-Identifier: MIT`, idempotently.
# Without FILE: every tracked or new file of the kinds below (tools/spdx.sh --list prints them). A file that
# names an SPDX-License-Identifier in its first five lines is left as it is. Where the line goes:
#   *.c *.h                   /* SPDX-License-Identifier: MIT */ as the first line
#   *.sh *.bash *.py          # SPDX-License-Identifier: MIT, after the #! line if there is one
#   CMakeLists.txt *.cmake    # SPDX-License-Identifier: MIT as the first line
# src/text_tables.h is generated (tools/gen_text_tables.py writes its SPDX line itself).
# tests/sh/spdx.sh checks that every such file has the line.
set -euo pipefail
cd "$(dirname "$0")/.."
list() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -co --exclude-standard -- '*.c' '*.h' '*.sh' '*.bash' '*.py' 'CMakeLists.txt' '*.cmake'
  else
    find . \( -name 'build*' -o -name 'obj-*' -o -name .git -o -path ./debian/warroom \) -prune -o -type f \
      \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.bash' -o -name '*.py' -o -name CMakeLists.txt \
      -o -name '*.cmake' \) -print | sed 's|^\./||' | sort
  fi
}
if [ "${1:-}" = --list ]; then list; exit 0; fi
if [ $# = 0 ]; then mapfile -t files < <(list); else files=("$@"); fi
added=0
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "spdx: $f: no such file" >&2; exit 1; }
  head -5 "$f" | grep -q 'SPDX-License-Identifier:' && continue
  tmp="$f.spdx.$$"
  case "$f" in
    *.c | *.h) { echo '/* SPDX-License-Identifier: MIT */'; cat "$f"; } >"$tmp" ;;
    *.sh | *.bash | *.py)
      if head -1 "$f" | grep -q '^#!'; then
        { head -1 "$f"; echo '# SPDX-License-Identifier: MIT'; tail -n +2 "$f"; } >"$tmp"
      else
        { echo '# SPDX-License-Identifier: MIT'; cat "$f"; } >"$tmp"
      fi ;;
    CMakeLists.txt | */CMakeLists.txt | *.cmake) { echo '# SPDX-License-Identifier: MIT'; cat "$f"; } >"$tmp" ;;
    *) echo "spdx: $f: not a kind of file this knows" >&2; exit 1 ;;
  esac
  chmod --reference="$f" "$tmp"
  mv "$tmp" "$f"
  added=$((added + 1))
done
echo "spdx: added the line to $added file(s) of ${#files[@]}"
