#!/usr/bin/env bash
# Import benchmark (issue 3): `accompany synth` writes N children's six agency feeds (noise,
# duplicates and bad rows included); `accompany import` takes them all into SQLite and into
# PostgreSQL (validating, quarantining, linking by A-number, auditing; `audit verify` after),
# against the floor of the same files loaded raw in the same run: sqlite3's .import into plain
# tables (CSV parsed into columns; the JSON lines file one line per row) and PostgreSQL's COPY
# into one-column tables (one line per row: COPY refuses a whole file over one truncated row,
# and the feeds carry some on purpose). CPU seconds (user+sys) are given beside wall seconds
# because the development machine is shared. Prints BENCH lines for `make bench` (bench/README.md).
# Rows/s of the two re-INSERT lines count feed rows, so they compare with the lines above them.
# Usage: bench/import.sh [N] [BUILD=build/release]   (SKIP_POSTGRES=1 to skip PostgreSQL)
# N defaults by $SCALE: small 5,000 children, default 450,000 (the full FY2019-FY2023 scale).
set -euo pipefail
cd "$(dirname "$0")/.."
case ${SCALE:-default} in small) default_n=5000 ;; *) default_n=450000 ;; esac
N=${1:-$default_n}
BUILD=${2:-${BUILD:-build/release}}
BIN="$BUILD/src/accompany"
WORK=$(mktemp -d /tmp/accompany-bench.XXXXXX)
PGDIR="$WORK/pg"
FEEDS="$WORK/feeds"
chmod 755 "$WORK"  # the server runs as the postgres user when we are root
trap '"$BUILD/src/accompany-test-postgres" stop "$PGDIR" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

KINDS=(cbp_custody:cbp_custody.csv orr_release:orr_release.csv ice_nta:ice_nta.jsonl
  eoir_hearings:eoir_hearings.psv orr_followup:orr_followup.csv address_changes:address_changes.csv)

"$BIN" synth --children "$N" --out "$FEEDS" </dev/null >/dev/null
ROWS=0
for kind in "${KINDS[@]}"; do
  file="$FEEDS/${kind#*:}"
  n=$(wc -l <"$file")
  [[ $file == *.jsonl ]] || n=$((n - 1))
  ROWS=$((ROWS + n))
done
echo "feeds: $N children, $ROWS rows" >&2

# Runs "$@" (stdout discarded, stderr shown); prints "wall_seconds cpu_seconds", cpu being
# user+sys of the command and its children.
timed() {
  /usr/bin/time -o "$WORK/time" -f '%e %U %S' "$@" >/dev/null
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$WORK/time"
}

# Imports every feed into the database $1, one `accompany import` per file as an operator
# would; the one-line summaries go to stderr.
cat >"$WORK/import_all.sh" <<SCRIPT
set -e
for kind in ${KINDS[*]}; do "$BIN" --db "\$1" import --kind "\${kind%%:*}" "$FEEDS/\${kind#*:}" >&2; done
SCRIPT

# --- SQLite
"$BIN" init --db "$WORK/bench.db" >/dev/null
read -r sqlite_s sqlite_cpu < <(timed bash "$WORK/import_all.sh" "$WORK/bench.db")
"$BIN" audit verify --db "$WORK/bench.db" >&2
cat >"$WORK/raw.sql" <<SQL
.mode csv
.import $FEEDS/cbp_custody.csv cbp
.import $FEEDS/orr_release.csv orr
.import $FEEDS/orr_followup.csv fu
.import $FEEDS/address_changes.csv coa
.separator |
.import $FEEDS/eoir_hearings.psv eoir
CREATE TABLE nta (line TEXT);
.mode ascii
.separator "\037" "\n"
.import $FEEDS/ice_nta.jsonl nta
SQL
read -r raw_s raw_cpu < <(timed bash -c "sqlite3 '$WORK/raw.db' <'$WORK/raw.sql' 2>/dev/null")

# The floor under any import into this schema: the rows `accompany import` left in bench.db
# (records, row keys, local ids, pool, quarantine, audit entries), INSERTed again by SQLite
# itself into a fresh database, in the order import wrote them, with the import's own settings
# (one transaction, 64 MiB cache, foreign keys not looked up): no parsing, validation, linking
# or hashing. Beside it the same rows into plain tables (no key, index or constraint), which
# costs about what `.import` does; the difference is what the schema's keys and indexes cost.
# The rows are first staged in write order (untimed), so neither copy pays for a sort.
FLOOR_TABLES=(children sponsors addresses custody_events notices hearings welfare_checks import_row_keys quarantine
  unlinked_rows local_ids audit_log)
{
  echo "ATTACH '$WORK/bench.db' AS imported;"
  for table in "${FLOOR_TABLES[@]}"; do
    case $table in
      import_row_keys) order="file_id, line" ;;
      audit_log) order="seq" ;;
      *) order="id" ;;
    esac
    echo "CREATE TABLE $table AS SELECT * FROM imported.$table ORDER BY $order;"
  done
} >"$WORK/stage.sql"
sqlite3 "$WORK/stage.db" <"$WORK/stage.sql"
"$BIN" init --db "$WORK/floor.db" >/dev/null
copy_rows() {  # the SQL that copies every staged table into database main
  echo "ATTACH '$WORK/stage.db' AS staged; PRAGMA main.cache_size = -65536; BEGIN;"
  for table in "${FLOOR_TABLES[@]}"; do echo "INSERT INTO main.$table SELECT * FROM staged.$table ORDER BY rowid;"; done
  echo "COMMIT;"
}
copy_rows >"$WORK/floor.sql"
read -r floor_s floor_cpu < <(timed sqlite3 "$WORK/floor.db" -init /dev/null -cmd "PRAGMA foreign_keys = OFF" <"$WORK/floor.sql")
{
  echo "ATTACH '$WORK/stage.db' AS staged;"
  for table in "${FLOOR_TABLES[@]}"; do echo "CREATE TABLE $table AS SELECT * FROM staged.$table WHERE 0;"; done
} | sqlite3 "$WORK/plain.db"
read -r plain_s plain_cpu < <(timed sqlite3 "$WORK/plain.db" -init /dev/null <"$WORK/floor.sql")
floor_rows=$(sqlite3 "$WORK/floor.db" "SELECT $(for t in "${FLOOR_TABLES[@]}"; do printf '(SELECT count(*) FROM %s) + ' "$t"; done) 0")

