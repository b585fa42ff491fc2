"""The Python module on tiny models and few iterations (run by ctest as Python.Pytest)."""
import numpy as np
import pytest

import roofscope


def test_models_and_info_match_the_cli_fields():
    assert "resnet18" in roofscope.models()
    info = roofscope.info("squeezenet1_1", size=64)
    assert info["model"] == "squeezenet1_1"
    assert len(info["rows"]) > 10


def test_run_numpy_in_and_out():
    x = np.random.default_rng(0).standard_normal((1, 3, 64, 64)).astype(np.float32)
    r = roofscope.run("squeezenet1_1", size=64, iters=2, warmup=0, tune="off", input=x)
    assert r["latency_median_s"] > 0
    assert r["output"].shape == (1, 1000)


def test_errors_raise_with_the_cli_message():
    with pytest.raises(ValueError, match="unknown model"):
        roofscope.info("no_such_model")
    with pytest.raises(ValueError, match="--iters must be >= 1"):
        roofscope.run("squeezenet1_1", size=64, iters=0)
    with pytest.raises(ValueError, match="not an ONNX model"):  # a malformed model is a bad value, as on the CLI
        roofscope.info(b"not an onnx model")
    with pytest.raises(ValueError, match="/nonexistent/model.onnx: does not exist"):
        roofscope.info("/nonexistent/model.onnx")


def test_torch_module_profile():
    torch = pytest.importorskip("torch")
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1))
    p = roofscope.profile(net, example_input=torch.randn(1, 3, 32, 32), iters=2, warmup=0, tune="off", no_ab=True)
    assert p["summary"]["e2e"]["median_s"] > 0
    assert len(p["ops"]) >= 1


def test_torchvision_resnet18_profile_summary_and_diff_fields():
    torch = pytest.importorskip("torch")
    torchvision = pytest.importorskip("torchvision")
    p = roofscope.profile(torchvision.models.resnet18(), example_input=torch.randn(1, 3, 64, 64), iters=2, warmup=1,
                          tune="off", no_ab=True)
    s = p["summary"]
    assert s["model"] == "ResNet" and s["input_dims"] == [1, 3, 64, 64]
    assert s["e2e"]["median_s"] > 0 and s["totals"]["flops"] > 0
    assert p["provenance"]["machine_profile"]["hash"]  # the JSON outputs' provenance, as on the CLI
    assert any(op["op"].startswith("Conv") for op in p["ops"])
    shown = roofscope.calibrate(show=True)  # the profile calibrated on first use is the one shown
    assert shown["provenance"]["machine_profile"]["hash"] == p["provenance"]["machine_profile"]["hash"]


def test_to_pandas_when_pandas_is_installed():
    pandas = pytest.importorskip("pandas")
    df = roofscope.info("squeezenet1_1", size=64).to_pandas()
    assert isinstance(df, pandas.DataFrame) and "flops" in df.columns
