#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `cmake --install` puts the binary, the runbooks, the themes, the man page and the alert receiver's systemd
# units in the usual places, and the installed binary finds its runbooks there. (systemd-analyze verify of the
# units: install_units.sh.)
. "$(dirname "$0")/lib.sh"
unset WARROOM_DATA_DIR
P="$T/prefix"
cmake --install "$WR_BINDIR" --prefix "$P" >/dev/null
check "binary installed" [ -x "$P/bin/warroom" ]
check "man page installed" [ -f "$P/share/man/man1/warroom.1" ]
check "runbooks installed" [ -f "$P/share/warroom/runbooks/leaked-cloud-credentials.yaml" ]
check_eq "all runbooks" "$(ls "$P/share/warroom/runbooks" | wc -l)" "$(ls "$WR_SRC/runbooks"/*.yaml | wc -l)"
check_eq "all themes" "$(ls "$P/share/warroom/themes" 2>/dev/null | wc -l)" "$(ls "$WR_SRC/themes"/*.yaml 2>/dev/null | wc -l)"
expect_rc "installed binary lists its runbooks" 0 "$P/bin/warroom" --db "$DB" runbook list
check_contains "found in the prefix" "$OUT" "leaked-cloud-credentials"
check_eq "all drill scenarios" "$(ls "$P/share/warroom/drills" 2>/dev/null | wc -l)" "$(ls "$WR_SRC/drills"/*.yaml | wc -l)"
expect_rc "installed binary lists its drills" 0 "$P/bin/warroom" --db "$DB" drill list
check_contains "drills found in the prefix" "$OUT" "$(basename "$(ls "$WR_SRC/drills"/*.yaml | head -1)" .yaml)"
check_contains "man page header" "$(head -5 "$P/share/man/man1/warroom.1")" ".TH WARROOM 1"
# The alert receiver's systemd units, ExecStart pointing at the installed binary.
U="$P/lib/systemd/system"
check "socket unit installed" [ -f "$U/warroom-alert.socket" ]
check "service unit installed" [ -f "$U/warroom-alert@.service" ]
check_contains "loopback, one process per connection" "$(cat "$U/warroom-alert.socket")" "ListenStream=127.0.0.1:9097
Accept=yes"
check_contains "ExecStart is the installed binary" "$(cat "$U/warroom-alert@.service")" \
  "ExecStart=-$P/bin/warroom alert --http --source alertmanager"
check_contains "dedicated user in the incident-response group" "$(cat "$U/warroom-alert@.service")" "User=warroom-alert
Group=incident-response"
finish
