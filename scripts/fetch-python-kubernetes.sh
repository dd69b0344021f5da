#!/usr/bin/env bash
# Extracts the official Python Kubernetes client (Debian's python3-kubernetes) and the libraries it
# imports that this machine's /usr/bin/python3 lacks into .tmp/python-kubernetes (no install, no
# conflict with the system's packages). test/e2e/python-client.test.ts runs it with PYTHONPATH set;
# the test runs this script itself when the client is missing (test/helpers/test-tools.ts).
# Idempotent and safe to run twice at once (lock; scratch folder renamed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.tmp/python-kubernetes
site=usr/lib/python3/dist-packages
pkgs=(python3-kubernetes python3-urllib3 python3-dateutil python3-websocket python3-google-auth python3-requests
  python3-requests-oauthlib python3-oauthlib python3-certifi python3-cachetools python3-rsa python3-pyasn1
  python3-pyasn1-modules python3-idna python3-charset-normalizer python3-chardet python3-six python3-yaml)
mkdir -p .tmp/deb
exec 9>.tmp/deb/.lock-python-kubernetes
flock 9
check() { PYTHONPATH="$1/$site" /usr/bin/python3 -c "import kubernetes.watch, kubernetes.dynamic" >/dev/null; }
if [ -d "$dest" ] && check "$dest" 2>/dev/null; then exit 0; fi

missing=()
for p in "${pkgs[@]}"; do ls .tmp/deb/"${p}"_*.deb >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  (cd .tmp/deb && { apt-get download "${missing[@]}" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 || true; apt-get download "${missing[@]}"; }; })
fi
scratch="$dest.partial"
rm -rf "$scratch"
for p in "${pkgs[@]}"; do
  deb=$(ls .tmp/deb/"${p}"_*.deb | head -1)
  if ! dpkg-deb -x "$deb" "$scratch" 2>/dev/null; then
    echo "$deb does not unpack; downloading it again" >&2
    rm -f "$deb"
    (cd .tmp/deb && apt-get download "$p")
    dpkg-deb -x "$(ls .tmp/deb/"${p}"_*.deb | head -1)" "$scratch"
  fi
done
check "$scratch"
rm -rf "$dest"
mv "$scratch" "$dest"
