#!/usr/bin/env bash
# Runs every test of OpenModelWatch on a fresh Debian machine: installs what the tests need and is missing
# (Debian's Chromium and fonts for browser and chart tests, the official JS Hub client for the cross-check, Debian's
# PostgreSQL for the suites run on both providers), starts a throw-away PostgreSQL cluster (scripts/postgres.sh: a
# temporary folder, a free loopback port, stopped at exit), then runs `dotnet test`. A missing tool is installed or the script fails: no test passes because its tool was absent.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
command -v wrk >/dev/null || need_apt+=(wrk)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing from Debian: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -d tests/hubjs/node_modules/@huggingface/hub ]; then
  echo "Installing the JS Hub client for the cross-check (npm ci)"
  npm ci --prefix tests/hubjs --no-audit --no-fund --loglevel=error
fi

# The PostgreSQL suites read OMW_TEST_POSTGRES and fail (never skip) without it.
. scripts/postgres.sh
trap postgres_stop EXIT
postgres_start

dotnet tool restore >/dev/null
log=$(mktemp)
set +e
# A global time limit, so a hung test fails the run instead of eating CI's 90 minutes.
dotnet test --project tests/OpenModelWatch.Tests -- --timeout 45m "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(grep -E '^\s*succeeded: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
failed=$(grep -E '^\s*failed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run itself failed (build error, crash): never report it as green
fi
echo "$passed passed, $failed failed"
exit "$status"
