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

/// How a numeric column is shown in the terminal table, Markdown and HTML (format_value). Values are stored in the
/// SI base unit of the kind; the human form carries its unit in the cell.
enum class ColumnKind {
  Text,
  Count,        ///< integer with SI suffix: 1.81G, 11.7M
  Bytes,        ///< bytes, binary units: 44.6 MiB
  Real,         ///< fixed, `precision` decimals (ratios, CVs, percentages)
  Seconds,      ///< seconds (key ends in `_s`), auto unit: 12.3 ms, 450 µs (format_seconds)
  Flops,        ///< FLOP: 3.63 GFLOP
  FlopPerS,     ///< FLOP/s (key ends in `_flop_per_s`): 10.2 GFLOP/s
  BytesPerS,    ///< bytes/s (key ends in `_byte_per_s`), SI prefixes: 24.7 GB/s
  FlopPerByte,  ///< arithmetic intensity: 12.3 FLOP/B
  Shape,        ///< a text cell holding dims as a JSON array, "[1, 64, 112, 112]" (or an array of them): shown as
                ///< is, an array of integers in JSON
};

/// "[1, 64, 112, 112]": every dim (no elision), the text of a ColumnKind::Shape cell.
std::string shape_text(const std::vector<std::int64_t>& dims);

/// The human form of `x` (in the kind's SI base unit): the graph/units.h formatter of `kind`; Real with `precision`
/// decimals; Text (a number in a text column) with precision + 3 significant digits. "n/a" for NaN or inf.
std::string format_value(ColumnKind kind, double x, int precision);

struct Column {
  std::string key;     ///< machine name with unit, e.g. "flops", "time_median_s" (CSV header, JSON key)
  std::string header;  ///< terminal/Markdown header, e.g. "FLOPs", "median" (the unit is in each cell)
  ColumnKind kind = ColumnKind::Text;
  int precision = 3;   ///< decimals of a Real column
  bool compact = false;  ///< in the terminal table's default set (TableView); a table with none shows every column
};

using Cell = std::variant<std::monostate, std::string, std::int64_t, double>;

/// Which columns the terminal table shows, and the width it fits (`--columns`, `--wide`, $COLUMNS). Markdown, CSV
/// and JSON always hold every column, names in full.
struct TableView {
  bool wide = false;                 ///< every column, names in full (--wide)
  std::vector<std::string> columns;  ///< non-empty: these keys in this order (--columns); fitted to `width`
  int width = 0;                     ///< line width to fit, in display columns; 0 = terminal_width()
};

/// $COLUMNS when it is an integer in [40, 1000], else 100: the width terminal tables and summaries fit.
int terminal_width();
/// Display columns of UTF-8 text: its code points (the tables hold no double-width characters).
std::size_t display_width(const std::string& text);
/// `text` cut from the middle to `width` display columns with "…" ("features.1…conv.0"); as is when it fits.
std::string shorten_middle(const std::string& text, std::size_t width);
/// Every line of `text` longer than `width` display columns broken at spaces, each continuation indented by
/// `indent` spaces (summary lines "label      value..." keep their value column). A word longer than a line stays
/// whole.
std::string wrap_lines(const std::string& text, std::size_t width, std::size_t indent);
/// Throws std::invalid_argument "unknown column 'x' (the columns: a, b, ...)" unless every key names one of
/// `columns`: checks --columns before the work.
void check_column_keys(const std::vector<Column>& columns, const std::vector<std::string>& keys);

/// Rendered as table (the view's columns, text columns shortened from the middle to fit), csv, json or md.
class Table : public Reporter {
 public:
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}
  /// Appends a row; throws std::invalid_argument if it has a different number of cells than columns.
  void add_row(std::vector<Cell> cells);
  /// A totals row: shown after a rule in table/Markdown, as "totals" in JSON; in CSV only after
  /// set_csv_totals(true) (last row), so that by default a CSV holds only op rows.
  void set_totals(std::vector<Cell> cells);
  void set_csv_totals(bool include) { csv_totals_ = include; }
  /// What the terminal table shows (default: the compact columns fitted to terminal_width()).
  void set_view(TableView view) { view_ = std::move(view); }
  const std::vector<Column>& columns() const { return columns_; }
  /// The index of the column `key`; throws std::invalid_argument naming the keys when there is none.
  std::size_t column_index(const std::string& key) const;
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
  /// Indices of the columns the terminal table (all of them in Markdown) shows.
  std::vector<std::size_t> shown(bool markdown) const;
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
  std::vector<Cell> totals_;
  bool csv_totals_ = false;
  TableView view_;
};

/// Appends fmt-formatted text to `out` (the SVG and HTML writers build documents this way).
template <typename... Args>
void emit(std::string& out, fmt::format_string<Args...> f, Args&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
}

}  // namespace rs
