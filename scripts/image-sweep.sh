#!/usr/bin/env bash
# Removes what an interrupted image check left behind (SIGKILL skips the scripts' cleanup traps):
# containers and volumes whose netguard.ci.expires label (set by image-run-checks.sh) is in the
# past, and check images older than 15 minutes. Only the private storage of image-env.sh is
# touched, and nothing a concurrent check still uses: its labels have not expired yet.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/image-env.sh
now=$(date +%s)
timeout 30 podman ps -a --filter label=netguard.ci.expires --format '{{.Names}} {{index .Labels "netguard.ci.expires"}}' |
  while read -r name expires; do
    [ "$expires" -lt "$now" ] && timeout 30 podman rm -f -v -t 0 "$name" >/dev/null && echo "image-sweep: removed container $name"
  done
timeout 30 podman volume ls --filter label=netguard.ci.expires --format '{{.Name}} {{index .Labels "netguard.ci.expires"}}' |
  while read -r name expires; do
    [ "$expires" -lt "$now" ] && timeout 30 podman volume rm -f "$name" >/dev/null && echo "image-sweep: removed volume $name"
  done
for id in $(timeout 30 podman images --filter reference=localhost/netguard-watch --filter until=15m -q | sort -u); do
  timeout 30 podman rmi -f "$id" >/dev/null && echo "image-sweep: removed image $id"
done
exit 0
