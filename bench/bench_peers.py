#!/usr/bin/python3
"""Peer benchmark: roofscope vs ONNX Runtime vs frozen TorchScript on the same torchvision models (issue 9, item 5).

Usage: bench/bench_peers.py [--models resnet18,mobilenet_v2,...] [--threads 1,2] [--rounds 3] [--runs 20]
                            [--warmup 5] [--quick] [--json OUT.json] [--roofscope build/roofscope] [--no-roof]
  --quick   resnet18, mobilenet_v2, squeezenet1_1 with 3 rounds x 5 runs, 2 warm-ups (unless given explicitly)
Needs the peers: scripts/install_peers.sh (onnxruntime-node in build/peers/, Debian's python3-torch/torchvision/onnx).

Every model is exported once by scripts/export_torchvision.py --models-only into build/peers/onnx/ (seeded random
weights, BatchNorm kept). All three arms run the very same network on the same input (NAME.input.npy):
  roofscope    `roofscope run NAME.onnx --threads T --iters N --warmup W --input NAME.input.npy --format json`
  ORT          bench/peers/ort_runner.js on NAME.onnx (intra-op threads T, inter-op 1, all graph optimizations)
  TorchScript  bench/peers/torch_runner.py: the same torchvision model with the exporter's seeded weights (checked
               against NAME.output.npy), optimize_for_inference(freeze(trace)), torch.set_num_threads(T)
For each model and thread count the arms run interleaved: R rounds, each a fresh process per arm doing W warm-up
and N timed runs, the arm order rotated every round. Reported: per arm, the median of all R*N runs (roofscope's from
its JSON latency_runs_s). roofscope runs with its default --tune cached: the first round tunes the kernels (not
timed) and caches the choices, later rounds reuse them.
"roof bound %" = the model's measured-roof bound (`roofscope profile`'s estimates.roofline_dram_s: sum over ops of
max(FLOPs / measured peak at T threads, bytes / measured DRAM bandwidth), from the cached machine profile) / the
roofscope latency: 100% would be running at the roof. The environment is passed to every arm, so
`DNNL_MAX_CPU_ISA=AVX2 bench/bench_peers.py` runs roofscope's oneDNN under AVX2. Progress goes to stderr, the report
(header + Markdown table) to stdout.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "build", "peers")
PYTHON = "/usr/bin/python3"  # Debian's, with python3-torch (not a pyenv/venv python3 earlier on PATH)
MODELS = ["resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "vgg16", "squeezenet1_1",
          "shufflenet_v2_x1_0", "efficientnet_b0", "googlenet", "densenet121"]
QUICK_MODELS = ["resnet18", "mobilenet_v2", "squeezenet1_1"]
ARMS = ["roofscope", "ort", "torchscript"]
INSTALL_HINT = "install the peers with scripts/install_peers.sh"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class ArmError(Exception):
    pass


def run_json(cmd, env=None, timeout=1800):
    """Runs cmd, returns the JSON object it prints on stdout; ArmError with its stderr's last line on failure."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ArmError("timed out after %d s: %s" % (timeout, " ".join(cmd)))
    if p.returncode != 0:
        tail = (p.stderr.strip().splitlines() or ["(no stderr)"])[-1]
        status = "killed by %s" % signal.Signals(-p.returncode).name if p.returncode < 0 else "exit status %d" % p.returncode
        raise ArmError("%s: %s" % (status, tail))
    return json.loads(p.stdout)


def cpu_summary():
    model = "unknown"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    flags = set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    avx512 = sorted(f for f in flags if f.startswith("avx512"))
    isa = "avx512f %s" % ("yes (%s)" % " ".join(avx512) if "avx512f" in flags else "no")
    return model, isa + "; avx2 %s" % ("yes" if "avx2" in flags else "no")


def check_peers(roofscope):
    """Exits with an install hint if an arm's runtime is missing; returns {arm: version string}."""
    problems = []
    if not os.access(roofscope, os.X_OK):
        problems.append("roofscope binary %s not found (build it: scripts/setup.sh && cmake --build build, or pass "
                        "--roofscope PATH)" % roofscope)
    ort_pkg = os.path.join(PEERS, "node_modules", "onnxruntime-node", "package.json")
    if not shutil.which("node"):
        problems.append("node not found (Debian package nodejs); " + INSTALL_HINT)
    elif not os.path.exists(ort_pkg):
        problems.append("onnxruntime-node not found in %s; %s" % (PEERS, INSTALL_HINT))
    p = subprocess.run([PYTHON, "-c", "import torch, torchvision, onnx; print(torch.__version__)"],
                       capture_output=True, text=True) if os.path.exists(PYTHON) else None
    if p is None or p.returncode != 0:
        problems.append("%s cannot import torch, torchvision and onnx (Debian python3-torch, python3-torchvision, "
                        "python3-onnx); %s" % (PYTHON, INSTALL_HINT))
    if problems:
        sys.exit("bench_peers.py: " + "\nbench_peers.py: ".join(problems))
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {"ort": "onnxruntime-node %s (node %s)" % (json.load(open(ort_pkg))["version"], node),
            "torchscript": "torch %s" % p.stdout.strip()}


