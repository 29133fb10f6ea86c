#!/usr/bin/env bash
# Soak: a mixed load on one `accompany serve` for a configured time, then a verdict.
#   - API: 4 client threads over keep-alive connections, as a supervisor service account
#     (caseworkers see only the children assigned to them):
#     reads of children (one record, a page of the list), new addresses and contacts on
#     existing children, and a new child now and then;
#   - imports: every 15 s, `accompany import` of a fresh synthetic population's CBP and ORR
#     feeds into the same database, while the server keeps writing;
#   - calls: `accompany simulate-calls` for 10 s every 15 s (a 7,000-calls-a-day line at 100x)
#     through the CTI webhook, as a telephony service account;
#   - the server's RSS sampled every second.
# Fails on any 5xx or failed request, on a memory slope past the limit, or if `audit verify`
# fails afterwards. Memory: the least-squares slope of RSS over the run after its first fifth
# (warm-up), reported in MiB/min; the limit is growth over the measured part of at most
# max(8 MiB, 10% of the RSS at its start). Writes add data, so a slope of exactly 0 is not
# expected; a leak per request shows as growth with time far past that.
# Usage: bench/soak.sh [seconds=120]   (release build; bench/README.md has the 30-minute run)
set -euo pipefail
seconds=${1:-120}
here=$(cd "$(dirname "$0")/.." && pwd)
accompany="${BUILD:-$here/build/release}/src/accompany"
[[ -x $accompany ]] || { echo "soak: build first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }

work=$(mktemp -d /tmp/accompany-soak.XXXXXX)
server=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/soak.db"
port=$((20000 + RANDOM % 20000))
"$accompany" init --db "$db" >/dev/null
"$accompany" synth --out "$work/seed" --children 300 --seed 1 >/dev/null
"$accompany" --db "$db" import --kind cbp_custody "$work/seed/cbp_custody.csv" >/dev/null
"$accompany" --db "$db" import --kind orr_release "$work/seed/orr_release.csv" >/dev/null
token=$("$accompany" --db "$db" user add soak --role supervisor --service | grep -o 'acc_[A-Za-z0-9_]*')
pbx_token=$("$accompany" --db "$db" user add soak-pbx --role telephony --service | grep -o 'acc_[A-Za-z0-9_]*')

"$accompany" serve --db "$db" --port "$port" --log-level warn >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done

# Side load: imports and simulated calls every 15 s, as separate processes.
(
  round=2
  while true; do
    sleep 15
    "$accompany" synth --out "$work/round$round" --children 200 --seed "$round" >/dev/null
    for kind in cbp_custody orr_release; do
      "$accompany" --db "$db" import --kind "$kind" "$work/round$round/$kind.csv" >>"$work/imports.log" 2>&1 ||
        echo "IMPORT FAILED round $round $kind" >>"$work/imports.log"
    done
    rm -rf "$work/round$round"
    "$accompany" simulate-calls --url "http://127.0.0.1:$port" --token "$pbx_token" --duration 10 --seed "$round" \
      >>"$work/calls.log" 2>&1 || echo "CALLS FAILED round $round" >>"$work/calls.log"
    round=$((round + 1))
  done
) &
side=$!

python3 - "$port" "$token" "$seconds" "$server" "$work" <<'PY'
import http.client, json, random, re, sys, threading, time
port, token, seconds, pid, work = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "X-Purpose": "soak test"}
stop = time.monotonic() + seconds
lock = threading.Lock()
counts, failures = {}, []

def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

