# SPDX-License-Identifier: MIT
# bench/pg_hold.awk - used by bench/pg.sh --costs: awk -v db=DATABASE -f pg_hold.awk SERVER_LOG.
# The append lock's hold time from a PostgreSQL log (log_line_prefix '%n [%p] %d ', log_min_duration_statement=0):
# per server process, from the end of "SELECT pg_advisory_xact_lock" to the end of its COMMIT, split at each
# statement's end; and each statement's own time on the server.
function kind(t) {
  if (t ~ /^SELECT pg_advisory/) return "lock"
  if (t ~ /^SELECT seq, coalesce/) return "1 uid check"
  if (t ~ /^SELECT uid FROM/) return "2 cache lock, history"
  if (t ~ /^SELECT seq, uid/) return "3 copy events"
  if (t ~ /^SELECT seq, bytes/) return "4 copy evidence"
  if (t ~ /^INSERT INTO warroom.events/) return "5 insert"
  if (t ~ /^INSERT INTO warroom.evidence/) return "6 insert evidence"
  if (t ~ /^SELECT pg_notify/) return "7 notify"
  if (t ~ /^COMMIT/) return "8 COMMIT"
  return ""
}
$3 == db && $4 == "LOG:" && $5 == "duration:" && $8 == "execute" {
  stmts++
  t = $1 * 1000; pid = $2; dur = $6
  text = $0; sub(/^.*execute <unnamed>: /, "", text)
  k = kind(text)
  if (k == "lock") { start[pid] = t; prev[pid] = t; waits += dur; nlock++; next }
  if (k == "" || !(pid in start)) next
  gap[k] += t - prev[pid]; srv[k] += dur; cnt[k]++; prev[pid] = t
  if (k == "8 COMMIT") { hold += t - start[pid]; nhold++; delete start[pid] }
}
END {
  if (!nhold) { print "  no appends found in the log"; exit 1 }
  printf "  %d appends: the append lock held %.2f ms on average (lock granted -> COMMIT done); waited for %.2f ms\n", nhold, hold / nhold, waits / nlock
  printf "  %.1f statements (round trips) per append\n", stmts / nhold
  printf "  %-20s %9s %14s %12s\n", "step (ends at)", "times", "ms each, all", "on server"
  n = 0; for (k in cnt) keys[++n] = k
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (keys[j] < keys[i]) { x = keys[i]; keys[i] = keys[j]; keys[j] = x }
  for (i = 1; i <= n; i++) { k = keys[i]; printf "  %-20s %9d %14.2f %12.2f   (%4.1f%% of the hold)\n", substr(k, 3), cnt[k], gap[k] / cnt[k], srv[k] / cnt[k], 100 * gap[k] / hold }
}
