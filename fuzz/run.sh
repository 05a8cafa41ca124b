#!/usr/bin/env bash
# Runs libFuzzer targets for a bounded time each and prints executions and findings per target.
#
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET...]        (make fuzz / make fuzz-smoke call this)
#
# Each target fuzz_<t> starts from the seeds in fuzz/corpus/<t>/ (read only) plus the working corpus
# WORK/fuzz-corpus/<t>/, where libFuzzer keeps what it finds, so that later runs continue from
# there. Findings (crash-*, timeout-*, oom-*, leak-*) are written to WORK/fuzz-artifacts/<t>/;
# a reproducer is replayed with `BUILD_DIR/fuzz_<t> FILE`. Logs: WORK/fuzz-logs/<t>.log.
# WORK is $FUZZ_WORK, default BUILD_DIR (a long run beside CI's smoke runs gets its own).
#
# Environment: FUZZ_TIMEOUT (seconds per input, 25: matching and parsing are linear-time, so
#   one input taking that long is a hang), FUZZ_RSS_MB (2560), FUZZ_FORK=1 (keep going after a
#   finding: -fork=1 -ignore_crashes=1 ...; otherwise a target stops at its first finding),
#   FUZZ_JOBS (targets run at once, default 1), FUZZ_EXTRA (more libFuzzer flags),
#   FUZZ_NICE (nice level, default 10, so that builds on the same machine keep priority).
# Exit status: 0 when no target found anything, 1 otherwise, 2 on a usage/setup problem.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="${1:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}"
seconds="${2:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}"
shift 2
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(python c javascript languages sanitize gitignore gguf undo_manifest dataset score consistency)
build="$(cd "$build" 2>/dev/null && pwd)" || { echo "fuzz: no build directory (run make fuzz-build)" >&2; exit 2; }

work="${FUZZ_WORK:-$build}"
mkdir -p "$work" && work="$(cd "$work" && pwd)"
timeout_s="${FUZZ_TIMEOUT:-25}"
rss_mb="${FUZZ_RSS_MB:-2560}"
jobs="${FUZZ_JOBS:-1}"
nice_level="${FUZZ_NICE:-10}"

run_one() {
  local t="$1"
  local bin="$build/fuzz_$t"
  local corpus="$work/fuzz-corpus/$t" artifacts="$work/fuzz-artifacts/$t" log="$work/fuzz-logs/$t.log"
  mkdir -p "$corpus" "$artifacts" "$work/fuzz-logs"
  if [ ! -x "$bin" ]; then
    printf '%-14s %12s %8s %8s  %s\n' "$t" "-" "-" "-" "missing: $bin (make fuzz-build)"
    return 2
  fi
  local flags=(-max_total_time="$seconds" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" -print_final_stats=1 -print_funcs=0
               -artifact_prefix="$artifacts/")
  [ -f "$here/dict/$t.dict" ] && flags+=(-dict="$here/dict/$t.dict")
  [ "${FUZZ_FORK:-0}" = 1 ] && flags+=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  # shellcheck disable=SC2206
  [ -n "${FUZZ_EXTRA:-}" ] && flags+=(${FUZZ_EXTRA})
  local before after start end rc
  # slow-unit-* files are libFuzzer's report of its slowest input, not a finding.
  before="$(find "$artifacts" -type f ! -name 'slow-unit-*' | wc -l)"
  start="$(date +%s)"
  # The outer timeout only guards against a wedged process; libFuzzer stops itself at -max_total_time.
  timeout --kill-after=30 "$((seconds + timeout_s + 120))" \
    nice -n "$nice_level" "$bin" "${flags[@]}" "$corpus" "$here/corpus/$t" >"$log" 2>&1
  rc=$?
  end="$(date +%s)"
  after="$(find "$artifacts" -type f ! -name 'slow-unit-*' | wc -l)"
  local execs
  execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{s += $2} END {print s + 0}')"
  if [ "${FUZZ_FORK:-0}" = 1 ] || [ "$execs" = 0 ]; then
    # fork mode (and a crashed run) report progress lines "#N ..." / "#N: ..."; take the last.
    local last
    last="$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')"
    [ -n "$last" ] && [ "$last" -gt "$execs" ] && execs="$last"
  fi
  local found=$((after - before)) secs=$((end - start))
  local note="ok"
  if [ "$found" -gt 0 ]; then
    note="FOUND $found: $(find "$artifacts" -type f ! -name 'slow-unit-*' -newermt "@$start" | head -3 | tr '\n' ' ')"
  elif [ "$rc" -ne 0 ]; then
    note="exit $rc, see $log"
    found=1
  fi
  printf '%-14s %12s %8s %8s  %s\n' "$t" "$execs" "$secs" "$found" "$note"
  [ "$found" -eq 0 ]
}

printf '%-14s %12s %8s %8s  %s\n' target executions seconds findings notes
status=0
if [ "$jobs" -le 1 ]; then
  for t in "${targets[@]}"; do run_one "$t" || status=1; done
else
  export -f run_one
  export build work seconds here timeout_s rss_mb nice_level FUZZ_FORK FUZZ_EXTRA
  printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$1"' _ {} || status=1
fi
exit "$status"
