#!/usr/bin/env bash
# Benchmark (not a test): exports over loopback with wrk. A fresh database gets one real ingestion run of N generated
# models (the registry's namespaces, from the fake Hub); then the Release app is measured on:
#   - a CSV export of every model (N rows): cached (output cache per as-of run), and uncached (Exports:Cache=false);
#   - a chart PNG (region share): cached and uncached.
# Usage: bench/exports.sh [N]      N models (default 10,000); DURATION=20s CONNECTIONS=8 THREADS=2 to change the load.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
HUB_PORT=${HUB_PORT:-5291}
APP_PORT=${APP_PORT:-5292}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk (scripts/test.sh installs it)"; exit 1; }
dotnet build -c Release -v q -nologo src/OpenModelWatch.Web >/dev/null
dotnet build -c Release -v q -nologo tests/OpenModelWatch.FakeHub >/dev/null

namespaces=$(python3 -c 'import json
print(",".join(dict.fromkeys(n for lab in json.load(open("seeds/labs.json"))["labs"] for n in lab["namespaces"])))')
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
dotnet tests/OpenModelWatch.FakeHub/bin/Release/net10.0/OpenModelWatch.FakeHub.dll \
  --port "$HUB_PORT" --models "$N" --namespaces "$namespaces" --quota 100000000 >"$work/fakehub.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HUB_PORT/api/models?author=Qwen&limit=1" >/dev/null && break; sleep 0.1; done

export ConnectionStrings__OpenModelWatch="Data Source=$work/bench.db" Hub__BaseUrl="http://127.0.0.1:$HUB_PORT" \
  Census__TopN=0 Logs__Path= Snapshot__ImportWhenEmpty=false Ingestion__Enabled=false ASPNETCORE_ENVIRONMENT=Production \
  RateLimiting__PermitsPerMinute=1000000 Security__HttpsRedirection=false Serilog__MinimumLevel__Default=Warning
dotnet src/OpenModelWatch.Web/bin/Release/net10.0/OpenModelWatch.Web.dll ingest | tail -1

csv="http://127.0.0.1:$APP_PORT/exports/models.csv"
png="http://127.0.0.1:$APP_PORT/charts/region-share.png"
serve() { # $1: Exports:Cache
  Exports__Cache=$1 ASPNETCORE_URLS="http://127.0.0.1:$APP_PORT" dotnet src/OpenModelWatch.Web/bin/Release/net10.0/OpenModelWatch.Web.dll >"$work/app-$1.log" 2>&1 &
  app=$!
  pids+=($app)
  for _ in $(seq 1 200); do curl -sf "$csv" -o /dev/null && break; sleep 0.1; done
  # Warm up: JIT, the per-run totals, SkiaSharp's first render.
  for _ in 1 2 3; do curl -sf "$csv" -o /dev/null; curl -sf "$png" -o /dev/null; done
}
measure() { # $1: label, $2: url
  echo "== $1"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2" | grep -E "Requests/sec|Transfer/sec|^\s+(50|99)%|Non-2xx|Socket errors"
}

serve true
rows=$(curl -sf "$csv?metadata=none" | tail -n +2 | wc -l)
echo "CSV export: $rows rows, $(curl -sf "$csv" | wc -c) bytes; PNG: $(curl -sf "$png" | wc -c) bytes"
measure "CSV export, $rows rows, cached" "$csv"
measure "chart PNG, cached" "$png"
kill "$app"; wait "$app" 2>/dev/null || true

serve false
measure "CSV export, $rows rows, uncached (Exports:Cache=false)" "$csv"
measure "chart PNG, uncached (Exports:Cache=false)" "$png"
echo "peak RSS of the uncached app: $(grep VmHWM /proc/$app/status | awk '{print $2, $3}')"