def arm_command(arm, a, cache, model, threads):
    stem = os.path.join(cache, model)
    common = ["--threads", str(threads), "--warmup", str(a.warmup), "--input", stem + ".input.npy"]
    if arm == "roofscope":
        return [a.roofscope, "run", stem + ".onnx", "--iters", str(a.runs), "--format", "json"] + common
    if arm == "ort":
        return ["node", os.path.join(ROOT, "bench", "peers", "ort_runner.js"), stem + ".onnx",
                "--runs", str(a.runs)] + common
    return [PYTHON, os.path.join(ROOT, "bench", "peers", "torch_runner.py"), model, "--runs", str(a.runs),
            "--reference", stem + ".output.npy"] + common


def run_round(arm, a, cache, model, threads, env):
    """One fresh process of one arm: returns {"median_s", "runs_s", "wall_s", ...}."""
    t0 = time.time()
    out = run_json(arm_command(arm, a, cache, model, threads), env=env)
    wall_s = time.time() - t0
    if arm == "roofscope":
        return {"median_s": statistics.median(out["latency_runs_s"]), "runs_s": out["latency_runs_s"],
                "min_s": out["latency_min_s"], "wall_s": wall_s}
    r = {"median_s": statistics.median(out["runs_s"]), "runs_s": out["runs_s"], "load_s": out["load_s"],
         "wall_s": wall_s}
    if out.get("rel_l2") is not None:
        r["rel_l2"] = out["rel_l2"]
        if out["rel_l2"] > 1e-3:
            log("warning: %s TorchScript output differs from the exported ONNX's (rel L2 %.2g)" % (model, out["rel_l2"]))
    return r


def arm_median_s(rounds):
    if not rounds:
        return None
    return statistics.median(t for r in rounds for t in r["runs_s"])


def roof_bound_s(a, cache, model, threads, env):
    cmd = [a.roofscope, "profile", os.path.join(cache, model + ".onnx"), "--threads", str(threads), "--no-ab",
           "--iters", "1", "--warmup", "0", "--format", "json"]
    try:
        return run_json(cmd, env=env)["estimates"]["roofline_dram_s"]
    except (ArmError, KeyError, ValueError) as e:
        log("warning: no roof bound for %s at %d thread(s): %s" % (model, threads, e))
        return None


