#!/usr/bin/env bash
# The booking benchmark of BENCHMARKS.md ("Booking (issue 2)"), in one run:
#   1. raw durable SQLite inserts (WAL, synchronous=FULL, BEGIN IMMEDIATE, one row each)
#   2. POST /api/v1/bookings on distinct free slots at concurrency 1, 4 and 16,
#      then the raw inserts again (the fsync-bound baseline drifts)
#   3. GET / on a bare axum server, GET /api/v1/availability at concurrency 16
#      without and with Accept-Encoding, GET / again
#   4. villi's peak RSS (VmHWM) at the end
# Each target is judged against the higher of its two baseline runs.
# Servers run on CPU $SERVER_CPU, the load generator on CPU $LOAD_CPU. All
# requests go to 127.0.0.1 and every run is bounded in count and in time.
#
# Usage: scripts/bench-booking.sh            (results in target/bench-booking/)
# Knobs (environment): SERVER_CPU, LOAD_CPU, PORT, BARE_PORT, PRACTITIONERS,
#   BOOKINGS (per concurrency), GETS, RUN_SECONDS, OUT, CARGO_TARGET_DIR,
#   BUILD=0 to use already built release binaries.
set -euo pipefail

cd "$(dirname "$0")/.."
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT=${PORT:-38471}
BARE_PORT=${BARE_PORT:-38472}
PRACTITIONERS=${PRACTITIONERS:-12}
BOOKINGS=${BOOKINGS:-2000}
GETS=${GETS:-300000}
RUN_SECONDS=${RUN_SECONDS:-15}
OUT=${OUT:-target/bench-booking}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
VILLI=$TARGET_DIR/release/villi
BENCH=$TARGET_DIR/release/villi-bench

for tool in taskset cargo; do
    command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

# Another program on one of the ports would receive the load instead.
for port in "$PORT" "$BARE_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "127.0.0.1:$port is already in use; set PORT / BARE_PORT" >&2
        exit 1
    fi
done

WORK=$(mktemp -d)
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/commands.txt "$OUT"/report.md
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# Records a command line, quoted so it can be pasted back into a shell, with
# the scratch, build and output folders written as $WORK, target/ and $OUT.
record() {
    local line="" arg
    for arg in "$@"; do
        if [[ $arg =~ ^[A-Za-z0-9_./:,=@%+-]+$ ]]; then line+="$arg "; else line+="'$arg' "; fi
    done
    printf '%s\n' "${line% }" | sed -e "s|$WORK|\$WORK|g" -e "s|$OUT/|\$OUT/|g" \
        -e "s|$TARGET_DIR/|target/|g" >>"$OUT/commands.txt"
}

# Runs a command and records it.
run() {
    record "$@"
    "$@"
}

# Starts a server in the background on the server CPU and remembers its pid.
start() {
    record "$@"
    sed -i '$ s/$/ \&/' "$OUT/commands.txt"
    "$@" &
    PIDS+=("$!")
}

# Fails unless the server started last is still running (and so is the one
# answering on its port).
alive() {
    kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "the server exited; see its log" >&2; exit 1; }
}

if [ "${BUILD:-1}" != 0 ]; then
    cargo build --release -p villi -p villi-bench
fi

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc: $(nproc)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "kernel: $(uname -r)"
    echo "filesystem of the data folder: $(stat -f -c %T "$WORK")"
    echo "rustc: $(rustc -V)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes')"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/machine.txt"

# --- the practice: the demo, plus practitioners free around the clock -----
DATA=$WORK/data
run "$VILLI" --data-dir "$DATA" demo --no-serve >/dev/null
SLUGS=()
for i in $(seq 1 "$PRACTITIONERS"); do
    slug=load-$i
    SLUGS+=("$slug")
    run "$VILLI" --data-dir "$DATA" practitioner add --slug "$slug" \
        --name "Load Practitioner $i" --email "$slug@example.org" --time-zone UTC >/dev/null
    for day in mon tue wed thu fri sat sun; do
        run "$VILLI" --data-dir "$DATA" availability set --practitioner "$slug" \
            --day "$day" --hours 00:00-23:59 >/dev/null
    done
done
SLUG_LIST=$(IFS=,; echo "${SLUGS[*]}")

# --- 1. raw durable inserts, on the server's CPU, same filesystem ---------
mkdir -p "$WORK/raw"
run taskset -c "$SERVER_CPU" "$BENCH" raw-insert --db "$WORK/raw/raw.sqlite" \
    --rows 20000 --seconds "$RUN_SECONDS" --out "$OUT/raw-insert-1-before.json"

