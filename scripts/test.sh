#!/usr/bin/env bash
# Sets up (apt, only what is missing), builds everything (Release) and runs the whole test suite with ctest; then the
# whole suite again under ASan + UBSan with leak detection (scripts/test_asan.sh, build-asan/); then fuzzes the ONNX
# importer for up to 60 s with a fixed seed under ASan + UBSan (scripts/fuzz.sh 60 40000).
# Usage: scripts/test.sh [CTEST_ARGS...]   e.g. scripts/test.sh -R Planner
#   Extra arguments go to the Release suite's ctest, and the sanitizer suite and the fuzz run are skipped (a quick
#   check should not wait ~9 min for the instrumented build): scripts/test_asan.sh -R Planner runs one instrumented.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test-deps
cmake --build build -j"$(nproc)"
bash scripts/install_python.sh  # import roofscope from Debian's python3 (README "Python")
(cd build && ctest --output-on-failure -j"$(nproc)" "$@")
if [ "$#" -eq 0 ]; then
  bash scripts/test_asan.sh
  bash scripts/fuzz.sh 60 40000
fi
