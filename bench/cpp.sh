#!/usr/bin/env bash
# The Google Benchmark programs (search, linkage, triage): builds them in the release build with
# ACCOMPANY_BUILD_BENCHMARKS=ON, runs each at $SCALE (small: 100,000 people to search, 20,000
# children to link, 45,000 to triage; default: 1,000,000 / 150,000 / 450,000) and prints a
# BENCH line per timing and counter for `make bench` (bench/README.md). No baseline of their
# own; the pg_trgm comparison of search is its own script.
# Usage: SCALE=small bench/cpp.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build/release}
case ${SCALE:-default} in
  small) people=100000 link_children=20000 triage_children=45000 ;;
  *) people=1000000 link_children=150000 triage_children=450000 ;;
esac
cmake --preset release -DACCOMPANY_BUILD_BENCHMARKS=ON >/dev/null
cmake --build --preset release --target search_bench linkage_bench triage_bench >&2
work=$(mktemp -d /tmp/accompany-cpp-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
for program in search_bench linkage_bench triage_bench; do
  ACCOMPANY_BENCH_PEOPLE=$people ACCOMPANY_BENCH_CHILDREN=$([[ $program == triage_bench ]] && echo "$triage_children" || echo "$link_children") \
    "$build/bench/$program" --benchmark_out="$work/$program.json" --benchmark_out_format=json >&2
done
python3 - "$work" <<'PY'
import json, pathlib, re, sys
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    program = path.stem
    for b in json.loads(path.read_text())["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        run = re.sub(r"/(iterations|repeats):\d+|/real_time", "", b["run_name"])
        name = f"{program} {run}" + (" (median)" if b.get("run_type") == "aggregate" else "")
        print("BENCH " + json.dumps({"name": f"{name} time", "value": round(b["real_time"], 3),
                                     "unit": b["time_unit"], "better": "lower"}))
        skip = {"name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
                "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit",
                "aggregate_name", "aggregate_unit"}
        for key, value in b.items():
            if key not in skip and isinstance(value, (int, float)):
                print("BENCH " + json.dumps({"name": f"{name} {key}", "value": round(value, 4), "unit": ""}))
PY
