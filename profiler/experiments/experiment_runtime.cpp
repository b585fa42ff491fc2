// Runtime-option experiments (seed 001 §III.2, the OS's share): a pre-faulted memory pool vs allocation per run,
// and pinned vs unpinned threads. Same graph and executor code in both arms; only the option differs.
#include <numeric>

#include <fmt/format.h>

#include "models/zoo.h"
#include "profiler/experiments/experiment_defs.h"

namespace rs::experiment_set {

namespace {

constexpr const char* kModel = "resnet18";

Graph model_graph(Scale s) {
  ModelOptions o;
  o.size = by_scale(s, 32, 128, 224);
  return build_model(kModel, o);
}

std::string model_detail(Scale s, const char* option) {
  const int size = by_scale(s, 32, 128, 224);
  return fmt::format("{} [1, 3, {}, {}], {}", kModel, size, size, option);
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

ArmSpec counted(ArmSpec a) {
  a.count_os = true;
  return a;
}

}  // namespace

Experiment memory_pool() {
  Experiment e;
  e.name = "memory-pool";
  e.advice = "Memory handed out fresh by the OS page-faults on first touch; a memory pool, pre-faulted once, avoids "
             "those faults and their time (seed 001 §III.2)";
  e.arms = [](const ExperimentContext& ctx) {
    ArmSpec pool = counted(graph_arm("pool", model_detail(ctx.scale, "pre-faulted arena"), model_graph(ctx.scale)));
    ArmSpec fresh =
        counted(graph_arm("no pool", model_detail(ctx.scale, "mmap + munmap per tensor per run"), model_graph(ctx.scale)));
    fresh.exec.pool = false;
    return std::vector<ArmSpec>{std::move(pool), std::move(fresh)};
  };
  e.analyze = [](const ExperimentContext&, ExperimentResult& r) {
    add_count_columns(r);
    const ArmResult& pool = arm(r, "pool");
    const ArmResult& fresh = arm(r, "no pool");
    r.comparisons.push_back(compare("t(pool)", time_ms(pool), Direction::Less, "t(no pool)", time_ms(fresh), "ms"));
    r.notes.push_back("OS counts are per run of the OpenMP threads (perf_event_open), n/a when no counter source "
                      "could be opened.");
    decide(r, fmt::format("The pool takes {} page faults per run vs {} without it, and {:.3f} ms vs {:.3f} ms "
                          "({} of the no-pool time).",
                          fixed(mean_count(pool, &OsCounts::page_faults), 1),
                          fixed(mean_count(fresh, &OsCounts::page_faults), 1),
                          pool.stats.median * 1e3, fresh.stats.median * 1e3,
                          percent(pool.stats.median / fresh.stats.median)));
  };
  return e;
}

Experiment thread_binding() {
  Experiment e;
  e.name = "thread-binding";
  e.advice = "Binding threads to cores avoids the scheduler's migrations, and with them time and variance "
             "(seed 001 §III.2)";
  e.arms = [](const ExperimentContext& ctx) {
    ArmSpec pinned = counted(graph_arm("pinned", model_detail(ctx.scale, "threads pinned one per core"),
                                       model_graph(ctx.scale)));
    ArmSpec unpinned = counted(graph_arm("unpinned", model_detail(ctx.scale, "OS placement"), model_graph(ctx.scale)));
    unpinned.bind = false;
    return std::vector<ArmSpec>{std::move(pinned), std::move(unpinned)};
  };
  e.analyze = [](const ExperimentContext&, ExperimentResult& r) {
    add_count_columns(r);
    const ArmResult& pinned = arm(r, "pinned");
    const ArmResult& unpinned = arm(r, "unpinned");
    r.comparisons.push_back(
        compare("t(pinned)", time_ms(pinned), Direction::Less, "t(unpinned)", time_ms(unpinned), "ms"));
    r.notes.push_back("Both arms use the same executor options; the binding is switched before each run of an arm, "
                      "runs alternate between the arms.");
    decide(r, fmt::format("Pinned: {:.3f} ms (CV {}, {} migrations/run); unpinned: {:.3f} ms (CV {}, {} "
                          "migrations/run).",
                          pinned.stats.median * 1e3, percent(pinned.stats.cv),
                          fixed(mean_count(pinned, &OsCounts::migrations), 2), unpinned.stats.median * 1e3,
                          percent(unpinned.stats.cv), fixed(mean_count(unpinned, &OsCounts::migrations), 2)));
  };
  return e;
}

}  // namespace rs::experiment_set
