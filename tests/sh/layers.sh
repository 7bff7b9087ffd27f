#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# layers.sh - nothing calls up a layer (docs/HACKING.md: util -> store -> domain -> model.c -> front ends).
#
# Two views of the same rule, so a violation cannot hide in either:
#  - #include lines of each source file against the headers its layer may see;
#  - the symbols the compiled objects of libwarroom_model.a use (nm): the store's objects use no symbol a
#    domain object defines, the util objects none of the store's or the domain's, no model object one of the
#    front ends'; and the model uses no terminal, stdio-to-terminal, signal or process-control call.
# The checker proves it can fail: it is first run on a small object that breaks each rule on purpose.
. "$(dirname "$0")/lib.sh"

command -v nm >/dev/null || skip "nm (binutils) is not installed"
MODEL_LIB="$WR_BINDIR/libwarroom_model.a"
CLI_LIB="$WR_BINDIR/libwarroom_cli.a"
TUI_LIB="$WR_BINDIR/libwarroom_console.a"
for f in "$MODEL_LIB" "$CLI_LIB" "$TUI_LIB"; do
  [ -f "$f" ] || { fail "no $f: build first"; finish; exit; }
done
SRC="$WR_SRC/src"

# ---- the layers ----
# util: below the store (text, JSON, clock, files, mounts, locks). Everything else in src/*.c that is not
# the store is the domain; src/model.c is the domain's top (the registry); src/cli, src/tui and main.c are
# the front ends.
UTIL_C="util error evkind clock text json json_scan sha256 redact capture actor fmt tz paths mountinfo fscheck fskinds access
  hostlock share http layout watch yaml"
STORE_C="store store_err store_read store_event store_chain store_evidence store_write store_pg store_pg_log
  store_migrate schema"
UTIL_H="util error evkind clock text json json_scan sha256 redact capture actor fmt tz paths mountinfo fscheck hostlock access share http
  layout watch yaml"
FRONT_H="cmd complete keys tui update_run"

