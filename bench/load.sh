#!/usr/bin/env bash
# Load test of the dashboard and the API on loopback with wrk (Debian's `wrk`; scripts/test.sh installs it).
# Builds Release, starts the app as operators run it (Production, console + file logs, request logging on) on a
# fresh database holding the bundled real snapshot (15,904 models, 13 runs), then for each target: 10 s warm-up,
# 60 s of load, then 60 s idle; prints requests/s, latency percentiles and the process's memory (RSS) at baseline,
# right after the load and after the idle minute. The API's rate limit is lifted for the measurement (one client,
# loopback); the last step shows the default limit (120 a minute per client) answering 429 instead.
# Usage: bench/load.sh [connections=32] [seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-32}
seconds=${2:-60}
# A free port of our own, so the load never lands on another server of this machine.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d /tmp/omw-load.XXXXXX)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release src/OpenModelWatch.Web -v quiet -nologo >/dev/null
app_dir=src/OpenModelWatch.Web/bin/Release/net10.0

start_app() { # $1 = permits per minute
  (cd "$app_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
    ConnectionStrings__OpenModelWatch="Data Source=$work/omw.db" Logs__Path="$work/logs" \
    Ingestion__Enabled=false Hub__BaseUrl=http://127.0.0.1:9 RateLimiting__PermitsPerMinute="$1" \
    dotnet OpenModelWatch.Web.dll >>"$work/console.log" 2>&1) &
  app=$!
  for _ in $(seq 1 180); do
    kill -0 "$app" 2>/dev/null || { echo "the app exited; see $work/console.log" >&2; exit 1; }
    curl -sf -o /dev/null "http://127.0.0.1:$port/health/live" && return 0
    sleep 1
  done
  echo "the app did not start; see $work/console.log" >&2; exit 1
}
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$app/status"; }
stop_app() { kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; }
trap stop_app EXIT

cat >"$work/api.lua" <<'LUA'
-- Rotates over the API's lists, as a dashboard or a script reading the API would.
local paths = { "/api/v1/countries", "/api/v1/labs?limit=100", "/api/v1/models?limit=100", "/api/v1/models?limit=100&sort=likes&country=CN", "/api/v1/runs" }
local i = 0
request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end
LUA

start_app 1000000
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg); wrk: 2 threads, $connections connections, ${seconds} s per target"
echo "RSS after start (snapshot imported, nothing served yet): $(rss)"
for target in overview api; do
  if [ "$target" = overview ]; then args=("http://127.0.0.1:$port/"); else args=(-s "$work/api.lua" "http://127.0.0.1:$port"); fi
  wrk -t2 -c"$connections" -d10s "${args[@]}" >/dev/null   # warm-up: JIT, caches, connection pools
  sleep 5
  echo "== $target: baseline RSS $(rss)"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "${args[@]}" | grep -E "Requests/sec|Latency  |50%|90%|99%|requests in|Non-2xx|Socket errors"
  echo "   RSS right after the load: $(rss)"
  sleep 60
  echo "   RSS after 60 s idle: $(rss)"
done
stop_app

# The default limit: one client hammering the API gets 429 with Retry-After once it has used its 120 a minute.
start_app 120
echo "== api with the default limit (120 a minute per client), 10 s:"
wrk -t1 -c4 -d10s -s "$work/api.lua" "http://127.0.0.1:$port" | grep -E "Requests/sec|requests in|Non-2xx"
curl -s -o /dev/null -D - "http://127.0.0.1:$port/api/v1/countries" | grep -iE "^HTTP|^retry-after"
rm -rf "$work"
