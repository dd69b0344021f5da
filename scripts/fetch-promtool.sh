#!/usr/bin/env bash
# Extracts promtool from Debian's prometheus package into .tmp/prometheus (no install, no service).
# The metrics tests run `promtool check metrics` against both processes' /metrics output; they run
# this script themselves when promtool is missing (test/helpers/test-tools.ts). Idempotent.
set -euo pipefail
exec bash "$(dirname "$0")/fetch-deb-tool.sh" prometheus prometheus usr/bin/promtool --version
