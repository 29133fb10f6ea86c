#!/usr/bin/env bash
# Benchmark: encryption at rest (docs/security.md). Two parts, each beside a baseline measured in
# the same run:
#  1. the field cipher alone (bench/field_cipher_bench.cpp): encrypt + decrypt values/s of a
#     sponsor phone, a contact narrative and a held feed row, beside a BLAKE2b digest of the same
#     value (which every audited write computes anyway);
#  2. audited reads over HTTP: GET /api/contacts/{id} of a contact whose narrative, outcome and
#     details are encrypted (three decryptions per read), beside the same contact with those
#     columns rewritten as plain text in the database (what a read costs without encryption).
# Usage: bench/encryption.sh [seconds] [connections]   (builds field_cipher_bench in the release
# build with ACCOMPANY_BUILD_BENCHMARKS=ON). seconds defaults by $SCALE: small 5, default 10.
set -euo pipefail

case ${SCALE:-default} in small) default_seconds=5 ;; *) default_seconds=10 ;; esac
seconds=${1:-$default_seconds}
connections=${2:-32}
here=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build/release}

cmake --preset release -DACCOMPANY_BUILD_BENCHMARKS=ON >/dev/null
cmake --build --preset release --target field_cipher_bench accompany >&2
echo "field cipher, 1 s per figure; $(uptime)"
printf '%-20s %6s %22s %18s\n' "field" "bytes" "encrypt+decrypt /s" "BLAKE2b /s"
while IFS=$'\t' read -r name bytes cipher digest; do
  printf '%-20s %6s %22s %18s\n' "$name" "$bytes" "$cipher" "$digest"
  printf 'BENCH {"name":"field encrypt+decrypt, %s (%s bytes)","value":%s,"unit":"values/s","better":"higher","baseline":"BLAKE2b digest of the same value","baseline_value":%s}\n' \
    "$name" "$bytes" "$cipher" "$digest"
done < <("$here/$build/bench/field_cipher_bench" 1)

source "$here/bench/lib/serve.sh"
# Two identical contacts; the second's sensitive columns are then rewritten as plain text (the
# store reads plain text as it is), so the two reads differ only by the decryptions.
contact='{"channel":"phone","caller_type":"child","category":"welfare_concern","language":"spa","narrative":"Caller says the child works nights at a plant and the sponsor keeps her wages; she is afraid to go to school and asked us not to call the house.","outcome":"Referred to the safety team; caseworker to call the cousin after six."}'
for _ in 1 2; do
  curl -sf -b "$cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d "$contact" \
    "http://127.0.0.1:$port/api/contacts" >/dev/null
done
encrypted=$(sqlite3 "$db" "SELECT count(*) FROM contacts WHERE id = 1 AND narrative LIKE 'enc:v1:%' AND outcome LIKE 'enc:v1:%'")
[[ $encrypted == 1 ]] || { echo "bench: contact 1 is not encrypted" >&2; exit 1; }
plain_narrative=$(curl -sf -b "$cookie" "http://127.0.0.1:$port/api/contacts/2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["narrative"])')
sqlite3 "$db" "UPDATE contacts SET narrative = '$plain_narrative', outcome = 'Referred to the safety team; caseworker to call the cousin after six.', details = '{}' WHERE id = 2"

echo "audited contact reads, ${seconds}s per run, $connections connections, $(nproc) cores, SQLite (WAL)"
printf '%-34s %12s %10s %16s\n' "endpoint" "requests/s" "p99" "server CPU µs/req"
run contact_plain "http://127.0.0.1:$port/api/contacts/2" -H "Cookie: $cookie" -H "X-Purpose: benchmark"
run contact_encrypted "http://127.0.0.1:$port/api/contacts/1" -H "Cookie: $cookie" -H "X-Purpose: benchmark"
printf 'BENCH {"name":"audited contact read, 3 encrypted fields","value":%s,"unit":"req/s","better":"higher","baseline":"same contact stored in plain text","baseline_value":%s}\n' \
  "$(cat "$work/contact_encrypted.rps")" "$(cat "$work/contact_plain.rps")"
printf 'BENCH {"name":"server CPU per audited contact read, 3 encrypted fields","value":%s,"unit":"us","better":"lower","baseline":"same contact stored in plain text","baseline_value":%s}\n' \
  "$(cat "$work/contact_encrypted.cpu")" "$(cat "$work/contact_plain.cpu")"
