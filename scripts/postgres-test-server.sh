#!/usr/bin/env bash
# A private PostgreSQL server for the tests (Debian package postgresql, version 15): its
# own data directory under $TMPDIR, a Unix socket in a private directory and no TCP
# listener (so it collides with nothing on the machine), run as the postgres user when
# invoked as root, stopped by PID.
#
# Usage:
#   scripts/postgres-test-server.sh start STATE_DIR    initdb on first use, start, wait until ready
#   scripts/postgres-test-server.sh stop STATE_DIR     fast shutdown by PID; the data is kept
#   scripts/postgres-test-server.sh destroy STATE_DIR  stop if running, delete data and state
#
# After start, STATE_DIR/url holds a libpq URI for the server (database postgres, user
# postgres, trust authentication on the private socket) and STATE_DIR/pid the
# postmaster's PID. `start` after `stop` restarts on the same directory and socket, so
# the URL stays valid: the outage tests stop and restart the database under a running
# obvpnd. Durability settings are off (fsync=off): this is a test server.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|destroy STATE_DIR" >&2
  exit 2
}

cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || usage

find_bindir() {
  if [ -n "${OBVPN_PG_BINDIR:-}" ]; then
    echo "$OBVPN_PG_BINDIR"
    return
  fi
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then
      echo "$d"
      return
    fi
  done
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return
  fi
  echo "postgres-test-server: PostgreSQL server binaries not found (initdb); install the" \
    "Debian package postgresql (scripts/deps.sh test) or set OBVPN_PG_BINDIR" >&2
  exit 1
}

# PostgreSQL refuses to run as root: run its programs as the postgres user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

alive() {
  [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null
}

do_start() {
  mkdir -p "$state"
  if alive; then
    return 0
  fi
  local bindir root port
  bindir=$(find_bindir)
  port=${OBVPN_PG_PORT:-5432}
  if [ -f "$state/root" ] && [ -d "$(cat "$state/root")/data" ]; then
    root=$(cat "$state/root")
  else
    # A short path: the socket path must fit in sun_path (108 bytes).
    root=$(mktemp -d "${TMPDIR:-/tmp}/obvpn-pg.XXXXXX")
    chmod 755 "$root"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$root"; fi
    (cd "$root" && as_pg "$bindir/initdb" -D "$root/data" -U postgres -A trust -E UTF8 \
      --locale=C --no-sync >"$root/initdb.log" 2>&1) || {
      cat "$root/initdb.log" >&2
      exit 1
    }
    echo "$root" >"$state/root"
  fi
  # Unix socket only (listen_addresses empty), in the private directory.
  (cd "$root" && as_pg "$bindir/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 \
    -o "-k $root -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB" start >/dev/null) || {
    echo "postgres-test-server: the server did not start:" >&2
    tail -n 50 "$root/server.log" >&2 || true
    exit 1
  }
  head -n 1 "$root/data/postmaster.pid" >"$state/pid"
  echo "postgresql:///postgres?host=$root&port=$port&user=postgres" >"$state/url"
}

do_stop() {
  if ! alive; then
    rm -f "$state/pid"
    return 0
  fi
  local pid
  pid=$(cat "$state/pid")
  # SIGINT is PostgreSQL's fast shutdown: roll back open transactions, disconnect, exit.
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    # Immediate shutdown; recovery runs at the next start.
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$state/pid"
}

do_destroy() {
  do_stop
  if [ -f "$state/root" ]; then
    local root
    root=$(cat "$state/root")
    case "$root" in
      */obvpn-pg.*) rm -rf "$root" ;;
    esac
  fi
  rm -rf "$state"
}

case "$cmd" in
  start) do_start ;;
  stop) do_stop ;;
  destroy) do_destroy ;;
  *) usage ;;
esac
