#!/usr/bin/env bash
# `make bench`: runs every benchmark script of bench/ at one scale and prints one table of the
# figures, each beside its baseline measured in the same run, with the ratio; writes the same
# as JSON to bench/results/<UTC time>.json (and latest.json) and the scripts' output to a .log.
#
# Convention (bench/README.md): every bench/*.sh except run.sh and soak.sh is a benchmark. It
# reads SCALE (small|default) and BUILD from the environment and prints one line per figure:
#   BENCH {"name": "...", "value": N, "unit": "...", "better": "higher|lower",
#          "baseline": "...", "baseline_value": N}        (baseline fields optional)
# Everything else it prints goes to the log. A script that fails or prints no BENCH line makes
# `make bench` fail after the others have run.
# Usage: SCALE=small bench/run.sh
set -uo pipefail
cd "$(dirname "$0")/.."
export SCALE=${SCALE:-small}
export BUILD=${BUILD:-build/release}
case $SCALE in small | default) ;; *) echo "bench: SCALE must be small or default, not '$SCALE'" >&2; exit 2 ;; esac

cmake --preset release >/dev/null && cmake --build --preset release --target accompany accompany-test-postgres || exit 1
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
log="bench/results/$stamp.log"
lines=$(mktemp /tmp/accompany-bench-lines.XXXXXX)
trap 'rm -f "$lines"' EXIT
failed=()
started=$(date +%s)
for script in bench/*.sh; do
  name=$(basename "$script" .sh)
  [[ $name == run || $name == soak ]] && continue
  echo "bench: $name (SCALE=$SCALE)" >&2
  begin=$(date +%s)
  output=$(bash "$script" 2>>"$log")
  status=$?
  { echo "== $name: exit $status, $(($(date +%s) - begin)) s"; echo "$output"; } >>"$log"
  found=$(grep '^BENCH ' <<<"$output" | sed 's/^BENCH //')
  if ((status != 0)) || [[ -z $found ]]; then
    failed+=("$name")
    continue
  fi
  while IFS= read -r line; do echo "$name	$line"; done <<<"$found" >>"$lines"
done

python3 - "$lines" "bench/results/$stamp.json" "$SCALE" "$(($(date +%s) - started))" "$(nproc)" <<'PY'
import json, sys, datetime
lines_path, out_path, scale, seconds, cores = sys.argv[1:]
results = []
for raw in open(lines_path, encoding="utf-8"):
    script, text = raw.rstrip("\n").split("\t", 1)
    item = json.loads(text)
    item["script"] = script
    if item.get("baseline_value"):
        item["ratio"] = round(item["value"] / item["baseline_value"], 3)
    results.append(item)

def fmt(v):
    if v is None: return ""
    if isinstance(v, float) and not v.is_integer(): return f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}"
    return f"{int(v):,}"

header = ("script", "figure", "value", "unit", "baseline", "baseline value", "ratio")
rows = [(r["script"], r["name"], fmt(r["value"]), r.get("unit", ""), r.get("baseline", ""),
         fmt(r.get("baseline_value")), f'{r["ratio"]:.3f}' if "ratio" in r else "") for r in results]
widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
for row in (header, tuple("-" * w for w in widths), *rows):
    print("  ".join(str(c).rjust(w) if i in (2, 5, 6) else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
document = {"scale": scale, "finished_at": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "seconds": int(seconds), "cores": int(cores), "results": results}
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(document, f, indent=1, ensure_ascii=False)
PY
cp "bench/results/$stamp.json" bench/results/latest.json
echo "bench: SCALE=$SCALE in $(($(date +%s) - started)) s; JSON in bench/results/$stamp.json, output in $log"
if ((${#failed[@]})); then
  echo "bench: failed or printed no BENCH line: ${failed[*]} (see $log)" >&2
  exit 1
fi
