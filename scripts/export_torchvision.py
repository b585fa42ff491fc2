#!/usr/bin/python3
"""Exports the PyTorch oracle of tests/onnx into a cache directory (one time per build dir).

For each torchvision model (weights=None, torch.manual_seed, eval mode) it writes
  <name>.onnx         torch.onnx.export, opset 13, constant folding on, BatchNormalization kept (TrainingMode.PRESERVE
                      on an eval-mode model: torch does not fold BN into the convs, so roofscope's "as written" counts
                      are comparable with torchvision's, and roofscope's own BN folding is exercised)
  <name>.input.npy    the fixed input, float32 [1, 3, size, size], N(0, 1) from a seeded generator
  <name>.output.npy   PyTorch's output for it, float32 [1, 1000] ([1, 21, size, size] for fcn_resnet50)
  <name>.layers.json  per-layer MACs and params from forward hooks, in call order (Conv2d, ConvTranspose2d, Linear,
                      BatchNorm2d): Conv2d MACs = out.numel() * in_c / groups * kh * kw; ConvTranspose2d MACs =
                      in.numel() * out_c / groups * kh * kw; Linear MACs = in_features * out_features * N;
                      params = the module's own parameters (weight + bias), BN 0 MACs
Model weights: torchvision's default init with torch.manual_seed(seed); BatchNorm weight, bias and running statistics
are then replaced by seeded non-trivial values (weight, var ~ U(0.5, 1.5); bias, mean ~ N(0, 0.1^2)) so that BN
is not the identity and folding it is really tested.

Besides the torchvision models it writes small models for the importer's other paths:
  ops_mix_opset{11,13,17}.onnx (+ .input.npy, .output.npy): Pad, Conv, LeakyRelu, ConvTranspose, Tanh, Sigmoid,
      Hardswish, Split, Sub/Div/Mul by constants, Concat, AveragePool, ReduceMean, MatMul, Softmax, exported by torch
  resize_mix_opset{11,13}.onnx (+ .input.npy, .output.npy): F.interpolate nearest / bilinear, by scale and by
      size, align_corners True and False (ResizeMix)
  resize_<case>.onnx (+ .input.npy, .output.npy): one Resize each for the modes torch does not export (RESIZE_CASES),
      the output from resize_axis_matrix()'s numpy matrices
  unsupported_einsum.onnx   a valid model with an Einsum node (made with onnx.helper)
  unsupported_pad_reflect.onnx  Pad with mode 'reflect'
  sample.png, sample.jpg  a 400x300 synthetic RGB image (smooth gradients and discs), PNG and JPEG (quality 95)
  sample.imagenet.npy     torchvision's ImageNet eval transform of sample.png (Resize(256), CenterCrop(224),
                          ToTensor, Normalize), float32 [1, 3, 224, 224]
  sample.jpg.imagenet.npy the same for sample.jpg as PIL decodes it
A manifest.json naming every file is written last; files are written atomically under an exclusive lock on
<out>/.lock, so concurrent test processes can call this script safely.

Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision, python3-onnx, python3-numpy).
Usage: export_torchvision.py --out DIR [--models resnet18 ...] [--size 224] [--seed 0] [--force] [--models-only]
  --models-only  write just <name>.onnx/.input.npy/.output.npy/.layers.json of the named models (any torchvision
                 classifier, e.g. for bench/bench_peers.py), skipping a model whose files exist unless --force; no
                 extras and no manifest (so a test cache is left as it is)
"""
import argparse
import fcntl
import json
import os
import sys
import time
import warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

