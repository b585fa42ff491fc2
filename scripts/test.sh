#!/usr/bin/env bash
# Sets up (apt, only what is missing), builds everything (Release) and runs the whole test suite with ctest, then
# fuzzes the ONNX importer for up to 60 s with a fixed seed under ASan + UBSan (scripts/fuzz.sh 60 40000).
# Extra arguments go to ctest, e.g. scripts/test.sh -R Planner (the fuzz run is skipped when a filter is given).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test-deps
cmake --build build -j"$(nproc)"
bash scripts/install_python.sh  # import roofscope from Debian's python3 (README "Python")
(cd build && ctest --output-on-failure -j"$(nproc)" "$@")
if [ "$#" -eq 0 ]; then
  bash scripts/fuzz.sh 60 40000
fi
