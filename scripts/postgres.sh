#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: Debian's server (installed when missing), a cluster in a temporary
# folder on a free loopback port, never the system's service. Source it, then:
#   postgres_start   # sets OMW_TEST_POSTGRES (an Npgsql connection string of the cluster's superuser)
#   postgres_stop    # stops the cluster and removes its folder (test.sh calls it from a trap)
# Or run it: `scripts/postgres.sh start` prints the export line and the folder; `scripts/postgres.sh stop FOLDER`.

postgres_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "Installing from Debian: postgresql" >&2
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    # Debian's package starts a system cluster; the tests never use it.
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$bin"
}

postgres_start() {
  local bin port folder as=()
  bin=$(postgres_bin)
  folder=$(mktemp -d /tmp/omw-postgres.XXXXXX)
  # PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres user.
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$folder"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$folder/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 \
    || { cat "$folder/initdb.log" >&2; return 1; }
  # A random free loopback port (other test runs may hold some): a port something answers on is skipped, and a start
  # that fails (taken meanwhile) is tried again on another.
  local attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    if "${as[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k $folder -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null; then
      break
    fi
    port=""
  done
  [ -n "$port" ] || { cat "$folder/server.log" >&2; return 1; }
  OMW_POSTGRES_FOLDER=$folder
  OMW_POSTGRES_BIN=$bin
  export OMW_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL test cluster on 127.0.0.1:$port ($folder)" >&2
}

postgres_stop() {
  local folder=${1:-${OMW_POSTGRES_FOLDER:-}} bin as=()
  [ -n "$folder" ] && [ -d "$folder/data" ] || return 0
  bin=${OMW_POSTGRES_BIN:-$(postgres_bin)}
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$bin/pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$folder"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) postgres_start; echo "export OMW_TEST_POSTGRES='$OMW_TEST_POSTGRES'  # stop: scripts/postgres.sh stop $OMW_POSTGRES_FOLDER" ;;
    stop) postgres_stop "${2:?the cluster folder printed by start}" ;;
    *) echo "usage: scripts/postgres.sh start | stop FOLDER" >&2; exit 2 ;;
  esac
fi
