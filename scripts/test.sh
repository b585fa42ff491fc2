#!/usr/bin/env bash
# Sets up (apt, only what is missing), builds everything (Release) and runs the whole test suite with ctest.
# Extra arguments go to ctest, e.g. scripts/test.sh -R Planner
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test-deps
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
