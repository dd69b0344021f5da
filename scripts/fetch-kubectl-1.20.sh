#!/usr/bin/env bash
# Extracts kubectl 1.20 from Debian's kubernetes-client package into .tmp/kubectl-1.20 (installing
# the package would conflict with the machine's kubectl). The old-client tests use it.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.tmp/kubectl-1.20
if [ -x "$dest/usr/bin/kubectl" ]; then exit 0; fi
mkdir -p "$dest" .tmp/deb
cd .tmp/deb
if ! ls kubernetes-client_*.deb >/dev/null 2>&1; then
  apt-get download kubernetes-client >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1; apt-get download kubernetes-client >/dev/null; }
fi
dpkg-deb -x kubernetes-client_*.deb ../kubectl-1.20
../kubectl-1.20/usr/bin/kubectl version --client >/dev/null