TORCHVISION_MODELS = ["resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1", "shufflenet_v2_x1_0"]
# Exported besides --models at their own (small) input size, to keep the test time low: ResNeXt's grouped 3x3 convs
# (4 channels per group in layer1); FCN's dilated ResNet-50 and its bilinear Resize (align_corners=False, by sizes).
SMALL_MODELS = {"resnext50_32x4d": 64, "fcn_resnet50": 64}
# ConvNeXt (channels-last LayerNorm, Linear on [N, H, W, C], GELU) at 64 x 64: opset 13 exports LayerNorm decomposed
# (ReduceMean, Sub, Pow, Sqrt, Div), opset 17 as LayerNormalization; written as <name> and <name>_opset17.
NEW_ARCH_MODELS = {"convnext_tiny": 64}
SEGMENTATION = {"fcn_resnet50"}
MIX_OPSETS = [9, 11, 13, 17]
RESIZE_OPSETS = [11, 13]
UPSAMPLE_OPSETS = [9, 10]  # torch exports F.interpolate as Upsample at 9, as Resize-10 at 10
ACT_OPSETS = [11, 13, 17]
MANIFEST = "manifest.json"
CACHE_VERSION = 8  # bump when the files change; tests/onnx re-exports a cache of another version


def atomic_save(path, write):
    """Calls write(tmp_path) then renames tmp_path to path, so readers never see a partial file."""
    tmp = path + ".tmp"
    write(tmp)
    os.replace(tmp, path)


def save_npy(path, array):
    atomic_save(path, lambda tmp: np.save(open(tmp, "wb"), np.ascontiguousarray(array, dtype=np.float32)))


def randomize_batchnorm(model, generator):
    """Also LayerNorm weight / bias (as BatchNorm's) and convnext's layer_scale (U(0.2, 0.6) instead of 1e-6, which
    would leave every residual branch dead)."""
    for name, p in model.named_parameters():
        if name.endswith("layer_scale"):
            with torch.no_grad():
                p.copy_(torch.rand(p.shape, generator=generator) * 0.4 + 0.2)
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            with torch.no_grad():
                m.weight.copy_(torch.rand(m.weight.shape, generator=generator) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=generator) * 0.1)
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            with torch.no_grad():
                m.weight.copy_(torch.rand(c, generator=generator) + 0.5)
                m.bias.copy_(torch.randn(c, generator=generator) * 0.1)
                m.running_mean.copy_(torch.randn(c, generator=generator) * 0.1)
                m.running_var.copy_(torch.rand(c, generator=generator) + 0.5)


def layer_costs(model, x):
    """Runs model(x) with forward hooks; returns [{name, type, macs, params, output_shape}] in call order."""
    rows, handles = [], []

    def hook(name):
        def fn(module, inputs, output):
            k = module.kernel_size if hasattr(module, "kernel_size") else None
            if isinstance(module, nn.Conv2d):
                macs = output.numel() * module.in_channels // module.groups * k[0] * k[1]
            elif isinstance(module, nn.ConvTranspose2d):
                macs = inputs[0].numel() * module.out_channels // module.groups * k[0] * k[1]
            elif isinstance(module, nn.Linear):
                macs = module.in_features * module.out_features * (output.numel() // module.out_features)
            else:
                macs = 0
            params = sum(p.numel() for p in module.parameters(recurse=False))
            rows.append({"name": name, "type": type(module).__name__, "macs": int(macs), "params": int(params),
                         "output_shape": list(output.shape)})
        return fn

    for name, m in model.named_modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear, nn.BatchNorm2d)):
            handles.append(m.register_forward_hook(hook(name)))
    with torch.no_grad():
        y = model(x)
    for h in handles:
        h.remove()
    return y, rows


def export_onnx(model, x, path, opset):
    atomic_save(path, lambda tmp: torch.onnx.export(
        model, x, tmp, opset_version=opset, do_constant_folding=True, training=torch.onnx.TrainingMode.PRESERVE,
        input_names=["input"], output_names=["output"]))


