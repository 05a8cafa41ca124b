#!/usr/bin/env bash
# `make demo` (scripts/demo.sh BUILD_DIR): runs scale's main job, `scale comment`, on
# samples/sample.py with the best model at hand, and says what it did.
# Model: $SCALE_MODEL, else the default model (cached, or downloaded now when online), else a random-weight
# stand-in (generated once, ~10 MB) that exercises the whole real path but writes gibberish.
set -uo pipefail

BUILD="${1:-build}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
SCALE="$BUILD/scale"
TESTMODEL="$BUILD/scale-testmodel"
SAMPLE="samples/sample.py"
# Bump when scale-testmodel's output changes, so an old cached stand-in is not reused.
STANDIN_VERSION=1

die() { echo "demo: error: $1" >&2; exit "${2:-1}"; }
say() { echo "demo: $*" >&2; }

[ -x "$SCALE" ] || die "$SCALE not found: build first (make BUILD=$BUILD)" 2
[ -f "$SAMPLE" ] || die "$SAMPLE is missing" 4

# 1. Pick the model.
standin=0
if [ -n "${SCALE_MODEL:-}" ]; then
  MODEL="$SCALE_MODEL"
  [ -f "$MODEL" ] || die "SCALE_MODEL=$MODEL: no such file" 3
  source_desc="\$SCALE_MODEL"
elif MODEL="$("$SCALE" models path --default 2>/dev/null)" && [ -n "$MODEL" ] && [ -f "$MODEL" ]; then
  source_desc="the default model (scale models path --default)"
elif [ "${SCALE_OFFLINE:-0}" != 1 ] && say "no model cached: trying to download the default model (scale models pull --default)" &&
     MODEL="$("$SCALE" models pull --default)" && [ -f "$MODEL" ]; then
  source_desc="the default model, just downloaded"
else
  # Same cache root as scale itself (util/fs.h CacheDir).
  cache="${SCALE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/scale}/models"
  MODEL="$cache/standin-tiny-q8_0-v$STANDIN_VERSION.gguf"
  if [ ! -f "$MODEL" ]; then
    [ -x "$TESTMODEL" ] || die "$TESTMODEL not found: build first (make BUILD=$BUILD)" 2
    mkdir -p "$cache" || die "cannot create $cache" 5
    "$TESTMODEL" --preset tiny --type q8_0 --seed 1 -o "$MODEL" || die "could not write the stand-in model" 5
  fi
  standin=1
  source_desc="a RANDOM-WEIGHT stand-in ($MODEL)"
  cat >&2 <<'BANNER'

################################################################################
#                                                                              #
#   NO REAL MODEL FOUND - USING A RANDOM-WEIGHT STAND-IN.                      #
#   Everything below runs the real code path (llama.cpp, tree-sitter, the      #
#   prompts), but the model's weights are random: ITS OUTPUT IS MEANINGLESS.   #
#                                                                              #
#   For real comments, get a model (about 400 MB) and run the demo again:      #
#     build/scale models pull Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF            #
#   or point the demo at a GGUF you already have:                              #
#     SCALE_MODEL=/path/to/model.gguf make demo                                #
#                                                                              #
################################################################################

BANNER
fi
say "model: $source_desc"

# The stand-in never emits an end token, so cap its answers to keep the demo short.
extra=()
[ "$standin" = 1 ] && extra=(--max-tokens 40)

# 2. The main job: `scale comment` on the sample, the commented file on stdout.
start=$(date +%s)
job="scale comment -m MODEL ${extra[*]} $SAMPLE (prints the commented file; nothing is modified)"
say "running: $job"
"$SCALE" comment -m "$MODEL" "${extra[@]}" "$SAMPLE"
status=$?
elapsed=$(( $(date +%s) - start ))

# 3. Say what happened.
echo >&2
say "did: $job"
say "with: $source_desc"
say "exit status $status after ${elapsed}s"
if [ "$standin" = 1 ]; then
  say "REMINDER: the stand-in has random weights - the text above is gibberish by design."
  say "Real model: $SCALE models pull Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF, or SCALE_MODEL=/path/to/model.gguf make demo"
  # With random weights a command may reject the answers (exit 1, "some work failed"): the demo
  # still showed the path end to end, so only errors of the setup itself fail it.
  [ "$status" = 1 ] && status=0
fi
exit "$status"
