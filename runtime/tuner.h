// Kernel selection by measurement: at compile time, each candidate oneDNN offers for a node (kernels/kernel.h
// kernel_candidates()) is created and timed in place, with the reorders its layouts cause, and the fastest is kept.
#pragma once
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kernels/kernel.h"
#include "runtime/step_report.h"

namespace rs {

/// What the executor's compile phase does with candidates (ExecOptions::tuning).
struct TuneOptions {
  bool enabled = false;  ///< time every candidate; false: oneDNN's first choice (or the cached one)
  int runs = 5;          ///< timed runs per candidate after one warm-up (median); >= 1
  /// Choices to reuse, by node name (a tuning cache; StepChoice::key names the candidate, its times are reported
  /// as measured then). A node whose key is missing or no longer offered is tuned when `enabled`, else gets
  /// oneDNN's first choice; either way it counts as a miss.
  std::map<std::string, StepChoice> cached;
};

/// Creates and times candidates. One per compile; memoizes reorder timings by layout pair.
class Tuner {
 public:
  Tuner(const KernelEnv& env, dnnl::stream& stream, const TuneOptions& options);
  ~Tuner();
  Tuner(const Tuner&) = delete;
  Tuner& operator=(const Tuner&) = delete;

  /// The kernel for `node_name` among `candidates` (non-empty), as the options say; fills *choice.
  /// have: the layouts the node's activation inputs are produced in; a src read in another layout costs a reorder
  /// (timed). takeover[i]: an in-place (sum) candidate can take over activation i's buffer (this node is its last
  /// reader); otherwise accumulating into it costs a copy into dst. Throws KernelError from candidate creation.
  std::unique_ptr<Kernel> choose(const std::string& node_name, const std::vector<KernelCandidate>& candidates,
                                 const std::vector<dnnl::memory::desc>& have, const std::vector<bool>& takeover,
                                 StepChoice* choice);

  /// Nodes whose cached choice was missing or not offered.
  int cache_misses() const { return misses_; }

  /// Median seconds of options.runs executions of `kernel` on scratch buffers (srcs filled with N(0, 1) values),
  /// after one warm-up; stops early, returning the first timed run, when that exceeds cutoff_s.
  double time_kernel(Kernel& kernel, double cutoff_s = std::numeric_limits<double>::infinity());

 private:
  double reorder_time(const dnnl::memory::desc& from, const dnnl::memory::desc& to);
  double layout_cost(const Kernel& kernel, const std::vector<dnnl::memory::desc>& have,
                     const std::vector<bool>& takeover);
  void* scratch(std::size_t slot, std::size_t bytes);

  const KernelEnv& env_;
  dnnl::stream& stream_;
  TuneOptions options_;
  int misses_ = 0;
  struct ReorderTiming {
    dnnl::memory::desc from, to;
    double time_s;
  };
  std::vector<ReorderTiming> reorders_;
  struct Slot {
    void* ptr = nullptr;
    std::size_t bytes = 0;
  };
  std::vector<Slot> slots_;
};

}  // namespace rs