class SegmentationOutput(nn.Module):
    """torchvision's segmentation models return {"out": [N, classes, H, W], ...}; this returns the "out" tensor."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def build_model(name):
    if name in SEGMENTATION:
        return SegmentationOutput(getattr(torchvision.models.segmentation, name)(weights=None, weights_backbone=None))
    return getattr(torchvision.models, name)(weights=None)


def export_torchvision(name, out, size, seed, opset=13, stem=None):
    torch.manual_seed(seed)
    model = build_model(name)
    generator = torch.Generator().manual_seed(seed + 1)
    randomize_batchnorm(model, generator)
    model.eval()
    x = torch.randn(1, 3, size, size, generator=generator)
    y, rows = layer_costs(model, x)
    stem = stem or name
    export_onnx(model, x, os.path.join(out, stem + ".onnx"), opset)
    save_npy(os.path.join(out, stem + ".input.npy"), x.numpy())
    save_npy(os.path.join(out, stem + ".output.npy"), y.numpy())
    atomic_save(os.path.join(out, stem + ".layers.json"),
                lambda tmp: json.dump({"model": name, "layers": rows}, open(tmp, "w"), indent=1))


class OpsMix(nn.Module):
    """Small model touching the importer's less common mappings; every op is one torch exports as a single node."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 3, stride=1, padding=0, bias=True)
        self.deconv = nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1, bias=True)
        self.proj = nn.Parameter(torch.randn(8, 10) * 0.3)

    def forward(self, x):
        y = F.pad(x, (1, 2, 2, 1))                         # Pad (constant 0), asymmetric
        y = F.leaky_relu(self.conv(y), 0.1)                 # Conv, LeakyRelu
        y = torch.tanh(self.deconv(y))                      # ConvTranspose, Tanh
        a, b = torch.split(y, [3, 5], dim=1)                # Split (uneven)
        a = torch.sigmoid(a) * 2.0 - 0.5                    # Sigmoid, Mul/Sub by constants
        b = F.hardswish(b / 3.0)                            # Div by constant, HardSwish (HardSigmoid*x below 14)
        y = torch.cat([b, a], dim=1)                        # Concat
        y = F.avg_pool2d(y, 3, stride=2, padding=1, count_include_pad=False)  # AveragePool
        y = y.mean([2, 3])                                  # ReduceMean over H, W, keepdims 0
        y = torch.matmul(y, self.proj)                      # MatMul with a constant
        return torch.softmax(y, dim=-1)                     # Softmax


def export_mix(model_class, stem, opsets, shape, out, seed):
    """Exports model_class() at each opset as <stem>_opset<N>.onnx with a seeded input of `shape` and its output."""
    for opset in opsets:
        torch.manual_seed(seed)
        model = model_class().eval()
        x = torch.randn(*shape, generator=torch.Generator().manual_seed(seed + opset))
        with torch.no_grad():
            y = model(x)
        path = os.path.join(out, "%s_opset%d" % (stem, opset))
        export_onnx(model, x, path + ".onnx", opset)
        save_npy(path + ".input.npy", x.numpy())
        save_npy(path + ".output.npy", y.numpy())


class ResizeMix(nn.Module):
    """F.interpolate as torch exports it to Resize: nearest by scale (asymmetric + floor, `scales`), bilinear by scale
    (align_corners False), bilinear by size with align_corners True, and a bilinear downscale then a nearest upscale
    by size; all to 14 x 18 from [N, 3, 7, 9], concatenated along C."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)

    def forward(self, x):
        y = self.conv(x)
        a = F.interpolate(y, scale_factor=2, mode="nearest")
        b = F.interpolate(y, scale_factor=2, mode="bilinear", align_corners=False)
        c = F.interpolate(y, size=(14, 18), mode="bilinear", align_corners=True)
        d = F.interpolate(F.interpolate(y, size=(4, 5), mode="bilinear", align_corners=False), size=(14, 18),
                          mode="nearest")
        return torch.cat([a, b, c, d], dim=1)


class UpsampleMix(nn.Module):
    """F.interpolate nearest by scale, the form opsets 9 (Upsample) and 10 (Resize-10) have: asymmetric + floor;
    with ReLU6 (Clip by attributes below opset 11); [N, 3, 7, 9] -> [N, 8, 14, 27]."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)

    def forward(self, x):
        y = self.conv(x)
        a = F.interpolate(y, scale_factor=(2, 3), mode="nearest")
        b = F.interpolate(F.relu6(self.conv2(y) * 3.0), scale_factor=(2, 3), mode="nearest")
        return torch.cat([a, b], dim=1)


