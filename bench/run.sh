#!/usr/bin/env bash
# bench/run.sh: the full obvpn benchmark (SPEC §9), in one run on this machine.
#
# It installs what it needs and is missing (Debian: nginx, freeradius, gnuplot-nox and the
# build dependencies), builds obvpnd and the bench tools in release mode, then starts, on
# loopback only and each pinned to the same "server" CPUs:
#   - obvpnd with rate limits raised for benchmarking,
#   - nginx serving the same JSON reply as GetOutBandVPNAuthInfo with `return 200`,
#   - FreeRADIUS 3.2 with the same user and password, reject_delay 0,
# and drives them with obvpn-bench pinned to the other CPUs. Every figure that has a
# target is a ratio of two measurements of this run (so machine noise cancels) or an
# absolute bound from SPEC §9. It prints a Markdown table and, last, one line per
# target, e.g. `get_vs_nginx_ratio=0.71`.
#
# Usage: bench/run.sh [--quick] [--skip-build] [--build-dir DIR] [--plot FILE] [--out DIR]
#   --quick       2 s runs, 1 repetition, 100k tenants (a check of the script, not numbers)
#   --skip-build  use the binaries already in the build directory
#   --plot FILE   where the PNG of throughput and p99 against connections goes
#                 (default: the output directory)
#   --out DIR     keep the raw results there (default: a fresh temporary directory)
# Environment: BENCH_DURATION (s, default 5), BENCH_REPS (3), BENCH_TENANTS (1000000),
#   JOBS (build parallelism, default 2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/bench"
duration=${BENCH_DURATION:-5}
reps=${BENCH_REPS:-3}
tenants_big=${BENCH_TENANTS:-1000000}
jobs=${JOBS:-2}
skip_build=0
plot=""
out=""
while (($#)); do
  case "$1" in
    --quick) duration=2 reps=1 tenants_big=100000 ;;
    --skip-build) skip_build=1 ;;
    --build-dir) build=$2; shift ;;
    --plot) plot=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
warmup=1

log() { echo "run.sh: $*" >&2; }

# --- dependencies -------------------------------------------------------------------
install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  # Debian's packages start their services on install unless policy-rc.d forbids it;
  # this script starts its own instances and stops them by PID.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y \
    --no-install-recommends "${missing[@]}"
}
"$root/scripts/deps.sh" build
install_missing libbenchmark-dev nginx freeradius gnuplot-nox util-linux procps

if ((!skip_build)); then
  log "building (release) in $build"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOBVPN_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$jobs" --target obvpnd obvpnctl obvpn-bench obvpn-gen-tenants \
    obvpn-microbench >/dev/null
fi
obvpnd="$build/src/daemon/obvpnd"
obvpnctl="$build/src/cli/obvpnctl"
bench="$build/bench/obvpn-bench"
gen="$build/bench/obvpn-gen-tenants"
micro="$build/bench/obvpn-microbench"
for f in "$obvpnd" "$obvpnctl" "$bench" "$gen" "$micro"; do
  [ -x "$f" ] || { log "missing $f (build first, or drop --skip-build)"; exit 1; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
freeradius_bin=$(command -v freeradius || echo /usr/sbin/freeradius)

# --- CPUs: servers on the first half, the load generator on the rest -----------------
ncpu=$(nproc)
if ((ncpu >= 2)); then
  srv_n=$((ncpu / 2))
  srv_cpus="0-$((srv_n - 1))"
  cli_cpus="$srv_n-$((ncpu - 1))"
  cli_n=$((ncpu - srv_n))
else
  srv_n=1 cli_n=1 srv_cpus=0 cli_cpus=0
fi
# (Background servers are started with taskset directly, not through these functions: a
# function sent to the background forks a subshell, and $! would not be the server's PID.)
pin_srv() { taskset -c "$srv_cpus" "$@"; }
pin_cli() { taskset -c "$cli_cpus" "$@"; }

# --- work directory and cleanup -------------------------------------------------------
if [ -n "$out" ]; then
  mkdir -p "$out"
  work=$(cd "$out" && pwd)
else
  work=$(mktemp -d /tmp/obvpn-bench.XXXXXX)
fi
[ -n "$plot" ] || plot="$work/performance-get.png"
pids=()
stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
}
trap cleanup EXIT
log "results in $work (server CPUs $srv_cpus, client CPUs $cli_cpus)"
: >"$work/results.txt"

