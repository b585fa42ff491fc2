// A Table of typed columns, a Reporter (profiler/report/reporter.h) rendered as a terminal table, CSV, JSON or
// Markdown. Values are stored in the unit the column key names (e.g. `time_median_s`, `bytes`); the terminal table
// and Markdown abbreviate (1.81G, 44.6MiB, seconds as milliseconds), CSV and JSON keep full precision.
#pragma once
#include <cstdint>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "graph/units.h"
#include "profiler/report/reporter.h"

namespace rs {

/// How a numeric column is shown in the terminal table and Markdown.
enum class ColumnKind {
  Text,
  Count,    ///< integer with SI suffix: 1.81G, 11.7M
  Bytes,    ///< binary units: 44.6MiB
  Real,     ///< fixed, `precision` decimals
  Seconds,  ///< stored in seconds (key ends in `_s`), shown in milliseconds with `precision` decimals
};

struct Column {
  std::string key;     ///< machine name with unit, e.g. "flops", "time_median_s" (CSV header, JSON key)
  std::string header;  ///< terminal/Markdown header, e.g. "FLOPs", "median ms"
  ColumnKind kind = ColumnKind::Text;
  int precision = 3;
};

using Cell = std::variant<std::monostate, std::string, std::int64_t, double>;

/// Rendered as table, csv, json or md.
class Table : public Reporter {
 public:
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}
  /// Appends a row; throws std::invalid_argument if it has a different number of cells than columns.
  void add_row(std::vector<Cell> cells);
  /// A totals row: shown after a rule in table/Markdown, as "totals" in JSON; in CSV only after
  /// set_csv_totals(true) (last row), so that by default a CSV holds only op rows.
  void set_totals(std::vector<Cell> cells);
  void set_csv_totals(bool include) { csv_totals_ = include; }
  const std::vector<Column>& columns() const { return columns_; }
  const std::vector<std::vector<Cell>>& rows() const { return rows_; }
  /// The totals row; empty when none was set.
  const std::vector<Cell>& totals() const { return totals_; }

  std::vector<Format> formats() const override;
  std::string render(Format format) const override;
  /// {"columns": [...keys...], "rows": [{key: value}...], "totals": {...}}
  nlohmann::json to_json() const;

 private:
  std::string render_text(bool markdown) const;
  std::string render_csv() const;
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
  std::vector<Cell> totals_;
  bool csv_totals_ = false;
};

/// Appends fmt-formatted text to `out` (the SVG and HTML writers build documents this way).
template <typename... Args>
void emit(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

}  // namespace rs
