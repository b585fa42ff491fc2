#include "profiler/report/report.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace rs {

void Table::add_row(std::vector<Cell> cells) {
  if (cells.size() != columns_.size())
    throw std::invalid_argument(fmt::format("table row has {} cells for {} columns", cells.size(), columns_.size()));
  rows_.push_back(std::move(cells));
}

void Table::set_totals(std::vector<Cell> cells) {
  if (cells.size() != columns_.size())
    throw std::invalid_argument(fmt::format("totals row has {} cells for {} columns", cells.size(), columns_.size()));
  totals_ = std::move(cells);
}

std::string format_value(ColumnKind kind, double x, int precision) {
  if (!std::isfinite(x)) return "n/a";
  switch (kind) {
    case ColumnKind::Count: return si_count(x);
    case ColumnKind::Bytes: return format_bytes(x);
    case ColumnKind::Real: return fmt::format("{:.{}f}", x, precision);
    case ColumnKind::Seconds: return format_seconds(x);
    case ColumnKind::Flops: return format_flops(x);
    case ColumnKind::FlopPerS: return format_flop_per_s(x);
    case ColumnKind::BytesPerS: return format_bytes_per_s(x);
    case ColumnKind::FlopPerByte: return format_flop_per_byte(x);
    case ColumnKind::Text:
    case ColumnKind::Shape: break;
  }
  return fmt::format("{:.{}g}", x, precision + 3);
}

std::string shape_text(const std::vector<std::int64_t>& dims) { return fmt::format("[{}]", fmt::join(dims, ", ")); }

int terminal_width() {
  const char* env = std::getenv("COLUMNS");
  if (env == nullptr) return 100;
  char* end = nullptr;
  const long n = std::strtol(env, &end, 10);
  return end != env && *end == '\0' && n >= 40 && n <= 1000 ? static_cast<int>(n) : 100;
}

namespace {
/// Byte offsets where the UTF-8 code points of `s` start.
std::vector<std::size_t> code_points(const std::string& s) {
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at.push_back(i);
  return at;
}
}  // namespace

std::size_t display_width(const std::string& text) { return code_points(text).size(); }

std::string shorten_middle(const std::string& text, std::size_t width) {
  const std::vector<std::size_t> at = code_points(text);
  if (at.size() <= width) return text;
  if (width == 0) return "";
  const std::size_t head = width / 2, tail = width - 1 - head;  // code points kept either side of the "…"
  return text.substr(0, at[head]) + "…" + text.substr(at[at.size() - tail]);
}

std::string wrap_lines(const std::string& text, std::size_t width, std::size_t indent) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (display_width(line) > width) {
      const std::vector<std::size_t> at = code_points(line);
      std::size_t cut = line.rfind(' ', at[width]);
      if (cut == std::string::npos || cut <= indent) cut = line.find(' ', at[width]);
      if (cut == std::string::npos) break;
      out += line.substr(0, cut) + "\n";
      const std::size_t next = line.find_first_not_of(' ', cut);
      line = std::string(indent, ' ') + (next == std::string::npos ? std::string() : line.substr(next));
    }
    out += line;
    if (end < text.size()) out += "\n";
    start = end + 1;
  }
  return out;
}

void check_column_keys(const std::vector<Column>& columns, const std::vector<std::string>& keys) {
  const Table t(columns);
  for (const std::string& k : keys) t.column_index(k);
}

std::size_t Table::column_index(const std::string& key) const {
  std::string keys;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].key == key) return i;
    keys += (i ? ", " : "") + columns_[i].key;
  }
  throw std::invalid_argument(fmt::format("unknown column '{}' (the columns: {})", key, keys));
}

namespace {

double as_double(const Cell& c) {
  if (auto* i = std::get_if<std::int64_t>(&c)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&c)) return *d;
  return 0;
}

std::string human(const Column& col, const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return "";
  if (auto* s = std::get_if<std::string>(&c)) return *s;
  if ((col.kind == ColumnKind::Text || col.kind == ColumnKind::Shape) && std::holds_alternative<std::int64_t>(c))
    return std::to_string(std::get<std::int64_t>(c));
  return format_value(col.kind, as_double(c), col.precision);
}