# --- 2. villi: bookings --------------------------------------------------
URL=http://127.0.0.1:$PORT
start env VILLI_BOOKING_RATE_LIMIT=100000000 VILLI_MAX_ACTIVE_BOOKINGS_PER_EMAIL=100000000 \
    taskset -c "$SERVER_CPU" "$VILLI" --data-dir "$DATA" --bind "127.0.0.1:$PORT" serve \
    >"$OUT/villi.log" 2>&1
VILLI_PID=${PIDS[-1]}
run taskset -c "$LOAD_CPU" "$BENCH" wait --url "$URL" --path /api/v1/practitioners
alive

for c in 1 4 16; do
    run taskset -c "$LOAD_CPU" "$BENCH" book --url "$URL" --type consultation \
        --practitioners "$SLUG_LIST" --gap-min 15 --concurrency "$c" \
        --requests "$BOOKINGS" --seconds "$RUN_SECONDS" \
        --label "POST /api/v1/bookings (distinct slots)" --out "$OUT/booking-c$c.json"
    # Let the worker send the run's e-mails, so the next run starts from the same state.
    run taskset -c "$LOAD_CPU" "$BENCH" drain --db "$DATA/villi.db" --out "$OUT/drain-after-c$c.json"
done

# The fsync-bound baseline drifts with the machine's load: measured again
# after the booking runs; the target is judged against the higher rate.
rm -f "$WORK/raw/raw.sqlite"*
run taskset -c "$SERVER_CPU" "$BENCH" raw-insert --db "$WORK/raw/raw.sqlite" \
    --rows 20000 --seconds "$RUN_SECONDS" --out "$OUT/raw-insert-2-after.json"

# --- 3. availability between two bare-axum runs --------------------------
start taskset -c "$SERVER_CPU" "$BENCH" bare-axum --bind "127.0.0.1:$BARE_PORT"
BARE_PID=${PIDS[-1]}
run taskset -c "$LOAD_CPU" "$BENCH" wait --url "http://127.0.0.1:$BARE_PORT" --path /
alive
bare() {
    run taskset -c "$LOAD_CPU" "$BENCH" get --url "http://127.0.0.1:$BARE_PORT" --path / \
        --concurrency 16 --requests "$GETS" --seconds "$RUN_SECONDS" \
        --label "GET / (bare axum, static page)" --out "$OUT/$1"
}
# Warm-up, not counted.
run taskset -c "$LOAD_CPU" "$BENCH" get --url "http://127.0.0.1:$BARE_PORT" --path / \
    --concurrency 16 --requests 5000 --seconds 5 >/dev/null
bare bare-axum-1-before.json

FROM=$(date -u +%F)
TO=$(date -u -d '+6 days' +%F)
AVAILABILITY="/api/v1/availability?practitioner=ada-okafor&type=discovery&from=$FROM&to=$TO&tz=UTC"
run taskset -c "$LOAD_CPU" "$BENCH" get --url "$URL" --path "$AVAILABILITY" \
    --concurrency 16 --requests 2000 --seconds 5 >/dev/null
run taskset -c "$LOAD_CPU" "$BENCH" get --url "$URL" --path "$AVAILABILITY" \
    --concurrency 16 --requests "$GETS" --seconds "$RUN_SECONDS" \
    --label "GET /api/v1/availability (one practitioner, 7 days; no Accept-Encoding)" \
    --out "$OUT/availability-1-plain.json"
run taskset -c "$LOAD_CPU" "$BENCH" get --url "$URL" --path "$AVAILABILITY" \
    --accept-encoding "gzip, deflate, br" \
    --concurrency 16 --requests "$GETS" --seconds "$RUN_SECONDS" \
    --label "GET /api/v1/availability (one practitioner, 7 days; Accept-Encoding as browsers send)" \
    --out "$OUT/availability-2-gzip.json"

bare bare-axum-2-after.json
kill "$BARE_PID"
wait "$BARE_PID" 2>/dev/null || true

run "$BENCH" memory --pid "$VILLI_PID" --out "$OUT/memory.json"
kill "$VILLI_PID"
wait "$VILLI_PID" 2>/dev/null || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"

"$BENCH" report --dir "$OUT" | tee "$OUT/report.md"
echo
cat "$OUT/machine.txt"
echo
echo "commands: $OUT/commands.txt"
