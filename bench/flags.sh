#!/usr/bin/env bash
# Benchmark (not a test): the inflated-count rule's query (GET /api/v1/flags, which runs FlagsQuery over the last 24
# runs of the as-of run's source) and the adjusted view (GET /api/v1/adjusted-shares?by=country, which reads the
# flags of its run once and keeps them), uncached, on the bundled monthly history (11 runs, 66,379 rows of 9,200
# models) imported into a fresh SQLite file. Starts the Release app (built here) on a free loopback port with the
# output cache off; for each address one warm-up request, then ITERATIONS timed ones (curl's total time on loopback);
# prints the median and p90 in milliseconds. The floor is /api/v1/runs?limit=1, a one-row answer, in the same run.
#
# Usage: bench/flags.sh [ITERATIONS=25]
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-25}
dotnet build -v q -c Release src/OpenModelWatch.Web >/dev/null
folder=$(mktemp -d /tmp/omw-flags.XXXXXX)
port=$((20000 + RANDOM % 40000))
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((20000 + RANDOM % 40000)); done
root=$PWD
(cd src/OpenModelWatch.Web/bin/Release/net10.0 && exec env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
  ConnectionStrings__OpenModelWatch="Data Source=$folder/bench.db" Exports__Cache=false Logs__Path= Labs__RegistryPath="$root/seeds/labs.json" \
  Ingestion__Enabled=false Snapshot__ImportWhenEmpty=false Snapshot__ImportHistory=true Hub__BaseUrl=http://127.0.0.1:9 \
  RateLimiting__PermitsPerMinute=1000000 dotnet OpenModelWatch.Web.dll >"$folder/app.log" 2>&1) &
app=$!
trap 'kill "$app" 2>/dev/null || true; rm -rf "$folder"' EXIT
echo "Starting the app and importing the monthly history…"
for _ in $(seq 1 300); do
  kill -0 "$app" 2>/dev/null || { cat "$folder/app.log" >&2; exit 1; }
  curl -sf -o /dev/null "http://127.0.0.1:$port/health/live" && break
  sleep 1
done
base="http://127.0.0.1:$port"
echo "commit $(git rev-parse --short HEAD); load: $(uptime | sed 's/.*load average: //')"
for address in "/api/v1/runs?limit=1" "/api/v1/flags?limit=1000" "/api/v1/adjusted-shares?by=country"; do
  curl -sf -o /dev/null "$base$address"
  times=()
  for _ in $(seq 1 "$iterations"); do
    times+=("$(curl -sf -o /dev/null -w '%{time_total}' "$base$address")")
  done
  printf '%s\n' "${times[@]}" | python3 -c "
import sys, statistics
t = sorted(float(x) * 1000 for x in sys.stdin)
print(f'{sys.argv[1]:<40} median {statistics.median(t):8.1f} ms   p90 {t[int(0.9 * (len(t) - 1))]:8.1f} ms   ({len(t)} requests)')" "$address"
done
