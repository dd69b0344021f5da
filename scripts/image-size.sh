#!/usr/bin/env bash
# Measures an image and fails when it outgrows the budget (README "Container image").
#
#   scripts/image-size.sh [TAG]
#
# Uncompressed: what `podman image inspect` reports (the unpacked layers). Compressed: the OCI
# archive skopeo writes with gzip layers, i.e. roughly what a registry stores and a node pulls.
# The budget is for the image CI builds (runtime stand-in ≈ distroless minus ~20 MB of extras);
# nearly all of it is the Bun runtime inside the compiled binary (~107 MB, ~50 MB gzipped), so
# a jump means something new was bundled or copied in. Prints one machine-readable line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/image-env.sh
tag="${1:-localhost/netguard-watch:dev}"
BUDGET_UNCOMPRESSED="${IMAGE_BUDGET_UNCOMPRESSED:-140000000}"
BUDGET_COMPRESSED="${IMAGE_BUDGET_COMPRESSED:-70000000}"

uncompressed="$(timeout 30 podman image inspect --format '{{.Size}}' "$tag")"
archive="$IMAGE_SCRATCH/tmp/image-size.$$.tar"
trap 'rm -f "$archive"' EXIT
rm -f "$archive"
timeout 120 skopeo copy --quiet "containers-storage:$tag" "oci-archive:$archive:$tag"
compressed="$(stat -c %s "$archive")"

echo "image-size tag=$tag uncompressed_bytes=$uncompressed compressed_bytes=$compressed budget_uncompressed_bytes=$BUDGET_UNCOMPRESSED budget_compressed_bytes=$BUDGET_COMPRESSED"
mkdir -p .tmp
printf '{"tag":"%s","uncompressed_bytes":%s,"compressed_bytes":%s,"budget_uncompressed_bytes":%s,"budget_compressed_bytes":%s}\n' \
  "$tag" "$uncompressed" "$compressed" "$BUDGET_UNCOMPRESSED" "$BUDGET_COMPRESSED" >.tmp/image-size.json
ok=0
if [ "$uncompressed" -gt "$BUDGET_UNCOMPRESSED" ]; then echo "image-size: uncompressed $uncompressed > budget $BUDGET_UNCOMPRESSED"; ok=1; fi
if [ "$compressed" -gt "$BUDGET_COMPRESSED" ]; then echo "image-size: compressed $compressed > budget $BUDGET_COMPRESSED"; ok=1; fi
exit "$ok"