def client(n):
    rng = random.Random(n)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    children = list(range(1, 50))
    while time.monotonic() < stop:
        pick = rng.random()
        child = rng.choice(children)
        if pick < 0.45:
            req = ("GET", f"/api/children/{child}", None)
        elif pick < 0.60:
            req = ("GET", "/api/children?limit=20", None)
        elif pick < 0.80:
            req = ("POST", f"/api/children/{child}/addresses", {"line": f"{rng.randint(1, 9999)} W Main St",
                   "unit": "Apt 2", "city": "Houston", "state": "TX", "zip": "77002", "source": "caseworker:soak"})
        elif pick < 0.97:
            req = ("POST", "/api/contacts", {"channel": "phone", "caller_type": "sponsor", "category": "welfare_concern",
                   "language": "spa", "narrative": "Llamada de seguimiento", "outcome": "informed", "child_ids": [child]})
        else:
            req = ("POST", "/api/children", {"given_names": "Ana", "paternal_surname": "Soak", "birth_date": "2010-03-04",
                   "country_of_birth": "GT", "languages": ["spa"]})
        method, path, body = req
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
            response = conn.getresponse()
            text = response.read()
            status = response.status
        except Exception as error:  # a dropped connection is a failure too
            status, text = 0, str(error).encode()
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            shape = re.sub(r"/[0-9]+", "/{id}", path)
            key = f"{method} {shape} {status}"
            counts[key] = counts.get(key, 0) + 1
            if status == 0 or status >= 500 or (status >= 400 and status != 404):
                failures.append(f"{method} {path} -> {status}: {text[:200]!r}")
            if status == 201 and path == "/api/children":
                children.append(json.loads(text)["id"])

threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
for t in threads: t.start()
start = time.monotonic()
samples = []
while time.monotonic() < stop:
    samples.append((time.monotonic() - start, rss_kib()))
    time.sleep(1)
for t in threads: t.join()

measured = samples[len(samples) // 5:]
n = len(measured)
mx = sum(t for t, _ in measured) / n
my = sum(r for _, r in measured) / n
slope = sum((t - mx) * (r - my) for t, r in measured) / max(1e-9, sum((t - mx) ** 2 for t, _ in measured))  # KiB/s
span = measured[-1][0] - measured[0][0]
growth_mib = slope * span / 1024
limit_mib = max(8.0, 0.10 * measured[0][1] / 1024)
total = sum(counts.values())
print(f"soak: {seconds:.0f} s, {total} requests ({total / seconds:.0f}/s), RSS {samples[0][1] / 1024:.1f} -> "
      f"{samples[-1][1] / 1024:.1f} MiB; slope after warm-up {slope * 60 / 1024:.3f} MiB/min "
      f"({growth_mib:.1f} MiB over {span:.0f} s; limit {limit_mib:.1f} MiB)")
for key in sorted(counts): print(f"  {key:<40} {counts[key]}")
with open(f"{work}/verdict", "w") as f:
    ok = not failures and growth_mib <= limit_mib
    f.write("ok\n" if ok else "fail\n")
for failure in failures[:20]: print("  FAILED", failure)
if failures: print(f"soak: {len(failures)} failed requests (5xx, 4xx other than 404, or dropped)")
if growth_mib > limit_mib: print("soak: memory is not flat")
print("BENCH " + json.dumps({"name": "soak RSS slope after warm-up", "value": round(slope * 60 / 1024, 3), "unit": "MiB/min", "better": "lower"}))
PY
kill "$side" 2>/dev/null || true
wait "$side" 2>/dev/null || true
imports=$(grep -c 'rows read' "$work/imports.log" 2>/dev/null || true)
import_failures=$(grep -c 'FAILED' "$work/imports.log" 2>/dev/null || true)
call_rounds=$(grep -c 'acknowledged' "$work/calls.log" 2>/dev/null || true)
call_failures=$(grep -c 'FAILED' "$work/calls.log" 2>/dev/null || true)
echo "soak: ${imports:-0} feed files imported during the run, ${import_failures:-0} failed; simulate-calls: ${call_rounds:-0} rounds, ${call_failures:-0} failed"
grep -q '^ok' "$work/verdict" || exit 1
((${import_failures:-0} == 0)) || { cat "$work/imports.log" >&2; exit 1; }
((${call_failures:-0} == 0)) || { cat "$work/calls.log" >&2; exit 1; }
"$accompany" audit verify --db "$db"
