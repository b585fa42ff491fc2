#include "profiler/report/run_report.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "runtime/stats.h"

namespace rs {

std::vector<Column> run_op_columns() {
  using K = ColumnKind;
  return {{"index", "#", K::Count, 0, true},          {"name", "name", K::Text, 0, true},
          {"op", "op", K::Text, 0, true},             {"impl", "impl", K::Text, 0, true},
          {"runner_up", "runner-up", K::Text, 0, false}, {"runner_up_time_s", "runner-up time", K::Seconds, 3, false},
          {"layout", "dst layout", K::Text, 0, false}, {"output_shape", "output shape", K::Shape, 0, false},
          {"time_median_s", "median", K::Seconds, 3, true}, {"time_p90_s", "p90", K::Seconds, 3, false},
          {"time_cv", "CV", K::Real, 3, false},       {"share_percent", "%", K::Real, 1, true},
          {"flop_per_s", "attained", K::FlopPerS, 1, true}};
}

namespace {

nlohmann::json memory_json(const MemoryReport& mem) {
  return {{"arena_bytes", mem.arena_bytes},     {"lower_bound_bytes", mem.lower_bound_bytes},
          {"naive_bytes", mem.naive_bytes},     {"io_bytes", mem.io_bytes},
          {"weights_bytes", mem.weights_bytes}, {"planned_buffers", mem.buffers}};
}

std::string summary(const RunResult& r, const Stats& lat) {
  const int reorders = static_cast<int>(
      std::count_if(r.steps.begin(), r.steps.end(), [](const ExecStep& s) { return s.kind == OpKind::Reorder; }));
  const auto& mem = r.memory;
  const auto& p = r.passes;
  std::string s = fmt::format("model       {}, input {}\n", r.model, dims_str(r.input_dims));
  s += fmt::format("threads     {}\n", r.binding.describe());
  s += fmt::format("graph       {} ops{} + {} reorder(s) = {} steps\n", r.steps.size() - static_cast<std::size_t>(reorders),
                   !r.fused ? " (as written, --no-fuse)"
                            : " (" + p.describe() + ")",
                   reorders, r.steps.size());
  s += fmt::format("latency     median {:.3f} ms, p90 {:.3f} ms, min {:.3f} ms, CV {:.1f}% ({} runs after {} warm-up{})\n",
                   lat.median * 1e3, lat.p90 * 1e3, lat.min * 1e3, lat.cv * 100, r.e2e_s.size(), r.warmup,
                   r.per_op ? ", per-op timestamps on" : "");
  s += fmt::format("throughput  {:.1f} images/s\n", static_cast<double>(r.input_dims.at(0)) / lat.median);
  if (r.pool)
    s += fmt::format("memory      arena {} (liveness lower bound {}, naive sum of tensors {}), weights {}, inputs+outputs {}\n",
                     format_bytes(mem.arena_bytes), format_bytes(mem.lower_bound_bytes), format_bytes(mem.naive_bytes),
                     format_bytes(mem.weights_bytes), format_bytes(mem.io_bytes));
  else
    s += fmt::format("memory      no pool: {} allocated and freed per run (liveness lower bound {}), weights {}\n",
                     format_bytes(mem.naive_bytes), format_bytes(mem.lower_bound_bytes), format_bytes(mem.weights_bytes));
  return s;
}

std::string topk_text(const RunResult& r) {
  std::string s;
  for (std::size_t i = 0; i < r.topk.size(); ++i) {
    const auto& top = r.topk[i];
    s += fmt::format("\ntop-{} of output '{}', image {}:\n  rank  class      score  softmax\n", top.size(), r.output_name, i);
    for (std::size_t k = 0; k < top.size(); ++k)
      s += fmt::format("  {:4d}  {:5d}  {:9.4f}  {:7.4f}\n", k + 1, top[k].index, top[k].score, top[k].prob);
  }
  return s;
}

std::string text(const RunResult& r, const TableView& view) {
  const auto width = static_cast<std::size_t>(view.width > 0 ? view.width : terminal_width());
  const Stats lat = compute_stats(r.e2e_s);
  std::string s = wrap_lines(summary(r, lat), width, 12);
  if (r.per_op) {
    const double overhead_s = compute_stats(r.overhead_s).median;
    Table t = run_op_table(r);
    t.set_view(view);
    s += "\n" + t.render(Format::Table);
    s += wrap_lines(fmt::format("\nexecutor overhead (end-to-end - sum of op times): median {} per run, {} per step\n",
                                format_seconds(overhead_s), format_seconds(overhead_s / static_cast<double>(r.steps.size()))),
                    width, 2);
  }
  return s + topk_text(r);
}

nlohmann::json json(const RunResult& r) {
  const Stats lat = compute_stats(r.e2e_s);
  nlohmann::json j = {{"model", r.model},
                      {"input_dims", r.input_dims},
                      {"threads", r.binding.threads},
                      {"bound", r.binding.bound},
                      {"cpu_of_thread", r.binding.cpu_of_thread},
                      {"fused", r.fused},
                      {"bn_folded", r.passes.bn_folded},
                      {"scale_folded", r.passes.scale_folded},
                      {"post_ops_fused", r.passes.post_ops_fused},
                      {"silu_fused", r.passes.silu_fused},
                      {"tune", r.tune},
                      {"pool", r.pool},
                      {"iters", r.e2e_s.size()},
                      {"warmup", r.warmup},
                      {"min_time_s", r.min_time_s},
                      {"latency_median_s", lat.median},
                      {"latency_p90_s", lat.p90},
                      {"latency_min_s", lat.min},
                      {"latency_cv", lat.cv},
                      {"latency_runs_s", r.e2e_s},
                      {"throughput_images_per_s", static_cast<double>(r.input_dims.at(0)) / lat.median},
                      {"memory", memory_json(r.memory)}};
  if (r.per_op) {
    j["ops"] = run_op_table(r).to_json()["rows"];
    j["executor_overhead_median_s"] = compute_stats(r.overhead_s).median;
  }
  for (std::size_t i = 0; i < r.topk.size(); ++i)
    for (const auto& e : r.topk[i]) j["topk"][i].push_back({{"class", e.index}, {"score", e.score}, {"prob", e.prob}});
  return j;
}

}  // namespace

Table run_op_table(const RunResult& r) {
  Table t(run_op_columns());
  const double e2e_median_s = compute_stats(r.e2e_s).median;
  double sum_s = 0;
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const ExecStep& s = r.steps[i];
    const Stats st = compute_stats(r.step_s.at(i));
    sum_s += st.median;
    t.add_row({static_cast<std::int64_t>(i), s.name, s.label, s.impl, s.choice.runner_up,
               s.choice.runner_up.empty() ? Cell{} : s.choice.runner_up_time_s, s.dst_layout, shape_text(s.dst_dims),
               st.median, st.p90, st.cv, 100.0 * st.median / e2e_median_s,
               st.median > 0 ? static_cast<double>(s.cost.flops) / st.median : 0.0});
  }
  std::vector<Cell> totals(t.columns().size());
  totals[1] = std::string("sum of op medians");
  totals[t.column_index("time_median_s")] = sum_s;
  totals[t.column_index("share_percent")] = 100.0 * sum_s / e2e_median_s;
  t.set_totals(std::move(totals));
  return t;
}

std::vector<Format> RunReporter::formats() const { return {Format::Table, Format::Json}; }

std::string RunReporter::render(Format f) const {
  if (f == Format::Table) return text(r_, view_);
  if (f == Format::Json) return json(r_).dump(2) + "\n";
  unsupported("a run", f);
}

}  // namespace rs
