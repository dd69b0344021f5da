#!/usr/bin/env bash
# Extracts one program from a Debian package into .tmp/<dest> without installing the package
# (no service, no conflict with what the machine has). Used by the test tools' fetch scripts and,
# through them, by the tests themselves on first use, so it must be safe to run twice at once
# (a lock) and after an interrupted run (extraction goes to a scratch folder, renamed at the end;
# a .deb that does not unpack is downloaded again).
#
#   fetch-deb-tool.sh PACKAGE DEST BINARY [CHECK-ARGS...]
#   e.g. fetch-deb-tool.sh prometheus prometheus usr/bin/promtool --version
set -euo pipefail
pkg="$1" dest="$2" bin="$3"
shift 3
cd "$(dirname "$0")/.."
mkdir -p .tmp/deb
exec 9>".tmp/deb/.lock-$pkg"
flock 9
if [ -x ".tmp/$dest/$bin" ]; then exit 0; fi

download() {
  (cd .tmp/deb && { apt-get download "$pkg" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 || true; apt-get download "$pkg"; }; })
}
deb() { ls .tmp/deb/"${pkg}"_*.deb 2>/dev/null | head -1; }

if [ -z "$(deb)" ]; then download; fi
scratch=".tmp/$dest.partial"
rm -rf "$scratch"
if ! dpkg-deb -x "$(deb)" "$scratch" 2>/dev/null; then
  echo "$(deb) does not unpack; downloading it again" >&2
  rm -f .tmp/deb/"${pkg}"_*.deb
  rm -rf "$scratch"
  download
  dpkg-deb -x "$(deb)" "$scratch"
fi
"$scratch/$bin" "$@" >/dev/null
rm -rf ".tmp/$dest"
mv "$scratch" ".tmp/$dest"
