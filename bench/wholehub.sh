#!/usr/bin/env bash
# Benchmark (not a test): whole-Hub ingestion day after day (issue 11). The fake Hub serves its daily catalog of N
# models (day 0 = the generated catalog; each day a third change, 0.2% new, 0.05% removed, 0.01% renamed) over the
# namespaces of seeds/labs.json plus COMMUNITY unregistered ones, with a huge quota (pacing is tested separately, on
# simulated time). The floor: the whole-Hub listing downloaded and parsed by the same HubClient, nothing stored
# (bench/OpenModelWatch.Bench census); then the registered namespaces' listings, which a run downloads too. Then, for each day d = 0..DAYS-1, the fake moves to day d and the real `ingest`
# command (Census:TopN=all) runs on the same database; the database is measured after each run, WAL checkpointed.
#
# Usage: bench/wholehub.sh [N] [DAYS]          defaults 3000000 and 3
#        COMMUNITY=300 PORT=5192 KEEP=1 bench/wholehub.sh 1000000 2
#          COMMUNITY: extra unregistered namespaces (default 300); KEEP=1 keeps the work directory (database, logs);
#          BUILD=0 skips the Release build (already built)
#        PROVIDER=PostgreSQL bench/wholehub.sh 100000 2
#          the same on PostgreSQL: a database of its own (dropped afterwards unless KEEP=1) on the cluster named by
#          OMW_BENCH_POSTGRES or OMW_TEST_POSTGRES (a superuser Npgsql connection string, e.g. the line
#          `scripts/postgres.sh start` prints); the size is pg_database_size after a CHECKPOINT, and the live and dead
#          row versions and autovacuum passes of the three tables a run rewrites are printed after each day
#        WORK=/tmp/tmp.X FROM=3 BUILD=0 bench/wholehub.sh 3000000 4
#          goes on with the SQLite database a KEEP=1 run left in WORK (kept): days FROM..FROM+DAYS-1, growth from its size
#        WORK=/tmp/tmp.X FROM=1 BUILD=0 HOST=1 bench/wholehub.sh 3000000 1
#          the day's run inside the web host (its ingestion worker, as `dotnet run` deploys it) instead of `ingest`:
#          the host starts, its warm-up builds the last run's ids in memory, the worker starts the run HOST_DELAY
#          seconds (default 60) after start, and the host is stopped once the warm-up has computed the new run's
#          views; its resident memory is sampled every second, and the peak is printed with the phase it fell in
#        VACUUM=1 PROVIDER=PostgreSQL bench/wholehub.sh 100000 4
#          also a plain VACUUM (what autovacuum does, run at once; nothing returned to the system) after each day is
#          measured, and the size after it: the next day's growth is then over the vacuumed database
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000000}
DAYS=${2:-3}
PORT=${PORT:-5192}
COMMUNITY=${COMMUNITY:-300}
PROVIDER=${PROVIDER:-Sqlite}
step() { echo "[$(date +%H:%M:%S)] $* (load: $(uptime | sed 's/.*load average: //'))"; }

if [[ "${BUILD:-1}" != 0 ]]; then
  step "building Release"
  dotnet build -c Release -v q -nologo src/OpenModelWatch.Web >/dev/null
  dotnet build -c Release -v q -nologo tests/OpenModelWatch.FakeHub >/dev/null
  dotnet build -c Release -v q -nologo bench/OpenModelWatch.Bench >/dev/null
fi

namespaces=$(python3 -c 'import json,sys
names=list(dict.fromkeys(n for lab in json.load(open("seeds/labs.json"))["labs"] for n in lab["namespaces"]))
names+=["community-%03d" % i for i in range(int(sys.argv[1]))]
print(",".join(names))' "$COMMUNITY")
FROM=${FROM:-0}
if [[ -n "${WORK:-}" ]]; then
  work=$WORK KEEP=1
  [[ "$PROVIDER" == Sqlite && -f "$work/bench.db" ]] || { echo "WORK=$work holds no bench.db to go on with" >&2; exit 2; }
else
  work=$(mktemp -d)
fi
db="$work/bench.db"
case "$PROVIDER" in
  Sqlite) connection="Data Source=$db" ;;
  PostgreSQL)
    server=${OMW_BENCH_POSTGRES:-${OMW_TEST_POSTGRES:?PROVIDER=PostgreSQL needs OMW_BENCH_POSTGRES or OMW_TEST_POSTGRES (scripts/postgres.sh start)}}
    psql_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/psql
    # The Npgsql connection string as libpq keywords (Host, Port, Username, Password; Database replaced).
    pg_args=$(tr ';' '\n' <<<"$server" | awk -F= 'tolower($1)=="host"{print "host="$2} tolower($1)=="port"{print "port="$2} tolower($1)=="username"{print "user="$2} tolower($1)=="password"{print "password="$2}' | tr '\n' ' ')
    pgdb="omw_bench_$$"
    psql() { "$psql_bin" "$pg_args dbname=$1" -v ON_ERROR_STOP=1 -Atq "${@:2}"; }
    psql postgres -c "CREATE DATABASE $pgdb"
    connection="$(sed -E 's/(^|;)Database=[^;]*//I' <<<"$server");Database=$pgdb"
    ;;
  *) echo "PROVIDER: Sqlite or PostgreSQL, not $PROVIDER" >&2; exit 2 ;;
