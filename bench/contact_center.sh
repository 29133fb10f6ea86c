#!/usr/bin/env bash
# Contact-center benchmark (issue 8): `accompany simulate-calls` drives the CTI webhook of a
# server pinned to 2 cores at the peak hour of a 7,000-calls-a-day line (baseline) and then at
# 10x that rate or more (12x the mean, a Poisson sample), while every simulated agent's desk
# listens on its server-sent events stream.
# Measures event-to-pop latency (the PBX timestamp in the event against the moment the pop is
# read off the stream) and compares counts end to end: calls and events stored against those
# sent, pops received against ringing/answered events accepted, and a full replay of the load
# (as a PBX retrying everything) adding nothing. Prints BENCH lines for `make bench`; exits 1
# when a count does not match end to end.
# Usage: bench/contact_center.sh [seconds at 10x] [agents = 20] [BUILD=build/release]
#   seconds at 10x defaults by $SCALE: small 20, default 60.
set -euo pipefail
case ${SCALE:-default} in small) default_seconds=20 ;; *) default_seconds=60 ;; esac
SECONDS_10X=${1:-$default_seconds}
AGENTS=${2:-20}
BUILD=${3:-${BUILD:-build/release}}
BIN="$(realpath "$BUILD/src/accompany")"
WORK=$(mktemp -d /tmp/accompany-cc-bench.XXXXXX)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
DB="$WORK/cc.db"
PASSWORD="bench-password-$$"

"$BIN" --db "$DB" init >/dev/null
TOKEN=$("$BIN" --db "$DB" user add --role telephony --service pbx-bench | tail -1)
for i in $(seq 1 "$AGENTS"); do
  echo "$PASSWORD" | "$BIN" --db "$DB" user add --role contact_center_agent "sim.agent.$i" >/dev/null
done

taskset -c 0,1 "$BIN" --db "$DB" --log-level info serve --port 0 --threads 2 >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do
  PORT=$(grep -oE 'on http://[^:]+:[0-9]+' "$WORK/server.log" | grep -oE '[0-9]+$' || true)
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "server did not start: $(cat "$WORK/server.log")" >&2; exit 1; }

python3 - "$BIN" "$DB" "$PORT" "$TOKEN" "$AGENTS" "$PASSWORD" "$SECONDS_10X" <<'PY'
import http.client, json, re, sqlite3, subprocess, sys, threading, time
from datetime import datetime

binary, db, port, token, agents, password, seconds_10x = sys.argv[1:8]
port, agents, seconds_10x = int(port), int(agents), float(seconds_10x)
PER_DAY = 7000
PEAK_HOUR = 16  # the curve's busiest UTC hour (contact/call_simulation.cpp)

latencies, pops, lock, stop = [], [0], threading.Lock(), threading.Event()

def listen(name):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("POST", "/api/session", json.dumps({"name": name, "password": password}),
                 {"Content-Type": "application/json"})
    reply = conn.getresponse()
    cookie = reply.getheader("Set-Cookie").split(";")[0]
    reply.read()
    stream = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    stream.request("GET", "/api/agent/desk", headers={"Cookie": cookie, "Accept": "text/event-stream"})
    response = stream.getresponse()
    event = None
    while not stop.is_set():
        line = response.readline()
        if not line:
            break
        line = line.decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "pop":
            received = time.time()
            sent = datetime.fromisoformat(json.loads(line[6:])["timestamp"].replace("Z", "+00:00")).timestamp()
            with lock:
                latencies.append((received - sent) * 1000)
                pops[0] += 1

threads = [threading.Thread(target=listen, args=(f"sim.agent.{i}",), daemon=True) for i in range(1, agents + 1)]
for t in threads: t.start()
time.sleep(2)

