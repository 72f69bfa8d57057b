#!/usr/bin/env bash
# Prepares this machine for the netns test suite: installs what the tests run (iproute2 for
# `ip netns` interop checks, util-linux's setpriv for the unprivileged checks). Idempotent: what is
# already there is left alone. Needs root (the tests need CAP_SYS_ADMIN anyway).
set -euo pipefail

log() { printf '[setup-test-env] %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "[setup-test-env] run as root: the tests create network namespaces" >&2
  exit 1
fi

missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)

apt_updated=0
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  log "installing $*"
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}"
fi

log "ip: $(ip -V)"
log "ready"
