#!/usr/bin/env bash
# Benchmark (not a test): first paint of the overview and the models page in Debian's Chromium on loopback
# (bench/OpenModelWatch.FirstPaintBench: Largest Contentful Paint, layout shift, TTFB, DOMContentLoaded; median and p90
# of N loads a page, each in a fresh browser context). The Release app runs as operators run it (Production), with
# scheduled ingestion off, on a fresh SQLite store holding, in turn:
#   1. the bundled August 2026 snapshot only (Snapshot__ImportHistory=false);
#   2. the snapshot and the bundled monthly history (the default fresh install).
# Floors measured in the same run: the methodology page (the same layout and scripts, no query) and a static copy of
# the overview's prerendered HTML without its scripts (its stylesheets still from the app), served by python3's
# http.server: the browser's own paint time for the same bytes.
# Usage: bench/firstpaint.sh [loads a page=20]      SHOTS=folder keeps a screenshot of each page's warm-up load;
# CASES=snapshot (or history) measures one case only.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
[ -x /usr/bin/chromium ] || { echo "Chromium is missing: apt-get install -y chromium fonts-dejavu-core" >&2; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d /tmp/omw-firstpaint.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

dotnet build -c Release -v quiet -nologo src/OpenModelWatch.Web >/dev/null
dotnet build -c Release -v quiet -nologo bench/OpenModelWatch.FirstPaintBench >/dev/null
app_dir=src/OpenModelWatch.Web/bin/Release/net10.0
bench=bench/OpenModelWatch.FirstPaintBench/bin/Release/net10.0/OpenModelWatch.FirstPaintBench.dll
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg); $(/usr/bin/chromium --version 2>/dev/null)"

for case in ${CASES:-snapshot history}; do
  port=$(free_port)
  static_port=$(free_port)
  app_url="http://127.0.0.1:$port"
  history=$([ "$case" = history ] && echo true || echo false)
  rm -f "$work"/omw.db*
  started=$(date +%s.%N)
  (cd "$app_dir" && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$app_url" \
    ConnectionStrings__OpenModelWatch="Data Source=$work/omw.db" Logs__Path= Ingestion__Enabled=false \
    Snapshot__ImportWhenEmpty=true Snapshot__ImportHistory="$history" Hub__BaseUrl=http://127.0.0.1:9 \
    Serilog__MinimumLevel__Default=Warning dotnet OpenModelWatch.Web.dll >"$work/app-$case.log" 2>&1) &
  app=$!
  pids+=("$app")
  for _ in $(seq 1 300); do
    kill -0 "$app" 2>/dev/null || { cat "$work/app-$case.log" >&2; echo "the app exited" >&2; exit 1; }
    curl -sf -o /dev/null "$app_url/health/live" && break
    sleep 0.5
  done
  echo
  echo "== case: $([ "$case" = history ] && echo "bundled snapshot + monthly history (default fresh install)" || echo "bundled snapshot only"): app ready $(python3 -c "print(f'{$(date +%s.%N) - $started:.1f}')") s after start (import included)"

  # The static floor: the overview's prerendered HTML, scripts removed, stylesheets and images from the app.
  mkdir -p "$work/static"
  curl -sf "$app_url/" | python3 -c '
import re, sys
html = sys.stdin.read()
html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
html = re.sub(r"<!--Blazor:.*?-->", "", html, flags=re.S)
print(html.replace("<head>", "<head><base href=\"" + sys.argv[1] + "/\">", 1))' "$app_url" >"$work/static/overview.html"
  (cd "$work/static" && exec python3 -m http.server "$static_port" --bind 127.0.0.1 >/dev/null 2>&1) &
  pids+=($!)
  for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$static_port/overview.html" && break; sleep 0.1; done

  dotnet "$bench" --app "$app_url" --floor "http://127.0.0.1:$static_port/overview.html" --runs "$runs" \
    ${SHOTS:+--shots "$SHOTS/$case"}
  echo "app peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$app/status 2>/dev/null || echo unknown)"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
done
