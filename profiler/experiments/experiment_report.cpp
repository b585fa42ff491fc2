#include "profiler/experiments/experiment_report.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace rs {

namespace {

constexpr const char* kCiMethod =
    "order-statistic (binomial / sign-test) interval of the median: [x_(k), x_(n-k+1)], exact coverage "
    "1 - 2 P(Binomial(n, 1/2) <= k-1) >= 95%";

nlohmann::json number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

/// The arms' columns; the compact ones (the terminal's default set, fitted to its width) name the arm and its
/// median time with the 95% CI.
std::vector<Column> standard_columns() {
  return {{"arm", "arm", ColumnKind::Text, 0, true},
          {"detail", "detail", ColumnKind::Text, 0, true},
          {"impl", "impl", ColumnKind::Text, 0, true},
          {"threads", "thr", ColumnKind::Count, 0},
          {"ops", "ops", ColumnKind::Count, 0, true},
          {"flops", "FLOPs", ColumnKind::Flops, 1, true},
          {"bytes", "bytes", ColumnKind::Bytes, 0},
          {"ai_flop_per_byte", "AI", ColumnKind::Real, 2},
          {"t_roof_theoretical_s", "roof theo", ColumnKind::Seconds, 4},
          {"t_roof_measured_s", "roof meas", ColumnKind::Seconds, 4},
          {"t_roof_cache_s", "roof cache", ColumnKind::Seconds, 4},
          {"n", "runs", ColumnKind::Count, 0},
          {"time_median_s", "median", ColumnKind::Seconds, 4, true},
          {"time_ci95_lo_s", "CI95 lo", ColumnKind::Seconds, 4, true},
          {"time_ci95_hi_s", "CI95 hi", ColumnKind::Seconds, 4, true},
          {"ci_coverage", "cover", ColumnKind::Real, 3},
          {"efficiency", "eff", ColumnKind::Real, 3},
          {"efficiency_cache", "eff cache", ColumnKind::Real, 3, true}};
}

std::string metric_value(const Metric& m) {
  return format_in_unit(m.value, m.unit);
}

/// Heading, advice, table, metrics, comparisons, notes, verdict: the terminal and Markdown view of one experiment.
std::string text_view(const ExperimentResult& r, bool md) {
  std::string out;
  const std::string bullet = md ? "- " : "  ";
  out += md ? fmt::format("### {}\n\n> {}\n\n", r.name, r.advice)
            : fmt::format("== {} ==\nadvice: {}\n\n", r.name, r.advice);
  out += experiment_table(r).render(md ? Format::Md : Format::Table) + "\n";
  if (!r.metrics.empty()) {
    out += md ? "Metrics:\n\n" : "metrics:\n";
    for (const Metric& m : r.metrics) out += fmt::format("{}{}: {}\n", bullet, m.label, metric_value(m));
    out += "\n";
  }
  if (!r.comparisons.empty()) {
    out += md ? "Comparisons (95% CIs of the median):\n\n" : "comparisons (95% CIs of the median):\n";
    for (const Comparison& c : r.comparisons) out += bullet + c.text() + "\n";
    out += "\n";
  }
  for (const std::string& n : r.notes) out += fmt::format("{}{}\n", md ? "*Note:* " : "note: ", n) + (md ? "\n" : "");
  out += md ? fmt::format("**Verdict: {}.** {}\n", verdict_name(r.verdict), r.explanation)
            : fmt::format("verdict: {} - {}\n", verdict_name(r.verdict), r.explanation);
  out += fmt::format(md ? "\n*{} scale, {} thread(s), {:.1f} s.*\n" : "({} scale, {} thread(s), {:.1f} s)\n",
                     scale_name(r.scale), r.threads, r.seconds);
  return out;
}

}  // namespace

