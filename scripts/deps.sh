#!/usr/bin/env bash
# Installs what obvpn needs and is missing, from Debian 12 packages and npm. Idempotent:
# a package already installed is not touched. Usage: scripts/deps.sh [build|test|bench]...
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(build-essential cmake pkg-config g++ libboost1.81-dev libssl-dev libsqlite3-dev
  libsodium-dev libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  # libpq: the PostgreSQL store (SPEC §6 scale-out).
  libpq-dev)
test_pkgs=(libgtest-dev nodejs openssl curl sqlite3 ca-certificates
  # RADIUS peers (PEERS.md) and the network namespaces of the tunnel tests.
  freeradius-utils ocserv openconnect openvpn openvpn-auth-radius iproute2
  # promtool (from prometheus) validates /metrics in tests/integration/ops_metrics.test.js.
  prometheus
  # Google Benchmark: bench/ microbenchmarks and their ctest smoke run.
  libbenchmark-dev
  # PostgreSQL 15 server: the store conformance suite and the two-node tests start a
  # private one (scripts/postgres-test-server.sh).
  postgresql)

want=("${build_pkgs[@]}")
for group in "$@"; do
  case "$group" in
    build) ;;
    test) want+=("${test_pkgs[@]}") ;;
    *) echo "deps.sh: unknown group '$group'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Debian's nodejs ships without npm; NodeSource's nodejs includes it.
if [[ " $* " == *" test "* ]] && ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if ((${#missing[@]})); then
  echo "deps.sh: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # Installing a server package (ocserv, nginx, freeradius, postgresql) must not start
  # it: tests start what they need on free ports and stop it by PID.
  policy=/usr/sbin/policy-rc.d
  created_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    created_policy=1
  fi
  $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" \
    || { if [ -n "$created_policy" ]; then $SUDO rm -f "$policy"; fi; exit 1; }
  if [ -n "$created_policy" ]; then $SUDO rm -f "$policy"; fi
fi

if [[ " $* " == *" test "* ]]; then
  # The real SDKs the integration tests drive (PEERS.md), pinned in package.json.
  (cd tests/integration && npm install --no-audit --no-fund --no-package-lock --loglevel=error >/dev/null)
fi
