#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# src/text_tables.h is what tools/gen_text_tables.py makes of the pinned Unicode data in tools/unicode/:
# nobody edited the table by hand, and nobody changed the data without regenerating it. The generator
# reads only those files, so any python3 gives the same bytes.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3 to run tools/gen_text_tables.py"

check "the generator runs" python3 -I "$WR_SRC/tools/gen_text_tables.py" >"$T/tables.h"
check "src/text_tables.h is the generator's output" cmp -s "$T/tables.h" "$WR_SRC/src/text_tables.h"
check_eq "the data files name one Unicode version" \
  "$(head -1 "$WR_SRC/tools/unicode/EastAsianWidth.txt" "$WR_SRC/tools/unicode/DerivedGeneralCategory.txt" |
     grep -o -- '-[0-9.]*\.txt' | sort -u)" "-14.0.0.txt"
check_contains "the table names that version" "$(head -3 "$WR_SRC/src/text_tables.h")" "Unicode 14.0.0"
finish
