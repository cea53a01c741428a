#!/usr/bin/env bash
# Benchmark (not a test): read answers of a store, uncached, on either provider, for comparing SQLite and PostgreSQL on
# the same data (e.g. the stores bench/wholehub.sh leaves with KEEP=1). Starts the Release app (built already:
# bench/wholehub.sh builds it) on a free loopback port with the output cache off (Exports__Cache=false), ingestion and
# the snapshot import off, then for each address: one warm-up request, then ITERATIONS timed ones (curl's total time on
# loopback, so server time plus a fraction of a millisecond); prints the median and p90 in milliseconds. The model
# pages (prerendered HTML: the model's history, rank, base and derivatives) are of the first model and of the last
# one by 30-day downloads, whose rank counts the whole run.
#
# Usage: PROVIDER=Sqlite CONNECTION="Data Source=/tmp/x/bench.db" bench/reads.sh [ITERATIONS=15]
#        PROVIDER=PostgreSQL CONNECTION="Host=127.0.0.1;Port=5432;Username=postgres;Database=omw_bench_1" bench/reads.sh
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-15}
: "${PROVIDER:?PROVIDER=Sqlite or PostgreSQL}" "${CONNECTION:?CONNECTION=the connection string of the store}"
port=$((20000 + RANDOM % 40000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 40000)); done
log=$(mktemp /tmp/omw-reads.XXXXXX)
(cd src/OpenModelWatch.Web/bin/Release/net10.0 && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
  Store__Provider="$PROVIDER" ConnectionStrings__OpenModelWatch="$CONNECTION" Exports__Cache=false Logs__Path= \
  Ingestion__Enabled=false Snapshot__ImportWhenEmpty=false Snapshot__ImportHistory=false Hub__BaseUrl=http://127.0.0.1:9 \
  RateLimiting__PermitsPerMinute=1000000 dotnet OpenModelWatch.Web.dll >"$log" 2>&1) &
app=$!
trap 'kill "$app" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 180); do
  kill -0 "$app" 2>/dev/null || { cat "$log" >&2; exit 1; }
  curl -sf -o /dev/null "http://127.0.0.1:$port/health/live" && break
  sleep 1
done
base="http://127.0.0.1:$port"
model=$(curl -sf "$base/api/v1/models?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
last=$(curl -sf "$base/api/v1/models?limit=1&order=asc" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
lab=$(curl -sf "$base/api/v1/labs?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
echo "$PROVIDER: $(curl -sf "$base/api/v1/runs?limit=1" | python3 -c 'import json,sys; r=json.load(sys.stdin)["items"][0]; print("as-of run", r["id"], r["models"], "models")'); model $model, lab $lab; load: $(uptime | sed 's/.*load average: //')"
addresses=(
  "/api/v1/models?limit=50"
  "/api/v1/models?limit=50&offset=4950"
  "/api/v1/models?limit=50&sort=likes"
  "/api/v1/models?limit=50&sort=trendingScore&order=asc"
  "/api/v1/models?limit=50&sort=createdAt&offset=4950"
  "/api/v1/models?limit=50&country=CN"
  "/api/v1/models?limit=50&region=Europe&sort=parameters"
  "/api/v1/models?limit=50&lab=$lab"
  "/api/v1/models?limit=50&task=text-generation&offset=4950"
  "/api/v1/models?limit=50&license=mit&sort=downloadsAllTime"
  "/api/v1/models?limit=50&minParameters=1000000000&maxParameters=20000000000&offset=4950"
  "/api/v1/models?limit=50&createdFrom=2025-01-01&createdTo=2025-06-30"
  "/api/v1/models?limit=50&q=model-00123"
  "/api/v1/models?limit=50&attribution=origin&scope=census"
  "/api/v1/countries"
  "/api/v1/labs"
  "/api/v1/models/$model/history"
  "/models/$model"
  "/models/$last"
  "/exports/labs/$lab/history.json"
  "/api/v1/history/countries?group=region&limit=1000"
)
printf '%-62s %9s %9s\n' address "median ms" "p90 ms"
for address in "${addresses[@]}"; do
  curl -sf -o /dev/null "$base$address" || { echo "$address failed" >&2; continue; }
  times=$(for _ in $(seq 1 "$iterations"); do curl -sf -o /dev/null -w '%{time_total}\n' "$base$address"; done | sort -n)
  median=$(awk '{ a[NR] = $1 } END { printf "%.1f", 1000 * a[int((NR + 1) / 2)] }' <<<"$times")
  p90=$(awk '{ a[NR] = $1 } END { i = int(NR * 0.9 + 0.999); printf "%.1f", 1000 * a[i] }' <<<"$times")
  printf '%-62s %9s %9s\n' "$address" "$median" "$p90"
done
