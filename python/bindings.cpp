// The Python module roofscope._roofscope: the API's functions (include/roofscope/api.h) over pybind11, returning
// the CLI's JSON text; python/roofscope/__init__.py turns it into dicts. The GIL is released while they run.
// std::invalid_argument becomes ValueError and std::runtime_error RuntimeError (pybind11's translation), with the
// CLI's one-line message.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "roofscope/roofscope.h"

namespace py = pybind11;
using roofscope::ModelSource;

namespace {

ModelSource source(const std::string& model, const py::bytes& onnx, int batch, int size, std::uint64_t seed) {
  ModelSource m;
  m.model = model;
  m.onnx_bytes = onnx;
  m.batch_given = batch > 0;
  m.size_given = size > 0;
  if (batch > 0) m.batch = batch;
  if (size > 0) m.size = size;
  m.seed = seed;
  return m;
}

py::tuple run(const ModelSource& m, int threads, int iters, int warmup, bool per_op, const std::string& tune,
              py::object input) {
  roofscope::RunOptions o;
  o.threads.threads = threads;
  o.measure.iters = iters;
  o.measure.warmup = warmup;
  o.per_op = per_op;
  o.tune.mode = tune;
  if (!input.is_none()) {
    auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(input);
    if (!a) throw std::invalid_argument("input must be a float32 numpy array");
    roofscope::Input in;
    in.tensor.dims.assign(a.shape(), a.shape() + a.ndim());
    in.tensor.data.assign(a.data(), a.data() + a.size());
    in.source = "input";
    o.inputs.push_back(std::move(in));
  }
  roofscope::RunOutput out;
  {
    py::gil_scoped_release release;
    out = roofscope::run(m, o, "json");
  }
  py::array_t<float> y(out.output.dims);
  std::copy(out.output.data.begin(), out.output.data.end(), y.mutable_data());
  return py::make_tuple(out.report, y);
}

std::string profile(const ModelSource& m, int threads, int iters, int warmup, const std::string& tune, bool no_ab,
                    const std::string& machine) {
  roofscope::ProfileOptions o;
  o.threads.threads = threads;
  o.measure.iters = iters;
  o.measure.warmup = warmup;
  o.tune.mode = tune;
  o.no_ab = no_ab;
  o.machine_file = machine;
  return roofscope::profile(m, o, "json");
}

std::string calibrate(bool quick, bool show, const std::string& machine) {
  roofscope::CalibrateOptions o;
  o.quick = quick;
  o.show = show;
  o.machine_file = machine;
  return roofscope::calibrate(o, "json");
}

std::string experiment(const std::string& name, bool quick, bool tiny, int threads) {
  roofscope::ExperimentOptions o;
  o.names = {name};
  o.quick = quick;
  o.tiny = tiny;
  o.threads = threads;
  return roofscope::experiment(o, "json");
}

}  // namespace

PYBIND11_MODULE(_roofscope, mod) {
  mod.attr("__version__") = ROOFSCOPE_VERSION;
  mod.attr("source_commit") = ROOFSCOPE_SOURCE_COMMIT;
  py::class_<ModelSource>(mod, "ModelSource");
  mod.def("source", &source, py::arg("model"), py::arg("onnx"), py::arg("batch"), py::arg("size"), py::arg("seed"));
  mod.def("models", &roofscope::models);
  mod.def(
      "info",
      [](const roofscope::ModelSource& m, bool fused, const std::string& format, bool csv_totals) {
        return roofscope::info(m, fused, format, csv_totals);
      },
      py::arg("model"), py::arg("fused"), py::arg("format"), py::arg("csv_totals") = false,
      py::call_guard<py::gil_scoped_release>());
  mod.def("run", &run);
  mod.def("profile", &profile, py::call_guard<py::gil_scoped_release>());
  mod.def("calibrate", &calibrate, py::call_guard<py::gil_scoped_release>());
  mod.def("experiment", &experiment, py::call_guard<py::gil_scoped_release>());
}
