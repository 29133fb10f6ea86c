# Shared by bench/server.sh and bench/encryption.sh (sourced, not run): starts `accompany serve`
# on a throwaway SQLite database with a signed-in supervisor ($cookie, $csrf, $port, $work),
# and run() measures one endpoint with wrk. Expects $here, $seconds and $connections.
accompany="$here/${BUILD:-build/release}/src/accompany"
command -v wrk >/dev/null || { echo "bench: wrk is missing; run scripts/install-deps" >&2; exit 1; }
[[ -x $accompany ]] || { echo "bench: build first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }

work=$(mktemp -d /tmp/accompany-bench.XXXXXX)
server=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/bench.db"
port=$((20000 + RANDOM % 20000))
password="bench passphrase long enough"
"$accompany" init --db "$db" >/dev/null
echo "$password" | "$accompany" user add bench --role supervisor --db "$db" >/dev/null
"$accompany" serve --db "$db" --port "$port" --log-level warn ${SERVE_ARGS:-} &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done

login=$(curl -sf -D "$work/headers" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/session")
cookie=$(grep -i '^set-cookie:' "$work/headers" | sed -e 's/^[^:]*: *//' -e 's/;.*//')
csrf=$(echo "$login" | sed -e 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/')
# The server's CPU time (user + system, clock ticks) so far: CPU per request is far less
# sensitive than requests/s to other work on a shared machine.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
run() {  # name, url, extra wrk args...
  local name=$1 url=$2
  shift 2
  local before after
  before=$(cpu_ticks)
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$url" >"$work/$name.txt"
  after=$(cpu_ticks)
  local rps p99 requests cpu_us
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
  requests=$(awk '/requests in/ {print $1}' "$work/$name.txt")
  cpu_us=$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  local errors
  errors=$(awk '/Non-2xx/ {print $NF}' "$work/$name.txt")
  printf '%-34s %12s %10s %16s %s\n' "$name" "$rps" "$p99" "$cpu_us" "${errors:+non-2xx: $errors}"
  echo "$rps" >"$work/$name.rps"
  echo "$p99" >"$work/$name.p99"
  echo "$cpu_us" >"$work/$name.cpu"
}