def fmt_ms(s):
    return "%.2f" % (s * 1e3) if s else "error"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", default=None, help="comma-separated torchvision names (default: all ten)")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--rounds", type=int, default=None, help="interleaved rounds per model and thread count (3)")
    p.add_argument("--runs", type=int, default=None, help="timed runs per arm per round (20)")
    p.add_argument("--warmup", type=int, default=None, help="warm-up runs per arm per round (5)")
    p.add_argument("--quick", action="store_true", help="3 small models, 3 rounds x 5 runs, 2 warm-ups")
    p.add_argument("--json", default="", metavar="OUT", help="also write every round's figures to OUT")
    p.add_argument("--roofscope", default=os.path.join(ROOT, "build", "roofscope"), help="roofscope binary")
    p.add_argument("--cache", default=os.path.join(PEERS, "onnx"), help="ONNX export directory")
    p.add_argument("--no-roof", action="store_true", help="skip the roof bound column (no `roofscope profile`)")
    a = p.parse_args()
    quick = (3, 5, 2) if a.quick else (3, 20, 5)
    a.rounds = a.rounds if a.rounds is not None else quick[0]
    a.runs = a.runs if a.runs is not None else quick[1]
    a.warmup = a.warmup if a.warmup is not None else quick[2]
    models = a.models.split(",") if a.models else (QUICK_MODELS if a.quick else MODELS)
    threads = [int(t) for t in a.threads.split(",")]
    if min(a.rounds, a.runs, min(threads)) < 1 or a.warmup < 0:
        sys.exit("bench_peers.py: --rounds, --runs and --threads must be >= 1, --warmup >= 0")

    versions = check_peers(a.roofscope)
    cpu, isa = cpu_summary()
    env = dict(os.environ, NODE_PATH=os.path.join(PEERS, "node_modules"))
    passed = " ".join("%s=%s" % (k, v) for k, v in sorted(os.environ.items())
                      if k.startswith(("DNNL_", "ONEDNN_", "OMP_", "KMP_", "MKL_", "GOMP_"))) or "none"

    print("# roofscope vs ONNX Runtime vs TorchScript\n")
    print("- CPU: %s, %d logical CPUs; ISA: %s" % (cpu, os.cpu_count() or 0, isa))
    print("- roofscope: %s; ORT: %s; TorchScript: %s" % (a.roofscope, versions["ort"], versions["torchscript"]))
    print("- %d rounds x %d runs per arm (+%d warm-up each round), arms interleaved; median of all runs; "
          "environment passed: %s" % (a.rounds, a.runs, a.warmup, passed))
    print("- roofscope/best peer < 1: roofscope is faster; roof bound %% = measured-roof bound / roofscope latency%s"
          % (" (column skipped: --no-roof)" if a.no_roof else ""))
    if any(k.startswith(("DNNL_", "ONEDNN_")) for k in os.environ):
        print("- note: DNNL_*/ONEDNN_* settings reach TorchScript too (Debian's torch runs on the same system oneDNN, "
              "libdnnl.so.2); ORT's CPU kernels (MLAS) ignore them")
    print(flush=True)

    log("exporting %s into %s" % (", ".join(models), a.cache))
    subprocess.run([PYTHON, os.path.join(ROOT, "scripts", "export_torchvision.py"), "--out", a.cache, "--models-only",
                    "--models"] + models, check=True)

    t_start = time.time()
    results = []
    for model in models:
        for t in threads:
            entry = {"model": model, "threads": t, "arms": {arm: {"rounds": [], "error": None} for arm in ARMS},
                     "roof_s": None if a.no_roof else roof_bound_s(a, cache=a.cache, model=model, threads=t, env=env)}
            for r in range(a.rounds):
                for arm in ARMS[r % 3:] + ARMS[:r % 3]:  # rotated order: every arm in every position
                    slot = entry["arms"][arm]
                    if slot["error"]:
                        continue
                    try:
                        res = run_round(arm, a, a.cache, model, t, env)
                        slot["rounds"].append(res)
                        log("%s T=%d round %d/%d %-11s %8.2f ms" % (model, t, r + 1, a.rounds, arm, res["median_s"] * 1e3))
                    except (ArmError, KeyError, ValueError) as e:
                        slot["error"] = str(e)
                        log("%s T=%d %s failed: %s" % (model, t, arm, e))
            for slot in entry["arms"].values():  # an arm that failed in any round gets no figure
                slot["median_s"] = None if slot["error"] else arm_median_s(slot["rounds"])
            results.append(entry)
    elapsed = time.time() - t_start

    cols = ["model", "threads", "roofscope ms", "ORT ms", "TorchScript ms", "roofscope/best peer"]
    cols += [] if a.no_roof else ["roof bound %"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(cols))) + "|")
    errors = []
    for e in results:
        m = {arm: e["arms"][arm]["median_s"] for arm in ARMS}
        peers = [m[x] for x in ("ort", "torchscript") if m[x]]
        ratio = "%.2f" % (m["roofscope"] / min(peers)) if m["roofscope"] and peers else "n/a"
        row = [e["model"], str(e["threads"]), fmt_ms(m["roofscope"]), fmt_ms(m["ort"]), fmt_ms(m["torchscript"]), ratio]
        if not a.no_roof:
            row.append("%.0f" % (100 * e["roof_s"] / m["roofscope"]) if e["roof_s"] and m["roofscope"] else "n/a")
        print("| " + " | ".join(row) + " |")
        errors += ["%s T=%d %s: %s" % (e["model"], e["threads"], arm, e["arms"][arm]["error"])
                   for arm in ARMS if e["arms"][arm]["error"]]
    if errors:
        print("\nerrors:\n" + "\n".join("- " + x for x in errors))
    print("\n(benchmark took %.0f s)" % elapsed)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"cpu": cpu, "isa": isa, "versions": versions, "env": passed, "rounds": a.rounds,
                       "runs": a.runs, "warmup": a.warmup, "elapsed_s": elapsed, "results": results}, f, indent=1)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
