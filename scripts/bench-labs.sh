#!/usr/bin/env bash
# Lab-import throughput: villi against python-hl7 on the same corpus.
#
# Generates a synthetic corpus of ORU^R01 messages (default 10,000), times
# villi's import of every message (parse, normalise, interpret; one thread,
# best of 3 runs), then times python-hl7's hl7.parse on the same messages
# (parse only; best of PY_RUNS, default 1, since one pass over 10,000
# messages takes about a minute), and prints both and the ratio.
#
#   scripts/bench-labs.sh            # 10,000 messages
#   N=2000 scripts/bench-labs.sh     # smaller corpus
set -euo pipefail
cd "$(dirname "$0")/.."

N="${N:-10000}"
OUT="${OUT:-target/labs-bench}"
mkdir -p "$OUT"
CORPUS="$OUT/corpus.hl7"

cargo build --release -q -p villi-labs --example gen_corpus --example bench_import
TARGET="${CARGO_TARGET_DIR:-target}"
"$TARGET/release/examples/gen_corpus" "$N" "$CORPUS"

villi_line="$("$TARGET/release/examples/bench_import" "$CORPUS" 3)"

if ! python3 -c "import hl7" 2>/dev/null; then
  python3 -m pip install --quiet hl7
fi

python_line="$(python3 - "$CORPUS" "${PY_RUNS:-1}" <<'PY'
import sys, time, hl7
data = open(sys.argv[1], encoding="utf-8", newline="").read()
# one string per message, split at each MSH that starts a segment
parts = data.split("\rMSH|")
messages = [parts[0]] + ["MSH|" + p for p in parts[1:]]
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    for m in messages:
        hl7.parse(m)
    best = min(best, time.perf_counter() - start)
size = len(data.encode("utf-8"))
print(f"python-hl7 {getattr(hl7, '__version__', '')} messages={len(messages)} bytes={size} "
      f"seconds={best:.4f} msgs_per_s={len(messages)/best:.0f} mb_per_s={size/1e6/best:.2f}")
PY
)"

echo "$villi_line"
echo "$python_line"
villi_rate="$(sed -E 's/.*msgs_per_s=([0-9.]+).*/\1/' <<<"$villi_line")"
python_rate="$(sed -E 's/.*msgs_per_s=([0-9.]+).*/\1/' <<<"$python_line")"
python3 -c "print(f'ratio villi/python-hl7 = {float($villi_rate)/float($python_rate):.1f}x (messages/s)')"
