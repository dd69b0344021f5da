#!/usr/bin/env bash
# Extracts promtool from Debian's prometheus package into .tmp/prometheus (no install, no service).
# The metrics tests run `promtool check metrics` against both processes' /metrics output.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.tmp/prometheus
if [ -x "$dest/usr/bin/promtool" ]; then exit 0; fi
mkdir -p "$dest" .tmp/deb
cd .tmp/deb
if ! ls prometheus_*.deb >/dev/null 2>&1; then
  apt-get download prometheus >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1; apt-get download prometheus >/dev/null; }
fi
dpkg-deb -x prometheus_*.deb ../prometheus
../prometheus/usr/bin/promtool --version >/dev/null
