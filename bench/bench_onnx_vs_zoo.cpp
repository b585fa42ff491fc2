// ONNX-imported model vs the same zoo model: end-to-end run() time of both (optimized, all cores, pooled arena),
// interleaved run by run in one process (rotating the order) so machine noise hits both; reports the median of each
// and the ratio onnx / zoo (target: 1.0 within noise: the optimized graphs compile to the same steps, see
// tests/onnx ZooEqualsOnnx.SameExecutionPlan; only the weight values differ). A second, identical zoo executor runs
// in the same rotation: ratio_zoo_copy_over_zoo is the noise floor of the ratio on this machine at this time.
// The ONNX files come from scripts/export_torchvision.py; the tests create them in <build>/onnx_cache:
//   cd build && ./bench_onnx_vs_zoo            (or ROOFSCOPE_ONNX_DIR=/path/to/onnx_cache ./bench_onnx_vs_zoo)
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "graph/onnx/import.h"
#include "graph/passes.h"
#include "models/zoo.h"
#include "runtime/executor.h"
#include "runtime/stats.h"
#include "runtime/topology.h"

namespace rs {
namespace {

std::string onnx_path(const std::string& model) {
  const char* dir = std::getenv("ROOFSCOPE_ONNX_DIR");
  return std::string(dir ? dir : "onnx_cache") + "/" + model + ".onnx";
}

/// Optimized executor with a seeded N(0, 1) input (the same for both models: input values steer denormals).
std::unique_ptr<Executor> compile(Graph g) {
  optimize(g, true);
  auto exec = std::make_unique<Executor>(std::move(g));
  const Dims dims = exec->graph().value(exec->graph().inputs.at(0)).desc.dims;
  std::mt19937 gen(1);
  std::normal_distribution<float> normal(0.f, 1.f);
  HostTensor x{dims, std::vector<float>(static_cast<std::size_t>(numel(dims)))};
  for (float& v : x.data) v = normal(gen);
  exec->set_input(0, x);
  return exec;
}

void onnx_vs_zoo(benchmark::State& state, const std::string& model) {
  const std::string path = onnx_path(model);
  if (!std::ifstream(path)) {
    state.SkipWithError((path + " is missing: run ctest -R onnx, or scripts/export_torchvision.py --out <dir> and "
                                "set ROOFSCOPE_ONNX_DIR").c_str());
    return;
  }
  bind_threads(topology().physical_cores, true);
  enum { kZoo, kOnnx, kZooCopy, kCount };
  const std::unique_ptr<Executor> exec[kCount] = {compile(build_model(model, {})), compile(import_onnx(path)),
                                                  compile(build_model(model, {}))};
  for (int i = 0; i < 3; ++i)
    for (const auto& e : exec) e->run();
  std::vector<double> times[kCount];
  int first = 0;
  for (auto _ : state) {
    double total = 0;
    for (int k = 0; k < kCount; ++k) {
      const int e = (first + k) % kCount;
      times[e].push_back(exec[e]->run());
      total += times[e].back();
    }
    first = (first + 1) % kCount;
    state.SetIterationTime(total);
  }
  double median[kCount];
  for (int k = 0; k < kCount; ++k) median[k] = compute_stats(times[k]).median;
  state.counters["zoo_median_ms"] = median[kZoo] * 1e3;
  state.counters["onnx_median_ms"] = median[kOnnx] * 1e3;
  state.counters["ratio_onnx_over_zoo"] = median[kOnnx] / median[kZoo];
  state.counters["ratio_zoo_copy_over_zoo"] = median[kZooCopy] / median[kZoo];
  state.counters["steps"] = static_cast<double>(exec[kOnnx]->steps().size());
}

BENCHMARK_CAPTURE(onnx_vs_zoo, resnet18, std::string("resnet18"))->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK_CAPTURE(onnx_vs_zoo, mobilenet_v2, std::string("mobilenet_v2"))->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(onnx_vs_zoo, mobilenet_v3_small, std::string("mobilenet_v3_small"))->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(onnx_vs_zoo, squeezenet1_1, std::string("squeezenet1_1"))->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace rs

BENCHMARK_MAIN();
