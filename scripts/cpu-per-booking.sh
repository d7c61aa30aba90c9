#!/usr/bin/env bash
# Server CPU per booking, split by thread (tokio workers, the SQLite writer
# and readers, the background worker), for the "where a booking's CPU goes"
# table of BENCHMARKS.md. A fresh data folder: the demo practice plus 12
# practitioners open around the clock in UTC; villi on CPU $SERVER_CPU, the
# load (N bookings at concurrency 16) on CPU $LOAD_CPU. CPU time is read from
# /proc/<pid>/task/*/stat just before and just after the load.
#
# Usage: scripts/cpu-per-booking.sh     Knobs: N, WORKER (true|false),
#   SERVER_CPU, LOAD_CPU, PORT, CARGO_TARGET_DIR (release binaries must exist).
set -euo pipefail

cd "$(dirname "$0")/.."
N=${N:-5000}
WORKER=${WORKER:-true}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT=${PORT:-38473}
TARGET_DIR=${CARGO_TARGET_DIR:-target}
VILLI=$TARGET_DIR/release/villi
BENCH=$TARGET_DIR/release/villi-bench
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$VILLI" --data-dir "$WORK/data" demo --no-serve >/dev/null 2>&1
SLUGS=()
for i in $(seq 1 12); do
    "$VILLI" --data-dir "$WORK/data" practitioner add --slug "load-$i" \
        --name "Load $i" --email "load-$i@example.org" --time-zone UTC >/dev/null 2>&1
    for day in mon tue wed thu fri sat sun; do
        "$VILLI" --data-dir "$WORK/data" availability set --practitioner "load-$i" \
            --day "$day" --hours 00:00-23:59 >/dev/null 2>&1
    done
    SLUGS+=("load-$i")
done
VILLI_WORKER=$WORKER VILLI_BOOKING_RATE_LIMIT=100000000 VILLI_MAX_ACTIVE_BOOKINGS_PER_EMAIL=100000000 \
    taskset -c "$SERVER_CPU" "$VILLI" --data-dir "$WORK/data" --bind "127.0.0.1:$PORT" serve \
    >"$WORK/villi.log" 2>&1 &
PID=$!
"$BENCH" wait --url "http://127.0.0.1:$PORT" --path /api/v1/practitioners

# Clock ticks per thread name: "name ticks" lines (utime + stime).
ticks() {
    for stat in /proc/"$PID"/task/*/stat; do
        # The name sits in parentheses and may hold spaces; fields 14 and 15
        # (utime, stime) follow it.
        sed -E 's/^[0-9]+ \((.*)\) (.*)$/\1|\2/' "$stat" | awk -F'|' '{
            split($2, f, " "); gsub(/ /, "_", $1); print $1, f[12] + f[13] }'
    done | awk '{ t[$1] += $2 } END { for (n in t) print n, t[n] }' | sort
}
BEFORE=$(ticks)
taskset -c "$LOAD_CPU" "$BENCH" book --url "http://127.0.0.1:$PORT" --type consultation \
    --practitioners "$(IFS=,; echo "${SLUGS[*]}")" --gap-min 15 --concurrency 16 \
    --requests "$N" --seconds 30 --label "POST /api/v1/bookings (distinct slots)"
AFTER=$(ticks)
HZ=$(getconf CLK_TCK)
echo "server CPU per booking (ms), worker=$WORKER, $N bookings:"
join -a 2 -e 0 -o 0,1.2,2.2 <(echo "$BEFORE") <(echo "$AFTER") |
    awk -v hz="$HZ" -v n="$N" '{ d = ($3 - $2) * 1000 / hz / n; total += d;
        printf "  %-22s %.3f\n", $1, d } END { printf "  %-22s %.3f\n", "total", total }'
