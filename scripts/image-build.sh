#!/usr/bin/env bash
# Builds the Dockerfile with buildah into the private storage of scripts/image-env.sh.
#
#   scripts/image-build.sh [TAG]        TAG defaults to localhost/netguard-watch:dev
#
# BUN_IMAGE / RUNTIME_IMAGE (environment) override the Dockerfile's base images; unset, its real
# registry defaults are used (which needs a registry). CI passes the local stand-ins and --pull=never.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/image-env.sh
tag="${1:-localhost/netguard-watch:dev}"
args=()
[ -n "${BUN_IMAGE:-}" ] && args+=(--build-arg "BUN_IMAGE=$BUN_IMAGE")
[ -n "${RUNTIME_IMAGE:-}" ] && args+=(--build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE")
pull="${IMAGE_PULL:-missing}"
# --layers=false: one layer per stage result; nothing intermediate is kept to clean up.
timeout "${IMAGE_BUILD_TIMEOUT:-300}" buildah bud --pull="$pull" --layers=false --quiet \
  "${args[@]}" -f Dockerfile -t "$tag" . >/dev/null
echo "built $tag"
