#!/usr/bin/env bash
# Sets up (apt, only what is missing), builds roofscope (Release) and runs ResNet-18 with the per-op table.
# Extra arguments go to `roofscope run`, e.g. scripts/quickstart.sh --threads 1 --iters 100
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --build build -j"$(nproc)" --target roofscope
build/roofscope run resnet18 --per-op "$@"
