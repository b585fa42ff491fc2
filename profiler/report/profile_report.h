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

/// Per-op table with a totals row over ALL ops, in SI base units (seconds, FLOP/s, bytes/s). full = every schema
/// column (CSV/JSON/Markdown); otherwise only the compact ones (Column::compact: what the terminal shows by default).
Table profile_table(const ModelProfile& p, const std::vector<std::size_t>& order, bool full);

/// Every column of profile_table (full), for checking --columns before the work.
std::vector<Column> profile_columns();

/// The whole profile: {"schema": "roofscope.profile", "schema_version": 3, model, threads, input_dims, roofs,
/// machine_profile, e2e, estimates, memory, os_column, os_counter_source, warnings, columns, ops: [rows], totals:
/// {row}, diagnosis (diagnosis_json)}. Version 3: attained_flop_per_s / attained_byte_per_s in FLOP/s and bytes/s
/// (were attained_gflops_per_s / attained_gb_per_s), shapes as arrays of integers (were strings).
nlohmann::json profile_json(const ModelProfile& p, const std::vector<std::size_t>& order);

/// The human summary printed above the terminal table.
std::string profile_summary(const ModelProfile& p, const MachineProfile& machine);

/// Every output of `roofscope profile` for one profile: table (profile_summary, the diagnosis block and the terminal
/// table in the view, wrapped to its width), csv (the full schema table), md (the diagnosis block and the full
/// table), json (profile_json), svg (roofline_svg), html (html_report), trace
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
  /// The terminal table's columns and width (--columns, --wide, $COLUMNS).
  void set_view(TableView view) { view_ = std::move(view); }

 private:
  const ModelProfile& p_;
  const MachineProfile& machine_;
  std::vector<std::size_t> order_;
  SvgOptions svg_;
  bool csv_totals_ = false;
  TableView view_;
};

/// What fills the OS column, one sentence (also in --help and the README).
extern const char* const kOsColumnDoc;

}  // namespace rs
