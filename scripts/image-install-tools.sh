#!/usr/bin/env bash
# Installs buildah, podman, runc, skopeo and busybox-static from Debian when one is missing
# (~16 s once; a no-op afterwards). Every apt step has a deadline.
set -euo pipefail
need=()
for t in buildah podman runc skopeo; do command -v "$t" >/dev/null 2>&1 || need+=("$t"); done
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
[ ${#need[@]} -eq 0 ] && exit 0
echo "image tools: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
timeout 120 apt-get update -qq
timeout 300 apt-get install -y -qq buildah podman runc skopeo busybox-static >/dev/null
