#include "api/tuning.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "profiler/machine/calibrate.h"
#include "profiler/machine/clock.h"
#include "runtime/stats.h"

namespace rs::api {

TunePlan plan_tuning(const TuneArgs& args, const Graph& graph, const std::string& model, int threads) {
  if (args.mode != "off" && args.mode != "cached" && args.mode != "full")
    throw std::invalid_argument("--tune must be off, cached or full (got '" + args.mode + "')");
  TunePlan plan;
  if (args.mode == "off") return plan;
  plan.key = tuning_key(graph, model, threads);
  CalibrateOptions co;
  co.cache_dir = args.cache_dir;
  plan.path = tuning_cache_path(plan.key, cache_dir(co));
  plan.options.enabled = true;
  std::error_code ec;
  if (args.mode == "full" || !std::filesystem::exists(plan.path, ec)) return plan;
  std::string reason;
  try {
    const TuningCache cached = load_tuning_cache(plan.path);
    reason = tuning_mismatch(cached, plan.key);
    if (reason.empty()) {
      plan.options.cached = cached.choices;
      return plan;
    }
    reason = plan.path + ": " + reason;
  } catch (const TuningCacheError& e) {
    reason = e.what();
  }
  std::cerr << "roofscope: ignoring tuning cache: " << reason << "; tuning again" << std::endl;
  return plan;
}

namespace {
int tuned_count(const std::vector<ExecStep>& steps) {
  int tuned = 0;
  for (const auto& s : steps) tuned += s.choice.source == "tuned" ? 1 : 0;
  return tuned;
}

/// Median end-to-end seconds of `a` and `b` over `runs` interleaved runs each (inputs: seeded values).
std::pair<double, double> race(Executor& a, Executor& b, int runs) {
  for (Executor* e : {&a, &b})
    for (std::size_t i = 0; i < e->graph().inputs.size(); ++i) {
      const Dims& d = e->graph().value(e->graph().inputs[i]).desc.dims;
      HostTensor t{d, std::vector<float>(static_cast<std::size_t>(numel(d)))};
      for (std::size_t k = 0; k < t.data.size(); ++k) t.data[k] = static_cast<float>((k * 2654435761u) % 2001) / 1000.f - 1.f;
      e->set_input(i, t);
    }
  a.run();
  b.run();
  std::vector<double> ta, tb;
  for (int r = 0; r < runs; ++r) {
    ta.push_back(a.run());
    tb.push_back(b.run());
  }
  return {compute_stats(ta).median, compute_stats(tb).median};
}

void save(const TunePlan& plan, const Executor& exec, double tune_s, const std::string& what) {
  TuningCache c = plan.key;
  c.choices = exec.choices();
  c.tune_time_s = tune_s;
  try {
    save_tuning_cache(c, plan.path);
    std::cerr << "roofscope: " << what << "; choices cached in " << plan.path << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "roofscope: " << what << "; " << e.what() << ", the choices are not cached" << std::endl;
  }
}
}  // namespace

std::unique_ptr<Executor> compile_with_tuning(const TunePlan& plan, const Graph& graph, ExecOptions options) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const double clock_before_ghz = plan.options.enabled ? measure_clock(1).ghz : 0;  // ~15 ms, one core
  options.tuning = plan.options;
  auto tuned = std::make_unique<Executor>(graph, options);
  const int n = tuned_count(tuned->steps());
  if (!plan.options.enabled || n == 0) return tuned;
  ExecOptions plain = options;
  plain.tuning = TuneOptions{};
  auto first = std::make_unique<Executor>(graph, plain);
  const auto [t_tuned, t_first] = race(*tuned, *first, 15);
  const double tune_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const bool keep = t_tuned < t_first;
  const double moved = clock_change(clock_before_ghz, measure_clock(1).ghz);
  const std::string clock_note =
      std::fabs(moved) > 0.05 ? fmt::format(" (warning: the clock moved {:+.0f}% while tuning: the choices may reflect "
                                            "the clock, not the kernels; rerun with --tune full on a quiet machine)",
                                            moved * 100)
                              : "";
  save(plan, keep ? *tuned : *first, tune_s,
       fmt::format("tuned {} op(s) in {:.1f} s: {:.3f} ms end to end vs {:.3f} ms with oneDNN's first choices; "
                   "kept {}{}",
                   n, tune_s, t_tuned * 1e3, t_first * 1e3, keep ? "the tuned ones" : "oneDNN's", clock_note));
  return keep ? std::move(tuned) : std::move(first);
}

}  // namespace rs::api