def simulate(per_day, speedup, duration, seed):
    out = subprocess.run([binary, "simulate-calls", "--per-day", str(per_day), "--speedup", str(speedup),
                          "--duration", str(duration), "--start-hour", str(PEAK_HOUR), "--agents", str(agents),
                          "--seed", str(seed), "--url", f"http://127.0.0.1:{port}", "--token", token],
                         capture_output=True, text=True)
    print(out.stdout.strip(), out.stderr.strip(), file=sys.stderr)
    m = re.search(r"simulated (\d+) calls.* in ([\d.]+) s: (\d+) events sent, (\d+) acknowledged, (\d+) duplicates, "
                  r"(\d+) refused, (\d+) failed", out.stdout)
    calls, secs, sent, acked, dups, refused, failed = m.groups()
    return dict(calls=int(calls), seconds=float(secs), sent=int(sent), acknowledged=int(acked), duplicates=int(dups),
                refused=int(refused), failed=int(failed))

def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

def phase(per_day, duration, seed):
    with lock:
        latencies.clear(); pops[0] = 0
    result = simulate(per_day, 1, duration, seed)  # real time: the line's own rate
    time.sleep(1)
    with lock:
        result.update(pops=pops[0], p50_ms=p(latencies, 0.5), p99_ms=p(latencies, 0.99), max_ms=max(latencies or [0]))
    result["calls_per_hour"] = result["calls"] * 3600 / duration
    return result

baseline = phase(PER_DAY, max(20, seconds_10x / 3), 1)
# 12x the mean rate so a short Poisson sample still sustains at least 10x (load_over_peak_hour says).
load = phase(PER_DAY * 12, seconds_10x, 2)

con = sqlite3.connect(db)
def q(sql): return con.execute(sql).fetchone()[0]
calls_stored = q("SELECT count(*) FROM calls")
events_stored = q("SELECT count(*) FROM cti_events")
popping_events = q("SELECT count(*) FROM cti_events WHERE event_key IN ('ringing', 'answered')")
# Replay everything both phases sent, 10x faster, as a PBX retrying: nothing may be added.
replay_b = simulate(PER_DAY, 10, max(20, seconds_10x / 3) / 10, 1)
replay_l = simulate(PER_DAY * 12, 10, seconds_10x / 10, 2)
calls_after = q("SELECT count(*) FROM calls")
events_after = q("SELECT count(*) FROM cti_events")
stop.set()

sent_calls = baseline["calls"] + load["calls"]
acknowledged = baseline["acknowledged"] + load["acknowledged"]
counts_ok = (calls_stored == sent_calls and events_stored == acknowledged == baseline["sent"] + load["sent"]
             and baseline["pops"] + load["pops"] == popping_events and calls_after == calls_stored
             and events_after == events_stored and replay_b["acknowledged"] + replay_l["acknowledged"] == 0)
ok = counts_ok and load["p99_ms"] < 50 and load["calls_per_hour"] >= 10 * PER_DAY * 7.6 / 95
print(f"peak hour of {PER_DAY}/day: baseline {baseline['calls_per_hour']:.0f} calls/h, p99 pop {baseline['p99_ms']:.1f} ms; "
      f"10x: {load['calls_per_hour']:.0f} calls/h ({load['sent']} events in {load['seconds']:.0f} s), "
      f"p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms, max {load['max_ms']:.1f} ms; "
      f"calls stored {calls_stored}/{sent_calls}, events {events_stored}/{acknowledged}, pops {baseline['pops'] + load['pops']}/"
      f"{popping_events}, replay added {calls_after - calls_stored} calls and {events_after - events_stored} events",
      file=sys.stderr)
def bench(name, value, unit, better, baseline=None, baseline_value=None):
    line = {"name": name, "value": value, "unit": unit, "better": better}
    if baseline_value: line.update(baseline=baseline, baseline_value=baseline_value)
    print("BENCH " + json.dumps(line))
bench(f"event-to-pop p99 at {load['calls_per_hour'] / (PER_DAY * 7.6 / 95):.1f}x the peak hour", round(load["p99_ms"], 2),
      "ms", "lower", "p99 at the peak hour", round(baseline["p99_ms"], 2))
bench("calls handled per hour under load", round(load["calls_per_hour"]), "calls/h", "higher",
      "peak hour of a 7,000-a-day line", round(PER_DAY * 7.6 / 95))
print(f"goals (counts match, p99 < 50 ms, >= 10x the peak hour): {'met' if ok else 'NOT met'}", file=sys.stderr)
sys.exit(0 if counts_ok else 1)
PY
