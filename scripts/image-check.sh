#!/usr/bin/env bash
# CI's container image check (.ci/run): installs the tools if missing, makes (or reuses) the local
# stand-in base images, builds the Dockerfile with them, holds the image to its size budget, and
# runs it with podman to check it from the host (scripts/image-run-checks.sh). Then removes the
# image it built; the stand-ins stay in $IMAGE_SCRATCH as a cache for the next run.
#
# The whole check has one deadline (IMAGE_CHECK_TIMEOUT, default 300 s; it takes ~15 s warm), and
# the last line is machine-readable: image-check result=pass|fail seconds=N ...
set -uo pipefail
cd "$(dirname "$0")/.."

if [ -z "${IMAGE_CHECK_INNER:-}" ]; then
  start=$SECONDS
  IMAGE_CHECK_INNER=1 timeout --kill-after=10 "${IMAGE_CHECK_TIMEOUT:-300}" bash "$0" "$@"
  rc=$?
  [ "$rc" -eq 124 ] && echo "image-check: deadline of ${IMAGE_CHECK_TIMEOUT:-300} s passed"
  sizes="$(sed -n 's/^{"tag":"[^"]*",//; s/}$//; s/"//g; s/:/=/g; s/,/ /gp' .tmp/image-size.json 2>/dev/null)"
  echo "image-check result=$([ "$rc" -eq 0 ] && echo pass || echo fail) seconds=$((SECONDS - start)) $sizes"
  exit "$rc"
fi

set -e
rm -f .tmp/image-size.json
bash scripts/image-install-tools.sh
source scripts/image-env.sh
bash scripts/image-sweep.sh
tag="localhost/netguard-watch:ci-$$"
trap 'timeout 60 podman rmi -f "$tag" >/dev/null 2>&1 || true' EXIT

step() {
  local t=$SECONDS
  "$@"
  echo "image-check: ${2##*/} took $((SECONDS - t)) s"
}
step bash scripts/image-standins.sh
BUN_IMAGE="$STANDIN_BUILDER" RUNTIME_IMAGE="$STANDIN_RUNTIME" IMAGE_PULL=never step bash scripts/image-build.sh "$tag"
step bash scripts/image-size.sh "$tag"
step bash scripts/image-run-checks.sh "$tag"
