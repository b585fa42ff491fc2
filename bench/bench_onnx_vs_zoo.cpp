// ONNX-imported model vs the same zoo model: end-to-end run() time of both (optimized, all cores, pooled arena),
// alternated run by run in one process so machine noise hits both; reports the median of each and the ratio
// onnx / zoo (target: 1.0 within noise; the optimized graphs have the same ops, only the weight values differ).
// The ONNX files come from scripts/export_torchvision.py; the tests create them in <build>/onnx_cache:
//   cd build && ./bench_onnx_vs_zoo            (or ROOFSCOPE_ONNX_DIR=/path/to/onnx_cache ./bench_onnx_vs_zoo)
#include <cstdlib>
#include <fstream>
#include <vector>

#include <benchmark/benchmark.h>

#include "graph/onnx_import.h"
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

std::unique_ptr<Executor> compile(Graph g) {
  optimize(g, true);
  return std::make_unique<Executor>(std::move(g));
}

void onnx_vs_zoo(benchmark::State& state, const std::string& model) {
  const std::string path = onnx_path(model);
  if (!std::ifstream(path)) {
    state.SkipWithError((path + " is missing: run ctest -R onnx, or scripts/export_torchvision.py --out <dir> and "
                                "set ROOFSCOPE_ONNX_DIR").c_str());
    return;
  }
  bind_threads(topology().physical_cores, true);
  const auto zoo = compile(build_model(model, {}));
  const auto onnx = compile(import_onnx(path));
  for (int i = 0; i < 3; ++i) {
    zoo->run();
    onnx->run();
  }
  std::vector<double> t_zoo, t_onnx;
  bool zoo_first = true;
  for (auto _ : state) {
    if (zoo_first) t_zoo.push_back(zoo->run());
    t_onnx.push_back(onnx->run());
    if (!zoo_first) t_zoo.push_back(zoo->run());
    zoo_first = !zoo_first;
    state.SetIterationTime(t_zoo.back() + t_onnx.back());
  }
  const double z = compute_stats(t_zoo).median, o = compute_stats(t_onnx).median;
  state.counters["zoo_median_ms"] = z * 1e3;
  state.counters["onnx_median_ms"] = o * 1e3;
  state.counters["ratio_onnx_over_zoo"] = o / z;
  state.counters["zoo_steps"] = static_cast<double>(zoo->steps().size());
  state.counters["onnx_steps"] = static_cast<double>(onnx->steps().size());
}

BENCHMARK_CAPTURE(onnx_vs_zoo, resnet18, std::string("resnet18"))->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK_CAPTURE(onnx_vs_zoo, mobilenet_v2, std::string("mobilenet_v2"))->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(onnx_vs_zoo, mobilenet_v3_small, std::string("mobilenet_v3_small"))->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(onnx_vs_zoo, squeezenet1_1, std::string("squeezenet1_1"))->UseManualTime()->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace rs

BENCHMARK_MAIN();
