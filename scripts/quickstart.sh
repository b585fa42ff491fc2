#!/usr/bin/env bash
# Sets up (apt and npm, only what is missing: the build's packages, and the peers of bench/bench_peers.py), builds
# roofscope (Release) and its Python module (made importable from /usr/bin/python3: scripts/install_python.sh) and
# runs ResNet-18 with the per-op table.
# Extra arguments go to `roofscope run`, e.g. scripts/quickstart.sh --threads 1 --iters 100
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install_peers.sh
cmake --build build -j"$(nproc)" --target roofscope _roofscope
bash scripts/install_python.sh  # import roofscope from Debian's python3
build/roofscope run resnet18 --per-op "$@"
