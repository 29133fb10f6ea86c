#!/usr/bin/env bash
# Triage benchmark (issue 7): `accompany triage` over a synthetic population imported into SQLite.
# Run 1 opens every task (the first triage of a freshly imported store), run 2 finds nothing to
# change; the baseline in the same command is the pure evaluation of the same store (run 2's
# evaluate phase), so `ratio` says how much store I/O costs on top of the rules themselves.
# Then the incremental path through the store (triage_bench's BM_RetriageChildFromSqlite,
# when the build has ACCOMPANY_BUILD_BENCHMARKS=ON).
# Usage: bench/triage.sh [N] [BUILD=build/release] [IMPORTED_DB]
#   N defaults by $SCALE: small 5,000 children, default 450,000.
#   IMPORTED_DB: an already imported (never triaged) database to copy instead of synth + import.
# Prints BENCH lines for `make bench` (bench/README.md).
set -euo pipefail
case ${SCALE:-default} in small) default_n=5000 ;; *) default_n=450000 ;; esac
N=${1:-$default_n}
BUILD=${2:-${BUILD:-build/release}}
IMPORTED=${3:-}
BIN="$BUILD/src/accompany"
WORK=$(mktemp -d /tmp/accompany-triage-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/triage.db"

if [[ -n $IMPORTED ]]; then
  cp "$IMPORTED" "$DB"
else
  "$BIN" synth --children "$N" --out "$WORK/feeds" >&2
  "$BIN" init --db "$DB" >/dev/null
  for kind in cbp_custody orr_release ice_nta eoir_hearings orr_followup address_changes; do
    file=$(find "$WORK/feeds" -name "$kind.*" ! -name '*.partial' | head -1)
    "$BIN" --db "$DB" import --kind "$kind" "$file" >&2
  done
  rm -rf "$WORK/feeds"
fi

# One run: wall and CPU seconds from /usr/bin/time, phases from the summary line.
run() {
  /usr/bin/time -f 'time %e %U %S' "$BIN" --db "$DB" triage >"$WORK/out" 2>"$WORK/err"
  cat "$WORK/out" >&2
  python3 - "$WORK/out" "$WORK/err" <<'PY'
import re, sys
out = open(sys.argv[1]).read()
err = open(sys.argv[2]).read()
m = re.search(r"Triage of (\d+) cases: (\d+) tasks opened, (\d+) closed, (\d+) unchanged, in ([\d.]+) s "
              r"\(load ([\d.]+) s, evaluate ([\d.]+) s, write ([\d.]+) s\)", out)
t = re.search(r"time ([\d.]+) ([\d.]+) ([\d.]+)", err)
if not m or not t:
    sys.exit(f"unexpected output:\n{out}\n{err}")
cases, opened, closed, unchanged = (int(m.group(i)) for i in range(1, 5))
wall, user, sys_ = (float(t.group(i)) for i in range(1, 4))
print(cases, opened, closed, unchanged, m.group(5), m.group(6), m.group(7), m.group(8), wall, user + sys_)
PY
}

read -r cases opened1 _ _ total1 load1 eval1 write1 wall1 cpu1 < <(run)
read -r _ opened2 closed2 unchanged2 total2 load2 eval2 write2 wall2 cpu2 < <(run)
printf 'first run:  %s cases, %s tasks opened: %.1f s wall (%.1f s CPU); load %.1f s, evaluate %.1f s, write %.1f s\n' \
  "$cases" "$opened1" "$wall1" "$cpu1" "$load1" "$eval1" "$write1"
printf 'second run: %s opened, %s closed, %s unchanged: %.1f s wall (%.1f s CPU); load %.1f s, evaluate %.1f s, write %.1f s\n' \
  "$opened2" "$closed2" "$unchanged2" "$wall2" "$cpu2" "$load2" "$eval2" "$write2"

incremental_median_us=None
incremental_store_median_us=None
if [[ -x $BUILD/bench/triage_bench ]]; then
  "$BUILD/bench/triage_bench" --benchmark_filter='Incremental|Retriage' --benchmark_format=json \
    >"$WORK/bench.json" 2>/dev/null
  read -r incremental_median_us incremental_store_median_us < <(python3 - "$WORK/bench.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["benchmarks"]
def median(prefix):
    for r in rows:
        if r["name"].startswith(prefix) and r.get("aggregate_name") == "median":
            return f'{r["real_time"]:.1f}'
    return "None"
print(median("BM_IncrementalRetriage"), median("BM_RetriageChildFromSqlite/1"))
PY
)
  echo "incremental re-triage, median: ${incremental_median_us} µs pure, ${incremental_store_median_us} µs through SQLite (record a welfare check + re-triage, one transaction)" >&2
else
  echo "incremental: $BUILD/bench/triage_bench not built (configure with -DACCOMPANY_BUILD_BENCHMARKS=ON)" >&2
fi

python3 - <<PY
import json
def bench(name, value, unit, better, baseline=None, baseline_value=None):
    if value is None: return
    line = {"name": name, "value": value, "unit": unit, "better": better}
    if baseline_value: line.update(baseline=baseline, baseline_value=baseline_value)
    print("BENCH " + json.dumps(line))
bench("triage first run ($cases children, $opened1 tasks opened)", $wall1, "s", "lower", "pure evaluation", $eval2)
bench("triage first run CPU", round($cpu1, 2), "s", "lower")
bench("triage second run (nothing to change)", $wall2, "s", "lower", "pure evaluation", $eval2)
bench("incremental re-triage, median, pure", $incremental_median_us, "us", "lower")
bench("incremental re-triage, median, through SQLite", $incremental_store_median_us, "us", "lower")
PY
