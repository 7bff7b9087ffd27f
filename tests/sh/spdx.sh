#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source file (.c, .h, .sh, .bash, .py, CMakeLists.txt, .cmake: tools/spdx.sh --list) names its license
# with an SPDX-License-Identifier line in its first five lines; tools/spdx.sh adds it.
. "$(dirname "$0")/lib.sh"
mapfile -t files < <(bash "$WR_SRC/tools/spdx.sh" --list)
check "there are files to check" [ "${#files[@]}" -gt 0 ]
missing=()
for f in "${files[@]}"; do
  head -5 "$WR_SRC/$f" | grep -q 'SPDX-License-Identifier: ' || missing+=("$f")
done
check_eq "files without an SPDX line (run tools/spdx.sh)" "${missing[*]}" ""
# tools/spdx.sh is idempotent and keeps #! lines first: try it on copies.
mkdir -p "$T/s"
printf '#!/bin/sh\necho hi\n' >"$T/s/a.sh"
printf 'int x;\n' >"$T/s/b.c"
bash "$WR_SRC/tools/spdx.sh" "$T/s/a.sh" "$T/s/b.c" >/dev/null
bash "$WR_SRC/tools/spdx.sh" "$T/s/a.sh" "$T/s/b.c" >/dev/null
check_eq "a script: #! first, then the line, once" "$(cat "$T/s/a.sh")" $'#!/bin/sh\n# SPDX-License-Identifier: MIT\necho hi'
check_eq "C: the line first, once" "$(cat "$T/s/b.c")" $'/* SPDX-License-Identifier: MIT */\nint x;'
finish
