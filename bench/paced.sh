#!/usr/bin/env bash
# Benchmark (not a test): one whole-Hub day under the Hub's anonymous quota, in real time (issue 11). A run of the
# whole Hub is paced by the quota, not by the writer: at 500 requests per 5 minutes a census of 3M models and the
# registered namespaces (about 4,600 requests) cannot take less than about 45 minutes, whatever the store does. This
# measures that bar next to the run:
#   - the paced floor: the census listing then every registered namespace, downloaded and parsed through the same
#     HubClient (its pacer included), nothing stored (bench/OpenModelWatch.Bench census, then floor), against a fake Hub
#     of its own with the same quota;
#   - the run: the real `ingest` command (Census:TopN=all) on the database a KEEP=1 bench/wholehub.sh left, against a
#     second fake Hub at the same day with the same quota, at the same time (each fake counts its own quota);
#   - both fakes' request and 429 counts afterwards.
#
# Usage: WORK=/tmp/tmp.X bench/paced.sh N DAY     WORK: the directory KEEP=1 bench/wholehub.sh N DAY left (days 0..DAY-1)
#        QUOTA=500 WINDOW=300 (defaults: the Hub's anonymous quota); PORT=5194 (and PORT+1); COMMUNITY as wholehub.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?N: the models of day 0, as given to bench/wholehub.sh}
DAY=${2:?DAY: the day to run (the database holds days 0..DAY-1)}
work=${WORK:?WORK: the directory a KEEP=1 bench/wholehub.sh run left}
db="$work/bench.db"
[[ -f "$db" ]] || { echo "WORK=$work holds no bench.db" >&2; exit 2; }
QUOTA=${QUOTA:-500}
WINDOW=${WINDOW:-300}
PORT=${PORT:-5194}
COMMUNITY=${COMMUNITY:-300}
step() { echo "[$(date +%H:%M:%S)] $* (load: $(uptime | sed 's/.*load average: //'))"; }

namespaces=$(python3 -c 'import json,sys
names=list(dict.fromkeys(n for lab in json.load(open("seeds/labs.json"))["labs"] for n in lab["namespaces"]))
names+=["community-%03d" % i for i in range(int(sys.argv[1]))]
print(",".join(names))' "$COMMUNITY")
fake_dll=tests/OpenModelWatch.FakeHub/bin/Release/net10.0/OpenModelWatch.FakeHub.dll
bench=bench/OpenModelWatch.Bench/bin/Release/net10.0/OpenModelWatch.Bench.dll
run_port=$PORT
floor_port=$((PORT + 1))
step "starting two fake Hubs at day $DAY, $N models, quota $QUOTA requests per $WINDOW s each"
dotnet "$fake_dll" --port "$run_port" --models "$N" --namespaces "$namespaces" --day "$DAY" --quota "$QUOTA" --window-seconds "$WINDOW" >"$work/fakehub-run.log" 2>&1 &
fake_run=$!
dotnet "$fake_dll" --port "$floor_port" --models "$N" --namespaces "$namespaces" --day "$DAY" --quota "$QUOTA" --window-seconds "$WINDOW" >"$work/fakehub-floor.log" 2>&1 &
fake_floor=$!
trap 'kill "$fake_run" "$fake_floor" 2>/dev/null || true' EXIT
for port in "$run_port" "$floor_port"; do
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/_fake/day" >/dev/null && break; sleep 0.5; done
done
# Build each fake's day (and its orderings) before the clocks start: one request each, counted against its quota.
for port in "$run_port" "$floor_port"; do
  curl -sf -o /dev/null "http://127.0.0.1:$port/api/models?sort=downloads&direction=-1&limit=1"
  curl -sf -X POST "http://127.0.0.1:$port/_fake/reset" >/dev/null || true
done
step "fake Hubs up at day $(curl -sf "http://127.0.0.1:$run_port/_fake/day" | head -c 200)"

step "paced floor and the run, side by side"
(
  /usr/bin/time -o "$work/paced-floor-time.txt" -f "%e s, %M KiB, cpu user %U s sys %S s" \
    bash -c "dotnet '$bench' census 'http://127.0.0.1:$floor_port' && dotnet '$bench' floor 'http://127.0.0.1:$floor_port' seeds/labs.json" \
    >"$work/paced-floor.log" 2>&1
  echo "[$(date +%H:%M:%S)] paced floor done: $(cat "$work/paced-floor-time.txt")"
) &
floor=$!
Store__Provider=Sqlite ConnectionStrings__OpenModelWatch="Data Source=$db" Hub__BaseUrl="http://127.0.0.1:$run_port" \
  Census__TopN=all Logs__Path= Snapshot__ImportWhenEmpty=false ASPNETCORE_ENVIRONMENT=Production \
  /usr/bin/time -o "$work/paced-run-time.txt" -f "%e s, %M KiB, cpu user %U s sys %S s" \
  dotnet src/OpenModelWatch.Web/bin/Release/net10.0/OpenModelWatch.Web.dll ingest >"$work/paced-day$DAY.log" 2>&1 &
run=$!
# A long wait never sits silent: every minute, what each side has done so far.
while kill -0 "$run" 2>/dev/null || kill -0 "$floor" 2>/dev/null; do
  sleep 60
  echo "[$(date +%H:%M:%S)] run: $(curl -sf "http://127.0.0.1:$run_port/_fake/counters" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["requests"], "requests,", c["tooManyRequests"], "429s")' 2>/dev/null || echo '?');" \
    "floor: $(curl -sf "http://127.0.0.1:$floor_port/_fake/counters" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["requests"], "requests,", c["tooManyRequests"], "429s")' 2>/dev/null || echo '?');" \
    "last run log line: $(tail -1 "$work/paced-day$DAY.log" | cut -c1-160)"
done
wait "$floor" || true
wait "$run" || true
grep -E "Run [0-9]+ (Succeeded|Failed)|phases|publish|[Ll]ineage|[Ee]rror|fail|pac" "$work/paced-day$DAY.log" | grep -v "is no longer listed:" | cut -c1-300 || true
grep -E "floor:" "$work/paced-floor.log" | tail -3 || true
echo "paced floor process: $(cat "$work/paced-floor-time.txt")"
echo "paced run process:   $(cat "$work/paced-run-time.txt")"
echo "run's fake Hub:   $(curl -sf "http://127.0.0.1:$run_port/_fake/counters" | head -c 300)"
echo "floor's fake Hub: $(curl -sf "http://127.0.0.1:$floor_port/_fake/counters" | head -c 300)"
sqlite3 -header -column "$db" "SELECT Id, Status, Models, Changed, Removed, Renamed FROM Runs ORDER BY Id DESC LIMIT 1;"
step "done"
