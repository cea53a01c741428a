#!/usr/bin/env bash
# Benchmark (not a test): a fresh database ingesting N generated models from the fake Hub on loopback, through the real
# `ingest` command (Release build), with the floor measured in the same run: the same namespace pages downloaded and
# parsed by the same Hub client, nothing stored.
#
# Usage: bench/ingest.sh [N]                      N models over the 218 namespaces of seeds/labs.json (default 200,000)
#        CENSUS=1000000 COMMUNITY=300 RUNS=2 bench/ingest.sh 1000000
#          CENSUS: Census:TopN of each run (default 0); COMMUNITY: extra unregistered namespaces in the catalog, so the
#          census holds community uploads and lineage look-ups have work; RUNS: runs in a row (database growth per run).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
PORT=${PORT:-5191}
CENSUS=${CENSUS:-0}
COMMUNITY=${COMMUNITY:-0}
RUNS=${RUNS:-1}
dotnet build -c Release -v q -nologo src/OpenModelWatch.Web >/dev/null
dotnet build -c Release -v q -nologo tests/OpenModelWatch.FakeHub >/dev/null
dotnet build -c Release -v q -nologo bench/OpenModelWatch.Bench >/dev/null

namespaces=$(python3 -c 'import json,sys
names=list(dict.fromkeys(n for lab in json.load(open("seeds/labs.json"))["labs"] for n in lab["namespaces"]))
names+=["community-%03d" % i for i in range(int(sys.argv[1]))]
print(",".join(names))' "$COMMUNITY")
work=$(mktemp -d)
dotnet tests/OpenModelWatch.FakeHub/bin/Release/net10.0/OpenModelWatch.FakeHub.dll \
  --port "$PORT" --models "$N" --namespaces "$namespaces" --quota 100000000 >"$work/fakehub.log" 2>&1 &
fake=$!
trap 'kill $fake 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/models?author=Qwen&limit=1" >/dev/null && break; sleep 0.1; done

# Warm the fake Hub's per-author orderings once, so neither measurement pays for them.
dotnet bench/OpenModelWatch.Bench/bin/Release/net10.0/OpenModelWatch.Bench.dll floor "http://127.0.0.1:$PORT" seeds/labs.json >/dev/null

echo "== floor: download and parse the registry's namespaces only"
/usr/bin/time -f "floor: elapsed %e s, peak RSS %M KiB" \
  dotnet bench/OpenModelWatch.Bench/bin/Release/net10.0/OpenModelWatch.Bench.dll floor "http://127.0.0.1:$PORT" seeds/labs.json

for run in $(seq 1 "$RUNS"); do
  echo "== ingest run $run: Census:TopN=$CENSUS, real ingest command"
  ConnectionStrings__OpenModelWatch="Data Source=$work/bench.db" Hub__BaseUrl="http://127.0.0.1:$PORT" \
    Census__TopN="$CENSUS" Logs__Path= Snapshot__ImportWhenEmpty=false ASPNETCORE_ENVIRONMENT=Production \
    /usr/bin/time -f "ingest: elapsed %e s, peak RSS %M KiB" \
    dotnet src/OpenModelWatch.Web/bin/Release/net10.0/OpenModelWatch.Web.dll ingest 2>&1 | grep -E "Run [0-9]+ (Succeeded|Failed)|lineage|ingest:|elapsed"
  echo "database after run $run: $(du -ck "$work"/bench.db* | tail -1 | cut -f1) KiB (with WAL)"
done
