#!/usr/bin/python3
"""TorchScript arm of bench/bench_peers.py: times a frozen, inference-optimized TorchScript torchvision model.

Usage: bench/peers/torch_runner.py NAME [--threads T] [--warmup W] [--runs N] [--input X.npy] [--reference Y.npy]
                                   [--size 224] [--seed 0]
The model is built exactly as scripts/export_torchvision.py builds it for NAME.onnx (torchvision, weights=None,
torch.manual_seed(seed), then its seeded BatchNorm statistics), so it has the very weights of the ONNX file the other
arms run; --reference NAME.output.npy checks that (relative L2 of the output). Then
torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.trace(model.eval(), x))) with torch.set_num_threads(T),
one inter-op thread, under torch.inference_mode(). Input: X.npy if given, else the exporter's seeded input.
Prints one JSON object on stdout:
{"arm": "torchscript", "version", "model", "threads", "warmup", "load_s", "runs_s": [...], "median_ms", "rel_l2"}.
Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
"""
import argparse
import json
import os
import statistics
import sys
import time
import warnings

try:
    import numpy as np
    import torch
    import torchvision
except ImportError as e:
    sys.exit("torch_runner.py: %s; install the peers with scripts/install_peers.sh" % e)
sys.dont_write_bytecode = True  # no scripts/__pycache__ in the work tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from export_torchvision import randomize_batchnorm  # noqa: E402  (the exporter's own BatchNorm initialisation)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model", help="torchvision model name, e.g. resnet18")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--input", default="", help="float32 NCHW .npy input (default: the exporter's seeded input)")
    p.add_argument("--reference", default="", help="expected output .npy (the exporter's NAME.output.npy)")
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    warnings.filterwarnings("ignore")
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)

    t0 = time.perf_counter()
    torch.manual_seed(a.seed)  # as export_torchvision.export_torchvision()
    model = getattr(torchvision.models, a.model)(weights=None)
    generator = torch.Generator().manual_seed(a.seed + 1)
    randomize_batchnorm(model, generator)
    model.eval()
    x = torch.randn(1, 3, a.size, a.size, generator=generator)
    if a.input:
        x = torch.from_numpy(np.load(a.input).astype(np.float32))
    with torch.inference_mode():
        scripted = torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.trace(model, x)))
        load_s = time.perf_counter() - t0
        y = None
        for _ in range(max(1, a.warmup)):  # optimize_for_inference specialises on the first calls
            y = scripted(x)
        runs = []
        for _ in range(a.runs):
            start = time.perf_counter()
            scripted(x)
            runs.append(time.perf_counter() - start)
    rel_l2 = None
    if a.reference:
        ref = torch.from_numpy(np.load(a.reference))
        rel_l2 = float(torch.linalg.norm(y.float() - ref) / torch.linalg.norm(ref))
    print(json.dumps({"arm": "torchscript", "version": torch.__version__, "model": a.model, "threads": a.threads,
                      "warmup": a.warmup, "load_s": load_s, "runs_s": runs,
                      "median_ms": statistics.median(runs) * 1e3 if runs else None, "rel_l2": rel_l2}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
