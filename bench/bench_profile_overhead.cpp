// Instrumentation overhead of profile mode: latency of its timed runs (a timestamp after every op) over plain
// run-mode latency, on the same executor, runs alternated so noise hits both (target <= 1.01). Also shown: the
// cost of a counting run (OS-counter reads after every op), which profile mode keeps out of its timed runs because
// reading another thread's perf counter costs an inter-processor interrupt (expensive in a VM).
//   build/bench_profile_overhead [--benchmark_min_time=2]
#include <chrono>
#include <vector>

#include <benchmark/benchmark.h>

#include "graph/passes.h"
#include "models/zoo.h"
#include "runtime/executor.h"
#include "runtime/os_counters.h"
#include "runtime/stats.h"
#include "runtime/topology.h"

namespace rs {
namespace {

void profile_vs_run(benchmark::State& state, const char* model) {
  bind_threads(topology().physical_cores, true);
  Graph g = build_model(model, {});
  optimize(g, true);
  Executor exec(std::move(g));
  OsCounters os;
  std::vector<double> steps, plain, profiled, counted;
  std::vector<OsCounts> counts(exec.steps().size());
  for (int i = 0; i < 3; ++i) exec.run();
  for (auto _ : state) {
    plain.push_back(exec.run());
    // Timed runs of profile mode: a timestamp after each op (what t_actual comes from).
    profiled.push_back(exec.run(&steps));
    // Counting runs of profile mode (separate, untimed): counter reads after each op, timed here from outside to
    // show why they are kept out of the timed runs.
    OsCounts last = os.read();
    const auto t0 = std::chrono::steady_clock::now();
    exec.run(&steps, [&](std::size_t i) {
      const OsCounts now = os.read();
      counts[i] = now - last;
      last = now;
    });
    counted.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  const double p = compute_stats(plain).median, q = compute_stats(profiled).median;
  state.counters["run_median_ms"] = p * 1e3;
  state.counters["profile_median_ms"] = q * 1e3;
  state.counters["ratio_profile_over_run"] = q / p;
  state.counters["ratio_counting_run_over_run"] = compute_stats(counted).median / p;
  state.counters["os_counters"] = os.available() ? 1 : 0;
}

void BM_ProfileOverhead_ResNet18(benchmark::State& s) { profile_vs_run(s, "resnet18"); }
void BM_ProfileOverhead_MobileNetV2(benchmark::State& s) { profile_vs_run(s, "mobilenet_v2"); }
BENCHMARK(BM_ProfileOverhead_ResNet18)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ProfileOverhead_MobileNetV2)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace rs

BENCHMARK_MAIN();