# --- PostgreSQL
pg_s=null pg_cpu=null copy_s=null copy_cpu=null
if [[ -z ${SKIP_POSTGRES:-} ]]; then
  "$BUILD/src/accompany-test-postgres" start "$PGDIR" >/dev/null
  PORT=$(cat "$PGDIR/port")
  ADMIN="postgresql://postgres@/postgres?host=$PGDIR&port=$PORT"
  psql -q "$ADMIN" -c "CREATE DATABASE bench" -c "CREATE DATABASE raw" >/dev/null
  BENCH="postgresql://postgres@/bench?host=$PGDIR&port=$PORT"
  RAW="postgresql://postgres@/raw?host=$PGDIR&port=$PORT"
  "$BIN" keys generate --out "$WORK/field.key" >/dev/null
  export ACCOMPANY_KEY_FILE="$WORK/field.key"  # a PostgreSQL database needs its field key named
  "$BIN" init --db "$BENCH" >/dev/null
  read -r pg_s pg_cpu < <(timed bash "$WORK/import_all.sh" "$BENCH")
  "$BIN" audit verify --db "$BENCH" >&2
  {
    for kind in "${KINDS[@]}"; do echo "CREATE TABLE ${kind%%:*} (line text);"; done
  } | psql -q "$RAW" >/dev/null
  {
    for kind in "${KINDS[@]}"; do
      header=HEADER
      [[ $kind == *.jsonl ]] && header=""
      # Quote and delimiter bytes that never occur: each line is one value, read as it is.
      echo "\\copy ${kind%%:*} FROM '$FEEDS/${kind#*:}' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02' ${header:+, $header})"
    done
  } >"$WORK/copy.sql"
  read -r copy_s copy_cpu < <(timed psql -q -v ON_ERROR_STOP=1 "$RAW" -f "$WORK/copy.sql")
  copied=$(psql -qtA "$RAW" -c "SELECT $(for kind in "${KINDS[@]}"; do printf '(SELECT count(*) FROM %s) + ' "${kind%%:*}"; done) 0")
  [[ $copied == "$ROWS" ]] || { echo "COPY loaded $copied rows, expected $ROWS" >&2; exit 1; }
fi

rate() { [[ $2 == null ]] && echo null || python3 -c "import sys; print(round(float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
ratio() { [[ $1 == null || $2 == null ]] && echo null || python3 -c "import sys; print(round(float(sys.argv[1]) / float(sys.argv[2]), 2))" "$1" "$2"; }
row() { printf '%-34s %9s %9s %11s %10s\n' "$@"; }

echo
echo "rows: $ROWS (accompany synth --children $N, six feeds); import keeps $floor_rows rows in the tables it writes"
row "load" "wall s" "cpu s" "rows/s" "x floor"
row "sqlite3 .import (plain tables)" "$raw_s" "$raw_cpu" "$(rate "$ROWS" "$raw_s")" "1.0"
row "accompany import -> SQLite" "$sqlite_s" "$sqlite_cpu" "$(rate "$ROWS" "$sqlite_s")" "$(ratio "$sqlite_s" "$raw_s")"
row "  its rows re-INSERTed, plain tables" "$plain_s" "$plain_cpu" "$(rate "$ROWS" "$plain_s")" "$(ratio "$plain_s" "$raw_s")"
row "  its rows re-INSERTed, real schema" "$floor_s" "$floor_cpu" "$(rate "$ROWS" "$floor_s")" "$(ratio "$floor_s" "$raw_s")"
row "PostgreSQL COPY (plain tables)" "$copy_s" "$copy_cpu" "$(rate "$ROWS" "$copy_s")" "$(ratio "$copy_s" "$copy_s")"
row "accompany import -> PostgreSQL" "$pg_s" "$pg_cpu" "$(rate "$ROWS" "$pg_s")" "$(ratio "$pg_s" "$copy_s")"
bench_line() {  # name, seconds, baseline name, baseline seconds
  [[ $2 == null ]] && return
  printf 'BENCH {"name":"%s","value":%s,"unit":"rows/s","better":"higher","baseline":"%s","baseline_value":%s}\n' \
    "$1" "$(rate "$ROWS" "$2")" "$3" "$(rate "$ROWS" "$4")"
}
bench_line "accompany import -> SQLite ($ROWS rows)" "$sqlite_s" "sqlite3 .import" "$raw_s"
bench_line "accompany import -> PostgreSQL ($ROWS rows)" "$pg_s" "PostgreSQL COPY" "$copy_s"
bench_line "SQLite re-INSERT of the rows import keeps ($ROWS feed rows)" "$floor_s" "sqlite3 .import" "$raw_s"
