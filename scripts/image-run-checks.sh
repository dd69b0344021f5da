#!/usr/bin/env bash
# Runs a built image with podman (host network, a named volume for the data directory, free ports)
# and checks it from the host, as a user or a kubelet would see it:
#
#   tls-kubectl   the API server answers the host's kubectl over TLS, with the kubeconfig the
#                 container wrote into the volume (development CA + admin token)
#   watch-stream  a Watch RPC (buf curl, gRPC, the backend token from the volume) streams the
#                 initial state, the initial-events-end bookmark, then an object created afterwards
#   nonroot       the container's process runs as uid/gid 65532, and the image has no /bin/sh
#   sigterm       `podman stop -t GRACE` ends it well within GRACE with exit 0
#   restart       a new container on the same volume serves the same objects with the same
#                 resourceVersions (nothing acknowledged before SIGTERM was lost)
#   roles         `backend` (memory store) and `apiserver --insecure` (against the restarted
#                 backend, the volume mounted read-only) start from the same image and are ready
#
#   scripts/image-run-checks.sh [TAG]
#
# Every podman, kubectl, curl and buf call has a deadline; everything it starts is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/image-env.sh
tag="${1:-localhost/netguard-watch:dev}"
GRACE="${IMAGE_STOP_GRACE:-10}"
BUF=node_modules/@bufbuild/buf-linux-x64/bin/buf # the real binary: the npm wrapper does not pass signals on
KUBECTL="${KUBECTL:-kubectl}"
run_id="netguard-ci-$$"
volume="$run_id-data"
work="$IMAGE_SCRATCH/tmp/$run_id"
mkdir -p "$work"
containers=()
watch_pid=""
# Containers and the volume carry an expiry, so scripts/image-sweep.sh can remove them if this run is killed.
expires="netguard.ci.expires=$(($(date +%s) + 900))"

