#!/usr/bin/env bash
# Runs the libFuzzer targets of a FDYNO_FUZZ build (see docs/reliability.md,
# "Fuzzing and sanitizers"). Called by the Makefile:
#
#   scripts/fuzz.sh smoke BUILD SECONDS [TARGET...]   (make test)
#       each target once over every checked-in seed (tests/fuzz/corpus/T),
#       then SECONDS of fuzzing;
#   scripts/fuzz.sh run BUILD SECONDS [TARGET...]     (make fuzz)
#       SECONDS of fuzzing per target.
#
# Fuzzing starts from the checked-in seeds plus BUILD/fuzz-corpus/T, and the
# inputs it finds are kept in BUILD/fuzz-corpus/T (outside the repository;
# worth keeping between runs). A crash, a sanitizer report, a leak or a
# violated invariant stops at once and leaves the input as
# BUILD/fuzz-artifacts/T-crash-<sha1>; re-run it with
#   BUILD/fuzz/fuzz_T BUILD/fuzz-artifacts/T-crash-<sha1>
# An input worth keeping as a regression test goes into tests/fuzz/corpus/T.
set -euo pipefail

mode=${1:?usage: fuzz.sh smoke|run BUILD SECONDS [TARGET...]}
build=${2:?build directory}
seconds=${3:?seconds per target}
shift 3
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(json_codec item_codec expr update partiql http sigv4 api)
fi

root=$(cd "$(dirname "$0")/.." && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build/fuzz-artifacts"

total=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/fuzz_$t"
  seeds="$root/tests/fuzz/corpus/$t"
  grown="$build/fuzz-corpus/$t"
  [ -x "$bin" ] || { echo "fuzz.sh: $bin is missing (make san-build)" >&2; exit 1; }
  [ -d "$seeds" ] || { echo "fuzz.sh: no seeds in $seeds" >&2; exit 1; }
  mkdir -p "$grown"
  log="$build/fuzz-artifacts/$t.log"
  if [ "$mode" = smoke ]; then
    # Every seed, each run once: a regression input fails here by name.
    if ! "$bin" "$seeds"/* >"$log" 2>&1; then
      tail -n 60 "$log" >&2
      echo "fuzz.sh: $t fails on a checked-in seed (log: $log)" >&2
      exit 1
    fi
  fi
  start=$(date +%s)
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" "$grown" "$seeds" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz.sh: $t found a problem; input saved under $build/fuzz-artifacts/ (log: $log)" >&2
    exit 1
  fi
  took=$(( $(date +%s) - start ))
  total=$(( total + took ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  echo "fuzz $t: ${runs:-?} inputs in ${took}s, corpus $(ls "$grown" | wc -l) grown + $(ls "$seeds" | wc -l) seeds"
done
echo "fuzz: ${#targets[@]} targets, ${total}s of fuzzing"
