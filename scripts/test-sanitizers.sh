#!/usr/bin/env bash
# Builds and runs the whole suite (unit, fuzz-corpus replay and integration tests)
# under a sanitizer preset: asan-ubsan (default) or tsan. Usage:
#   scripts/test-sanitizers.sh [asan-ubsan|tsan] [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-asan-ubsan}"
shift || true
scripts/deps.sh build test
# The .deb test is for release builds; sanitizer builds skip it.
OBVPN_SKIP_PACKAGING_TEST=1 cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j"$(nproc)"
# Any sanitizer report fails the process that made it (and so its test).
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
# Load tests that outrun a sanitizer build scale themselves down (tests/integration).
export OBVPN_TEST_SANITIZER="$preset"
ctest --test-dir "build/$preset" --output-on-failure -j"$(nproc)" --timeout 900 "$@"
