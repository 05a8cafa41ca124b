#!/usr/bin/env bash
# Benchmarks of the scheduler (engine/scheduler.cc) and `scale summarize`; not tests. Prints JSON
# lines / tables to stdout. Usage:
#   bench/sched_vs_batched.sh BUILD_DIR [MODEL.gguf] [THREADS]
# MODEL defaults to a random-weight Qwen2.5-0.5B-shape Q4_0 made with BUILD_DIR/scale-testmodel
# (or any scale-testmodel found in build*/). Mind the machine's other load: figures are only
# comparable within one run of this script.
set -euo pipefail
BUILD=${1:?usage: $0 BUILD_DIR [MODEL] [THREADS]}
MODEL=${2:-}
T=${3:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/sched-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [[ -z "$MODEL" ]]; then
  MODEL=$WORK/qwen2.5-0.5b-q4_0-random.gguf
  GEN=$(ls "$BUILD"/scale-testmodel "$ROOT"/build*/scale-testmodel 2>/dev/null | head -1)
  "$GEN" --preset qwen2.5-0.5b --type q4_0 -o "$MODEL" >/dev/null
fi
. "$BUILD/deps.env"
BATCHED="$SCALE_LLAMA_PREFIX/bin/llama-batched-bench"

echo "## load: $(cut -d' ' -f1-3 /proc/loadavg), threads $T, model $(basename "$MODEL")"

echo "## llama-batched-bench -npp 256 -ntg 64 -t $T"
"$BATCHED" -m "$MODEL" -c 6144 -b 512 -ub 512 -npp 256 -ntg 64 -npl 1,4,8,16 -t "$T" 2>/dev/null | grep -E '^\|' || true

echo "## scheduler, same load (N jobs at --parallel N, all submitted at once)"
"$BUILD/scale-sched-bench" -m "$MODEL" -t "$T" --npp 256 --ntg 64 --parallel 1,4,8,16

echo "## prefill with a shared 192-token prefix, 16 jobs at --parallel 8: off / on / disk cache cold / warm"
"$BUILD/scale-sched-bench" -m "$MODEL" -t "$T" --npp 256 --ntg 16 --shared 192 --jobs 16 --parallel 8 --no-share
"$BUILD/scale-sched-bench" -m "$MODEL" -t "$T" --npp 256 --ntg 16 --shared 192 --jobs 16 --parallel 8
"$BUILD/scale-sched-bench" -m "$MODEL" -t "$T" --npp 256 --ntg 16 --shared 192 --jobs 16 --parallel 8 --prefix-dir "$WORK/prefix"
"$BUILD/scale-sched-bench" -m "$MODEL" -t "$T" --npp 256 --ntg 16 --shared 192 --jobs 16 --parallel 8 --prefix-dir "$WORK/prefix"

echo "## greedy answers at N=8 and N=16 identical to N=1 (same_as_first_n of 16)"
"$BUILD/scale-sched-bench" -m "$MODEL" -t "$T" --npp 64 --ntg 32 --jobs 16 --shared 40 --parallel 1,8,16

echo "## scale summarize src/summarize at -P 10 (chunks/min, peak RSS)"
SCALE_HOME=$WORK/home /usr/bin/time -f 'peak_rss_kib %M wall_s %e' "$BUILD/scale" summarize "$ROOT/src/summarize" \
  -m "$MODEL" -P 10 -t "$T" -c 4096 --json --cache "$WORK/s.sqlite" 2>&1 | grep -E 'chunks|tokens|seconds|peak_rss|summaries|hits' || true
echo "## same again: every summary from the cache"
SCALE_HOME=$WORK/home /usr/bin/time -f 'peak_rss_kib %M wall_s %e' "$BUILD/scale" summarize "$ROOT/src/summarize" \
  -m "$MODEL" -P 10 -t "$T" -c 4096 --json --cache "$WORK/s.sqlite" 2>&1 | grep -E 'prompt_tokens|hits|summaries|seconds|peak_rss' || true
