#!/usr/bin/env bash
# Installs what is missing, builds, and starts obvpnd on the embedded default (SQLite in
# ./var, API on 127.0.0.1:8080), after printing a demo tenant's SecretId/SecretKey and a
# ready-to-paste `obvpnctl call` line. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
# Only the two binaries: the demo needs no test framework.
cmake --preset release -DOBVPN_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release -j"$(nproc)" --target obvpnd obvpnctl
bin=build/release/src
app_id=1251001002
if out=$("$bin/cli/obvpnctl" --data-dir ./var tenant add "$app_id" 2>/dev/null); then :; else
  # The tenant exists from an earlier run: give it a fresh key (keys are shown only once).
  out=$("$bin/cli/obvpnctl" --data-dir ./var key add "$app_id")
fi
secret_id=$(printf '%s' "$out" | sed -n 's/.*"secretId":"\([^"]*\)".*/\1/p')
secret_key=$(printf '%s' "$out" | sed -n 's/.*"secretKey":"\([^"]*\)".*/\1/p')
cat <<MSG
Demo tenant $app_id
  SecretId:  $secret_id
  SecretKey: $secret_key

In another terminal, paste:
  TENCENTCLOUD_SECRET_ID=$secret_id TENCENTCLOUD_SECRET_KEY=$secret_key $bin/cli/obvpnctl call --endpoint http://127.0.0.1:8080 GetOutBandVPNAuthInfo

MSG
exec "$bin/daemon/obvpnd" --data-dir ./var
