#!/usr/bin/env bash
# Person search (issue 6) beside PostgreSQL pg_trgm in the same run: the same generated people
# (bench/synthetic_people) and the same name-only queries with realistic misspellings (typos,
# accents lost, surnames swapped or one dropped), whose true target is known. Accompany's
# in-memory PersonSearchIndex against a throwaway PostgreSQL with a pg_trgm GIN index queried as
# `name % $1 ORDER BY similarity(name, $1) DESC LIMIT 10` over libpq (prepared statement, one
# connection, client-side wall time). Prints a table and BENCH lines for `make bench`
# (bench/README.md): p99 and p50 (baseline: pg_trgm), recall@10 (baseline: pg_trgm), speedup,
# index MiB (resident delta; baseline: the GIN index's size on disk).
# Usage: bench/search_pg_trgm.sh [PEOPLE] [QUERIES]   (SCALE, BUILD, PG_TRGM_THRESHOLD from the env)
# PEOPLE defaults by $SCALE: small 100,000, default 1,000,000; QUERIES 1,000.
set -euo pipefail
cd "$(dirname "$0")/.."
case ${SCALE:-default} in small) default_n=100000 ;; *) default_n=1000000 ;; esac
N=${1:-$default_n}
QUERIES=${2:-1000}
BUILD=${BUILD:-build/release}
cmake --preset release -DACCOMPANY_BUILD_BENCHMARKS=ON >/dev/null
cmake --build --preset release --target search_pg_trgm accompany-test-postgres >&2
ROOT=$PWD
WORK=$(mktemp -d /tmp/accompany-trgm.XXXXXX)
PGDIR="$WORK/$(basename "$WORK")-pg"  # its data goes to /dev/shm/<this name>-data: unique per run
chmod 755 "$WORK"  # the server runs as the postgres user when we are root
trap '"$ROOT/$BUILD/src/accompany-test-postgres" stop "$PGDIR" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
"$BUILD/src/accompany-test-postgres" start "$PGDIR" >/dev/null
PORT=$(cat "$PGDIR/port")
psql -q "postgresql://postgres@/postgres?host=$PGDIR&port=$PORT" -c "CREATE DATABASE search" >/dev/null
cd "$WORK"  # people.tsv and queries.tsv are written here
"$ROOT/$BUILD/bench/search_pg_trgm" "$N" "$QUERIES" "postgresql://postgres@/search?host=$PGDIR&port=$PORT" \
  "${PG_TRGM_THRESHOLD:-0.3}"
