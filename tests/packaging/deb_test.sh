#!/usr/bin/env bash
# Builds the .deb with CPack, installs it with dpkg, checks what it installed, validates
# the packaged configuration, starts the packaged obvpnd once as the obvpn user, walks the
# operator's first steps of docs/operations.md (tenant, readiness, metrics, backup,
# restore, master key rotation), stops it by PID, and purges the package. Needs root (CI runs as root). Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build="$1"
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  dpkg --purge obvpn >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/pkg" >/dev/null)
deb=$(ls "$work"/pkg/obvpn_*.deb)
# (Captured first: with pipefail, grep -q closing the pipe early would fail the writer.)
info=$(dpkg-deb --info "$deb")
grep -q "Package: obvpn" <<<"$info" || fail "package metadata"
dpkg -i "$deb" >/dev/null

for f in /usr/bin/obvpnd /usr/bin/obvpnctl /lib/systemd/system/obvpnd.service /etc/obvpn/obvpn.toml \
         /usr/share/doc/obvpn/README.md; do
  [ -e "$f" ] || fail "missing $f"
done
conffiles=$(dpkg-query -W -f='${Conffiles}\n' obvpn)
grep -q /etc/obvpn/obvpn.toml <<<"$conffiles" || fail "config is not a conffile"
getent passwd obvpn >/dev/null || fail "no obvpn user"
[ "$(stat -c %a /var/lib/obvpn)" = 700 ] || fail "data dir mode"
[ "$(stat -c %U /var/lib/obvpn)" = obvpn ] || fail "data dir owner"
grep -q '^NoNewPrivileges=yes' /lib/systemd/system/obvpnd.service || fail "unit hardening"
grep -q '^ProtectSystem=strict' /lib/systemd/system/obvpnd.service || fail "unit hardening"

check=$(/usr/bin/obvpnd --config /etc/obvpn/obvpn.toml --check-config) \
  || fail "packaged config does not validate"
grep -q "configuration OK" <<<"$check" || fail "check-config output"

# Start the packaged daemon once, as the service user, on free ports.
# setpriv execs obvpnd itself (runuser would fork), so $pid is obvpnd's own PID.
setpriv --reuid obvpn --regid obvpn --init-groups -- /usr/bin/obvpnd --config /etc/obvpn/obvpn.toml --api-listen 127.0.0.1:0 \
  --radius-listen 127.0.0.1:0 --admin-listen 127.0.0.1:0 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 100); do grep -q "api listening" "$work/out" && break; sleep 0.1; done
grep -q "api listening" "$work/out" || { cat "$work/err" >&2; fail "packaged obvpnd did not start"; }
admin=$(sed -n 's/^obvpnd: admin listening on //p' "$work/out")
health=$(curl -fsS "http://$admin/healthz") || fail "healthz"
grep -q ok <<<"$health" || fail "healthz body"
[ "$(stat -c %a /var/lib/obvpn/master.key)" = 600 ] || fail "master key mode"

# The operator's first steps of docs/operations.md, as the service user.
ctl() { setpriv --reuid obvpn --regid obvpn --init-groups -- /usr/bin/obvpnctl --config /etc/obvpn/obvpn.toml "$@"; }
ctl tenant add 1251001002 >"$work/tenant" || fail "obvpnctl tenant add as obvpn"
grep -q '"secretKey"' "$work/tenant" || fail "tenant add output"
ready=$(curl -fsS "http://$admin/readyz") || fail "readyz"
grep -q ready <<<"$ready" || fail "readyz body"
metrics=$(curl -fsS "http://$admin/metrics") || fail "metrics"
grep -q '^obvpn_build_info{version=' <<<"$metrics" || fail "metrics build info"
chmod 711 "$work" && install -d -o obvpn -g obvpn -m 700 "$work/backups"
ctl backup "$work/backups/obvpn.db" >/dev/null || fail "obvpnctl backup while serving"
if ctl restore "$work/backups/obvpn.db" --force 2>/dev/null; then fail "restore while obvpnd runs"; fi
kill "$pid"
wait "$pid" || fail "obvpnd did not exit 0 on SIGTERM"
pid=""
ctl restore "$work/backups/obvpn.db" --force >/dev/null || fail "obvpnctl restore"
ctl rotate-master-key >/dev/null || fail "obvpnctl rotate-master-key"
[ "$(stat -c %U:%a /var/lib/obvpn/master.key)" = obvpn:600 ] || fail "rotated master key owner/mode"
ctl tenant list --json | grep -q 1251001002 || fail "tenant after restore and rotation"
echo "deb package: OK ($(basename "$deb"))"