esac
step "$PROVIDER: starting the fake Hub: daily catalog, $N models, $(tr ',' '\n' <<<"$namespaces" | wc -l) namespaces, work dir $work"
dotnet tests/OpenModelWatch.FakeHub/bin/Release/net10.0/OpenModelWatch.FakeHub.dll \
  --port "$PORT" --models "$N" --namespaces "$namespaces" --day 0 --quota 1000000000 >"$work/fakehub.log" 2>&1 &
fake=$!
cleanup() {
  kill "$fake" 2>/dev/null || true
  if [[ -z "${KEEP:-}" ]]; then
    rm -rf "$work"
    if [[ "$PROVIDER" == PostgreSQL ]]; then psql postgres -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" || true; fi
  fi
}
trap cleanup EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/_fake/day" >/dev/null && break; sleep 0.5; done
step "fake Hub up: day $(curl -sf "http://127.0.0.1:$PORT/_fake/day")"
bench=bench/OpenModelWatch.Bench/bin/Release/net10.0/OpenModelWatch.Bench.dll

# Warm the fake Hub's whole-Hub ordering once, so neither measurement pays for building it.
step "warming the fake Hub's day-0 listing"
dotnet "$bench" census "http://127.0.0.1:$PORT" | tail -1

step "floor: the whole-Hub listing downloaded and parsed, nothing stored"
/usr/bin/time -f "floor: elapsed %e s, peak RSS %M KiB, cpu user %U s sys %S s" dotnet "$bench" census "http://127.0.0.1:$PORT"
# A run also lists every registered namespace after the census (models it stored already, listed again so a model the
# census's pages missed is not lost). In the fake Hub 263 of the 563 namespaces are registered, so about 47% of its
# models are listed twice: the floor of everything a run downloads is this and the census together.
step "namespaces floor: every namespace of seeds/labs.json downloaded and parsed, nothing stored"
/usr/bin/time -f "namespaces floor: elapsed %e s, peak RSS %M KiB, cpu user %U s sys %S s" dotnet "$bench" floor "http://127.0.0.1:$PORT" seeds/labs.json

