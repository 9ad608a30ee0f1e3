#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds (warnings are errors), and runs
# every unit and integration test through ctest. This is what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build test
scripts/build.sh ci
ctest --preset ci -j"$(nproc)" --timeout 600 "$@"
