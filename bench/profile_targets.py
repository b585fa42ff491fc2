#!/usr/bin/python3
"""Checks issue 10's targets for `roofscope profile` on real models at each thread count:

  - no op above 100% of its roof (efficiency_cache <= 1: the cache-aware measured roof is a roof),
  - no component of the split (clock, pipeline, OS, software) negative by more than 2% of the op's time,
  - OS loss <= t_actual on every row,
  - hardware + OS + software = t_actual - t_roof_theoretical on every row (to rounding).

Models: the zoo (7) plus torchvision ONNX exports (scripts/export_torchvision.py with Debian's PyTorch, seeded
weights; written to --onnx-dir when missing). Prints one line per model and thread count and a summary; exits 1 when
a target is missed, so it can gate a release (it times things: keep it out of the default test suite).

Usage: bench/profile_targets.py [--threads 1 2] [--models resnet18 ...] [--onnx shufflenet_v2_x1_0 ...]
                                [--iters 20] [--onnx-dir build/onnx_cache] [--quick]
  ROOFSCOPE=path/to/roofscope (default: build/roofscope of this repository).
"""
import argparse
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ZOO = ["resnet18", "resnet50", "mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "vgg16", "squeezenet1_1"]
ONNX = ["shufflenet_v2_x1_0", "efficientnet_b0", "googlenet"]
NEGATIVE_TOLERANCE = 0.02  # issue 10: a component below -2% of t_actual is a measurement problem
PARTS = ["loss_clock_s", "loss_pipeline_s", "loss_os_s", "loss_software_s"]


def number(x):
    return float("nan") if x is None else float(x)


def check_op(op):
    """Violations of the targets on one op row, as short strings."""
    t = number(op["t_actual_median_s"])
    out = []
    eff = number(op["efficiency_cache"])
    if eff > 1:
        out.append(f"{op['name']}: {eff * 100:.1f}% of its {op['cache_level']} roof")
    for part in PARTS:
        v = number(op[part])
        if v < -NEGATIVE_TOLERANCE * t:
            out.append(f"{op['name']}: {part} {v * 1e6:.1f} us = {v / t * 100:.1f}% of t_actual")
    if number(op["loss_os_s"]) > t:
        out.append(f"{op['name']}: OS loss above t_actual")
    split = sum(number(op[k]) for k in ("loss_hardware_s", "loss_os_s", "loss_software_s"))
    want = t - number(op["t_roof_theoretical_s"])
    if all(math.isfinite(x) for x in (split, want)) and abs(split - want) > 1e-9 + 1e-6 * t:
        out.append(f"{op['name']}: split {split:.3e} != t_actual - roof {want:.3e}")
    return out


def ensure_onnx(names, onnx_dir):
    missing = [n for n in names if not os.path.exists(os.path.join(onnx_dir, n + ".onnx"))]
    if missing:
        print(f"exporting {', '.join(missing)} to {onnx_dir} (Debian's PyTorch, seeded weights)", file=sys.stderr)
        subprocess.run(["/usr/bin/python3", os.path.join(REPO, "scripts", "export_torchvision.py"), "--out", onnx_dir,
                        "--models-only", "--models", *missing], check=True)
    return [os.path.join(onnx_dir, n + ".onnx") for n in names]


def profile(roofscope, model, threads, iters):
    cmd = [roofscope, "profile", model, "--threads", str(threads), "--iters", str(iters), "--format", "json"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {r.stderr.strip().splitlines()[-1:]}")
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--models", nargs="*", default=ZOO)
    ap.add_argument("--onnx", nargs="*", default=ONNX, help="torchvision models to export and profile as ONNX")
    ap.add_argument("--onnx-dir", default=os.path.join(REPO, "build", "onnx_cache"))
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="resnet18, mobilenet_v2 and one ONNX model, 10 iterations")
    a = ap.parse_args()
    if a.quick:
        a.models, a.onnx, a.iters = ["resnet18", "mobilenet_v2"], ONNX[:1], 10
    roofscope = os.environ.get("ROOFSCOPE", os.path.join(REPO, "build", "roofscope"))
    if not os.access(roofscope, os.X_OK):
        sys.exit(f"roofscope binary not found at {roofscope} (build it, or set ROOFSCOPE=...)")
    models = list(a.models) + ensure_onnx(a.onnx, a.onnx_dir)
    failures = 0
    print(f"{'model':<22} {'threads':>7} {'ops':>4} {'max eff':>8} {'worst part':>11} {'e2e ms':>8} {'CV':>6}  result")
    for model in models:
        for t in a.threads:
            p = profile(roofscope, model, t, a.iters)
            bad = [v for op in p["ops"] for v in check_op(op)]
            eff = max(number(op["efficiency_cache"]) for op in p["ops"])
            worst = min(number(op[k]) / number(op["t_actual_median_s"]) for op in p["ops"] for k in PARTS
                        if math.isfinite(number(op[k])) and number(op["t_actual_median_s"]) > 0)
            name = os.path.basename(model).removesuffix(".onnx")
            print(f"{name:<22} {t:>7} {len(p['ops']):>4} {eff * 100:>7.1f}% {worst * 100:>10.1f}% "
                  f"{p['e2e']['median_s'] * 1e3:>8.2f} {p['e2e']['cv'] * 100:>5.1f}%  "
                  f"{'ok' if not bad else f'{len(bad)} miss(es)'}")
            for v in bad[:5]:
                print(f"    {v}")
            failures += bool(bad)
    machine = p["machine_profile"]
    print(f"\nmachine profile: {machine['path']} ({'quick' if machine['quick'] else 'full'}); "
          f"{failures} of {len(models) * len(a.threads)} runs miss a target")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
