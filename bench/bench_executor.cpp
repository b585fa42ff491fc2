// Executor overhead: end-to-end run() time / time of the same bound primitives executed back to back without the
// executor (targets: <= 1.02 on resnet18, < 1 us per op on a chain of 200 tiny ops). Both are timed alternately in
// one process so machine noise hits both; medians are reported.
//   build/bench_executor [--benchmark_min_time=2]
#include <algorithm>
#include <chrono>
#include <vector>

#include <benchmark/benchmark.h>

#include "graph/passes.h"
#include "graph/shape.h"
#include "models/zoo.h"
#include "runtime/executor.h"
#include "runtime/stats.h"
#include "runtime/topology.h"

namespace rs {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// A chain of `n` ReLUs on a [1, 8, 4, 4] tensor: nothing but per-op overhead.
Graph tiny_chain(int n) {
  Graph g;
  int x = g.add_input("x", {1, 8, 4, 4});
  for (int i = 0; i < n; ++i) x = g.add_node("relu" + std::to_string(i), OpKind::Eltwise, EltwiseAttrs{}, {x});
  g.mark_output(x);
  infer_shapes(g);
  return g;
}

void measure_overhead(benchmark::State& state, Graph g) {
  bind_threads(topology().physical_cores, true);
  optimize(g, true);
  Executor exec(std::move(g));
  for (int i = 0; i < 3; ++i) exec.run();
  std::vector<double> e2e, bare;
  auto run_bare = [&] {
    const auto t0 = Clock::now();
    for (std::size_t s = 0; s < exec.steps().size(); ++s) exec.kernel(s).execute(exec.stream());
    exec.stream().wait();
    bare.push_back(seconds_since(t0));
  };
  bool executor_first = true;
  for (auto _ : state) {  // alternate which goes first, so neither always finds the caches the other left
    if (!executor_first) run_bare();
    e2e.push_back(exec.run());
    if (executor_first) run_bare();
    executor_first = !executor_first;
  }
  const double e = compute_stats(e2e).median, b = compute_stats(bare).median;
  const double steps = static_cast<double>(exec.steps().size());
  state.counters["steps"] = steps;
  state.counters["e2e_median_us"] = e * 1e6;
  state.counters["bare_median_us"] = b * 1e6;
  state.counters["ratio_e2e_over_bare"] = e / b;
  state.counters["overhead_per_op_ns"] = (e - b) / steps * 1e9;
}

void BM_ExecutorOverhead_ResNet18(benchmark::State& state) { measure_overhead(state, build_model("resnet18", {})); }
void BM_ExecutorOverhead_Chain200(benchmark::State& state) { measure_overhead(state, tiny_chain(200)); }

BENCHMARK(BM_ExecutorOverhead_ResNet18)->Unit(benchmark::kMillisecond)->MinTime(4.0);
BENCHMARK(BM_ExecutorOverhead_Chain200)->Unit(benchmark::kMicrosecond)->MinTime(1.0);

}  // namespace
}  // namespace rs

BENCHMARK_MAIN();
