#include "profiler/report/report.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

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

namespace {

double as_double(const Cell& c) {
  if (auto* i = std::get_if<std::int64_t>(&c)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&c)) return *d;
  return 0;
}

std::string human(const Column& col, const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return "";
  if (auto* s = std::get_if<std::string>(&c)) return *s;
  const double x = as_double(c);
  if (!std::isfinite(x)) return "n/a";
  switch (col.kind) {
    case ColumnKind::Count: return si_count(x);
    case ColumnKind::Bytes: return format_bytes(x);
    case ColumnKind::Real: return fmt::format("{:.{}f}", x, col.precision);
    case ColumnKind::Seconds: return fmt::format("{:.{}f}", x * 1e3, col.precision);
    case ColumnKind::Text: break;
  }
  if (std::holds_alternative<std::int64_t>(c)) return std::to_string(std::get<std::int64_t>(c));
  return fmt::format("{:.{}g}", x, col.precision + 3);
}

std::string exact(const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return "";
  if (auto* s = std::get_if<std::string>(&c)) return *s;
  if (auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
  const double d = std::get<double>(c);
  return std::isfinite(d) ? fmt::format("{:.9g}", d) : "nan";
}

nlohmann::json to_json_value(const Cell& c) {
  if (auto* s = std::get_if<std::string>(&c)) return *s;
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

std::string Table::render_text(bool md) const {
  std::vector<std::vector<std::string>> text;
  auto add = [&](const std::vector<Cell>& row) {
    std::vector<std::string> t;
    for (std::size_t i = 0; i < row.size(); ++i) t.push_back(human(columns_[i], row[i]));
    text.push_back(std::move(t));
  };
  std::vector<std::string> header;
  for (const auto& c : columns_) header.push_back(c.header);
  text.push_back(header);
  for (const auto& r : rows_) add(r);
  if (!totals_.empty()) add(totals_);
  std::vector<std::size_t> width(columns_.size(), 0);
  for (const auto& r : text)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  auto line = [&](const std::vector<std::string>& r) {
    std::string s = md ? "|" : "";
    for (std::size_t i = 0; i < r.size(); ++i) {
      const bool right = columns_[i].kind != ColumnKind::Text;
      s += md ? " " : (i ? "  " : "");
      s += right ? fmt::format("{:>{}}", r[i], width[i]) : fmt::format("{:<{}}", r[i], width[i]);
      if (md) s += " |";
    }
    while (!md && !s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  auto rule = [&] {
    std::string s = md ? "|" : "";
    for (std::size_t i = 0; i < width.size(); ++i) {
      if (md) s += (columns_[i].kind != ColumnKind::Text ? " " + std::string(width[i] - 1, '-') + ": |" : " " + std::string(width[i], '-') + " |");
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
    for (std::size_t i = 0; i < r.size(); ++i) o[columns_[i].key] = to_json_value(r[i]);
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
