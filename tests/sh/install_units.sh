#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The alert receiver's systemd units as `cmake --install` writes them pass `systemd-analyze verify` without a
# complaint. Skipped (exit 77) where systemd-analyze is not installed.
. "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
P="$T/prefix"
cmake --install "$WR_BINDIR" --prefix "$P" >/dev/null
U="$P/lib/systemd/system"
check "socket unit installed" [ -f "$U/warroom-alert.socket" ]
check "service unit installed" [ -f "$U/warroom-alert@.service" ]
expect_rc "systemd-analyze verify" 0 systemd-analyze verify --man=no "$U/warroom-alert.socket" "$U/warroom-alert@.service"
check_eq "no complaint" "$ERR" ""
finish