std::string exact(const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return "";
  if (auto* s = std::get_if<std::string>(&c)) return *s;
  if (auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
  const double d = std::get<double>(c);
  return std::isfinite(d) ? fmt::format("{:.9g}", d) : "nan";
}

nlohmann::json to_json_value(const Column& col, const Cell& c) {
  if (auto* s = std::get_if<std::string>(&c)) {
    if (col.kind != ColumnKind::Shape) return *s;
    nlohmann::json a = nlohmann::json::parse(*s, nullptr, false);  // the dims as an array
    return a.is_discarded() ? nlohmann::json(*s) : a;
  }
  if (auto* i = std::get_if<std::int64_t>(&c)) return *i;
  if (auto* d = std::get_if<double>(&c))
    if (std::isfinite(*d)) return *d;
  return nullptr;  // n/a
}

std::string csv_escape(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

}  // namespace

std::vector<std::size_t> Table::shown(bool md) const {
  std::vector<std::size_t> idx;
  if (!md && !view_.columns.empty()) {
    for (const std::string& k : view_.columns) idx.push_back(column_index(k));
    return idx;
  }
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (md || view_.wide || columns_[i].compact) idx.push_back(i);
  if (idx.empty())
    for (std::size_t i = 0; i < columns_.size(); ++i) idx.push_back(i);
  return idx;
}

namespace {

bool numeric(const Column& c) { return c.kind != ColumnKind::Text && c.kind != ColumnKind::Shape; }

/// Narrows the widest text column by one until the line (widths + 2-space gaps) fits `target` or no text column is
/// wider than 8.
void fit(std::vector<std::size_t>& width, const std::vector<bool>& text, std::size_t target) {
  if (width.empty()) return;
  std::size_t total = 2 * (width.size() - 1);
  for (std::size_t w : width) total += w;
  for (; total > target; --total) {
    std::size_t widest = width.size();
    for (std::size_t i = 0; i < width.size(); ++i)
      if (text[i] && width[i] > 8 && (widest == width.size() || width[i] > width[widest])) widest = i;
    if (widest == width.size()) return;
    --width[widest];
  }
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  const std::string fill(width > display_width(s) ? width - display_width(s) : 0, ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

std::string Table::render_text(bool md) const {
  const std::vector<std::size_t> cols = shown(md);
  std::vector<std::vector<std::string>> text(1);
  for (std::size_t c : cols) text[0].push_back(columns_[c].header);
  auto add = [&](const std::vector<Cell>& row) {
    text.emplace_back();
    for (std::size_t c : cols) text.back().push_back(human(columns_[c], row[c]));
  };
  for (const auto& r : rows_) add(r);
  if (!totals_.empty()) add(totals_);
  std::vector<std::size_t> width(cols.size(), 1);
  std::vector<bool> text_col;
  for (std::size_t i = 0; i < cols.size(); ++i) text_col.push_back(columns_[cols[i]].kind == ColumnKind::Text);
  for (const auto& r : text)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
  if (!md && !view_.wide) fit(width, text_col, static_cast<std::size_t>(view_.width > 0 ? view_.width : terminal_width()));
  auto line = [&](const std::vector<std::string>& r) {
    std::string s = md ? "|" : "";
    for (std::size_t i = 0; i < r.size(); ++i) {
      s += md ? " " : (i ? "  " : "");
      s += pad(md ? r[i] : shorten_middle(r[i], width[i]), width[i], numeric(columns_[cols[i]]));
      if (md) s += " |";
    }
    while (!md && !s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  auto rule = [&] {
    std::string s = md ? "|" : "";
    for (std::size_t i = 0; i < width.size(); ++i) {
      if (md) s += numeric(columns_[cols[i]]) ? " " + std::string(width[i] - 1, '-') + ": |" : " " + std::string(width[i], '-') + " |";
      else s += (i ? "  " : "") + std::string(width[i], '-');
    }
    return s + "\n";
  };
  std::string out = line(text[0]) + rule();
  for (std::size_t r = 1; r <= rows_.size(); ++r) out += line(text[r]);
  if (!totals_.empty()) {
    if (!md) out += rule();
    out += line(text.back());
  }
  return out;
}

std::string Table::render_csv() const {
  std::string out;
  for (std::size_t i = 0; i < columns_.size(); ++i) out += (i ? "," : "") + csv_escape(columns_[i].key);
  out += "\n";
  auto row = [&](const std::vector<Cell>& r) {
    for (std::size_t i = 0; i < r.size(); ++i) out += (i ? "," : "") + csv_escape(exact(r[i]));
    out += "\n";
  };
  for (const auto& r : rows_) row(r);
  if (csv_totals_ && !totals_.empty()) row(totals_);
  return out;
}

nlohmann::json Table::to_json() const {
  nlohmann::json j;
  j["columns"] = nlohmann::json::array();
  for (const auto& c : columns_) j["columns"].push_back(c.key);
  auto obj = [&](const std::vector<Cell>& r) {
    nlohmann::json o = nlohmann::json::object();
    for (std::size_t i = 0; i < r.size(); ++i) o[columns_[i].key] = to_json_value(columns_[i], r[i]);
    return o;
  };
  j["rows"] = nlohmann::json::array();
  for (const auto& r : rows_) j["rows"].push_back(obj(r));
  if (!totals_.empty()) j["totals"] = obj(totals_);
  return j;
}

std::vector<Format> Table::formats() const { return {Format::Table, Format::Csv, Format::Json, Format::Md}; }

std::string Table::render(Format format) const {
  switch (format) {
    case Format::Table: return render_text(false);
    case Format::Md: return render_text(true);
    case Format::Csv: return render_csv();
    case Format::Json: return to_json().dump(2) + "\n";
    default: unsupported("a table", format);
  }
}

}  // namespace rs
