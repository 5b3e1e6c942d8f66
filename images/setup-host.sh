#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (as root, no systemd) for the nested test host:
#   1. installs the Debian packages the image builds and the test host need, only those missing;
#   2. starts dockerd in the background unless `docker info` already answers, and waits for it.
# Idempotent: a second run installs nothing and starts nothing. Safe to call from .ci/run and bin/test.
# Environment: JVMM_DOCKERD_LOG (default /var/log/jvmm-dockerd.log), JVMM_DOCKER_WAIT (seconds, default 60).
set -euo pipefail

log() { echo "setup-host: $*" >&2; }

# What each package is for:
#   docker.io             the engine that runs the test-host container (Testcontainers talks to it)
#   qemu-system-x86       L1 (inside the container) and the reference VMM inside L1
#   busybox-static        the shell and tools of the L1 and L2 initramfs images and of the container
#   cpio kmod             initramfs packing; depmod resolves the stock kernel's modules.dep
#   flex bison bc libelf-dev libssl-dev make gcc libc6-dev xz-utils
#                         the feature kernel build and the static L2 test programs
packages=(docker.io qemu-system-x86 busybox-static cpio kmod flex bison bc libelf-dev libssl-dev
          make gcc libc6-dev xz-utils)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

need=()
for p in "${packages[@]}"; do
  installed "$p" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { log "must run as root to install: ${need[*]}"; exit 1; }
  log "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

if docker_answers; then
  log "docker engine already answers"
  exit 0
fi

[ "$(id -u)" = 0 ] || { log "docker info fails and only root can start dockerd"; exit 1; }
command -v dockerd >/dev/null || { log "dockerd not found although docker.io is installed"; exit 1; }
dockerd_log=${JVMM_DOCKERD_LOG:-/var/log/jvmm-dockerd.log}
if ! pgrep -x dockerd >/dev/null; then
  log "starting dockerd (log: $dockerd_log)"
  # setsid: dockerd must outlive this script and the shell that called it.
  setsid dockerd >>"$dockerd_log" 2>&1 < /dev/null &
fi
wait_s=${JVMM_DOCKER_WAIT:-60}
for ((i = 0; i < wait_s; i++)); do
  if docker_answers; then
    log "docker engine answers after ${i} s"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within ${wait_s} s; last lines of $dockerd_log:"
tail -n 20 "$dockerd_log" >&2 || true
exit 1
