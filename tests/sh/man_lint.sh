#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The man page lints clean with mandoc (-T lint: style, warnings and errors), and renders.
. "$(dirname "$0")/lib.sh"
command -v mandoc >/dev/null 2>&1 || skip "mandoc is not installed"
out=$(mandoc -T lint "$WR_SRC/docs/warroom.1" 2>&1)
rc=$?
check_eq "mandoc -T lint exit" "$rc" 0
check_eq "mandoc -T lint says nothing" "$out" ""
text=$(mandoc -T ascii "$WR_SRC/docs/warroom.1" 2>/dev/null | col -b 2>/dev/null || mandoc -T utf8 "$WR_SRC/docs/warroom.1")
check_contains "renders KEYS" "$text" "KEYS"
check_contains "renders --read-only" "$text" "--read-only"
check_contains "renders status --into" "$text" "[--into INC]"
finish
