#!/usr/bin/env bash
# Builds the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (-DROOFSCOPE_SANITIZE=ON) in build-asan/
# and runs it with ctest, leak detection on; any report fails its test (UBSan aborts: -fno-sanitize-recover).
# Usage: scripts/test_asan.sh [CTEST_ARGS...]   e.g. scripts/test_asan.sh -R Planner
# -O1 -g1 (ASan's advice: -O1 for speed with exact stack traces; line tables only): on 2 cores the build takes ~9 min
# and the suite ~4 min.
# Everything runs instrumented, the avx2/ copies too: they pick other oneDNN layouts (nChw8c), so roofscope's
# reorders, planner and buffers see other sizes (oneDNN's JIT code itself is not instrumented). Not built here: the
# benchmarks (not tests) and the Python module (an uninstrumented python3 cannot load an ASan-built module).
# No suppressions: roofscope's own code and the third-party code it runs (oneDNN, OpenMP, protobuf) report nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build-asan
cmake -S . -B build-asan -DROOFSCOPE_SANITIZE=ON -DROOFSCOPE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" > build-asan/configure.log 2>&1 ||
  { cat build-asan/configure.log; exit 1; }
cmake --build build-asan -j"$(nproc)"
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j"$(nproc)" "$@")
