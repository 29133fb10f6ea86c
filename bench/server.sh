#!/usr/bin/env bash
# Benchmark: authenticated, audited reads of one child's record against /healthz, in the same
# run, with wrk. Prints requests/s and p99 latency for each and the ratio. Audit entries of
# concurrent reads are group-committed (store.h).
# Usage: bench/server.sh [seconds] [connections]   (build the release preset first)
# seconds defaults by $SCALE: small 5, default 10. Prints BENCH lines for `make bench`.
# SERVE_ARGS adds options to `accompany serve` (e.g. SERVE_ARGS=--session-cache-seconds=0).
set -euo pipefail

case ${SCALE:-default} in small) default_seconds=5 ;; *) default_seconds=10 ;; esac
seconds=${1:-$default_seconds}
connections=${2:-32}
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/bench/lib/serve.sh"
curl -sf -b "$cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"given_names":"María José","paternal_surname":"García","birth_date":"2010-01-02","country_of_birth":"GT","languages":["mam","spa"],"a_number":"A201234567"}' \
  "http://127.0.0.1:$port/api/children" >/dev/null

echo "accompany bench: ${seconds}s per run, $connections connections, $(nproc) cores, SQLite (WAL); $(uptime)"
printf '%-34s %12s %10s %16s\n' "endpoint" "requests/s" "p99" "server CPU µs/req"
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
printf 'BENCH {"name":"server CPU per audited child read","value":%s,"unit":"us","better":"lower","baseline":"/healthz","baseline_value":%s}\n' \
  "$(cat "$work/audited_child_read.cpu")" "$(cat "$work/healthz.cpu")"
printf 'BENCH {"name":"audited child read p99","value":%s,"unit":"ms","better":"lower","baseline":"/healthz p99","baseline_value":%s}\n' \
  "$(p99_ms "$work/audited_child_read.p99")" "$(p99_ms "$work/healthz.p99")"