class ActMix(nn.Module):
    """Softplus, Mish (torch exports x * tanh(softplus(x))), InstanceNormalization and Softplus(beta=2) (Mul,
    Softplus, Div) as torch exports them; [N, 3, H, W] -> [N, 8, H - 2, W - 2]."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.conv2 = nn.Conv2d(8, 8, 1)

    def forward(self, x):
        y = F.softplus(self.conv(x))
        y = F.mish(self.conv2(y) * 2.0 - 1.0)
        return F.softplus(F.instance_norm(y) * 1.5, beta=2.0)


# Resize modes torch does not export (ONNX opset 13 models made with onnx.helper), against resize_axis_matrix():
# name -> (mode, coordinate_transformation_mode, nearest_mode, "scales" or "sizes", H/W values), src [1, 2, 6, 8].
RESIZE_CASES = {
    "linear_asymmetric": ("linear", "asymmetric", "floor", "sizes", (9, 12)),
    "linear_pytorch_half_pixel_to1": ("linear", "pytorch_half_pixel", "floor", "sizes", (1, 12)),
    "linear_half_pixel_scales": ("linear", "half_pixel", "floor", "scales", (1.7, 1.3)),
    "linear_align_corners_down": ("linear", "align_corners", "floor", "sizes", (4, 3)),
    "nearest_half_pixel_round_prefer_floor": ("nearest", "half_pixel", "round_prefer_floor", "sizes", (3, 4)),
    "nearest_half_pixel_round_prefer_ceil": ("nearest", "half_pixel", "round_prefer_ceil", "sizes", (3, 4)),
    "nearest_align_corners_ceil": ("nearest", "align_corners", "ceil", "sizes", (4, 11)),
    "nearest_asymmetric_round_prefer_floor_scales": ("nearest", "asymmetric", "round_prefer_floor", "scales", (1.5, 1.5)),
    "nearest_pytorch_half_pixel_floor": ("nearest", "pytorch_half_pixel", "floor", "sizes", (5, 5)),
}


def resize_axis_matrix(out_len, in_len, scale, mode, coord, nearest):
    """[out_len, in_len] matrix of ONNX Resize along one axis (onnx.ai/onnx/operators/onnx__Resize): row x holds the
    weights of the source elements of dst x; coordinates outside [0, in - 1] take the edge value."""
    x = np.arange(out_len, dtype=np.float64)
    c = {"half_pixel": (x + 0.5) / scale - 0.5,
         "pytorch_half_pixel": (x + 0.5) / scale - 0.5 if out_len > 1 else np.zeros(out_len),
         "align_corners": x * (in_len - 1) / (out_len - 1) if out_len > 1 else np.zeros(out_len),
         "asymmetric": x / scale}[coord]
    m = np.zeros((out_len, in_len))
    rows = np.arange(out_len)
    if mode == "nearest":
        r = {"round_prefer_floor": np.ceil(c - 0.5), "round_prefer_ceil": np.floor(c + 0.5), "floor": np.floor(c),
             "ceil": np.ceil(c)}[nearest]
        m[rows, np.clip(r, 0, in_len - 1).astype(int)] = 1
        return m
    f = np.floor(c)
    np.add.at(m, (rows, np.clip(f, 0, in_len - 1).astype(int)), 1 - (c - f))
    np.add.at(m, (rows, np.clip(f + 1, 0, in_len - 1).astype(int)), c - f)
    return m


def export_resize_cases(out, seed):
    import onnx
    from onnx import TensorProto, helper

    src = (1, 2, 6, 8)
    x = np.random.default_rng(seed + 5).standard_normal(src).astype(np.float32)
    for name, (mode, coord, nearest, kind, hw) in RESIZE_CASES.items():
        if kind == "scales":
            scales = [float(np.float32(v)) for v in hw]
            size = [int(np.floor(src[2 + i] * scales[i])) for i in range(2)]
        else:
            size = list(hw)
            scales = [size[i] / src[2 + i] for i in range(2)]
        mh, mw = (resize_axis_matrix(size[i], src[2 + i], scales[i], mode, coord, nearest) for i in range(2))
        y = np.einsum("oh,nchw,pw->ncop", mh, x.astype(np.float64), mw)
        init = (helper.make_tensor("scales", TensorProto.FLOAT, [4], [1, 1] + scales) if kind == "scales" else
                helper.make_tensor("sizes", TensorProto.INT64, [4], [1, 2] + size))
        node = helper.make_node("Resize", ["x", "", "scales" if kind == "scales" else "", "sizes" if kind == "sizes" else ""],
                                ["y"], name="resize", mode=mode, coordinate_transformation_mode=coord,
                                nearest_mode=nearest)
        if kind == "scales":
            node.input.pop()
        graph = helper.make_graph([node], name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(src))],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(y.shape))], [init])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        stem = os.path.join(out, "resize_" + name)
        atomic_save(stem + ".onnx", lambda tmp: onnx.save(model, tmp))
        save_npy(stem + ".input.npy", x)
        save_npy(stem + ".output.npy", y)


# Upsample forms torch does not export (onnx.helper): opset 7's `scales` attribute, opset 9's linear (asymmetric),
# against resize_axis_matrix(); name -> (opset, mode, H/W scales), src [1, 2, 6, 8].
UPSAMPLE_CASES = {"nearest_opset7": (7, "nearest", (2.0, 1.5)), "linear_opset9": (9, "linear", (1.5, 2.0))}


def export_upsample_cases(out, seed):
    import onnx
    from onnx import TensorProto, helper

    src = (1, 2, 6, 8)
    x = np.random.default_rng(seed + 6).standard_normal(src).astype(np.float32)
    for name, (opset, mode, scales) in UPSAMPLE_CASES.items():
        size = [int(np.floor(src[2 + i] * scales[i])) for i in range(2)]
        mh, mw = (resize_axis_matrix(size[i], src[2 + i], scales[i], mode, "asymmetric", "floor") for i in range(2))
        y = np.einsum("oh,nchw,pw->ncop", mh, x.astype(np.float64), mw)
        all_scales = [1.0, 1.0] + list(scales)
        if opset < 9:
            node, inits = helper.make_node("Upsample", ["x"], ["y"], name="upsample", mode=mode, scales=all_scales), []
        else:
            node = helper.make_node("Upsample", ["x", "scales"], ["y"], name="upsample", mode=mode)
            inits = [helper.make_tensor("scales", TensorProto.FLOAT, [4], all_scales)]
        graph = helper.make_graph([node], name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(src))],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(y.shape))], inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = 3 if opset < 9 else 4
        stem = os.path.join(out, "upsample_" + name)
        atomic_save(stem + ".onnx", lambda tmp: onnx.save(model, tmp))
        save_npy(stem + ".input.npy", x)
        save_npy(stem + ".output.npy", y)


def export_unsupported(out):
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 8, 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8, 8])
    w = helper.make_tensor("w", TensorProto.FLOAT, [4, 4, 1, 1], np.eye(4, dtype=np.float32).ravel().tolist())
    conv = helper.make_node("Conv", ["x", "w"], ["c"], name="stem_conv")
    einsum = helper.make_node("Einsum", ["c"], ["y"], name="mix_einsum", equation="nchw->nchw")
    model = helper.make_model(helper.make_graph([conv, einsum], "einsum", [x], [y], [w]),
                              opset_imports=[helper.make_opsetid("", 13)])
    atomic_save(os.path.join(out, "unsupported_einsum.onnx"), lambda tmp: onnx.save(model, tmp))

    pads = helper.make_tensor("pads", TensorProto.INT64, [8], [0, 0, 1, 1, 0, 0, 1, 1])
    pad = helper.make_node("Pad", ["x", "pads"], ["y"], name="reflect_pad", mode="reflect")
    y2 = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 10, 10])
    model = helper.make_model(helper.make_graph([pad], "pad", [x], [y2], [pads]),
                              opset_imports=[helper.make_opsetid("", 13)])
    atomic_save(os.path.join(out, "unsupported_pad_reflect.onnx"), lambda tmp: onnx.save(model, tmp))


def export_sample_image(out):
    from PIL import Image
    from torchvision import transforms

    h, w = 300, 400
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    rgb = np.stack([x / w, y / h, 0.5 + 0.5 * np.sin(x / 23.0) * np.cos(y / 17.0)], axis=-1)
    for cx, cy, r, colour in [(120, 100, 60, (0.9, 0.2, 0.1)), (300, 200, 80, (0.1, 0.3, 0.9))]:
        disc = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        rgb[disc] = colour
    image = Image.fromarray(np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8), "RGB")
    atomic_save(os.path.join(out, "sample.png"), lambda tmp: image.save(tmp, format="PNG"))
    atomic_save(os.path.join(out, "sample.jpg"), lambda tmp: image.save(tmp, format="JPEG", quality=95))
    transform = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                                    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    for src, dst in [("sample.png", "sample.imagenet.npy"), ("sample.jpg", "sample.jpg.imagenet.npy")]:
        save_npy(os.path.join(out, dst), transform(Image.open(os.path.join(out, src)).convert("RGB"))[None])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="cache directory (created)")
    p.add_argument("--models", nargs="*", default=TORCHVISION_MODELS)
    p.add_argument("--size", type=int, default=None,
                   help="input height = width (default 224; with --models-only, a SMALL_MODELS model's own size)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--force", action="store_true", help="export even when the manifest says it is done")
    p.add_argument("--models-only", action="store_true", help="only the named models, no extras, no manifest")
    a = p.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)  # torch.onnx's notes on TrainingMode, shape inference
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    with open(os.path.join(a.out, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = os.path.join(a.out, MANIFEST)
        if not a.models_only and os.path.exists(manifest) and not a.force and json.load(open(manifest)).get("version") == CACHE_VERSION:
            return 0
        for name in a.models:
            if a.models_only and not a.force and all(os.path.exists(os.path.join(a.out, name + ext)) for ext in
                                                     (".onnx", ".input.npy", ".output.npy", ".layers.json")):
                continue
            t0 = time.time()
            size = a.size or (SMALL_MODELS.get(name, 224) if a.models_only else 224)
            export_torchvision(name, a.out, size, a.seed)
            print("exported %s in %.1f s" % (name, time.time() - t0), file=sys.stderr)
        if a.models_only:
            return 0
        for name, size in SMALL_MODELS.items():
            t0 = time.time()
            export_torchvision(name, a.out, size, a.seed)
            print("exported %s (%dx%d) in %.1f s" % (name, size, size, time.time() - t0), file=sys.stderr)
        for name, size in NEW_ARCH_MODELS.items():
            for opset, stem in [(13, name), (17, name + "_opset17")]:
                t0 = time.time()
                export_torchvision(name, a.out, size, a.seed, opset, stem)
                print("exported %s (%dx%d) in %.1f s" % (stem, size, size, time.time() - t0), file=sys.stderr)
        export_mix(OpsMix, "ops_mix", MIX_OPSETS, (2, 3, 20, 24), a.out, a.seed)
        export_mix(ResizeMix, "resize_mix", RESIZE_OPSETS, (2, 3, 7, 9), a.out, a.seed)
        export_mix(UpsampleMix, "upsample_mix", UPSAMPLE_OPSETS, (2, 3, 7, 9), a.out, a.seed)
        export_mix(ActMix, "act_mix", ACT_OPSETS, (2, 3, 12, 10), a.out, a.seed)
        export_resize_cases(a.out, a.seed)
        export_upsample_cases(a.out, a.seed)
        export_unsupported(a.out)
        export_sample_image(a.out)
        info = {"version": CACHE_VERSION, "torch": torch.__version__, "torchvision": torchvision.__version__, "size": a.size or 224, "seed": a.seed,
                "models": a.models, "small_models": SMALL_MODELS, "ops_mix_opsets": MIX_OPSETS, "resize_mix_opsets": RESIZE_OPSETS,
                "upsample_mix_opsets": UPSAMPLE_OPSETS, "act_mix_opsets": ACT_OPSETS}
        atomic_save(manifest, lambda tmp: json.dump(info, open(tmp, "w"), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
