#include "runtime/tuner.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>

#include "kernels/dnnl_util.h"
#include "runtime/measure.h"
#include "runtime/stats.h"

namespace rs {

namespace {
using Clock = std::chrono::steady_clock;
}  // namespace

Tuner::Tuner(const KernelEnv& env, dnnl::stream& stream, const TuneOptions& options)
    : env_(env), stream_(stream), options_(options) {
  options_.runs = std::max(options_.runs, 1);
}

Tuner::~Tuner() {
  for (auto& s : slots_) std::free(s.ptr);
}

void* Tuner::scratch(std::size_t slot, std::size_t bytes) {
  if (slots_.size() <= slot) slots_.resize(slot + 1);
  Slot& s = slots_[slot];
  if (s.bytes < bytes) {
    std::free(s.ptr);
    s.bytes = (bytes + 4095) / 4096 * 4096;
    s.ptr = std::aligned_alloc(4096, s.bytes);
    if (!s.ptr) throw std::bad_alloc();
    // N(0, 1) values: finite, no denormals, like activations; reorders and convs see realistic data.
    std::mt19937 gen(static_cast<unsigned>(slot) + 1);
    std::normal_distribution<float> dist(0.f, 1.f);
    float* f = static_cast<float*>(s.ptr);
    for (std::size_t i = 0; i < s.bytes / sizeof(float); ++i) f[i] = dist(gen);
  }
  return s.ptr;
}

double Tuner::time_kernel(Kernel& kernel, double cutoff_s) {
  std::vector<void*> src, dst;
  std::size_t slot = 0;
  for (const auto& d : kernel.src_descs()) src.push_back(scratch(slot++, d.get_size()));
  for (const auto& d : kernel.dst_descs()) dst.push_back(scratch(slot++, d.get_size()));
  if (kernel.inplace_src() >= 0) src[static_cast<std::size_t>(kernel.inplace_src())] = dst.at(0);
  void* pad = kernel.scratchpad_bytes() > 0 ? scratch(slot++, kernel.scratchpad_bytes()) : nullptr;
  kernel.bind(src, dst, pad);
  RepeatPlan plan;
  plan.warmup = 1;  // JIT'ed code, caches, pages
  plan.iters = plan.max_iters = options_.runs;
  plan.cutoff_s = cutoff_s;
  std::vector<double> t;
  repeat(plan, [&](bool record) {
    const auto t0 = Clock::now();
    kernel.execute(stream_);
    stream_.wait();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (record) t.push_back(s);
    return s;
  });
  return compute_stats(t).median;
}

double Tuner::reorder_time(const dnnl::memory::desc& from, const dnnl::memory::desc& to) {
  for (const auto& r : reorders_)
    if (r.from == from && r.to == to) return r.time_s;
  auto k = create_reorder_kernel(from, to, env_);
  const double t = time_kernel(*k);
  reorders_.push_back({from, to, t});
  return t;
}

double Tuner::layout_cost(const Kernel& kernel, const std::vector<dnnl::memory::desc>& have,
                         const std::vector<bool>& takeover) {
  double cost = 0;
  const auto& want = kernel.src_descs();
  for (std::size_t i = 0; i < want.size() && i < have.size(); ++i) {
    const bool inplace = static_cast<int>(i) == kernel.inplace_src();
    // An in-place residual in its own layout is free when its buffer is taken over, else it is copied into dst.
    if (have[i] != want[i] || (inplace && !takeover.at(i))) cost += reorder_time(have[i], want[i]);
  }
  return cost;
}

std::unique_ptr<Kernel> Tuner::choose(const std::string& node_name, const std::vector<KernelCandidate>& candidates,
                                      const std::vector<dnnl::memory::desc>& have,
                                      const std::vector<bool>& takeover, StepChoice* choice) {
  choice->candidates = static_cast<int>(candidates.size());
  if (candidates.size() == 1) {
    choice->key = candidates[0].key;
    choice->source = "only";
    return candidates[0].create();
  }
  if (auto it = options_.cached.find(node_name); it != options_.cached.end()) {
    for (const auto& c : candidates)
      if (c.key == it->second.key) {
        *choice = it->second;
        choice->candidates = static_cast<int>(candidates.size());
        choice->source = "cached";
        return c.create();
      }
  }
  if (!options_.cached.empty()) ++misses_;
  if (!options_.enabled) {
    choice->key = candidates[0].key;
    choice->source = "default";
    return candidates[0].create();
  }
  // Every candidate timed in place; oneDNN's first choice (front) is kept unless another beats it by more than
  // kMargin: timings of a few runs on a shared machine differ by a few percent between equal kernels, and a
  // needless change of layout costs reorders further down the graph.
  constexpr double kMargin = 0.03;
  std::vector<double> time_s;
  // Only oneDNN's first choice and the fastest other candidate are kept alive (each owns reordered weights).
  std::unique_ptr<Kernel> front, fastest;
  std::size_t fastest_at = 0;
  double best_s = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    auto k = candidates[i].create();
    const double extra = layout_cost(*k, have, takeover);
    // A candidate 3x slower than the best so far on its first run is not timed further.
    time_s.push_back(time_kernel(*k, 3 * best_s) + extra);
    best_s = std::min(best_s, time_s.back());
    if (i == 0) front = std::move(k);
    else if (!fastest || time_s[i] < time_s[fastest_at]) {
      fastest = std::move(k);
      fastest_at = i;
    }
  }
  std::vector<std::size_t> order(time_s.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return time_s[a] < time_s[b]; });
  if (order[0] != 0 && time_s[order[0]] > (1 - kMargin) * time_s[0]) {
    order.erase(std::find(order.begin(), order.end(), std::size_t{0}));
    order.insert(order.begin(), 0);
  }
  choice->key = candidates[order[0]].key;
  choice->source = "tuned";
  choice->time_s = time_s[order[0]];
  choice->runner_up = candidates[order[1]].key;
  choice->runner_up_time_s = time_s[order[1]];
  return order[0] == 0 ? std::move(front) : std::move(fastest);
}

}  // namespace rs
