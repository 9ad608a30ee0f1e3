#!/usr/bin/env bash
# ctest smoke run of obvpn-bench (bench/CMakeLists.txt): starts obvpnd on free loopback
# ports in a temporary data directory, creates a tenant with obvpnctl, and drives a few
# hundred real signed requests (Get, Set, a mix) and, when obvpnd serves RADIUS, a few
# RADIUS requests of each kind. Passes only if every request had the expected outcome.
# No timing is checked. Usage: smoke_test.sh OBVPN_BENCH OBVPND OBVPNCTL
set -euo pipefail
bench=$1 obvpnd=$2 obvpnctl=$3
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/obvpn.toml" <<TOML
data_dir = "$work/data"
[api]
listen = "127.0.0.1:0"
[radius]
listen = "127.0.0.1:0"
[admin]
listen = "127.0.0.1:0"
[password]
# The smallest cost the configuration accepts: this test counts outcomes, not hashes.
argon2_memory_kib = 8
argon2_iterations = 1
[limits]
v2_per_action_per_minute = 100000
v2_per_app_per_minute = 100000
[log]
level = "warn"
TOML

tenant=$("$obvpnctl" --config "$work/obvpn.toml" tenant add 1300000001 --json)
secret_id=$(sed -n 's/.*"secretId" *: *"\([^"]*\)".*/\1/p' <<<"$tenant")
secret_key=$(sed -n 's/.*"secretKey" *: *"\([^"]*\)".*/\1/p' <<<"$tenant")
[ -n "$secret_id" ] && [ -n "$secret_key" ] || { echo "no key in: $tenant" >&2; exit 1; }
printf '1300000001 %s %s\n' "$secret_id" "$secret_key" >"$work/keys.txt"

"$obvpnd" --config "$work/obvpn.toml" >"$work/stdout" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 100); do
  grep -q 'admin listening' "$work/stdout" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
  sleep 0.1
done
api_port=$(sed -n 's/^obvpnd: api listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/stdout")
[ -n "$api_port" ] || { echo "obvpnd did not start" >&2; cat "$work/stderr" >&2; exit 1; }

run() { "$bench" "$@" --expect-success --duration 60; }
http=(http --port "$api_port" --keys "$work/keys.txt")
run "${http[@]}" --action set --create-or-update create --password Bench1234pw \
  --requests 1 --connections 1 --label set_create
run "${http[@]}" --action get --requests 300 --connections 4 --label get
run "${http[@]}" --action get --sign HmacSHA256 --requests 50 --connections 2 --label get256
run "${http[@]}" --action set --method POST --password Bench1234pw --requests 20 \
  --connections 2 --label set
run "${http[@]}" --action mix --set-fraction 0.2 --password Bench1234pw --requests 100 \
  --connections 4 --label mix
run "${http[@]}" --action get --rate 200 --requests 50 --connections 2 --label get_rate

radius_port=$(sed -n 's/^obvpnd: radius listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/stdout")
if [ -n "$radius_port" ]; then
  printf 'smoke-radius-secret\n' >"$work/radius.secret"
  chmod 600 "$work/radius.secret"
  "$obvpnctl" --config "$work/obvpn.toml" radius-client add bench --address 127.0.0.1/32 \
    --secret-file "$work/radius.secret" >/dev/null
  sleep 1.5  # obvpnd picks up RADIUS clients within a second (SPEC §8)
  rad=(radius --port "$radius_port" --secret smoke-radius-secret --concurrency 4
    --require-reply-message-authenticator)
  run "${rad[@]}" --kind status --requests 50 --label radius_status
  run "${rad[@]}" --kind accept --user 1300000001 --password Bench1234pw --requests 50 \
    --label radius_accept
  run "${rad[@]}" --kind reject --user 1399999999 --password Bench1234pw --requests 50 \
    --label radius_reject
fi
echo "bench smoke: every request had the expected outcome"
