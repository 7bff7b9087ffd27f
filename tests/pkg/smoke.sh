#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/pkg/smoke.sh PREFIX - a smoke test of an installed warroom, as an admin would try it after
# `apt install ./warroom_*.deb` (PREFIX /usr), a package unpacked with `dpkg -x DEB ROOT` (PREFIX ROOT/usr)
# or `cmake --install build --prefix PREFIX`. It uses nothing of the source tree but the lists to compare
# with (how many runbooks ship, whether contrib/completion exists): the installed binary must find its
# runbooks, themes and drill scenarios by itself, its man page and shell completion must be in place, and
# `warroom doctor` on a fresh `init` must be content.
#
# Exit 0 all passed; 1 a check failed; 77 all that ran passed but a part could not be checked here (the
# reason is printed: no tmux for the console, no mandoc for the man page, no completion in this source tree).
# Called by .ci/run (on the package) and by tests/sh/pkg_smoke.sh (on a `cmake --install` prefix).
P=${1:?usage: smoke.sh PREFIX (the directory holding bin/warroom, share/warroom, share/man ...)}
P=$(cd "$P" && pwd) || exit 1
. "$(dirname "$0")/../sh/lib.sh"
TEST_NAME=pkg-smoke
WR_BIN="$P/bin/warroom"
export WARROOM_DATA_DIR= # empty is unset to warroom: the installed binary finds its data by itself
SKIPPED=()
skip_part() { echo "SKIP [$TEST_NAME]: $*"; SKIPPED+=("$*"); }
# The prefix's root, for what Debian puts outside /usr (/lib/systemd/system before the /usr merge).
case "$P" in */usr) R=${P%/usr} ;; *) R=$P ;; esac

check "binary installed and executable" [ -x "$WR_BIN" ]
[ -x "$WR_BIN" ] || { finish; exit 1; }
expect_rc "--version" 0 "$WR_BIN" --version
check_contains "--version names it" "$OUT" "warroom"

# The binary holds no path of the machine that built it (reproducible builds).
if command -v strings >/dev/null && strings -a "$WR_BIN" | grep -qE '__(asan|ubsan)_'; then
  skip_part "a sanitizer build names its source files in its diagnostics: the binary's paths not checked"
elif command -v strings >/dev/null; then
  check_eq "no source-tree path in the binary" "$(strings -a "$WR_BIN" | grep -cF "$WR_SRC")" 0
else
  skip_part "strings (binutils) is not installed: the binary's paths not checked"
fi

# A fresh database, then doctor is content with it.
mkdir -p "$T/team"
expect_rc "init a fresh database" 0 "$WR_BIN" --db "$T/team/war.db" init
check "the database exists" [ -f "$T/team/war.db" ]
expect_rc "doctor on the fresh database" 0 "$WR_BIN" --db "$T/team/war.db" doctor
check_contains "doctor's verdict" "$OUT" "verdict:      ok"
DB="$T/team/war.db"

# Runbooks and drill scenarios: found from the installed data, all of them.
check_eq "runbooks installed" "$(ls "$P/share/warroom/runbooks"/*.yaml 2>/dev/null | wc -l)" \
  "$(ls "$WR_SRC/runbooks"/*.yaml | wc -l)"
expect_rc "runbook list" 0 "$WR_BIN" --db "$DB" runbook list
check_eq "every shipped runbook found" "$(printf '%s\n' "$OUT" | grep -c .)" "$(ls "$WR_SRC/runbooks"/*.yaml | wc -l)"
check_contains "runbook list names one" "$OUT" "leaked-cloud-credentials"
expect_rc "runbook show" 0 "$WR_BIN" --db "$DB" runbook show leaked-cloud-credentials
check_eq "drill scenarios installed" "$(ls "$P/share/warroom/drills"/*.yaml 2>/dev/null | wc -l)" \
  "$(ls "$WR_SRC/drills"/*.yaml | wc -l)"
