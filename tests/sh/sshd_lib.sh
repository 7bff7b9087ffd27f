# SPDX-License-Identifier: MIT
# sshd_lib.sh - a throw-away sshd on 127.0.0.1 for the SSH and sshfs tests (root only).
# Source after lib.sh. Sets SSH_PORT, SSH_KEY, SSH_USER, SSH_OPTS (array). SSH_USER is a user made for this run
# (a unique name); sshd_stop stops sshd, ends that user's processes (by pid) and removes the user with its home.
# sshd_start returns 1 (and prints why) when it cannot run here.
SSH_USER="wrs$$$(printf '%04x' $((RANDOM % 65536)))"
SSH_USER_MADE=0
sshd_start() {
  if [ "$(id -u)" != 0 ]; then echo "[$TEST_NAME]: needs root to run sshd and add a test user"; return 1; fi
  local sshd; sshd=$(command -v sshd || echo /usr/sbin/sshd)
  [ -x "$sshd" ] || { echo "[$TEST_NAME]: openssh-server is not installed"; return 1; }
  if id "$SSH_USER" >/dev/null 2>&1; then echo "[$TEST_NAME]: the user $SSH_USER exists already"; return 1; fi
  useradd -m -s /bin/bash "$SSH_USER" || return 1
  SSH_USER_MADE=1
  passwd -d "$SSH_USER" >/dev/null 2>&1 || true  # unlocked account; password logins stay disabled below
  mkdir -p "$T/ssh" /run/sshd
  ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$T/ssh/id"
  local home; home=$(getent passwd "$SSH_USER" | cut -d: -f6)
  install -d -m 700 -o "$SSH_USER" "$home/.ssh"
  install -m 600 -o "$SSH_USER" "$T/ssh/id.pub" "$home/.ssh/authorized_keys"
  # A free high port.
  SSH_PORT=$(( 20000 + RANDOM % 20000 ))
  while (exec 3<>/dev/tcp/127.0.0.1/$SSH_PORT) 2>/dev/null; do SSH_PORT=$(( SSH_PORT + 1 )); done
  cat >"$T/ssh/sshd_config" <<CFG
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $T/ssh/host_key
PidFile $T/ssh/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
UsePAM no
StrictModes no
AcceptEnv LANG LC_* WARROOM_* TERM
Subsystem sftp internal-sftp
LogLevel ERROR
CFG
  "$sshd" -f "$T/ssh/sshd_config" -E "$T/ssh/sshd.log" || { echo "[$TEST_NAME]: sshd did not start"; cat "$T/ssh/sshd.log"; return 1; }
  SSH_KEY="$T/ssh/id"
  SSH_OPTS=(-p "$SSH_PORT" -i "$SSH_KEY" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null
            -o LogLevel=ERROR -o BatchMode=yes -o ServerAliveInterval=5 -o SendEnv=LANG -o SendEnv='LC_*')
  for _ in $(seq 1 50); do
    ssh "${SSH_OPTS[@]}" "$SSH_USER@127.0.0.1" true 2>/dev/null && return 0
    sleep 0.1
  done
  echo "[$TEST_NAME]: cannot log in to the test sshd"; cat "$T/ssh/sshd.log"; return 1
}
sshd_stop() {
  [ -f "$T/ssh/sshd.pid" ] && kill "$(cat "$T/ssh/sshd.pid")" 2>/dev/null
  [ "$SSH_USER_MADE" = 1 ] || return 0
  # The run's own user: end what is left of its processes (by pid), then remove it and its home.
  local pid pids _
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(pgrep -u "$SSH_USER") || break
    for pid in $pids; do kill "$pid" 2>/dev/null; done
    sleep 0.1
  done
  for pid in $(pgrep -u "$SSH_USER"); do kill -9 "$pid" 2>/dev/null; done
  # The host-local lock files warroom made for databases on this run's shares (their text names the file on
  # the share, which lives in the user's home): nothing uses them any more.
  local home d f
  home=$(getent passwd "$SSH_USER" | cut -d: -f6)
  for d in /run/lock /var/lock /dev/shm /tmp; do
    for f in "$d"/warroom-*.lock; do
      [ -n "$home" ] && [ -f "$f" ] && grep -q -- ":$home/" "$f" 2>/dev/null && rm -f "$f"
    done
  done
  userdel -r "$SSH_USER" >/dev/null 2>&1 || userdel -f -r "$SSH_USER" >/dev/null 2>&1
  SSH_USER_MADE=0
}
# sshfs_mount REMOTE_DIR MOUNTPOINT [SSHFS OPTIONS...]: directory caching off, keep-alive on.
sshfs_mount() {
  local dir=$1 mp=$2
  shift 2
  mkdir -p "$mp"
  sshfs -p "$SSH_PORT" "$SSH_USER@127.0.0.1:$dir" "$mp" "$@" \
    -o IdentityFile="$SSH_KEY",StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,LogLevel=ERROR \
    -o ServerAliveInterval=5,dir_cache=no,BatchMode=yes
}
