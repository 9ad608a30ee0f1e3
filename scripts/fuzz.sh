#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, `fuzz` preset: ASan + coverage) and runs each for
# SECONDS (default 600) from its seed corpus, one after another, printing the executions
# and the outcome. Crashes are left in build/fuzz/artifacts/<target>/: add the input to
# the target's corpus in tests/testdata once the bug is fixed.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-600}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(http_request form_decode v2_signature tc3_authorization config_loader radius_packet)
declare -A corpus=(
  [http_request]=tests/testdata/fuzz/http_request [form_decode]=tests/testdata/fuzz/form
  [v2_signature]=tests/testdata/fuzz/v2_signature [tc3_authorization]=tests/testdata/fuzz/tc3_authorization
  [config_loader]=tests/testdata/fuzz/config [radius_packet]=tests/testdata/radius)

cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target "${targets[@]/%/_fuzzer}"
for t in "${targets[@]}"; do
  work="build/fuzz/corpus/$t"
  art="build/fuzz/artifacts/$t/"
  mkdir -p "$work" "$art"
  for f in "${corpus[$t]}"/*; do
    case "$f" in
      *.hex) xxd -r -p "$f" >"$work/seed-$(basename "$f" .hex)" ;;
      *.md|*.py|*.js) ;;
      *) cp "$f" "$work/" ;;
    esac
  done
  log="build/fuzz/$t.log"
  rc=0
  "build/fuzz/fuzz/${t}_fuzzer" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$art" \
    -max_len=16384 "$work" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  result=$([ $rc -eq 0 ] && echo "no crash" || echo "FAILED (rc=$rc, see $log)")
  echo "fuzz $t: ${secs}s, ${execs:-?} executions, ${cov:-cov: ?}, $result"
done
