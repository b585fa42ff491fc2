"""roofscope from Python: the CLI's commands as functions returning the CLI's JSON as plain dicts and lists.

model is a zoo name ("resnet18"), an ONNX path, ONNX bytes, or a torch.nn.Module with example_input= (exported in
memory with torch.onnx.export at opset 17). Field names and units are the CLI's JSON outputs' (seconds in *_s
keys, bytes in *_bytes, ...). Errors raise ValueError (a bad value) or RuntimeError (a file, a model, a measurement)
with the CLI's one-line message. The GIL is released while roofscope works.
"""
import io
import json

from . import _roofscope

__version__ = _roofscope.__version__
source_commit = _roofscope.source_commit


class Result(dict):
    """A dict of the CLI's JSON; to_pandas() gives its rows ("ops" or "rows") as a pandas.DataFrame."""

    def to_pandas(self):
        import pandas  # optional: only this method needs it
        rows = self.get("ops", self.get("rows", []))
        return pandas.DataFrame(rows)


def _source(model, example_input, batch, size, seed, opset):
    if isinstance(model, (bytes, bytearray)):
        return _roofscope.source("model.onnx", bytes(model), batch, size, seed)
    if isinstance(model, str):
        return _roofscope.source(model, b"", batch, size, seed)
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None and isinstance(model, torch.nn.Module):
        if example_input is None:
            raise ValueError("a torch.nn.Module needs example_input= (a tensor of the input's shape) to be exported")
        buf = io.BytesIO()
        model.eval()
        with torch.no_grad():
            torch.onnx.export(model, example_input, buf, opset_version=opset, input_names=["input"])
        return _roofscope.source(type(model).__name__, buf.getvalue(), batch, size, seed)
    raise ValueError("model must be a zoo name, an .onnx path, ONNX bytes or a torch.nn.Module (got %s)"
                     % type(model).__name__)


def models():
    """The zoo's model names."""
    return list(_roofscope.models())


def info(model, example_input=None, fused=False, batch=0, size=0, seed=0, opset=17):
    """Per-layer counts (`roofscope info --format json`): params, MACs, FLOPs, bytes, FLOP/byte."""
    return Result(json.loads(_roofscope.info(_source(model, example_input, batch, size, seed, opset), fused, "json")))


def run(model, example_input=None, threads=0, iters=10, warmup=2, per_op=False, tune="cached", input=None,
        batch=0, size=0, seed=0, opset=17):
    """Runs the model (`roofscope run --format json`); threads=0: every core. input: a float32 numpy array for graph
    input 0 (default: seeded noise). The result's "output" is graph output 0 as a numpy array."""
    src = _source(model, example_input, batch, size, seed, opset)
    text, output = _roofscope.run(src, threads, iters, warmup, per_op, tune, input)
    result = Result(json.loads(text))
    result["output"] = output
    return result


def profile(model, example_input=None, threads=0, iters=10, warmup=2, tune="cached", no_ab=False, machine="",
            batch=0, size=0, seed=0, opset=17):
    """Per-op roofline prediction vs measured time and the loss split (`roofscope profile --format json`)."""
    src = _source(model, example_input, batch, size, seed, opset)
    result = Result(json.loads(_roofscope.profile(src, threads, iters, warmup, tune, no_ab, machine)))
    result["summary"] = {k: result[k] for k in SUMMARY_KEYS if k in result}
    return result


# The whole-model fields of the profile JSON, gathered under "summary" (the same names and units).
SUMMARY_KEYS = ("model", "input_dims", "threads", "e2e", "e2e_shields_off", "sum_op_median_s",
                "framework_overhead_s", "estimates", "memory", "totals", "warnings")


def calibrate(quick=None, show=False, machine=""):
    """Measures (or, show=True, reads) the machine profile (`roofscope calibrate --format json`).

    quick: a quick calibration (the default when measuring); show=True reads the cached profile and measures
    nothing, so quick must stay None or False there (ValueError otherwise, as `calibrate --show --quick`).
    """
    if quick is None:
        quick = not show
    return Result(json.loads(_roofscope.calibrate(quick, show, machine)))


def experiment(name, quick=True, tiny=False, threads=0):
    """Runs one design-advice experiment (`roofscope experiment NAME --format json`)."""
    return Result(json.loads(_roofscope.experiment(name, quick, tiny, threads)))
