// Reporters of `roofscope experiment`: one arm table per experiment (through profiler/report.h Tables) plus its
// metrics, comparisons and verdict line, as terminal text, Markdown, CSV or JSON; the Markdown report of
// `experiment all`; and the roofline plot of an experiment's arms (profiler/roofline_svg.h).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "profiler/experiments/experiment.h"
#include "profiler/roofline/roofline.h"

namespace rs {

/// The arm table: arm, detail, impl, threads, ops, FLOPs, bytes, AI (FLOP/B), both roofline times, n, median and
/// 95% CI bounds, CI coverage, efficiency; then result.extra_columns. Times are seconds (keys `*_s`; CSV and JSON),
/// shown with their unit in each cell in the terminal table and Markdown (ColumnKind::Seconds).
Table experiment_table(const ExperimentResult& result);

/// One experiment. Table/Md: heading, advice, arm table, metrics, comparisons, notes and the verdict line.
/// Csv: experiments_csv({result}). Json: experiment_json.
std::string render_experiment(const ExperimentResult& result, Format format);

/// Plain CSV (no comment lines): header "experiment,verdict,<arm table keys>,<union of the extra columns>", then
/// one row per arm of every result. Advice, metrics, comparisons and explanations stay in table, Markdown and JSON.
std::string experiments_csv(const std::vector<ExperimentResult>& results);

/// {"name", "advice", "scale", "threads", "run": {...}, "ci": {"method", "confidence"}, "arms": Table::to_json(),
///  "metrics": [{"key", "label", "value", "unit"}], "comparisons": [{"a", "a_ci", "claim", "b", "b_ci", "unit",
///  "verdict"}], "notes": [...], "verdict", "explanation", "seconds"}; non-finite numbers are null.
nlohmann::json experiment_json(const ExperimentResult& result);

/// Several experiments: Table/Md blocks separated by a blank line; Csv one experiments_csv table; Json
/// {"experiments": [...]}.
std::string render_experiments(const std::vector<ExperimentResult>& results, Format format);

/// A ModelProfile whose ops are the arms (cost, median time, predictions with `roofs`), for roofline_svg().
ModelProfile arms_profile(const ExperimentResult& result, const Roofs& roofs);

/// What the `experiment all` report says about the run besides the results.
struct ReportHeader {
  std::string command;       ///< e.g. "roofscope experiment all --quick"
  std::string machine;       ///< e.g. "AMD EPYC, 2 physical cores"
  std::string date_utc;      ///< ISO 8601
  std::string load_before;   ///< /proc/loadavg 1/5/15-minute averages before and after the run
  std::string load_after;
  double seconds = 0;        ///< wall time of all experiments
  Roofs roofs;               ///< at the experiments' thread count
  /// Per result (same order): file name of its roofline SVG, relative to the report ("" = none).
  std::vector<std::string> plots;
};

/// The Markdown report "Does the advice hold here?": header, summary table (experiment, advice, verdict, why),
/// then one section per experiment (render_experiment as Markdown, plus its plot when given).
std::string markdown_report(const std::vector<ExperimentResult>& results, const ReportHeader& header);

/// `roofscope experiment`'s outputs: table, csv, json, md (render_experiments); with a header, md is the report of
/// `experiment all` (markdown_report). Holds references: `results` and `header` must outlive it.
class ExperimentReporter : public Reporter {
 public:
  explicit ExperimentReporter(const std::vector<ExperimentResult>& results, const ReportHeader* header = nullptr)
      : results_(results), header_(header) {}
  std::vector<Format> formats() const override;
  std::string render(Format format) const override;

 private:
  const std::vector<ExperimentResult>& results_;
  const ReportHeader* header_;
};

}  // namespace rs
