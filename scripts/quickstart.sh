#!/usr/bin/env bash
# Sets up (apt and npm, only what is missing: the build's packages, and the peers of bench/bench_peers.py), builds
# roofscope (Release) and runs ResNet-18 with the per-op table.
# Extra arguments go to `roofscope run`, e.g. scripts/quickstart.sh --threads 1 --iters 100
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install_peers.sh
cmake --build build -j"$(nproc)" --target roofscope
build/roofscope run resnet18 --per-op "$@"
