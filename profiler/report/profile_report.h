// Tables and JSON of a ModelProfile: the documented schema of `roofscope profile --format csv|json|md`.
// Column keys carry their unit (`t_actual_median_s`, `attained_gflops_per_s`); NaN (unknown) is empty in CSV,
// null in JSON and "n/a" in tables.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "profiler/roofline/roofline.h"
#include "profiler/report/report.h"
#include "profiler/report/roofline_svg.h"

namespace rs {

enum class ProfileSort { Time, Loss, Efficiency, Flops };
/// "time" | "loss" | "efficiency" | "flops"; throws std::invalid_argument naming the accepted values.
ProfileSort parse_profile_sort(const std::string& name);

/// Indices of p.ops in display order: time (t_actual median, desc), loss (t_actual - best known roof, desc),
/// efficiency (asc, NaN last), flops (desc); the first `top` (0 = all).
std::vector<std::size_t> profile_order(const ModelProfile& p, ProfileSort sort, std::size_t top);

/// Per-op table with a totals row over ALL ops. full = every schema column (CSV/JSON/Markdown, seconds);
/// otherwise the terminal subset with times in milliseconds.
Table profile_table(const ModelProfile& p, const std::vector<std::size_t>& order, bool full);

/// The whole profile: {"schema": "roofscope.profile", "schema_version": 1, model, threads, input_dims, roofs,
/// e2e, estimates, memory, os_column, os_counter_source, warnings, ops: [rows], totals: {row}}.
nlohmann::json profile_json(const ModelProfile& p, const std::vector<std::size_t>& order);

/// The human summary printed above the terminal table.
std::string profile_summary(const ModelProfile& p, const MachineProfile& machine);

/// Every output of `roofscope profile` for one profile: table (profile_summary, a blank line, the terminal table),
/// csv and md (the full schema table), json (profile_json), svg (roofline_svg), html (html_report), trace
/// (chrome_trace). Rows in `order` (svg, html and trace show every op). Holds references: `p` and `machine` must
/// outlive it. Throws what the writers throw.
class ProfileReporter : public Reporter {
 public:
  ProfileReporter(const ModelProfile& p, const MachineProfile& machine, std::vector<std::size_t> order,
                  SvgOptions svg = {});
  std::vector<Format> formats() const override;
  std::string render(Format format) const override;
  /// CSV ends with the totals row (`--totals`); by default it holds only op rows.
  void set_csv_totals(bool include) { csv_totals_ = include; }

 private:
  const ModelProfile& p_;
  const MachineProfile& machine_;
  std::vector<std::size_t> order_;
  SvgOptions svg_;
  bool csv_totals_ = false;
};

/// What fills the OS column, one sentence (also in --help and the README).
extern const char* const kOsColumnDoc;

}  // namespace rs