in_list() { local x=$1; shift; for y in $*; do [ "$x" = "$y" ] && return 0; done; return 1; }
# the warroom headers a file includes: "name" for warroom/name.h, "int:name" for src/name.h
includes_of() {
  sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\(.*\)"/\1/p' "$1" |
    sed 's|^warroom/\(.*\)\.h$|\1|; s|^\([a-z_]*\)\.h$|int:\1|'
}
sys_includes_of() { sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\(.*\)>/\1/p' "$1"; }

# ---- 1. #include lines ----
viol_inc=""
bad_inc() { viol_inc+="$1"$'\n'; }
for f in "$SRC"/*.c "$SRC"/*.h; do
  base=$(basename "$f"); name=${base%.*}
  [ "$base" = main.c ] && continue # the program's entry point: a front end
  layer=domain
  in_list "$name" $UTIL_C && layer=util
  in_list "$name" $STORE_C store_int store_pg_int && layer=store
  [ "$base" = text_tables.h ] && layer=util
  for h in $(includes_of "$f"); do
    case "$layer:$h" in
      util:int:text_tables | util:int:fskinds_int) ;;
      util:int:*) bad_inc "$base (util) includes src/${h#int:}.h" ;;
      util:*) in_list "$h" $UTIL_H || bad_inc "$base (util) includes warroom/$h.h, above its layer" ;;
      store:int:store_int | store:int:store_pg_int) ;;
      store:int:*) bad_inc "$base (store) includes src/${h#int:}.h, a domain module's" ;;
      store:store | store:migrate) ;;
      store:*) in_list "$h" $UTIL_H || bad_inc "$base (store) includes warroom/$h.h, a domain header" ;;
      domain:*) in_list "$h" $FRONT_H && bad_inc "$base (model) includes warroom/$h.h, a front end's" ;;
    esac
  done
  for h in $(sys_includes_of "$f"); do
    case "$h" in
      curses.h | ncurses.h | ncursesw/* | readline/* | term.h | signal.h | sys/wait.h | spawn.h)
        # one exception: pending_file.c asks whether a lock holder's process is alive (kill(pid, 0))
        [ "$base:$h" = pending_file.c:signal.h ] || bad_inc "$base (model) includes <$h>" ;;
    esac
  done
done
# the modules that own event kinds sit below the registry: none includes warroom/model.h
for f in $(grep -l "^const wr_kind_module wr_kinds_" "$SRC"/*.c); do
  includes_of "$f" | grep -qx model && bad_inc "$(basename "$f") owns event kinds but includes warroom/model.h"
done
# the store's headers: store.h, migrate.h and store_int.h see only the util layer
for h in "$WR_SRC/include/warroom/store.h" "$WR_SRC/include/warroom/migrate.h" "$SRC/store_int.h"; do
  for i in $(includes_of "$h"); do
    case "$i" in store | int:store_int) ;; int:*) bad_inc "$(basename "$h") includes src/${i#int:}.h" ;;
      *) in_list "$i" $UTIL_H || bad_inc "$(basename "$h") includes warroom/$i.h" ;; esac
  done
done
check_eq "#include lines follow the layers" "$viol_inc" ""

# ---- 2. symbols (nm) ----
# objects of an archive by layer: "member" names as nm -A prints them (store.c.o)
defined_in() { # ARCHIVE MEMBER-REGEX: the global symbols those members define
  nm -A --defined-only -g "$1" 2>/dev/null | awk -v re="$2" '{split($1, p, ":"); if (p[2] ~ re) print $NF}' |
    sort -u
}
undefined_in() { # ARCHIVE MEMBER-REGEX: "member symbol" for the symbols those members use from elsewhere
  nm -A --undefined-only "$1" 2>/dev/null | awk -v re="$2" '{split($1, p, ":"); if (p[2] ~ re) print p[2], $NF}' |
    sort -u
}
re_of() { local r="" n; for n in $*; do r+="${r:+|}$n"; done; echo "^($r)\\.c\\.o$"; }
STORE_RE=$(re_of $STORE_C)
UTIL_RE=$(re_of $UTIL_C)
ALL_RE='.*'
# check_objects ARCHIVE: the rules on one model archive; prints one line per violation
FORBIDDEN='^(printf|vprintf|puts|putchar|perror|stdout|stderr|stdin|getchar|scanf|fork|vfork|execl|execlp|execle|execv|execvp|execve|execvpe|posix_spawn|posix_spawnp|system|popen|wait|waitpid|wait3|wait4|signal|sigaction|sigprocmask|raise|kill|killpg|initscr|newterm|endwin|doupdate|wrefresh|wgetch|readline|rl_callback_read_char)$'
# The allowed exceptions, each with its reason:
#   util.c.o stderr      - wr_die: the one message before abort() on a broken invariant (out of memory)
#   pending_file.c.o kill - kill(pid, 0): is the process holding a pending file's lock still alive?
ALLOWED='^(util\.c\.o stderr|pending_file\.c\.o kill)$'
check_objects() {
  local lib=$1 front=$2
  { nm -A --defined-only -g "$lib" 2>/dev/null | awk '{split($1, p, ":"); print "D", p[2], $NF}'
    printf '%s\n' "$front" | awk 'NF {print "F", "-", $1}'
    nm -A --undefined-only "$lib" 2>/dev/null | awk '{split($1, p, ":"); print "U", p[2], $NF}'
  } | awk -v s="$STORE_RE" -v u="$UTIL_RE" -v bad="$FORBIDDEN" -v allowed="$ALLOWED" '
    function layer(m) { return m ~ s ? "store" : m ~ u ? "util" : "domain" }
    $1 == "D" { def[$3] = layer($2); next }
    $1 == "F" { front[$3] = 1; next }
    {
      m = $2; x = $3; l = layer(m); d = (x in def) ? def[x] : ""
      if (x ~ bad && (m " " x) !~ allowed)
        print m " uses " x " (no terminal, stdio, signals or processes in the model)"
      if (l == "store" && d == "domain")
        print m " (store) uses " x ", defined by a domain module"
      if (l == "util" && (d == "domain" || d == "store"))
        print m " (util) uses " x ", defined above it"
      if ((x in front) && d == "")
        print m " (model) uses " x ", defined by a front end"
    }' | sort -u
}
domain_defined_of() { nm -A --defined-only -g "$1" 2>/dev/null |
  awk -v s="$STORE_RE" -v u="$UTIL_RE" '{split($1, p, ":"); if (p[2] !~ s && p[2] !~ u) print $NF}' | sort -u; }
FRONT_DEFINED=$( { nm --defined-only -g "$CLI_LIB"; nm --defined-only -g "$TUI_LIB"; } 2>/dev/null |
  awk 'NF == 3 {print $3}' | sort -u)

# ---- 2a. the checker can fail: a model archive with one object breaking each rule ----
CC=${CC:-cc}
if command -v "$CC" >/dev/null; then
  mkdir -p "$T/bad"
  cat >"$T/bad/store.c" <<'EOF'
#include <stdio.h>
#include <unistd.h>
int wr_incident_touch(void *st, long long inc, long long seq, long long at, int bump);
int wr_cmd_run_fake(void);
int bad_store(void)
{
    printf("%d layers\n", 3);                  /* stdio to the terminal */
    if (fork() == 0)                            /* process control */
        return wr_cmd_run_fake();               /* a front end's symbol */
    return wr_incident_touch(0, 1, 2, 3, 0);   /* calls up into the domain */
}
EOF
  cat >"$T/bad/incident.c" <<'EOF'
int wr_incident_touch(void *st, long long inc, long long seq, long long at, int bump)
{
    (void)st; (void)inc; (void)seq; (void)at; return bump;
}
EOF
  (cd "$T/bad" && "$CC" -c -o store.c.o store.c && "$CC" -c -o incident.c.o incident.c &&
     ar rc libbad.a store.c.o incident.c.o) 2>"$T/bad/cc.err"
  if [ -f "$T/bad/libbad.a" ]; then
    got=$(check_objects "$T/bad/libbad.a" "wr_cmd_run_fake")
    check_contains "the checker finds printf" "$got" "store.c.o uses printf"
    check_contains "the checker finds fork" "$got" "store.c.o uses fork"
    check_contains "the checker finds the store calling up" "$got" "store.c.o (store) uses wr_incident_touch, defined by a domain module"
    check_contains "the checker finds a front end's symbol" "$got" "store.c.o (model) uses wr_cmd_run_fake"
  else
    fail "could not build the deliberately bad object: $(cat "$T/bad/cc.err")"
  fi
else
  fail "no C compiler ($CC) to build the deliberately bad object"
fi

# ---- 2b. the real model ----
got=$(check_objects "$MODEL_LIB" "$FRONT_DEFINED")
check_eq "libwarroom_model.a follows the layers" "$got" ""
# and the store's objects are there at all (a renamed file must not make the check vacuous)
for n in $STORE_C; do
  nm -A "$MODEL_LIB" 2>/dev/null | grep -q ":$n\.c\.o:" || fail "no $n.c.o in $MODEL_LIB: update STORE_C"
done
n_undef=$(undefined_in "$MODEL_LIB" "$STORE_RE" | wc -l)
[ "$n_undef" -gt 20 ] && ok || fail "the store's objects use only $n_undef symbols: is nm reading them?"

finish
