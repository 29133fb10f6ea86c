#!/usr/bin/env bash
# Triage benchmark (issue 7): `accompany triage` over a synthetic population imported into SQLite.
# Run 1 opens every task (the first triage of a freshly imported store), run 2 finds nothing to
# change; the baseline in the same command is the pure evaluation of the same store (run 2's
# evaluate phase), so `ratio` says how much store I/O costs on top of the rules themselves.
# Then the incremental path through the store (triage_bench's BM_RetriageChildFromSqlite,
# when the build has ACCOMPANY_BUILD_BENCHMARKS=ON).
# Usage: bench/triage.sh [N=450000] [BUILD=build/release] [IMPORTED_DB]
#   IMPORTED_DB: an already imported (never triaged) database to copy instead of synth + import.
# Ends with one JSON line {"bench":"triage",...}.
set -euo pipefail
N=${1:-450000}
BUILD=${2:-build/release}
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
first, second, baseline = $wall1, $wall2, $eval2
print(json.dumps({"bench": "triage", "children": $cases, "tasks_opened": $opened1,
                  "first_run_s": first, "first_run_cpu_s": round($cpu1, 2), "second_run_s": second,
                  "second_run_cpu_s": round($cpu2, 2), "baseline_evaluate_s": baseline,
                  "ratio_first_to_evaluate": round(first / baseline, 2) if baseline else None,
                  "goal_first_run_s": 30, "goal_met": first < 30,
                  "incremental_median_us": $incremental_median_us,
                  "incremental_store_median_us": $incremental_store_median_us}))
PY
