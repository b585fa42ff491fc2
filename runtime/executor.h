// The executor: compiles an optimized graph into a list of timed steps (oneDNN kernels plus the reorders between
// them), plans their memory into one arena, and runs them many times. Phases (STYLE.md §1): construction creates
// every primitive, reorders weights, plans and pre-faults the arena; run() only executes.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "graph/cost.h"
#include "graph/graph.h"
#include "kernels/kernel.h"
#include "runtime/mapping.h"
#include "runtime/planner.h"
#include "runtime/step_report.h"
#include "runtime/tuner.h"

namespace rs {

struct ExecOptions {
  /// true: every intermediate tensor and scratchpad lives at a planned offset of one pre-faulted arena (a
  /// page-aligned mapping, runtime/mapping.h). false (`--no-pool`): each is mmap'ed fresh and unmapped on every run,
  /// so every first touch of a page faults, as with an allocator that gives memory back to the OS (the cost a pool
  /// avoids). Graph inputs and outputs are the user's tensors and stay mapped in both modes.
  bool pool = true;
  /// Kernel selection (runtime/tuner.h): off by default (oneDNN's first choice per node); the CLI tunes on first
  /// use and reuses the choices from its tuning cache after.
  TuneOptions tuning;
};

class Executor {
 public:
  /// graph: live nodes in topological order with shapes inferred (e.g. after optimize()). Thread count must be set
  /// (bind_threads) before: oneDNN fixes its parallelization at primitive creation.
  /// Throws KernelError/GraphError naming the node that cannot be compiled.
  explicit Executor(Graph graph, ExecOptions options = {});
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  const Graph& graph() const { return graph_; }
  const std::vector<ExecStep>& steps() const { return steps_; }
  const MemoryReport& memory() const { return memory_; }
  const std::vector<UsageRecord>& usage_records() const { return records_; }
  const ExecOptions& options() const { return options_; }
  /// Nodes whose cached kernel choice (ExecOptions::tuning.cached) was missing or is no longer offered.
  int tuning_cache_misses() const { return tuning_misses_; }
  /// Node name -> how its kernel was chosen, for every node with more than one candidate (what a tuning cache
  /// stores).
  std::map<std::string, StepChoice> choices() const;

  /// Copies t (plain NCHW) into graph input i. Throws std::invalid_argument if dims differ.
  void set_input(std::size_t i, const HostTensor& t);
  /// Graph output i after run(), plain layout.
  HostTensor output(std::size_t i) const;

  /// The kernel of step i and the stream the executor runs on, for benchmarks that execute the same primitives
  /// without the executor (bench/bench_executor.cpp).
  Kernel& kernel(std::size_t step) { return *bindings_.at(step).kernel; }
  dnnl::stream& stream() { return stream_; }

  /// Called after step i completed and was timestamped (e.g. to read OS counters); its own time is excluded from
  /// every step time and from the end-to-end time. Only called when step times are recorded.
  using StepHook = std::function<void(std::size_t step)>;

  /// One inference. If step_time_s is non-null it receives seconds per step (steps() order), from a monotonic
  /// timestamp taken after each primitive completes. Returns end-to-end seconds of the whole run. Throws
  /// MappingError when --no-pool cannot map a tensor; an exception from a kernel or after_step propagates, with
  /// this run's --no-pool tensors unmapped.
  double run(std::vector<double>* step_time_s = nullptr, const StepHook& after_step = {});

 private:
  struct Buffer {
    dnnl::memory::desc desc;
    std::int64_t bytes = 0;
    int record = -1;      ///< index into records_ (planned buffers), -1 for graph inputs/outputs
    int alias = -1;       ///< buffer whose storage this one takes over in place (its record aliases that one's)
    void* ptr = nullptr;  ///< current storage
  };
  struct Binding {
    std::unique_ptr<Kernel> kernel;
    std::vector<int> src, dst;  ///< buffer ids
    int scratch = -1;           ///< buffer id or -1
  };

  void compile();
  int add_buffer(const dnnl::memory::desc& desc, const std::string& name, bool planned);
  int buffer_in_layout(int value_id, const dnnl::memory::desc& want);
  int add_reorder(int src, int dst, const std::string& name, const Value& v);
  /// Node `node_id` may accumulate into value_id's buffer in place: it is that value's last reader, and neither is a
  /// graph input, output or constant.
  bool can_take_over(int value_id, int node_id) const;
  int inplace_dst(int node_id, int residual, const dnnl::memory::desc& desc, bool* taken_over);
  void add_step(ExecStep step, Binding binding);
  void use(int buffer, int step);
  void plan_and_bind();
  /// Throws std::runtime_error with the figures when the plan needs more than memory_budget_bytes(), before mapping.
  void check_planned_memory(const MemoryPlan& plan) const;
  void bind_all();
  /// --no-pool: maps every planned buffer that is no alias afresh into `fresh` (their owner), points the aliases at
  /// their targets, binds the kernels. Fresh pages fault on every first touch, as with an allocator that returns
  /// memory to the OS between runs (glibc's malloc would keep it after the first free, hiding the cost). Throws
  /// MappingError (what is already mapped stays owned by `fresh`).
  void map_fresh(std::vector<Mapping>& fresh);

  Graph graph_;
  ExecOptions options_;
  KernelEnv env_;
  dnnl::stream stream_;
  std::vector<ExecStep> steps_;
  std::vector<Binding> bindings_;
  std::vector<Buffer> buffers_;
  std::vector<UsageRecord> records_;
  std::vector<std::vector<int>> value_buffers_;  ///< per value: its buffers (first = as produced, then reordered)
  std::vector<int> input_buffers_, output_buffers_;
  MemoryReport memory_;
  int tuning_misses_ = 0;
  Mapping arena_;             ///< pool: every planned buffer (empty without the pool)
  std::vector<Mapping> io_;   ///< the graph inputs' and outputs' buffers
};

}  // namespace rs