cleanup() {
  local rc=$?
  [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
  if [ "$rc" -ne 0 ]; then
    for c in "${containers[@]}"; do echo "--- podman logs $c (last 20 lines)"; timeout 10 podman logs --tail 20 "$c" 2>&1 || true; done
  fi
  for c in "${containers[@]}"; do timeout 30 podman rm -f -v -t 0 "$c" >/dev/null 2>&1 || true; done
  timeout 30 podman volume rm -f "$volume" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

fail() {
  echo "image-run-checks: FAILED: $*"
  exit 1
}
pass() { echo "image-run-checks: ok: $*"; }

# Three free TCP ports from the kernel (bound and released at once; collisions are unlikely and loud).
read -r API_PORT BACKEND_PORT ROLE_PORT < <(timeout 10 python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

# Polls until a command succeeds, at most $1 seconds.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
answers_ok() { [ "$(curl -sk --max-time 2 "$1")" = "ok" ]; }

# run_container NAME ARGS...: podman run -d with host network and the image's own defaults otherwise.
run_container() {
  local name="$1"
  shift
  containers+=("$name")
  timeout 30 podman run -d --name "$name" --label "$expires" --network host "$@" >/dev/null
}

start_all_in_one() {
  run_container "$1" -v "$volume:/var/lib/netguard" \
    -e NETGUARD_API_ADDR="0.0.0.0:$API_PORT" -e NETGUARD_BACKEND_ADDR="0.0.0.0:$BACKEND_PORT" "$tag"
  wait_for 30 answers_ok "https://127.0.0.1:$API_PORT/readyz" || fail "$1: API server /readyz not ok within 30 s"
  wait_for 10 answers_ok "http://127.0.0.1:$BACKEND_PORT/readyz" || fail "$1: backend /readyz not ok within 10 s"
}

k() { timeout 30 "$KUBECTL" --kubeconfig "$work/kubeconfig" --request-timeout=20s "$@"; }
snapshot() {
  k get netguard -A -o jsonpath='{range .items[*]}{.kind} {.metadata.namespace}/{.metadata.name} rv={.metadata.resourceVersion}{"\n"}{end}' | sort
}

timeout 30 podman volume create --label "$expires" "$volume" >/dev/null
t0=$SECONDS
start_all_in_one "$run_id-a"
echo "image-run-checks: first start ready in $((SECONDS - t0)) s (api :$API_PORT, backend :$BACKEND_PORT)"
mount="$(timeout 10 podman volume inspect --format '{{.Mountpoint}}' "$volume")"
# Copies, so the checks never hold files in the volume open.
cp "$mount/kubeconfig" "$work/kubeconfig"
grep -q "server: https://127.0.0.1:$API_PORT" "$work/kubeconfig" || fail "kubeconfig in the volume does not name https://127.0.0.1:$API_PORT"
token="$(head -1 "$mount/backend-token")"

# --- tls-kubectl -------------------------------------------------------------------------------
out="$(k get ngsvc -A 2>&1)" || fail "kubectl get over TLS: $out"
k apply -f test/fixtures/01-base.yaml -f test/fixtures/02-binding.yaml >/dev/null || fail "kubectl apply of the fixtures"
[ "$(k get ngsvc -n shop -o name | wc -l)" -ge 3 ] || fail "kubectl get ngsvc lists fewer than 3 services after apply"
pass "tls-kubectl (kubectl get/apply over https with the container's kubeconfig)"

# --- watch-stream ------------------------------------------------------------------------------
timeout 30 "$BUF" curl --schema proto --emit-defaults --protocol grpc --http2-prior-knowledge \
  -H "Authorization: Bearer $token" -d '{"namespace":"shop"}' \
  "http://127.0.0.1:$BACKEND_PORT/netguard.v1.NetguardService/WatchServices" >"$work/watch.out" 2>&1 &
watch_pid=$!
wait_for 15 grep -q '"initialEventsEnd": true' "$work/watch.out" || fail "watch: no initial-events-end bookmark within 15 s: $(head -c 400 "$work/watch.out")"
grep -q '"name": "frontend"' "$work/watch.out" || fail "watch: initial events lack service frontend"
live="ci-live-$$"
printf 'apiVersion: netguard.sgroups.io/v1beta1\nkind: Service\nmetadata: {name: %s, namespace: shop}\nspec: {description: streamed}\n' "$live" |
  k apply -f - >/dev/null || fail "kubectl apply of $live"
wait_for 10 grep -q "\"name\": \"$live\"" "$work/watch.out" || fail "watch: $live not streamed within 10 s"
kill "$watch_pid" 2>/dev/null || true
wait "$watch_pid" 2>/dev/null || true
watch_pid=""
pass "watch-stream (buf curl gRPC WatchServices: initial state, bookmark, live ADDED)"

# --- nonroot -----------------------------------------------------------------------------------
pid="$(timeout 10 podman inspect --format '{{.State.Pid}}' "$run_id-a")"
uids="$(awk '/^Uid:/{print $2,$3,$4,$5}' "/proc/$pid/status")"
gids="$(awk '/^Gid:/{print $2,$3,$4,$5}' "/proc/$pid/status")"
[ "$uids" = "65532 65532 65532 65532" ] || fail "process $pid runs with Uid $uids, not 65532"
[ "$gids" = "65532 65532 65532 65532" ] || fail "process $pid runs with Gid $gids, not 65532"
# PID 1 in its namespace: the kernel delivers SIGTERM to PID 1 only because the program handles it.
[ "$(awk '/^NSpid:/{print $NF}' "/proc/$pid/status")" = "1" ] || fail "the program is not PID 1 in the container"
containers+=("$run_id-sh")
if timeout 20 podman run --name "$run_id-sh" --label "$expires" --network host --entrypoint /bin/sh "$tag" -c true >/dev/null 2>&1; then fail "the image has a /bin/sh"; fi
pass "nonroot (PID 1, Uid/Gid 65532 in /proc/$pid/status; no /bin/sh in the image)"

# --- sigterm -----------------------------------------------------------------------------------
before="$(snapshot)"
[ "$(grep -c . <<<"$before")" -ge 8 ] || fail "snapshot before stop has fewer than 8 objects"
grep -q "Service shop/$live " <<<"$before" || fail "snapshot lacks $live"
t_stop=$(date +%s%N)
timeout $((GRACE + 20)) podman stop -t "$GRACE" "$run_id-a" >/dev/null || fail "podman stop"
stop_ms=$((($(date +%s%N) - t_stop) / 1000000))
code="$(timeout 10 podman inspect --format '{{.State.ExitCode}}' "$run_id-a")"
[ "$code" = "0" ] || fail "exit code after SIGTERM is $code (137 = killed after the grace period)"
[ "$stop_ms" -lt $((GRACE * 1000 / 2)) ] || fail "stop took $stop_ms ms, more than half the ${GRACE}s grace"
timeout 10 podman logs "$run_id-a" 2>&1 | grep -q "SIGTERM: shutting down" || fail "no 'SIGTERM: shutting down' in the log"
pass "sigterm (podman stop -t $GRACE: exit 0 in $stop_ms ms)"

# --- restart -----------------------------------------------------------------------------------
start_all_in_one "$run_id-b"
after="$(snapshot)"
[ "$before" = "$after" ] || fail "objects differ after restart:
$(diff <(echo "$before") <(echo "$after") || true)"
pass "restart (same volume: $(grep -c . <<<"$after") objects, same resourceVersions)"

# --- roles -------------------------------------------------------------------------------------
run_container "$run_id-backend" -e NETGUARD_STORAGE=memory: -e NETGUARD_BACKEND_ADDR="127.0.0.1:$ROLE_PORT" "$tag" backend
wait_for 20 answers_ok "http://127.0.0.1:$ROLE_PORT/readyz" || fail "role backend: /readyz not ok within 20 s"
timeout 30 podman rm -f -v -t "$GRACE" "$run_id-backend" >/dev/null
run_container "$run_id-apiserver" -v "$volume:/var/lib/netguard:ro" \
  -e BACKEND_ENDPOINT="127.0.0.1:$BACKEND_PORT" -e NETGUARD_API_BACKEND_TOKEN_FILE=/var/lib/netguard/backend-token \
  -e NETGUARD_API_ADDR="127.0.0.1:$ROLE_PORT" "$tag" apiserver --insecure
# /readyz is ok only once a SyncStatus RPC with the token from the volume succeeded.
wait_for 20 answers_ok "http://127.0.0.1:$ROLE_PORT/readyz" || fail "role apiserver: /readyz not ok within 20 s"
timeout 10 curl -sf --max-time 5 "http://127.0.0.1:$ROLE_PORT/apis/netguard.sgroups.io/v1beta1/namespaces/shop/services/$live" >/dev/null ||
  fail "role apiserver: GET service $live"
pass "roles (backend with a memory store; apiserver --insecure reading the all-in-one's backend)"

timeout $((GRACE + 20)) podman stop -t "$GRACE" "$run_id-apiserver" "$run_id-b" >/dev/null || fail "podman stop of the last containers"
for c in "$run_id-apiserver" "$run_id-b"; do
  code="$(timeout 10 podman inspect --format '{{.State.ExitCode}}' "$c")"
  [ "$code" = "0" ] || fail "$c: exit code after SIGTERM is $code"
done
echo "image-run-checks: all passed (stop_ms=$stop_ms)"
