#!/usr/bin/env bash
# Benchmark: authenticated, audited reads of one child's record against /healthz, in the same
# run, with wrk. Prints requests/s and p99 latency for each and the ratio. Audit entries of
# concurrent reads are group-committed (store.h).
# Usage: bench/server.sh [seconds] [connections]   (build the release preset first)
# seconds defaults by $SCALE: small 5, default 10. Prints BENCH lines for `make bench`.
set -euo pipefail

case ${SCALE:-default} in small) default_seconds=5 ;; *) default_seconds=10 ;; esac
seconds=${1:-$default_seconds}
connections=${2:-32}
here=$(cd "$(dirname "$0")/.." && pwd)
accompany="$here/build/release/src/accompany"
command -v wrk >/dev/null || { echo "bench: wrk is missing; run scripts/install-deps" >&2; exit 1; }
[[ -x $accompany ]] || { echo "bench: build first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }

work=$(mktemp -d /tmp/accompany-bench.XXXXXX)
server=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/bench.db"
port=$((20000 + RANDOM % 20000))
password="bench passphrase long enough"
"$accompany" init --db "$db" >/dev/null
echo "$password" | "$accompany" user add bench --role supervisor --db "$db" >/dev/null
"$accompany" serve --db "$db" --port "$port" --log-level warn &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done

login=$(curl -sf -D "$work/headers" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/session")
cookie=$(grep -i '^set-cookie:' "$work/headers" | sed -e 's/^[^:]*: *//' -e 's/;.*//')
csrf=$(echo "$login" | sed -e 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/')
curl -sf -b "$cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"given_names":"María José","paternal_surname":"García","birth_date":"2010-01-02","country_of_birth":"GT","languages":["mam","spa"],"a_number":"A201234567"}' \
  "http://127.0.0.1:$port/api/children" >/dev/null

run() {  # name, url, extra wrk args...
  local name=$1 url=$2
  shift 2
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$url" >"$work/$name.txt"
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
  local errors
  errors=$(awk '/Non-2xx/ {print $NF}' "$work/$name.txt")
  printf '%-34s %12s %10s %s\n' "$name" "$rps" "$p99" "${errors:+non-2xx: $errors}"
  echo "$rps" >"$work/$name.rps"
  echo "$p99" >"$work/$name.p99"
}

echo "accompany bench: ${seconds}s per run, $connections connections, $(nproc) cores, SQLite (WAL)"
printf '%-34s %12s %10s\n' "endpoint" "requests/s" "p99"
run healthz "http://127.0.0.1:$port/healthz"
run audited_child_read "http://127.0.0.1:$port/api/children/1" -H "Cookie: $cookie" -H "X-Purpose: benchmark"
ratio=$(awk -v a="$(cat "$work/audited_child_read.rps")" -v h="$(cat "$work/healthz.rps")" 'BEGIN {printf "%.3f", a / h}')
echo "audited reads / healthz: $ratio"
reads=$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'read'")
echo "audit entries for reads written during the run: $reads"
"$accompany" audit verify --db "$db"
p99_ms() { awk '{v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; printf "%.2f", v}' "$1"; }
printf 'BENCH {"name":"audited child read, %s connections","value":%s,"unit":"req/s","better":"higher","baseline":"/healthz","baseline_value":%s}\n' \
  "$connections" "$(cat "$work/audited_child_read.rps")" "$(cat "$work/healthz.rps")"
printf 'BENCH {"name":"audited child read p99","value":%s,"unit":"ms","better":"lower","baseline":"/healthz p99","baseline_value":%s}\n' \
  "$(p99_ms "$work/audited_child_read.p99")" "$(p99_ms "$work/healthz.p99")"
