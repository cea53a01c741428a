#!/usr/bin/env bash
# Benchmark (not a test): the real `import` command (Release build) on a generated hub-stats models.parquet of N rows
# (the real schema, realistic values: bench/OpenModelWatch.Bench hubstats), into a fresh database, with its peak RSS.
# Every output line is stamped with the time, and the process's RSS is sampled each second (the peak's time places it
# in a phase). The floor to compare with is a live whole-Hub run's write rate on this machine (docs/performance.md, bench/wholehub.sh).
#
# Usage: bench/import.sh [N]          N rows (default 3,000,000); the file is kept in $WORK (default /tmp/omw-import-bench)
#        BUILD=0 bench/import.sh N    skips the Release build (already built)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-3000000}
WORK=${WORK:-/tmp/omw-import-bench}
mkdir -p "$WORK"
if [[ "${BUILD:-1}" != 0 ]]; then
  dotnet build -c Release -v q -nologo src/OpenModelWatch.Web >/dev/null
  dotnet build -c Release -v q -nologo bench/OpenModelWatch.Bench >/dev/null
fi

file="$WORK/$N/2025-06-01.parquet"
if [ ! -f "$file" ]; then
  mkdir -p "$WORK/$N"
  /usr/bin/time -f "generate: elapsed %e s, peak RSS %M KiB" \
    dotnet bench/OpenModelWatch.Bench/bin/Release/net10.0/OpenModelWatch.Bench.dll hubstats "$file" "$N"
fi
ls -l "$file"
rm -f "$WORK/bench-$N.db"*

echo "== import: $N rows, real import command, redirected output (plain progress lines, each stamped with the wall-clock time)"
# The import's resident memory, sampled once a second (VmRSS), so the peak can be placed in a phase by its time.
rss="$WORK/rss-$N.txt"
: >"$rss"
(
  while sleep 1; do
    pid=$(pgrep -f "^dotnet .*OpenModelWatch.Web.dll import $file" | head -1) || true
    if [ -n "$pid" ]; then awk -v t="$(date +%H:%M:%S)" '/^VmRSS/ { print t, $2 }' "/proc/$pid/status" 2>/dev/null >>"$rss" || true; fi
  done
) &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
ConnectionStrings__OpenModelWatch="Data Source=$WORK/bench-$N.db" Logs__Path= Snapshot__ImportWhenEmpty=false ASPNETCORE_ENVIRONMENT=Production \
  /usr/bin/time -f "import: elapsed %e s, peak RSS %M KiB" \
  dotnet src/OpenModelWatch.Web/bin/Release/net10.0/OpenModelWatch.Web.dll import "$file" 2>&1 | grep --line-buffered -vE "^\[.* INF\]" \
  | while IFS= read -r line; do printf '%s %s\n' "$(date +%H:%M:%S)" "$line"; done
kill $sampler 2>/dev/null || true
echo "database after: $(du -ck "$WORK/bench-$N.db"* | tail -1 | cut -f1) KiB (with WAL)"
echo "RSS sampled each second ($rss): $(wc -l <"$rss") samples, highest $(sort -k2,2n "$rss" | tail -1 | awk '{ printf "%.1f MiB at %s", $2 / 1024, $1 }')"
