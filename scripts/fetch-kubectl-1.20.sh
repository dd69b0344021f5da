#!/usr/bin/env bash
# Extracts kubectl 1.20 from Debian's kubernetes-client package into .tmp/kubectl-1.20 (installing
# the package would conflict with the machine's kubectl). The old-client tests use it and run this
# script themselves when it is missing (test/helpers/test-tools.ts). Idempotent.
set -euo pipefail
exec bash "$(dirname "$0")/fetch-deb-tool.sh" kubernetes-client kubectl-1.20 usr/bin/kubectl version --client
