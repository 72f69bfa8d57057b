#!/usr/bin/env bash
# Prepares this machine for the netns test suite:
#  - installs what the tests run: iproute2 (`ip netns` interop checks), util-linux's setpriv (the
#    unprivileged checks), Debian's docker.io (a Docker engine), busybox-static, and Debian's
#    chromium and chromium-driver (the sample app's dashboard test drives a headless browser);
#  - starts dockerd in the background when no engine answers on /var/run/docker.sock (there is no
#    systemd to do it), and leaves an engine that already answers alone;
#  - imports a tiny busybox image for the Docker tests (no registry is needed: the image is built
#    from the static busybox).
# Idempotent and quick: what is already there is left alone. Needs root (the tests need
# CAP_SYS_ADMIN anyway). Runs unattended: no prompt, no standard input.
#
# Environment (all optional):
#   NETNS_TEST_IMAGE        image tag to import            (default netns-test/busybox:1)
#   NETNS_TEST_DOCKER_BIP   bridge address of the dockerd started here, so containers get an
#                           eth0                           (default 172.30.99.1/24)
#   NETNS_TEST_DOCKER_LOG   that dockerd's log file        (default /var/log/netns-test-dockerd.log)
set -euo pipefail

IMAGE=${NETNS_TEST_IMAGE:-netns-test/busybox:1}
BIP=${NETNS_TEST_DOCKER_BIP:-172.30.99.1/24}
DOCKERD_LOG=${NETNS_TEST_DOCKER_LOG:-/var/log/netns-test-dockerd.log}
SOCKET=/var/run/docker.sock
PIDFILE=/var/run/docker.pid

log() { printf '[setup-test-env] %s\n' "$*"; }
die() { printf '[setup-test-env] %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root: the tests create network namespaces and start containers"

# Two runs at once (two checkouts on one machine) would both start a dockerd: take turns.
mkdir -p /run/lock
exec 9>/run/lock/netns-setup-test-env.lock
flock -w 120 9 || die "another setup-test-env.sh has held the lock for 120 s"

# --- packages ---------------------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)
installed docker.io || missing+=(docker.io)
installed busybox-static || missing+=(busybox-static)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)

our_policy_rc=0
cleanup() {
  # Only remove the policy-rc.d this script wrote; a machine may have its own.
  if [ "$our_policy_rc" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  local opts=(-y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  log "installing $*"
  # The package lists on disk are usually good enough, and skipping the update saves seconds;
  # when they are stale (a version gone from the mirror), update and try again.
  if ! apt-get install "${opts[@]}" "$@" </dev/null >/tmp/netns-setup-apt.log 2>&1; then
    log "apt-get update (the package lists are missing or stale)"
    apt-get update -qq </dev/null
    apt-get install "${opts[@]}" "$@" </dev/null >/tmp/netns-setup-apt.log 2>&1 \
      || { cat /tmp/netns-setup-apt.log >&2; die "apt-get install $* failed"; }
  fi
}

if [ ${#missing[@]} -gt 0 ]; then
  # Keep the packages' maintainer scripts from starting daemons: this script starts dockerd itself,
  # with the flags the tests need.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# written by netns setup-test-env.sh while it installs packages\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    our_policy_rc=1
  fi
  apt_install "${missing[@]}"
  cleanup
  our_policy_rc=0
fi

# Debian's docker CLI, talking to Debian's engine; any other `docker` on the PATH may be newer or
# older than this engine.
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
engine_answers() { timeout 5 "$DOCKER" -H "unix://$SOCKET" version >/dev/null 2>&1; }

# --- the engine ---------------------------------------------------------------------------------
if engine_answers; then
  log "a Docker engine already answers on $SOCKET: leaving it alone"
else
  # A pid file left by a dockerd that is gone makes a new one refuse to start.
  if [ -f "$PIDFILE" ]; then
    old=$(cat "$PIDFILE" 2>/dev/null || true)
    if [ -n "$old" ] && [ "$(cat "/proc/$old/comm" 2>/dev/null || true)" = dockerd ]; then
      die "dockerd (pid $old) is running but does not answer on $SOCKET; see $DOCKERD_LOG"
    fi
    rm -f "$PIDFILE"
  fi
  log "starting dockerd (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  # setsid + nohup + closed stdin: the daemon outlives this script and its terminal; it must not
  # inherit the lock's fd either, or it would hold the lock for good.
  setsid nohup dockerd --host "unix://$SOCKET" --pidfile "$PIDFILE" --iptables=false --bip="$BIP" \
    </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
  dockerd_pid=$!
  for _ in $(seq 1 60); do
    engine_answers && break
    kill -0 "$dockerd_pid" 2>/dev/null || { tail -n 30 "$DOCKERD_LOG" >&2; die "dockerd exited at start"; }
    sleep 0.5
  done
  engine_answers || { tail -n 30 "$DOCKERD_LOG" >&2; die "dockerd did not answer within 30 s"; }
  log "dockerd (pid $dockerd_pid) answers"
fi

# --- the test image -----------------------------------------------------------------------------
if "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  log "image $IMAGE is there"
else
  busybox=/bin/busybox
  [ -x "$busybox" ] || die "no $busybox (package busybox-static)"
  rootfs=$(mktemp -d /tmp/netns-busybox-rootfs.XXXXXX)
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp"
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in $("$rootfs/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
  done
  tar -C "$rootfs" -c . | "$DOCKER" import --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  rm -rf "$rootfs"
  log "imported $IMAGE"
fi

log "ip: $(ip -V)"
log "browser: $(/usr/bin/chromium --version 2>/dev/null || echo '?'), $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2 || echo '?')"
log "docker: $("$DOCKER" version --format 'client {{.Client.Version}}, engine {{.Server.Version}} (API {{.Server.APIVersion}})')"
log "ready"