/// Plain CSV: a header, then one row per arm of every experiment, each led by its experiment and verdict; the extra
/// columns are the union over the experiments (empty where an experiment has none). Advice, metrics, comparisons
/// and the explanation stay in the table, Markdown and JSON.
std::string experiments_csv(const std::vector<ExperimentResult>& results) {
  std::vector<Column> cols = {{"experiment", "experiment"}, {"verdict", "verdict"}};
  for (const Column& c : standard_columns()) cols.push_back(c);
  for (const ExperimentResult& r : results)
    for (const Column& c : r.extra_columns) {
      bool seen = false;
      for (const Column& have : cols) seen = seen || have.key == c.key;
      if (!seen) cols.push_back(c);
    }
  Table out(cols);
  for (const ExperimentResult& r : results) {
    const Table t = experiment_table(r);
    for (const auto& row : t.rows()) {
      std::vector<Cell> cells(cols.size());
      cells[0] = r.name;
      cells[1] = std::string(verdict_name(r.verdict));
      for (std::size_t i = 0; i < row.size(); ++i)
        for (std::size_t k = 2; k < cols.size(); ++k)
          if (cols[k].key == t.columns()[i].key) cells[k] = row[i];
      out.add_row(std::move(cells));
    }
  }
  return out.render(Format::Csv);
}

namespace {

nlohmann::json interval_json(const Interval& i) { return {number(i.lo), number(i.hi)}; }

}  // namespace

Table experiment_table(const ExperimentResult& r) {
  std::vector<Column> cols = standard_columns();
  cols.insert(cols.end(), r.extra_columns.begin(), r.extra_columns.end());
  Table t(cols);
  for (const ArmResult& a : r.arms) {
    std::vector<Cell> row = {a.name,
                             a.detail,
                             a.impl,
                             std::int64_t{a.threads},
                             std::int64_t{a.ops},
                             a.cost.flops,
                             a.cost.bytes,
                             a.cost.intensity(),
                             a.t_roof_theoretical_s,
                             a.t_roof_measured_s,
                             a.t_roof_cache_s,
                             std::int64_t{a.ci.n},
                             a.stats.median,
                             a.ci.interval.lo,
                             a.ci.interval.hi,
                             a.ci.coverage,
                             a.efficiency,
                             a.efficiency_cache};
    for (std::size_t i = 0; i < r.extra_columns.size(); ++i)
      row.push_back(i < a.extra.size() ? a.extra[i] : Cell{});
    t.add_row(std::move(row));
  }
  return t;
}

nlohmann::json experiment_json(const ExperimentResult& r) {
  nlohmann::json j;
  j["name"] = r.name;
  j["advice"] = r.advice;
  j["scale"] = scale_name(r.scale);
  j["threads"] = r.threads;
  j["run"] = {{"warmup", r.run.warmup}, {"reps", r.run.reps}, {"min_time_s", r.run.min_time_s},
              {"max_reps", r.run.max_reps}};
  j["ci"] = {{"method", kCiMethod}, {"confidence", 0.95}};
  j["arms"] = experiment_table(r).to_json();
  j["metrics"] = nlohmann::json::array();
  for (const Metric& m : r.metrics)
    j["metrics"].push_back({{"key", m.key}, {"label", m.label}, {"value", number(m.value)}, {"unit", m.unit}});
  j["comparisons"] = nlohmann::json::array();
  for (const Comparison& c : r.comparisons)
    j["comparisons"].push_back({{"a", c.a_label}, {"a_ci", interval_json(c.a)}, {"claim", direction_symbol(c.claim)},
                                {"b", c.b_label}, {"b_ci", interval_json(c.b)}, {"unit", c.unit},
                                {"verdict", verdict_name(c.verdict)}});
  j["notes"] = r.notes;
  j["verdict"] = verdict_name(r.verdict);
  j["explanation"] = r.explanation;
  j["seconds"] = number(r.seconds);
  return j;
}

