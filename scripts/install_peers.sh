#!/usr/bin/env bash
# Installs the peers of bench/bench_peers.py (idempotent): ONNX Runtime for Node (onnxruntime-node, CPU build) into
# build/peers/ (gitignored), and the Debian packages the other arms and the ONNX export need (nodejs with npm,
# python3-torch, python3-torchvision, python3-onnx; root or sudo to install missing ones). Ends with a check that
# onnxruntime-node loads and runs a model on the CPU.
# Usage: scripts/install_peers.sh [--force]     (--force: reinstall onnxruntime-node even if present)
set -euo pipefail
cd "$(dirname "$0")/.."

ORT_VERSION=1.30.0
PREFIX=build/peers
force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "install_peers.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

# Debian packages (as scripts/setup.sh). nodesource's nodejs ships npm itself, so npm is checked as a command.
packages=(python3 python3-numpy python3-torch python3-torchvision python3-onnx)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
bash scripts/apt_install.sh install_peers.sh "${packages[@]}"

# onnxruntime-node: ONNXRUNTIME_NODE_INSTALL=skip skips the postinstall download of the CUDA/TensorRT libraries;
# the CPU binding is inside the npm package.
installed=$(node -p "try { require('./$PREFIX/node_modules/onnxruntime-node/package.json').version } catch (e) { '' }")
if [ "$force" = 1 ] || [ "$installed" != "$ORT_VERSION" ]; then
  echo "install_peers.sh: npm install onnxruntime-node@$ORT_VERSION --prefix $PREFIX" >&2
  mkdir -p "$PREFIX"
  ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$PREFIX" --no-audit --no-fund --save-exact \
    "onnxruntime-node@$ORT_VERSION" >&2
fi

# Check: load the binding and run a one-node ONNX model (Relu) on the CPU execution provider.
check_model=$(mktemp --suffix=.onnx)
trap 'rm -f "$check_model"' EXIT
/usr/bin/python3 - "$check_model" <<'EOF'
import sys
import onnx
from onnx import TensorProto, helper
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "check", [x], [y])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), sys.argv[1])
EOF
NODE_PATH="$PWD/$PREFIX/node_modules" node - "$check_model" <<'EOF'
const ort = require('onnxruntime-node');
(async () => {
  const s = await ort.InferenceSession.create(process.argv[2], { executionProviders: ['cpu'] });
  const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([-1, 2, -3, 4]), [1, 4]) });
  const y = Array.from(out.y.data);
  if (y.join(',') !== '0,2,0,4') throw new Error('unexpected output ' + y);
  console.error(`install_peers.sh: onnxruntime-node ${require('onnxruntime-node/package.json').version} runs on CPU ` +
                `(node ${process.version}); torch, torchvision, onnx from Debian`);
})().catch((e) => { console.error('install_peers.sh: onnxruntime-node check failed: ' + e.message); process.exit(1); });
EOF
