#!/usr/bin/env bash
# Import benchmark (issue 3): N children's rows in four feeds, imported by `accompany import`
# into SQLite and into PostgreSQL, against the floor of the same rows loaded raw by sqlite3's
# .import and by PostgreSQL's COPY into plain tables, in the same run.
# Usage: bench/import.sh [N] [BUILD=build/release]; N defaults by $SCALE: small 5000, default 100000.
# Prints BENCH lines for `make bench` (bench/README.md).
set -euo pipefail
case ${SCALE:-default} in small) default_n=5000 ;; *) default_n=100000 ;; esac
N=${1:-$default_n}
BUILD=${2:-${BUILD:-build/release}}
BIN="$BUILD/src/accompany"
WORK=$(mktemp -d /tmp/accompany-bench.XXXXXX)
PGDIR="$WORK/pg"
chmod 755 "$WORK"  # the server runs as the postgres user when we are root
trap '"$BUILD/src/accompany-test-postgres" stop "$PGDIR" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

python3 "$(dirname "$0")/make_feed_rows.py" "$N" "$WORK/feeds"
FEEDS=(cbp_custody:cbp_custody.csv orr_release:orr_release.csv orr_followup:orr_followup.csv eoir_hearings:eoir_hearings.psv)
ROWS=$((4 * N))

now() { date +%s.%N; }
rate() { python3 -c "import sys; r, s = float(sys.argv[1]), float(sys.argv[2]); print(f'{r / s:,.0f}')" "$1" "$2"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$1" "$2"; }

import_all() {  # $1: database location
  local t0 t1
  t0=$(now)
  for feed in "${FEEDS[@]}"; do
    "$BIN" --db "$1" import --kind "${feed%%:*}" "$WORK/feeds/${feed#*:}" >&2
  done
  t1=$(now)
  python3 -c "print(float('$t1') - float('$t0'))"
}

# --- SQLite
"$BIN" init --db "$WORK/bench.db" >/dev/null
sqlite_s=$(import_all "$WORK/bench.db")
"$BIN" audit verify --db "$WORK/bench.db" >&2
t0=$(now)
sqlite3 "$WORK/raw.db" <<SQL
.mode csv
.import $WORK/feeds/cbp_custody.csv cbp
.import $WORK/feeds/orr_release.csv orr
.import $WORK/feeds/orr_followup.csv fu
.separator |
.import $WORK/feeds/eoir_hearings.psv eoir
SQL
t1=$(now)
raw_s=$(python3 -c "print(float('$t1') - float('$t0'))")

# --- PostgreSQL
"$BUILD/src/accompany-test-postgres" start "$PGDIR" >/dev/null
PORT=$(cat "$PGDIR/port")
ADMIN="postgresql://postgres@/postgres?host=$PGDIR&port=$PORT"
psql -q "$ADMIN" -c "CREATE DATABASE bench" -c "CREATE DATABASE raw" >/dev/null
BENCH="postgresql://postgres@/bench?host=$PGDIR&port=$PORT"
RAW="postgresql://postgres@/raw?host=$PGDIR&port=$PORT"
"$BIN" init --db "$BENCH" >/dev/null
pg_s=$(import_all "$BENCH")
"$BIN" audit verify --db "$BENCH" >&2
psql -q "$RAW" >/dev/null <<SQL
CREATE TABLE cbp (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 text, c9 text, c10 text, c11 text);
CREATE TABLE orr ($(for i in $(seq 1 26); do printf 'c%d text%s' "$i" "$([ "$i" -lt 26 ] && echo ,)"; done));
CREATE TABLE fu (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text);
CREATE TABLE eoir (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 text, c9 text, c10 text);
SQL
t0=$(now)
psql -q "$RAW" >/dev/null <<SQL
\copy cbp FROM '$WORK/feeds/cbp_custody.csv' WITH (FORMAT csv, HEADER)
\copy orr FROM '$WORK/feeds/orr_release.csv' WITH (FORMAT csv, HEADER)
\copy fu FROM '$WORK/feeds/orr_followup.csv' WITH (FORMAT csv, HEADER)
\copy eoir FROM '$WORK/feeds/eoir_hearings.psv' WITH (FORMAT csv, DELIMITER '|', HEADER)
SQL
t1=$(now)
copy_s=$(python3 -c "print(float('$t1') - float('$t0'))")

echo
echo "rows: $ROWS ($N children x 4 feeds)"
printf '%-34s %10s %12s %8s\n' "load" "seconds" "rows/s" "ratio"
printf '%-34s %10.2f %12s %8s\n' "sqlite3 .import (plain tables)" "$raw_s" "$(rate $ROWS $raw_s)" "1.0"
printf '%-34s %10.2f %12s %8s\n' "accompany import -> SQLite" "$sqlite_s" "$(rate $ROWS $sqlite_s)" "$(ratio $sqlite_s $raw_s)x"
printf '%-34s %10.2f %12s %8s\n' "PostgreSQL COPY (plain tables)" "$copy_s" "$(rate $ROWS $copy_s)" "1.0"
printf '%-34s %10.2f %12s %8s\n' "accompany import -> PostgreSQL" "$pg_s" "$(rate $ROWS $pg_s)" "$(ratio $pg_s $copy_s)x"

bench_line() {  # name, rows/s, baseline name, baseline rows/s
  printf 'BENCH {"name":"%s","value":%s,"unit":"rows/s","better":"higher","baseline":"%s","baseline_value":%s}\n' \
    "$1" "$(python3 -c "print(round($ROWS / $2))")" "$3" "$(python3 -c "print(round($ROWS / $4))")"
}
bench_line "accompany import -> SQLite ($ROWS rows)" "$sqlite_s" "sqlite3 .import" "$raw_s"
bench_line "accompany import -> PostgreSQL ($ROWS rows)" "$pg_s" "PostgreSQL COPY" "$copy_s"