expect_rc "drill list" 0 "$WR_BIN" --db "$DB" drill list
for f in "$WR_SRC/drills"/*.yaml; do
  check_contains "drill $(basename "$f" .yaml) found" "$OUT" "$(basename "$f" .yaml)"
done
check_eq "themes installed" "$(ls "$P/share/warroom/themes"/*.yaml 2>/dev/null | wc -l)" \
  "$(ls "$WR_SRC/themes"/*.yaml | wc -l)"

# Themes are read by the console only: open it in tmux with a shipped theme, and ask for a misspelt one (the
# answer lists the themes it found).
if command -v tmux >/dev/null; then
  . "$(dirname "$0")/../sh/tui_lib.bash"
  tui_console con 100 30 --theme high-contrast
  expect_screen "the installed console starts" con "no incident" 10
  expect_no_screen "the shipped theme is found" con "no theme"
  keys con ':'
  keys_literal con "theme lihgt"
  keys con Enter
  expect_screen "themes found: a misspelt one is suggested" con 'no theme "lihgt" (did you mean light?)'
  keys con ':'
  keys_literal con "quit"
  keys con Enter
  expect_screen "the console quits" con "__EXIT=0"
else
  skip_part "tmux is not installed: the console and its themes not tried"
fi

# The man page: installed (gzipped by a package), and it renders.
man=$(ls "$P/share/man/man1/warroom.1" "$P/share/man/man1/warroom.1.gz" 2>/dev/null | head -1)
check "man page warroom(1) installed" [ -n "$man" ]
if [ -n "$man" ]; then
  if command -v mandoc >/dev/null; then
    page=$(mandoc -T utf8 "$man" 2>&1 | sed 's/.\x08//g')
    check_contains "man page renders: NAME" "$page" "warroom"
    check_contains "man page renders: SYNOPSIS" "$page" "SYNOPSIS"
  else
    skip_part "mandoc is not installed: the man page not rendered"
  fi
fi

# Shell completion, where bash-completion and zsh look for it, when this source tree has it.
if [ -f "$WR_SRC/contrib/completion/warroom.bash" ]; then
  bc="$P/share/bash-completion/completions/warroom"
  check "bash completion installed" [ -f "$bc" ]
  expect_rc "bash completion loads" 0 bash -c ". '$bc' && complete -p warroom"
  check_contains "bash completion is for warroom" "$OUT" "warroom"
else
  skip_part "no contrib/completion/warroom.bash in this source tree: bash completion not checked"
fi
if [ -f "$WR_SRC/contrib/completion/_warroom" ]; then
  zc=$(ls "$P/share/zsh/vendor-completions/_warroom" "$P/share/zsh/site-functions/_warroom" 2>/dev/null | head -1)
  check "zsh completion installed" [ -n "$zc" ]
  [ -n "$zc" ] && check_contains "zsh completion: #compdef" "$(head -1 "$zc")" "#compdef warroom"
  if [ -n "$zc" ] && command -v zsh >/dev/null; then
    expect_rc "zsh completion parses" 0 zsh -n "$zc"
  fi
else
  skip_part "no contrib/completion/_warroom in this source tree: zsh completion not checked"
fi

# Documentation, examples, the alert receiver's units.
doc="$P/share/doc/warroom"
check "README installed" [ -f "$doc/README.md" ]
check "docs installed" [ -f "$doc/docs/alerts.md" ]
check "example config installed" [ -f "$doc/docs/config.example.yaml" ]
check "example on-call file installed" [ -f "$doc/docs/oncall.example.yaml" ]
check "example Alertmanager receiver installed" [ -f "$doc/examples/alertmanager.yml" ]
check "systemd socket unit installed" [ -f "$R/lib/systemd/system/warroom-alert.socket" ]
check "systemd service unit installed" [ -f "$R/lib/systemd/system/warroom-alert@.service" ]
# ExecStart names the binary where it runs: the prefix itself, or (unpacked in a scratch root) as installed.
if [ "$R" = "$P" ]; then ub="$P/bin/warroom"; else ub="${P#"$R"}/bin/warroom"; fi
check_contains "units start the installed binary" "$(cat "$R/lib/systemd/system/warroom-alert@.service" 2>&1)" \
  "ExecStart=-$ub alert --http"

finish || exit 1
if [ ${#SKIPPED[@]} -gt 0 ]; then
  echo "$TEST_NAME: ${#SKIPPED[@]} part(s) not checked here (see SKIP above)"
  exit 77
fi
