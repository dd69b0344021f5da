# Sourced by the scripts/image-*.sh: private container storage and engine settings for buildah,
# podman and skopeo on this kind of machine (runtime-facts §11), so nothing touches the host's
# default storage and the settings are the same in every script. Idempotent.
#
# IMAGE_SCRATCH (default /tmp/netguard-image-ci) holds storage and stand-in images; it may outlive a
# CI run, which makes the next run's stand-ins a cache hit.
IMAGE_SCRATCH="${IMAGE_SCRATCH:-/tmp/netguard-image-ci}"
mkdir -p "$IMAGE_SCRATCH/graph" "$IMAGE_SCRATCH/run" "$IMAGE_SCRATCH/tmp"

# overlay is much faster than vfs for 100 MB layers; vfs when the kernel refuses overlay mounts.
IMAGE_STORAGE_DRIVER="${IMAGE_STORAGE_DRIVER:-overlay}"
cat > "$IMAGE_SCRATCH/storage.conf.new" <<CONF
[storage]
driver = "$IMAGE_STORAGE_DRIVER"
graphroot = "$IMAGE_SCRATCH/graph"
runroot = "$IMAGE_SCRATCH/run"
CONF
# crun fails here (cgroups in hybrid mode); the default rlimits need CAP_SYS_RESOURCE, which root lacks.
cat > "$IMAGE_SCRATCH/containers.conf.new" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
mv "$IMAGE_SCRATCH/storage.conf.new" "$IMAGE_SCRATCH/storage.conf"
mv "$IMAGE_SCRATCH/containers.conf.new" "$IMAGE_SCRATCH/containers.conf"

export CONTAINERS_STORAGE_CONF="$IMAGE_SCRATCH/storage.conf"
export CONTAINERS_CONF="$IMAGE_SCRATCH/containers.conf"
export BUILDAH_ISOLATION=chroot
export TMPDIR="$IMAGE_SCRATCH/tmp"

# Stand-in base images made by scripts/image-standins.sh (names only; the Dockerfile's defaults are real).
BUN_VERSION="${BUN_VERSION:-1.4.4}"
STANDIN_RUNTIME="localhost/netguard-ci/runtime-standin:latest"
STANDIN_BUILDER="localhost/netguard-ci/bun-standin:$BUN_VERSION"
