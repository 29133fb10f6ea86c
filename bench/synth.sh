#!/usr/bin/env bash
# Times `accompany synth` at the default scale (or N children): seconds, rows and rows/s.
# Not part of `make test`. Usage: bench/synth.sh [N] [SEED]; N defaults by $SCALE: small 20000,
# default 450000. Prints a BENCH line for `make bench` (no baseline: nothing else writes feeds).
set -euo pipefail
cd "$(dirname "$0")/.."
case ${SCALE:-default} in small) default_children=20000 ;; *) default_children=450000 ;; esac
children=${1:-$default_children}
seed=${2:-1}
binary=build/release/src/accompany
if [[ ! -x $binary ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target accompany
fi
out=$(mktemp -d /tmp/accompany-synth-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
"$binary" synth --children "$children" --seed "$seed" --out "$out" </dev/null >"$out/summary.txt"
end=$(date +%s.%N)
cat "$out/summary.txt"
rows=0
for f in "$out"/*.csv "$out"/*.jsonl "$out"/*.psv; do
  [[ $(basename "$f") == truth.csv ]] && continue
  n=$(wc -l <"$f")
  [[ $f == *.jsonl ]] || n=$((n - 1))
  rows=$((rows + n))
  printf '  %-22s %9d rows %8.1f MB\n' "$(basename "$f")" "$n" "$(echo "$(stat -c %s "$f") / 1048576" | bc -l)"
done
printf '  %-22s %9d rows %8.1f MB\n' truth.csv "$(($(wc -l <"$out/truth.csv") - 1))" \
  "$(echo "$(stat -c %s "$out/truth.csv") / 1048576" | bc -l)"
seconds=$(echo "$end - $start" | bc -l)
printf 'synth: %d children, %d feed rows in %.2f s wall: %.0f rows/s\n' "$children" "$rows" "$seconds" \
  "$(echo "$rows / $seconds" | bc -l)"
printf 'BENCH {"name":"synth %d children (%d feed rows)","value":%.0f,"unit":"rows/s","better":"higher"}\n' \
  "$children" "$rows" "$(echo "$rows / $seconds" | bc -l)"