# A TCP port nobody listens on (bash's /dev/tcp connect fails on a free port).
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

# field LINE KEY: the value of KEY=... in a RESULT line.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
# median of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# calc EXPR: floating-point arithmetic, 2 decimals.
calc() { awk "BEGIN {printf \"%.2f\", $1}"; }
rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# run_bench LABEL ARGS...: one obvpn-bench run on the client CPUs; prints its RESULT line.
run_bench() {
  local label=$1
  shift
  local line
  line=$(pin_cli "$bench" "$@" --label "$label" --warmup "$warmup" --duration "$duration" |
    grep '^RESULT') || { log "obvpn-bench failed: $label"; exit 1; }
  echo "$line" >>"$work/results.txt"
  log "$line"
  echo "$line"
}

# --- microbenchmarks (before any server runs) -----------------------------------------
log "microbenchmarks"
pin_srv "$micro" --benchmark_min_time=0.5 --benchmark_out="$work/micro.csv" \
  --benchmark_out_format=csv >"$work/micro.txt" 2>&1
hash_ms=$(awk -F, '$1 ~ /BM_Argon2idHash/ {print $3}' "$work/micro.csv")
[ -n "$hash_ms" ] || { log "no argon2id figure in $work/micro.csv"; exit 1; }
kdf_bound=$(calc "$srv_n * 1000 / $hash_ms")
log "argon2id hash $hash_ms ms -> bound $kdf_bound /s on $srv_n server CPU(s)"

