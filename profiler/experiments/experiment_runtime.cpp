// Runtime-option experiments (seed 001 §III.2, the OS's share): a pre-faulted memory pool vs allocation per run,
// and pinned vs unpinned threads. Same graph and executor code in both arms; only the option differs.
#include <numeric>

#include <fmt/format.h>

#include "models/zoo.h"
#include "profiler/experiments/experiment_defs.h"

namespace rs::experiment_set {

namespace {

constexpr const char* kModel = "resnet18";

/// An end-to-end arm `name` of the model at the scale's input size, counting OS events; `option` describes the
/// runtime option it runs with (detail "resnet18 [1, 3, 224, 224], <option>").
ArmSpec model_arm(Scale s, const char* name, const char* option) {
  ModelOptions o;
  o.size = by_scale(s, 32, 128, 224);
  ArmSpec a = graph_arm(name, fmt::format("{} [1, 3, {}, {}], {}", kModel, o.size, o.size, option),
                        build_model(kModel, o));
  a.count_os = true;
  return a;
}

/// Mean over runs of one OS counter (NaN when not counted).
double mean_count(const ArmResult& a, double OsCounts::*field) {
  if (a.counts.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (const OsCounts& c : a.counts) sum += c.*field;
  return sum / static_cast<double>(a.counts.size());
}

void add_count_columns(ExperimentResult& r) {
  add_column(r, {"page_faults_per_run", "faults/run", ColumnKind::Real, 1},
             [](const ArmResult& a) -> Cell { return mean_count(a, &OsCounts::page_faults); });
  add_column(r, {"context_switches_per_run", "ctx sw/run", ColumnKind::Real, 2},
             [](const ArmResult& a) -> Cell { return mean_count(a, &OsCounts::context_switches); });
  add_column(r, {"migrations_per_run", "migr/run", ColumnKind::Real, 2},
             [](const ArmResult& a) -> Cell { return mean_count(a, &OsCounts::migrations); });
  add_column(r, {"cv", "CV", ColumnKind::Real, 3}, [](const ArmResult& a) -> Cell { return a.stats.cv; });
}

/// One arm of a runtime-option experiment: its name and the option it runs with, for its detail.
struct OptionArm {
  const char* name;
  const char* option;
};

/// A runtime-option experiment: arms `on` and `off` of the model (off: `switch_off` applied), both counting OS
/// events; analyze adds the OS count columns and the comparison t(on) < t(off), then `explain` adds the notes and
/// decides from the two measured arms.
Experiment option_experiment(std::string name, std::string advice, OptionArm on, OptionArm off,
                             void (*switch_off)(ArmSpec&),
                             void (*explain)(const ArmResult& on, const ArmResult& off, ExperimentResult& r)) {
  Experiment e;
  e.name = std::move(name);
  e.advice = std::move(advice);
  e.arms = [on, off, switch_off](const ExperimentContext& ctx) {
    ArmSpec a = model_arm(ctx.scale, on.name, on.option);
    ArmSpec b = model_arm(ctx.scale, off.name, off.option);
    switch_off(b);
    return std::vector<ArmSpec>{std::move(a), std::move(b)};
  };
  e.analyze = [on, off, explain](const ExperimentContext&, ExperimentResult& r) {
    add_count_columns(r);
    r.comparisons.push_back(faster(r, on.name, off.name));
    explain(arm(r, on.name), arm(r, off.name), r);
  };
  return e;
}

}  // namespace

Experiment memory_pool() {
  return option_experiment(
      "memory-pool",
      "Memory handed out fresh by the OS page-faults on first touch; a memory pool, pre-faulted once, avoids those "
      "faults and their time (seed 001 §III.2)",
      {"pool", "pre-faulted arena"}, {"no pool", "mmap + munmap per tensor per run"},
      [](ArmSpec& a) { a.exec.pool = false; },
      [](const ArmResult& pool, const ArmResult& fresh, ExperimentResult& r) {
        r.notes.push_back("OS counts are per run of the OpenMP threads (perf_event_open), n/a when no counter source "
                          "could be opened.");
        decide(r, fmt::format("The pool takes {} page faults per run vs {} without it, and {:.3f} ms vs {:.3f} ms "
                              "({} of the no-pool time).",
                              fixed(mean_count(pool, &OsCounts::page_faults), 1),
                              fixed(mean_count(fresh, &OsCounts::page_faults), 1), pool.stats.median * 1e3,
                              fresh.stats.median * 1e3, percent(pool.stats.median / fresh.stats.median)));
      });
}

Experiment thread_binding() {
  return option_experiment(
      "thread-binding",
      "Binding threads to cores avoids the scheduler's migrations, and with them time and variance "
      "(seed 001 §III.2)",
      {"pinned", "threads pinned one per core"}, {"unpinned", "OS placement"}, [](ArmSpec& a) { a.bind = false; },
      [](const ArmResult& pinned, const ArmResult& unpinned, ExperimentResult& r) {
        r.notes.push_back("Both arms use the same executor options; the binding is switched before each run of an "
                          "arm, runs alternate between the arms.");
        decide(r, fmt::format("Pinned: {:.3f} ms (CV {}, {} migrations/run); unpinned: {:.3f} ms (CV {}, {} "
                              "migrations/run).",
                              pinned.stats.median * 1e3, percent(pinned.stats.cv),
                              fixed(mean_count(pinned, &OsCounts::migrations), 2), unpinned.stats.median * 1e3,
                              percent(unpinned.stats.cv), fixed(mean_count(unpinned, &OsCounts::migrations), 2)));
      });
}

}  // namespace rs::experiment_set
