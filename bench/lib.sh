# Helpers the bench scripts share (sourced, not run).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# waits until a URL answers (a server just started)
wait_up() {
  for _ in $(seq 1 300); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server at $1 did not come up" >&2
  return 1
}

# wrk against one URL ($THREADS threads, $CONNECTIONS connections, $DURATION), with an optional
# cookie; prints "requests/s p50-ms p99-ms non-2xx"
measure() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency ${2:+-H "Cookie: $2"} "$1")
  echo "$out" >&2
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %.2f %s\n", rps, p50, p99, (bad == "" ? 0 : bad) }
  ' <<<"$out"
}

# a fresh database for backend $1 (sqlite: in the folder $2; postgres: jishi_bench at $PG,
# dropped and made again); prints its URL
fresh_database() {
  case $1 in
    sqlite) echo "sqlite://$2/jishi.db" ;;
    postgres)
      psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS jishi_bench" -c "CREATE DATABASE jishi_bench"
      echo "$PG/jishi_bench" ;;
    *) echo "unknown database: $1" >&2; return 1 ;;
  esac
}

# starts the release server (sets app_pid, base) and the static baseline beside it (sets
# static_pid, static_base), and waits for both
start_servers() {
  local port static_port
  port=$(free_port)
  JISHI_LISTEN=127.0.0.1:$port target/release/jishi serve >/dev/null 2>&1 &
  app_pid=$!
  base=http://127.0.0.1:$port
  wait_up "$base/healthz"
  static_port=$(free_port)
  target/release/jishi bench-static --listen "127.0.0.1:$static_port" &
  static_pid=$!
  static_base=http://127.0.0.1:$static_port
  wait_up "$static_base/"
}
