#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Text that would drive a terminal, in every argument position of every command (and as the value of every
# option): nothing of it reaches the terminal raw. Checked on the raw bytes each run wrote to stderr (and to
# stdout, where it is not JSON): no ESC, no BEL or other C0 control but newline and tab, no C1 control (raw
# byte or U+0080..U+009F), no bidi or zero-width control, valid UTF-8; and with LC_ALL=C, ASCII only.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"

wr init >/dev/null
wr declare "Hostile input" >/dev/null
wr runbook attach INC-1 leaked-cloud-credentials >/dev/null || fail "runbook attach"
STEP=$(sqlite3 "$DB" "SELECT step FROM steps LIMIT 1")
# OSC 52 (set the clipboard), a CSI that clears the screen, a raw 8-bit CSI, C1 CSI as UTF-8, an RLO bidi
# override, an isolate, BEL, a DCS string, a zero-width joiner, and a NUL-free CR.
H=$'x\e]52;c;aGVsbG8gd29ybGQ=\a\e[2J\x9b31m\xc2\x9b1m\u202ekcah\u2066\e[?1049h\ePq#0;2;0;0;0\e\\\u200d\ry'

# The commands (from the help).
help=$("$WR_BIN" help)
cmds=$(printf '%s\n' "$help" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
check "the help lists the commands" [ "$(printf '%s\n' "$cmds" | wc -l)" -ge 30 ]

printf '%s\n' "$H" >"$T/hostile.txt"
mkdir "$T/runs"
runs=0
# attempt ARGS...: run warroom with ARGS (stdin empty, 10 s at most); its stderr, stdout and arguments are kept
# for the check at the end. With HOSTILE_EVERY=N (the sanitizer stage of .ci/run, where each run costs several
# times more) only every Nth attempt of the loop over the commands is run; the ones after it always are.
every=${HOSTILE_EVERY:-1} tried=0
attempt() {
  tried=$((tried + 1))
  [ "$sampling" = 1 ] && [ $((tried % every)) != 0 ] && return
  local d="$T/runs/$runs"
  timeout 10 "$WR_BIN" --db "$DB" "$@" </dev/null >"$d.out" 2>"$d.err"
  printf '%s\0' "$@" >"$d.args"
  printf '%s' "${LC_ALL:-}" >"$d.lc"
  runs=$((runs + 1))
}
sampling=1
for c in $cmds; do
  [ "$c" = demo ] && continue  # the console: tui tests
  usage=$(printf '%s\n' "$help" | sed -n "s/^  $c  *\(.*\)/\1/p")
  # Words of its usage line (subcommands, fields, statuses...), and a step, a role, a file that exist; its
  # options and the global ones.
  words=$(printf '%s\n' "$usage" | grep -o '[a-z][a-z-]*' | grep -v '^[a-z]$' | sort -u | head -20)
  words="$words $STEP responder title INC-1 1 $T/hostile.txt"
  own=$(printf '%s\n' "$usage" | grep -o -- '--[a-z][a-z-]*' | sort -u)
  attempt "$c" "$H"
  attempt "$c" INC-1 "$H"
  attempt "$c" "$H" INC-1
  for w in $words; do
    attempt "$c" INC-1 "$w" "$H"
    attempt "$c" INC-1 "$w" x "$H"
    attempt "$c" "$w" "$H"
  done
  for o in $own --as --wait --db --config --theme --lines --reason --unknown-option; do
    case "$o" in --follow|--help) continue ;; esac
    attempt "$c" INC-1 "$o" "$H"
  done
done
sampling=0
# The three of the report, by name, and the global options.
attempt assign INC-1 responder "$H"
attempt step INC-1 "$STEP" assign "$H"
attempt step INC-1 "$STEP" skip --reason "$H"
attempt --as "$H" note INC-1 hello
attempt --wait "$H" note INC-1 hello
attempt --config "$H" list
attempt --theme "$H" list
attempt --db "$H" list
attempt "$H"
attempt "--$H"
printf 'wait: "%s"\n' "$H" >"$T/bad-config.yaml"
attempt --config "$T/bad-config.yaml" list
printf 'db: %s\n' "$T/$H.db" >"$T/db-config.yaml"
attempt --config "$T/db-config.yaml" list
LC_ALL=C attempt assign INC-1 responder "$H"
LC_ALL=C attempt --as "$H" note INC-1 hello
LC_ALL=C attempt note INC-99 "$H"
# One pass over every run's output.
python3 - "$T/runs" "$runs" >"$T/bad" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
bidi = {0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
def bad(data, lc):
    if b'\x1b' in data or b'\x07' in data:
        return 'ESC or BEL'
    if lc == 'C' and any(b >= 0x80 for b in data):
        return 'non-ASCII under LC_ALL=C'
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        return 'invalid UTF-8 (%s)' % e
    for ch in text:
        c = ord(ch)
        if (c < 0x20 and ch not in '\n\t') or c == 0x7f:
            return 'C0 control %#x' % c
        if 0x80 <= c <= 0x9f:
            return 'C1 control %#x' % c
        if c in bidi:
            return 'bidi or invisible control %#x' % c
    return None
for i in range(n):
    p = '%s/%d' % (d, i)
    argv = open(p + '.args', 'rb').read().split(b'\0')[:-1]
    lc = open(p + '.lc').read()
    shown = ' '.join(a.decode('utf-8', 'replace').encode('unicode_escape').decode() for a in argv)
    json = any(a in (b'--json', b'export') for a in argv)
    why = bad(open(p + '.err', 'rb').read(), lc)
    if why:
        print('stderr of [%s]: %s' % (shown, why))
    why = None if json else bad(open(p + '.out', 'rb').read(), lc)
    if why:
        print('stdout of [%s]: %s' % (shown, why))
PY
sampled=""; [ "$every" != 1 ] && sampled=" (one in $every of the loop's attempts)"
echo "$runs runs$sampled, $(wc -l <"$T/bad") with raw bytes"
check "many runs" [ "$runs" -gt $((1000 / every)) ]
check_eq "nothing raw reached the terminal" "$(head -40 "$T/bad")" ""
finish
