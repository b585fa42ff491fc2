#!/usr/bin/env bash
# Installs what roofscope needs from Debian 12 (idempotent; root or sudo) and configures a Release build.
# Usage: scripts/setup.sh [--test-deps] [--no-build]
#   --test-deps  also install what the test suite uses (python3-torch/torchvision/onnx: the PyTorch oracle of
#                tests/onnx, run with Debian's /usr/bin/python3; chromium and xmllint: the HTML/SVG report tests)
#   --no-build   only install packages
set -euo pipefail
cd "$(dirname "$0")/.."

want_test_deps=0; do_build=1
for arg in "$@"; do
  case "$arg" in
    --test-deps) want_test_deps=1 ;;
    --no-build) do_build=0 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

packages=(build-essential cmake pkg-config pybind11-dev python3-dev libdnnl-dev ocl-icd-opencl-dev opencl-headers libeigen3-dev libgtest-dev libgmock-dev
          libbenchmark-dev libhwloc-dev libcli11-dev nlohmann-json3-dev libfmt-dev
          libonnx-dev libprotobuf-dev libstb-dev libxgboost-dev)
if [ "$want_test_deps" = 1 ]; then
  packages+=(python3 python3-numpy python3-pytest python3-torch python3-torchvision python3-onnx chromium libxml2-utils)
fi

bash scripts/apt_install.sh setup.sh "${packages[@]}"

if [ "$do_build" = 1 ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
fi
