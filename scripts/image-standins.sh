#!/usr/bin/env bash
# Makes the two local stand-ins for the Dockerfile's base images on a machine with no registry
# (runtime-facts §11), and reuses them while their inputs are unchanged:
#
#   runtime stand-in (for gcr.io/distroless/base-debian12:nonroot): FROM scratch + the shared
#     libraries `ldd` lists for the bun binary, /etc/passwd and /etc/group with nonroot (65532),
#     /tmp, the CA bundle. Like distroless: no shell, no package manager.
#   builder stand-in (for docker.io/oven/bun:<version>): the runtime stand-in + static busybox (the
#     RUN steps need /bin/sh) + the bun binary + the host CA bundle, because outbound TLS here passes
#     an intercepting proxy and `bun install` inside the build must trust it.
#
# The bun binary is the one `bun install` put in node_modules (checked to be $BUN_VERSION), else the
# npm package @oven/bun-linux-x64 fetched with `npm pack`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/image-env.sh

bun_binary() {
  local b
  b="$(readlink -f node_modules/.bin/bun 2>/dev/null || true)"
  if [ -n "$b" ] && [ -x "$b" ] && [ "$(timeout 10 "$b" --version 2>/dev/null)" = "$BUN_VERSION" ]; then
    echo "$b"
    return
  fi
  local dir="$IMAGE_SCRATCH/bun-$BUN_VERSION"
  if [ ! -x "$dir/package/bin/bun" ]; then
    mkdir -p "$dir"
    (cd "$dir" && timeout 120 npm pack --silent "@oven/bun-linux-x64@$BUN_VERSION" >/dev/null && tar -xzf oven-bun-linux-x64-*.tgz)
  fi
  echo "$dir/package/bin/bun"
}

BUN_BIN="$(bun_binary)"
# The runtime needs exactly what the compiled program (a bun binary with the bundle appended) links.
mapfile -t LIBS < <(ldd "$BUN_BIN" | grep -oE '/[^ ]+' | sort -u)
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
# Inputs of both images, by content (a clone elsewhere has the same bun at another path); a changed
# input makes them again.
INPUTS="$( { cat scripts/image-standins.sh; printf '%s\n' "${LIBS[@]}"; sha256sum "$BUN_BIN" /bin/busybox "$CA_BUNDLE" "${LIBS[@]}" | cut -d' ' -f1; } | sha256sum | cut -c1-16)"

current() {
  timeout 30 podman image inspect --format '{{index .Labels "netguard.ci.inputs"}}' "$1" 2>/dev/null || true
}

if [ "$(current "$STANDIN_RUNTIME")" = "$INPUTS" ] && [ "$(current "$STANDIN_BUILDER")" = "$INPUTS" ]; then
  echo "stand-ins: cached ($INPUTS)"
  exit 0
fi

make_runtime() {
  local c root
  c="$(timeout 30 buildah from scratch)"
  root="$(timeout 30 buildah mount "$c")"
  mkdir -p "$root/etc/ssl/certs" "$root/tmp" "$root/home/nonroot" "$root/lib64" "$root/usr/local/bin"
  chmod 1777 "$root/tmp"
  chown 65532:65532 "$root/home/nonroot"
  for lib in "${LIBS[@]}"; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$root/etc/group"
  cp "$CA_BUNDLE" "$root/etc/ssl/certs/ca-certificates.crt"
  timeout 30 buildah umount "$c" >/dev/null
  timeout 30 buildah config --user 65532:65532 --workingdir /home/nonroot --label "netguard.ci.inputs=$INPUTS" "$c"
  timeout 120 buildah commit --quiet --rm "$c" "$STANDIN_RUNTIME" >/dev/null
}

make_builder() {
  local c root applet
  c="$(timeout 30 buildah from --pull=never "$STANDIN_RUNTIME")"
  root="$(timeout 30 buildah mount "$c")"
  mkdir -p "$root/bin" "$root/usr/bin" "$root/root"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  cp "$BUN_BIN" "$root/usr/local/bin/bun"
  ln -sf bun "$root/usr/local/bin/bunx"
  timeout 30 buildah umount "$c" >/dev/null
  timeout 30 buildah config --user 0:0 --workingdir /root \
    --env PATH=/usr/local/bin:/usr/bin:/bin \
    --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    --label "netguard.ci.inputs=$INPUTS" "$c"
  timeout 120 buildah commit --quiet --rm "$c" "$STANDIN_BUILDER" >/dev/null
}

# The images these replace, removed once the new ones are tagged (unless a container still uses one).
old_ids="$(timeout 30 podman image inspect --format '{{.Id}}' "$STANDIN_RUNTIME" "$STANDIN_BUILDER" 2>/dev/null || true)"
make_runtime
make_builder
for id in $old_ids; do timeout 30 podman rmi "$id" >/dev/null 2>&1 || true; done
echo "stand-ins: made $STANDIN_RUNTIME and $STANDIN_BUILDER ($INPUTS; bun from $BUN_BIN)"
