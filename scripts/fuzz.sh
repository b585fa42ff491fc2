#!/usr/bin/env bash
# Fuzzes the ONNX importer (fuzz/fuzz_onnx.cpp: import -> shapes -> costs -> memory budget) with libFuzzer under
# AddressSanitizer + UBSan, after replaying every known reproducer (tests/data/bad-inputs/) and the seed corpus.
# Installs clang-14 and libfuzzer-14-dev when missing and builds in build-fuzz/ (graph + importer only).
# Usage: scripts/fuzz.sh [SECONDS [RUNS]]   (default 60 s, unbounded runs, a random seed; e.g. 3600 for a long run)
#   With RUNS the seed is fixed (-seed=1) and fuzzing stops after RUNS inputs or SECONDS, whichever comes first: the
#   README's test command runs `scripts/fuzz.sh 60 40000`, the same inputs on every machine.
# Exit status: 0 when nothing crashed; libFuzzer's (non-zero) otherwise, with the crashing input in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
runs=${2:-}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a whole number (got '$seconds')" >&2; exit 2; }
[[ -z $runs || $runs =~ ^[0-9]+$ ]] || { echo "fuzz.sh: RUNS must be a whole number (got '$runs')" >&2; exit 2; }
fixed=()
[[ -n $runs ]] && fixed=(-seed=1 -runs="$runs")
bash scripts/apt_install.sh fuzz.sh clang-14 libfuzzer-14-dev
if [ ! -f build-fuzz/CMakeCache.txt ]; then
  mkdir -p build-fuzz
  CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROOFSCOPE_FUZZ=ON \
    -DROOFSCOPE_BUILD_TESTS=OFF -DROOFSCOPE_BUILD_BENCH=OFF > build-fuzz/configure.log 2>&1 ||
    { cat build-fuzz/configure.log; exit 1; }
fi
cmake --build build-fuzz -j"$(nproc)" --target fuzz_onnx
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "fuzz.sh: replaying $(ls tests/data/bad-inputs/*.onnx fuzz/corpus/* | wc -l) known inputs" >&2
build-fuzz/fuzz_onnx -runs=1 tests/data/bad-inputs/*.onnx fuzz/corpus/*.onnx > build-fuzz/replay.log 2>&1 ||
  { tail -40 build-fuzz/replay.log; exit 1; }
work=build-fuzz/corpus
rm -rf "$work" && mkdir -p "$work"  # a fresh corpus: a fixed seed then gives the same inputs every time
echo "fuzz.sh: fuzzing for ${seconds} s (corpus in $work)" >&2
cd build-fuzz
./fuzz_onnx "${fixed[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
  corpus ../fuzz/corpus ../tests/data/bad-inputs 2> fuzz.log || { tail -60 fuzz.log; exit 1; }
grep -E "stat::number_of_executed_units|stat::peak_rss_mb" fuzz.log | sed 's/^/fuzz.sh: /' >&2