std::string render_experiment(const ExperimentResult& r, Format f) {
  switch (f) {
    case Format::Table: return text_view(r, false);
    case Format::Md: return text_view(r, true);
    case Format::Csv: return experiments_csv({r});
    case Format::Json: return experiment_json(r).dump(2) + "\n";
    default: break;
  }
  throw std::invalid_argument(fmt::format("an experiment cannot be rendered as {} (supported: table, csv, json, md)",
                                          format_name(f)));
}

std::string render_experiments(const std::vector<ExperimentResult>& results, Format f) {
  if (f == Format::Json) {
    nlohmann::json j = {{"experiments", nlohmann::json::array()}};
    for (const ExperimentResult& r : results) j["experiments"].push_back(experiment_json(r));
    return j.dump(2) + "\n";
  }
  if (f == Format::Csv) return experiments_csv(results);
  std::string out;
  for (std::size_t i = 0; i < results.size(); ++i) out += (i ? "\n" : "") + render_experiment(results[i], f);
  return out;
}

ModelProfile arms_profile(const ExperimentResult& r, const Roofs& roofs) {
  ModelProfile p;
  p.model = r.name;
  p.threads = roofs.threads;
  p.roofs = roofs;
  for (const ArmResult& a : r.arms) {
    OpProfile op;
    op.name = a.name;
    op.label = a.detail;
    op.impl = a.impl;
    op.kind = a.kind;
    op.cost = a.cost;
    op.t_actual_s = a.stats;
    op.t_shields_off_median_s = std::nan("");
    predict(op, roofs);
    // An arm may be several ops: its roofline time is the sum over its ops, not the roofline of the summed cost.
    op.t_roof_theoretical_s = a.t_roof_theoretical_s;
    op.t_roof_measured_s = a.t_roof_measured_s;
    op.t_roof_cache_s = a.t_roof_cache_s;
    attribute(op, roofs);
    p.sum_op_median_s += a.stats.median;
    p.total_cost += a.cost;
    p.ops.push_back(std::move(op));
  }
  return p;
}

std::string markdown_report(const std::vector<ExperimentResult>& results, const ReportHeader& h) {
  std::string out = "## Does the advice hold here?\n\n";
  out += fmt::format("`{}` on {}, {} UTC. Load average (1/5/15 min) before: {}; after: {}. Total time {:.0f} s.\n\n",
                     h.command, h.machine, h.date_utc, h.load_before, h.load_after, h.seconds);
  out += fmt::format("Machine profile: {}. ", h.roofs.provenance.describe());
  out += fmt::format("Roofs at {} thread(s) (calibrated): peak {:.1f} GFLOP/s, DRAM {:.1f} GB/s, ridge {:.2f} "
                     "FLOP/B. Times are medians with 95% order-statistic confidence intervals; a verdict is "
                     "\"inconclusive\" when the intervals it rests on overlap.\n\n",
                     h.roofs.threads, h.roofs.peak_measured_gflops_per_s, h.roofs.dram_measured_gb_per_s,
                     h.roofs.ridge_measured_flop_per_byte());
  out += "| # | experiment | advice | verdict | why |\n|---:|---|---|---|---|\n";
  for (std::size_t i = 0; i < results.size(); ++i)
    out += fmt::format("| {} | {} | {} | **{}** | {} |\n", i + 1, results[i].name, results[i].advice,
                       verdict_name(results[i].verdict), results[i].explanation);
  for (std::size_t i = 0; i < results.size(); ++i) {
    out += "\n" + render_experiment(results[i], Format::Md);
    if (i < h.plots.size() && !h.plots[i].empty())
      out += fmt::format("\n![roofline of the {} arms]({})\n", results[i].name, h.plots[i]);
  }
  return out;
}

std::vector<Format> ExperimentReporter::formats() const {
  return {Format::Table, Format::Csv, Format::Json, Format::Md};
}

std::string ExperimentReporter::render(Format f) const {
  if (f == Format::Md && header_) return markdown_report(results_, *header_);
  if (f == Format::Table || f == Format::Csv || f == Format::Json || f == Format::Md)
    return render_experiments(results_, f);
  unsupported("experiment results", f);
}

}  // namespace rs