# --- obvpnd ------------------------------------------------------------------------------
# start_obvpnd DATA_DIR NAME: starts obvpnd pinned to the server CPUs; sets obvpnd_pid,
# api_port, radius_port and startup_ms (launch → all listeners ready).
start_obvpnd() {
  local dir=$1 name=$2 cfg="$work/$2.toml" t0 t1 i
  cat >"$cfg" <<TOML
data_dir = "$dir"
[api]
listen = "127.0.0.1:0"
io_threads = $srv_n
[radius]
listen = "127.0.0.1:0"
[admin]
listen = "127.0.0.1:0"
[password]
hash_workers = $srv_n
# A machine that runs obvpnd alone (SPEC §9 "Get p99 under Set saturation"): the hash
# workers take only the cycles the I/O threads leave (docs/performance.md).
hash_priority = "idle"
[limits]
# Raised for benchmarking: the defaults (100 per minute per action) would answer 4400.
v2_per_action_per_minute = 1000000000
v2_per_app_per_minute = 1000000000
TOML
  t0=$(date +%s%N)
  taskset -c "$srv_cpus" "$obvpnd" --config "$cfg" >"$work/$name.stdout" 2>"$work/$name.log" &
  obvpnd_pid=$!
  pids+=("$obvpnd_pid")
  for i in $(seq 1 2000); do
    grep -q 'admin listening' "$work/$name.stdout" 2>/dev/null && break
    kill -0 "$obvpnd_pid" 2>/dev/null || { cat "$work/$name.log" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  startup_ms=$(((t1 - t0) / 1000000))
  api_port=$(sed -n 's/^obvpnd: api listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/$name.stdout")
  radius_port=$(sed -n 's/^obvpnd: radius listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/$name.stdout")
  [ -n "$api_port" ] || { log "obvpnd did not start"; cat "$work/$name.log" >&2; exit 1; }
}

log "generating 1000 tenants"
pin_srv "$gen" --data-dir "$work/d1k" --tenants 1000 --sample 1000 --keys-out "$work/keys1k.txt" >&2
first_app=$(awk 'NR==1 {print $1}' "$work/keys1k.txt")
radius_secret="bench-radius-$(date +%s)"
printf '%s\n' "$radius_secret" >"$work/radius.secret"
chmod 600 "$work/radius.secret"
"$obvpnctl" --data-dir "$work/d1k" radius-client add bench --address 127.0.0.1/32 \
  --secret-file "$work/radius.secret" >/dev/null

start_obvpnd "$work/d1k" obvpnd
main_pid=$obvpnd_pid
main_api=$api_port
main_radius=$radius_port
sleep 2
idle_rss=$(rss_mb "$main_pid")
log "obvpnd up in ${startup_ms} ms, idle RSS ${idle_rss} MB"

# --- nginx ---------------------------------------------------------------------------------
nginx_port=$(free_port)
mkdir -p "$work/nginx"
reply="{\"code\":0,\"message\":\"\",\"codeDesc\":\"Success\",\"data\":{\"authInfo\":{\"vpnGwAddr\":\"115.159.242.100:443\",\"userName\":\"$first_app\",\"userGroup\":\"bm$first_app\",\"be_first\":false}}}"
cat >"$work/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes $srv_n;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 8192; }
http {
  # Like obvpnd: one log line per request, keep-alive without a request limit.
  access_log $work/nginx/access.log;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      default_type application/json;
      add_header X-Request-Id \$request_id;
      return 200 '$reply';
    }
  }
}
NGINX
taskset -c "$srv_cpus" "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
pids+=("$nginx_pid")

# --- FreeRADIUS ------------------------------------------------------------------------------
fr_port=$(free_port)
raddb="$work/raddb"
rm -rf "$raddb"
cp -a /etc/freeradius/3.0 "$raddb"
# FreeRADIUS keeps every request for cleanup_delay (5 s: duplicate detection, like
# obvpnd's RFC 5080 cache) and drops new ones beyond max_requests (16384 by default),
# which would cap it far below what it can do: raise the cap.
# Only what the benchmark uses: no default/inner-tunnel sites, no EAP (it needs
# certificates Debian does not generate). The site does what obvpnd does for PAP: look
# the user up, check the password, reply with Class.
rm -f "$raddb"/sites-enabled/* "$raddb/mods-enabled/eap"
sed -i -e "s|^raddbdir = .*|raddbdir = $raddb|" -e "s|^logdir = .*|logdir = $work|" \
  -e "s|^run_dir = .*|run_dir = $work|" \
  -e 's|^\(\s*\)reject_delay = .*|\1reject_delay = 0|' \
  -e 's|^max_requests = .*|max_requests = 4194304|' \
  -e 's|^\(\s*\)user = freerad|\1#user = freerad|' \
  -e 's|^\(\s*\)group = freerad|\1#group = freerad|' "$raddb/radiusd.conf"
cat >"$raddb/clients.conf" <<EOF
client bench {
	ipaddr = 127.0.0.1
	secret = $radius_secret
	require_message_authenticator = yes
}
EOF
cat >"$raddb/mods-config/files/authorize" <<EOF
$first_app	Cleartext-Password := "Bench1234pw"
	Class := "bm$first_app"
EOF
cat >"$raddb/sites-enabled/bench" <<EOF
server bench {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $fr_port
	}
	authorize {
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
	}
	post-auth {
		Post-Auth-Type REJECT {
			attr_filter.access_reject
		}
	}
}
EOF
taskset -c "$srv_cpus" "$freeradius_bin" -f -d "$raddb" -l "$work/freeradius.log" &
fr_pid=$!
pids+=("$fr_pid")
sleep 2
kill -0 "$nginx_pid" || { log "nginx did not start"; cat "$work/nginx/error.log" >&2; exit 1; }
kill -0 "$fr_pid" || { log "FreeRADIUS did not start"; cat "$work/freeradius.log" >&2; exit 1; }

keys=(--keys "$work/keys1k.txt")
get_obvpnd=(http --port "$main_api" --action get "${keys[@]}" --threads "$cli_n")
# nginx gets the very same signed requests (it ignores the query), so the client does
# the same work for both servers.
get_nginx=(http --port "$nginx_port" --action get "${keys[@]}" --threads "$cli_n")

# --- Get: throughput and p99 against connections (the plot) ----------------------------------
log "Get sweep"
: >"$work/sweep.dat"
for c in 1 4 16 64 256; do
  o=$(run_bench "obvpnd_get_c$c" "${get_obvpnd[@]}" --connections "$c")
  n=$(run_bench "nginx_get_c$c" "${get_nginx[@]}" --connections "$c")
  echo "$c $(field "$o" rps) $(field "$o" p99_us) $(field "$n" rps) $(field "$n" p99_us)" >>"$work/sweep.dat"
done

# --- Get at 64 connections, obvpnd and nginx interleaved -------------------------------------
o_rps=() o_p99=() o_p50=() n_rps=() n_p99=()
for r in $(seq 1 "$reps"); do
  o=$(run_bench "obvpnd_get64_r$r" "${get_obvpnd[@]}" --connections 64)
  n=$(run_bench "nginx_get64_r$r" "${get_nginx[@]}" --connections 64)
  o_rps+=("$(field "$o" rps)") o_p99+=("$(field "$o" p99_us)") o_p50+=("$(field "$o" p50_us)")
  n_rps+=("$(field "$n" rps)") n_p99+=("$(field "$n" p99_us)")
  [ "$(field "$o" errors)" = 0 ] || log "WARNING: obvpnd Get errors: $o"
done
get_rps=$(median "${o_rps[@]}")
get_p99=$(median "${o_p99[@]}")
get_p50=$(median "${o_p50[@]}")
ngx_rps=$(median "${n_rps[@]}")
ngx_p99=$(median "${n_p99[@]}")

# --- RADIUS -------------------------------------------------------------------------------------
rad_conc=64
rad_obvpnd=(radius --port "$main_radius" --secret "$radius_secret" --require-reply-message-authenticator)
rad_fr=(radius --port "$fr_port" --secret "$radius_secret")
unknown_user=1999999999
o_rej=() f_rej=()
for r in $(seq 1 "$reps"); do
  o=$(run_bench "obvpnd_radius_reject_r$r" "${rad_obvpnd[@]}" --kind reject --user "$unknown_user" \
    --password Bench1234pw --concurrency "$rad_conc")
  f=$(run_bench "freeradius_reject_r$r" "${rad_fr[@]}" --kind reject --user "$unknown_user" \
    --password Bench1234pw --concurrency "$rad_conc")
  o_rej+=("$(field "$o" rps)") f_rej+=("$(field "$f" rps)")
  [ "$(field "$o" errors)" = 0 ] || log "WARNING: obvpnd reject errors: $o"
done
rej_rps=$(median "${o_rej[@]}")
fr_rej_rps=$(median "${f_rej[@]}")
o=$(run_bench obvpnd_radius_status "${rad_obvpnd[@]}" --kind status --concurrency "$rad_conc")
status_rps=$(field "$o" rps)
f=$(run_bench freeradius_status "${rad_fr[@]}" --kind status --concurrency "$rad_conc")
fr_status_rps=$(field "$f" rps)
f=$(run_bench freeradius_accept "${rad_fr[@]}" --kind accept --user "$first_app" \
  --password Bench1234pw --concurrency "$rad_conc")
fr_accept_rps=$(field "$f" rps)
# Accepts are bound by argon2id: enough in flight to keep every hash worker busy.
hash_conc=$((8 * srv_n))
o=$(run_bench obvpnd_radius_accept "${rad_obvpnd[@]}" --kind accept --user "$first_app" \
  --password Bench1234pw --concurrency "$hash_conc")
accept_rps=$(field "$o" rps)
accept_p99=$(field "$o" p99_us)

# --- Set at saturation, and Get p99 idle and under that load ---------------------------------
set_args=(http --port "$main_api" --action set --method POST --password Bench1234pw "${keys[@]}"
  --threads 1 --connections "$hash_conc")
o=$(run_bench obvpnd_set "${set_args[@]}")
set_rps=$(field "$o" rps)
set_p99=$(field "$o" p99_us)
[ "$(field "$o" errors)" = 0 ] || log "WARNING: Set errors: $o"
# Get at a fixed rate, so the p99 shows service time rather than the queue of a
# closed loop.
get_rate=(http --port "$main_api" --action get "${keys[@]}" --threads 1 --connections 4 --rate 500)
o=$(run_bench obvpnd_get_idle_rate500 "${get_rate[@]}")
idle_p99=$(field "$o" p99_us)
idle_p50=$(field "$o" p50_us)
taskset -c "$cli_cpus" "$bench" "${set_args[@]}" --label obvpnd_set_background --duration $((duration + 2 * warmup + 1)) \
  >"$work/set_background.txt" &
bg=$!
sleep "$warmup"
o=$(run_bench obvpnd_get_under_set_rate500 "${get_rate[@]}")
loaded_p99=$(field "$o" p99_us)
wait "$bg" || true
grep '^RESULT' "$work/set_background.txt" >>"$work/results.txt" || true
loaded_set_rps=$(field "$(grep '^RESULT' "$work/set_background.txt")" rps)
load_rss=$(rss_mb "$main_pid")

for p in "$main_pid" "$nginx_pid" "$fr_pid"; do stop_pid "$p"; done
pids=()

# --- scale: 1 thousand vs 1 million tenants -----------------------------------------------------
log "generating $tenants_big tenants"
t0=$(date +%s%N)
pin_srv "$gen" --data-dir "$work/dbig" --tenants "$tenants_big" --sample 1000 \
  --keys-out "$work/keysbig.txt" >&2
gen_s=$(calc "($(date +%s%N) - $t0) / 1e9")
pin_srv "$gen" --data-dir "$work/dsmall" --tenants 1000 --sample 1000 --keys-out "$work/keyssmall.txt" >&2
db_mb=$(du -m "$work/dbig/obvpn.db" | awk '{print $1}')
scale_run() {  # scale_run DIR KEYS NAME → sets s_start s_p50 s_p99 s_rps
  start_obvpnd "$1" "$3"
  s_start=$startup_ms
  local o
  o=$(run_bench "$3_get_rate500" http --port "$api_port" --action get --keys "$2" --threads 1 \
    --connections 4 --rate 500)
  s_p50=$(field "$o" p50_us) s_p99=$(field "$o" p99_us)
  o=$(run_bench "$3_get64" http --port "$api_port" --action get --keys "$2" --threads "$cli_n" \
    --connections 64)
  s_rps=$(field "$o" rps)
  stop_pid "$obvpnd_pid"
  pids=()
}
scale_run "$work/dsmall" "$work/keyssmall.txt" obvpnd_1k
k_start=$s_start k_p50=$s_p50 k_p99=$s_p99 k_rps=$s_rps
scale_run "$work/dbig" "$work/keysbig.txt" obvpnd_big
m_start=$s_start m_p50=$s_p50 m_p99=$s_p99 m_rps=$s_rps

# --- plot -------------------------------------------------------------------------------------
if command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal pngcairo size 1100,450 font "sans,10"
set output "$plot"
set multiplot layout 1,2 title "Signed GetOutBandVPNAuthInfo, keep-alive, $srv_n server CPU(s) ($(date -u +%Y-%m-%d))"
set logscale x 2
set xlabel "connections"
set grid
set key top left
set ylabel "requests/s"
set yrange [0:*]
plot "$work/sweep.dat" using 1:2 with linespoints lw 2 title "obvpnd", \
     "" using 1:4 with linespoints lw 2 title "nginx return 200"
set ylabel "p99 latency (ms)"
set logscale y 10
set yrange [*:*]
plot "$work/sweep.dat" using 1:(\$3/1000) with linespoints lw 2 title "obvpnd", \
     "" using 1:(\$5/1000) with linespoints lw 2 title "nginx return 200"
unset multiplot
GP
  log "plot: $plot"
fi

# --- report ----------------------------------------------------------------------------------------
get_ratio=$(calc "$get_rps / $ngx_rps")
rej_ratio=$(calc "$rej_rps / $fr_rej_rps")
set_ratio=$(calc "$set_rps / $kdf_bound")
accept_ratio=$(calc "$accept_rps / $kdf_bound")
p99_ratio=$(calc "$loaded_p99 / $idle_p99")
lat_ratio=$(calc "$m_p50 / $k_p50")
met() { awk "BEGIN {print ($1) ? \"yes\" : \"no\"}"; }
ms() { calc "$1 / 1000"; }
{
  echo
  echo "obvpn benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), servers on CPUs $srv_cpus, load generator on CPUs $cli_cpus; ${duration} s per run after ${warmup} s warm-up, medians of $reps"
  echo
  echo "| measurement | obvpnd | baseline | ratio | target | met |"
  echo "|---|---|---|---|---|---|"
  echo "| Get, 64 connections, requests/s | $get_rps | nginx $ngx_rps | $get_ratio | ≥ 0.6 | $(met "$get_ratio >= 0.6") |"
  echo "| Get, 64 connections, p50 / p99 ms | $(ms "$get_p50") / $(ms "$get_p99") | nginx p99 $(ms "$ngx_p99") | | p99 < 2 | $(met "$get_p99 < 2000") |"
  echo "| RADIUS reject (unknown user), $rad_conc in flight, /s | $rej_rps | FreeRADIUS $fr_rej_rps | $rej_ratio | ≥ 1.5 | $(met "$rej_ratio >= 1.5") |"
  echo "| RADIUS Status-Server, /s | $status_rps | FreeRADIUS $fr_status_rps | $(calc "$status_rps / $fr_status_rps") | | |"
  echo "| RADIUS accept, /s (p99 ms) | $accept_rps ($(ms "$accept_p99")) | bound $kdf_bound; FreeRADIUS (cleartext) $fr_accept_rps | $accept_ratio | ≥ 0.9 | $(met "$accept_ratio >= 0.9") |"
  echo "| Set, $hash_conc connections, /s (p99 ms) | $set_rps ($(ms "$set_p99")) | bound $kdf_bound ($srv_n ÷ $hash_ms ms) | $set_ratio | ≥ 0.9 | $(met "$set_ratio >= 0.9") |"
  echo "| Get p99 at 500/s, idle → under Set load, ms | $(ms "$idle_p99") → $(ms "$loaded_p99") (Set $loaded_set_rps/s) | | $p99_ratio | ≤ 3 | $(met "$p99_ratio <= 3") |"
  echo "| RSS idle / after load, MB | $idle_rss / $load_rss | | | idle < 30 | $(met "$idle_rss < 30") |"
  echo "| Get p50 / p99 at 500/s, ms: 1k → $tenants_big tenants | $(ms "$k_p50") / $(ms "$k_p99") → $(ms "$m_p50") / $(ms "$m_p99") | | $lat_ratio | < 1.2 | $(met "$lat_ratio < 1.2") |"
  echo "| Get 64 connections /s: 1k → $tenants_big tenants | $k_rps → $m_rps | | $(calc "$m_rps / $k_rps") | | |"
  echo "| startup ms: 1k → $tenants_big tenants ($db_mb MB, generated in $gen_s s) | $k_start → $m_start | | | < 1000 | $(met "$m_start < 1000") |"
  echo
  echo "get_vs_nginx_ratio=$get_ratio"
  echo "get_p99_ms=$(ms "$get_p99")"
  echo "radius_reject_vs_freeradius_ratio=$rej_ratio"
  echo "set_vs_kdf_bound=$set_ratio"
  echo "radius_accept_vs_kdf_bound=$accept_ratio"
  echo "get_p99_under_set_load_ratio=$p99_ratio"
  echo "idle_rss_mb=$idle_rss"
  echo "tenants_1m_get_latency_ratio=$lat_ratio"
  echo "startup_1m_ms=$m_start"
} | tee "$work/report.md"