# HOST=1: one day's run in the web host. The worker runs when the last success started an interval ago, so the
# interval is set to end HOST_DELAY seconds after the host starts (its warm-up has built the last run's ids by then).
host_run() {
  local day=$1 delay=${HOST_DELAY:-60}
  [[ "$PROVIDER" == Sqlite ]] || { echo "HOST=1 is measured on SQLite" >&2; exit 2; }
  local interval next
  interval=$(sqlite3 "$db" "SELECT CAST(strftime('%s','now') - strftime('%s', StartedAt) + $delay AS INTEGER) FROM Runs
    WHERE Status = 'Succeeded' AND Trigger NOT IN ('Snapshot', 'Import') ORDER BY StartedAt DESC LIMIT 1")
  interval=${interval:-86400}  # no live run yet: the worker runs at once
  (( interval >= 60 )) || interval=60  # the shortest interval Ingestion:Interval takes
  next=$(( $(sqlite3 "$db" "SELECT IFNULL(MAX(Id), 0) FROM Runs") + 1 ))
  Store__Provider=Sqlite ConnectionStrings__OpenModelWatch="$connection" Hub__BaseUrl="http://127.0.0.1:$PORT" \
    Census__TopN=all Logs__Path= Snapshot__ImportWhenEmpty=false ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS="http://127.0.0.1:$((PORT + 1))" Ingestion__Interval="$(python3 -c "import datetime,sys; print(datetime.timedelta(seconds=int(sys.argv[1])))" "$interval")" \
    /usr/bin/time -o "$work/time.txt" -f "%e s, %M KiB, cpu user %U s sys %S s" \
    dotnet src/OpenModelWatch.Web/bin/Release/net10.0/OpenModelWatch.Web.dll >"$work/day$day.log" 2>&1 &
  local timer=$! pid="" start=$SECONDS
  for _ in $(seq 1 100); do pid=$(pgrep -P "$timer" -f OpenModelWatch.Web.dll || true); [[ -n "$pid" ]] && break; sleep 0.1; done
  : >"$work/rss$day.txt"
  # Until the warm-up has computed the new run's views (or the run failed), at most 2 hours.
  while kill -0 "$pid" 2>/dev/null && (( SECONDS - start < 7200 )); do
    echo "$((SECONDS - start)) $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null)" >>"$work/rss$day.txt"
    if grep -qE "Dashboard views of run $next computed|Run $next Failed" "$work/day$day.log"; then break; fi
    sleep 1
  done
  kill -TERM "$pid" 2>/dev/null || true  # a background job ignores SIGINT; SIGTERM stops the host gracefully too
  wait "$timer" || true
  sort -k2 -n "$work/rss$day.txt" | tail -1 | awk '{ printf "day %s web host: peak resident %.1f MiB at %d s after start\n", d, $2 / 1024, $1 }' d="$day"
  awk '{ if ($2 > m) m = $2 } NR % 30 == 0 { printf "  %4d s: %.0f MiB (peak so far %.0f)\n", $1, $2 / 1024, m / 1024 }' "$work/rss$day.txt"
  grep -E "Dashboard views of run|Model name index|Run $next (Succeeded|Failed)|phases" "$work/day$day.log" | cut -c1-220 || true
}

prev=$( [[ -f "$db" ]] && stat -c %s "$db" || echo 0)
for d in $(seq "$FROM" $((FROM + DAYS - 1))); do
  curl -sf -X POST "http://127.0.0.1:$PORT/_fake/day?day=$d" >/dev/null
  step "day $d: fake Hub at day $(curl -sf "http://127.0.0.1:$PORT/_fake/day"); real ingest command, Census:TopN=all"
  if [[ -n "${HOST:-}" ]]; then
    host_run "$d"
  else
  Store__Provider="$PROVIDER" ConnectionStrings__OpenModelWatch="$connection" Hub__BaseUrl="http://127.0.0.1:$PORT" \
    Census__TopN=all Logs__Path= Snapshot__ImportWhenEmpty=false ASPNETCORE_ENVIRONMENT=Production \
    /usr/bin/time -o "$work/time.txt" -f "%e s, %M KiB, cpu user %U s sys %S s" \
    dotnet src/OpenModelWatch.Web/bin/Release/net10.0/OpenModelWatch.Web.dll ingest >"$work/day$d.log" 2>&1 || true
  fi
  grep -E "Run [0-9]+ (Succeeded|Failed)|phases|[Cc]ensus|[Ll]ineage|removed|renamed|publish|Publish|[Ee]rror|fail" "$work/day$d.log" \
    | grep -v "is no longer listed:" | cut -c1-400 || true
  echo "day $d ingest process: $(cat "$work/time.txt")"
  if [[ "$PROVIDER" == PostgreSQL ]]; then
    psql "$pgdb" -F ' ' -c "SELECT 'run', id, 'models', models, 'changed', changed, 'removed', removed, 'renamed', renamed FROM runs ORDER BY id DESC LIMIT 1"
    psql "$pgdb" -c "CHECKPOINT"
    size=$(psql "$pgdb" -c "SELECT pg_database_size(current_database())")
    wal="(cluster WAL not counted)"
    psql "$pgdb" -F ' ' -c "SELECT relname, 'live', n_live_tup, 'dead', n_dead_tup, 'autovacuums', autovacuum_count,
        'MB', round(pg_total_relation_size(relid) / 1e6, 1) FROM pg_stat_user_tables
        WHERE relname IN ('models', 'listings', 'counts') ORDER BY relname"
  else
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    sqlite3 -header -column "$db" "SELECT Id, Models, Changed, Removed, Renamed FROM Runs ORDER BY Id DESC LIMIT 1;"
    size=$(stat -c %s "$db")
    wal="WAL $(stat -c %s "$db-wal" 2>/dev/null || echo 0) bytes"
  fi
  echo "day $d database: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }') MB), $wal;" \
    "growth $(awk -v s="$size" -v p="$prev" 'BEGIN { printf "%.1f", (s - p) / 1e6 }') MB"
  prev=$size
  if [[ "$PROVIDER" == PostgreSQL && -n "${VACUUM:-}" ]]; then
    step "day $d: VACUUM"
    /usr/bin/time -o "$work/vacuum.txt" -f "%e s" "$psql_bin" "$pg_args dbname=$pgdb" -v ON_ERROR_STOP=1 -Atq -c "VACUUM"
    psql "$pgdb" -c "CHECKPOINT"
    prev=$(psql "$pgdb" -c "SELECT pg_database_size(current_database())")
    echo "day $d after VACUUM ($(cat "$work/vacuum.txt")): $prev bytes ($(awk -v s="$prev" 'BEGIN { printf "%.1f", s / 1e6 }') MB)"
  fi
  step "day $d done"
done
if [[ "$PROVIDER" == PostgreSQL ]]; then
  psql "$pgdb" -F ' ' -c "SELECT id, models, changed, removed, renamed FROM runs ORDER BY id"
else
  sqlite3 -header -column "$db" "SELECT Id, Models, Changed, Removed, Renamed FROM Runs;"
fi
