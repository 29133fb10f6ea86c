#!/usr/bin/env bash
# The oversight report at scale beside the calibrated and published figures (issue 7, docs/triage.md
# "Calibration"): synth, init, the six imports, link --full, triage, report oversight.
# Usage: bench/oversight_calibration.sh [N=450000] [BUILD=build/release] [WORK_DIR]
# Keeps WORK_DIR (the feeds, the database and the report) when it is given. About 20 minutes of
# wall time at 450,000 children on a busy 2-core machine (link --full is most of it).
set -euo pipefail
N=${1:-450000}
BUILD=${2:-build/release}
WORK=${3:-}
BIN="$BUILD/src/accompany"
if [[ -z $WORK ]]; then
  WORK=$(mktemp -d /tmp/accompany-calibration.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
DB="$WORK/calibration.db"
rm -f "$DB" "$DB".* 
step() { echo "== $*" >&2; /usr/bin/time -f '   %e s wall, %U s user, %S s sys' "$@" >&2; }
step "$BIN" synth --children "$N" --seed 1 --out "$WORK/feeds"
"$BIN" init --db "$DB" >/dev/null
for kind in cbp_custody orr_release ice_nta eoir_hearings orr_followup address_changes; do
  file=$(find "$WORK/feeds" -name "$kind.*" ! -name '*.partial' | head -1)
  step "$BIN" --db "$DB" import --kind "$kind" "$file"
done
step "$BIN" --db "$DB" link --full
step "$BIN" --db "$DB" triage
step "$BIN" --db "$DB" report oversight --by fiscal-year --format csv --out "$WORK/oversight.csv"
"$BIN" --db "$DB" report oversight --by fiscal-year
python3 - "$WORK/oversight.csv" "$N" <<'PY'
import csv, json, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if int(r["released"]) > 0]
n = int(sys.argv[2])
total = {k: sum(int(r[k]) for r in rows) for k in
         ("released", "without_notice_served", "failed_to_appear", "address_defects", "unreachable_at_follow_up")}
# The calibrated rates (src/synth/data/rates.json) and the inspector general's figures
# (../shared/data/published-figures.md), both for 450,000 children; scaled to N.
calibrated = {"released": 1.0, "without_notice_served": 0.65, "failed_to_appear": 0.0714,
              "address_defects": 0.020 + 0.032 + 0.0172}
published = {"released": "> 448,000", "without_notice_served": "> 291,000", "failed_to_appear": "> 32,000",
             "address_defects": "> 31,000"}
print(f"{'measure':<26}{'report':>10}{'calibrated':>12}{'difference':>12}  published (450,000 scale)")
for k, share in calibrated.items():
    expected = share * n
    print(f"{k:<26}{total[k]:>10,}{expected:>12,.0f}{100 * (total[k] - expected) / expected:>+11.2f}%  {published[k]}")
print(f"{'unreachable_at_follow_up':<26}{total['unreachable_at_follow_up']:>10,}")
worst = max(abs(total[k] - s * n) / (s * n) for k, s in calibrated.items())
print(f"BENCH oversight_calibration children={n} worst_difference_pct={100 * worst:.2f} " + json.dumps(total))
PY
