#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and local clusters (Debian's
# postgresql package, version 15).
#
#   scripts/pg-cluster.sh start DIR [PORT]   initdb into DIR (if new), start,
#                                            create database "fdyno"; prints
#                                            the URL on stdout
#   scripts/pg-cluster.sh stop DIR           stop it (fast shutdown)
#   scripts/pg-cluster.sh url DIR            print the URL of a started one
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the
# unprivileged user "nobody" (DIR is handed to it). It listens on 127.0.0.1
# only, on PORT (default: a free port) and on a Unix socket in DIR/sock.
# Authentication is "trust" for the loopback address and the socket: a test
# cluster, never for data that matters.
set -euo pipefail

cmd=${1:?usage: pg-cluster.sh start|stop|url DIR [PORT]}
dir=${2:?usage: pg-cluster.sh start|stop|url DIR [PORT]}

pgbin=""
for v in 17 16 15; do
  if [ -x "/usr/lib/postgresql/$v/bin/initdb" ]; then pgbin=/usr/lib/postgresql/$v/bin; break; fi
done
if [ -z "$pgbin" ]; then
  echo "pg-cluster: PostgreSQL server binaries not found (scripts/install-deps.sh installs postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

url_of() {
  echo "postgresql://fdyno@127.0.0.1:$(cat "$dir/port")/fdyno"
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    port=${3:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
    mkdir -p "$dir/sock"
    if [ "$(id -u)" -eq 0 ]; then
      chmod 755 "$dir"
      chown nobody "$dir/sock"
      [ -d "$dir/data" ] || { mkdir -p "$dir/data"; chown nobody "$dir/data"; }
      touch "$dir/log"; chown nobody "$dir/log"
      if ! runuser -u nobody -- test -w "$dir/data"; then
        echo "pg-cluster: user nobody cannot reach $dir/data (a parent directory is private); use a directory under /tmp" >&2
        exit 1
      fi
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$pgbin/initdb" -D "$dir/data" -U fdyno -A trust -E UTF8 --no-instructions --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    echo "$port" > "$dir/port"
    as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir/sock -c max_connections=300 -c shared_buffers=128MB -c fsync=on" \
      start >/dev/null || { cat "$dir/log" >&2; exit 1; }
    if ! "$pgbin/psql" -h 127.0.0.1 -p "$port" -U fdyno -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'fdyno'" | grep -q 1; then
      "$pgbin/psql" -h 127.0.0.1 -p "$port" -U fdyno -d postgres -qc "CREATE DATABASE fdyno" >/dev/null
    fi
    url_of
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$pgbin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null || true
    fi
    ;;
  url)
    url_of
    ;;
  *)
    echo "pg-cluster: unknown command $cmd" >&2
    exit 2
    ;;
esac
