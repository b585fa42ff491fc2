// roofscope::diff (`roofscope diff A.json B.json`): two profile or run JSON outputs side by side.
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/common.h"
#include "api/provenance.h"
#include "graph/files.h"
#include "graph/units.h"
#include "profiler/report/report.h"

namespace rs::api {

namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxJsonBytes = 512ull << 20;  // a resnet-sized profile is ~0.5 MB

/// One input file: `profile --format json` (kind "profile") or `run --format json` (kind "run").
struct Side {
  std::string path;
  json doc;
  std::string kind;
};

Side read_side(const std::string& path) {
  const std::string text = read_regular_file(path, kMaxJsonBytes, "profile JSON");
  Side s{path, json::parse(text, nullptr, false), ""};
  if (s.doc.is_discarded() || !s.doc.is_object())
    throw std::runtime_error(fmt::format("{}: not a JSON object (diff reads what `roofscope profile --format json` "
                                         "or `roofscope run --format json` writes)", path));
  if (s.doc.value("schema", "") == "roofscope.profile") s.kind = "profile";
  else if (s.doc.contains("latency_median_s")) s.kind = "run";
  else
    throw std::runtime_error(fmt::format("{}: neither a `roofscope profile --format json` nor a `roofscope run "
                                         "--format json` output (no \"schema\": \"roofscope.profile\", no "
                                         "\"latency_median_s\")", path));
  return s;
}

/// The number at the first of `pointers` present in `doc` (JSON pointers), NaN when none is a number.
double number_at(const json& doc, const std::vector<const char*>& pointers) {
  for (const char* p : pointers) {
    const json::json_pointer ptr(p);
    if (doc.contains(ptr) && doc.at(ptr).is_number()) return doc.at(ptr).get<double>();
  }
  return std::nan("");
}

std::string text_at(const json& doc, const char* pointer) {
  const json::json_pointer ptr(pointer);
  if (!doc.contains(ptr)) return "";
  const json& v = doc.at(ptr);
  return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
}

struct OpRow {
  std::string name, op, impl;
  double time_s = std::nan("");
};

/// The measured ops (profile: every op; run: only with --per-op), without the totals row.
std::vector<OpRow> op_rows(const Side& s) {
  std::vector<OpRow> rows;
  if (!s.doc.contains("ops") || !s.doc["ops"].is_array()) return rows;
  for (const json& r : s.doc["ops"]) {
    if (!r.is_object()) continue;
    OpRow row{r.value("name", ""), r.value("op", ""), r.value("impl", ""), number_at(r, {"/t_actual_median_s",
                                                                                     "/time_median_s"})};
    rows.push_back(std::move(row));
  }
  return rows;
}

// ---- comparability ----

/// What differs between the two files' provenance and run conditions, in words ("threads: 1 vs 2").
std::vector<std::string> differences(const Side& a, const Side& b) {
  std::vector<std::string> out;
  const auto compare = [&](const char* label, const char* pointer) {
    const std::string x = text_at(a.doc, pointer), y = text_at(b.doc, pointer);
    if (x != y) out.push_back(fmt::format("{}: {} vs {}", label, x.empty() ? "n/a" : x, y.empty() ? "n/a" : y));
  };
  if (!a.doc.contains("provenance") || !b.doc.contains("provenance"))
    out.emplace_back("provenance: missing in a file written before roofscope recorded it (version, commit, machine)");
  compare("model", "/model");
  compare("input", "/input_dims");
  compare("threads", "/threads");
  compare("version", "/provenance/version");
  compare("source commit", "/provenance/source_commit");
  compare("CPU", "/provenance/cpu");
  compare("machine profile", "/provenance/machine_profile/hash");
  if (a.kind != b.kind) out.push_back(fmt::format("kind: {} vs {}", a.kind, b.kind));
  return out;
}

// ---- summary ----

struct Metric {
  const char* key;  ///< machine name with unit
  const char* label;
  ColumnKind kind;
  std::vector<const char*> pointers;  ///< JSON pointers: profile's, then run's
};

const std::vector<Metric>& metrics() {
  static const std::vector<Metric> m = {
      {"latency_median_s", "latency median", ColumnKind::Seconds, {"/e2e/median_s", "/latency_median_s"}},
      {"latency_p90_s", "latency p90", ColumnKind::Seconds, {"/e2e/p90_s", "/latency_p90_s"}},
      {"latency_cv", "latency CV", ColumnKind::Real, {"/e2e/cv", "/latency_cv"}},
      {"sum_op_median_s", "sum of op medians", ColumnKind::Seconds, {"/sum_op_median_s"}},
      {"framework_overhead_s", "framework overhead", ColumnKind::Seconds,
       {"/framework_overhead_s", "/executor_overhead_median_s"}},
      {"roofline_cache_s", "roofline estimate (cache roofs)", ColumnKind::Seconds, {"/estimates/roofline_cache_s"}},
      {"loss_hardware_s", "hardware loss", ColumnKind::Seconds, {"/totals/loss_hardware_s"}},
      {"loss_os_s", "OS loss", ColumnKind::Seconds, {"/totals/loss_os_s"}},
      {"loss_software_s", "software loss", ColumnKind::Seconds, {"/totals/loss_software_s"}},
      {"flops", "FLOPs", ColumnKind::Flops, {"/totals/flops"}},
      {"arena_bytes", "arena", ColumnKind::Bytes, {"/memory/arena_bytes"}},
      {"peak_measured_gflops_per_s", "compute roof GFLOP/s", ColumnKind::Real, {"/roofs/peak_measured_gflops_per_s"}},
      {"dram_measured_gb_per_s", "DRAM roof GB/s", ColumnKind::Real, {"/roofs/dram_measured_gb_per_s"}},
  };
  return m;
}

Cell number_cell(double x) { return std::isfinite(x) ? Cell{x} : Cell{}; }
Cell ratio_cell(double a, double b) { return std::isfinite(a) && std::isfinite(b) && a != 0 ? Cell{b / a} : Cell{}; }

/// One row per metric either file has. Machine formats get SI values; text formats a shown unit per row.
Table summary_table(const Side& a, const Side& b, bool text) {
  Table t({{"metric", "metric", ColumnKind::Text, 0}, {"a", "A", text ? ColumnKind::Text : ColumnKind::Real, 6},
           {"b", "B", text ? ColumnKind::Text : ColumnKind::Real, 6},
           {"delta", "B - A", text ? ColumnKind::Text : ColumnKind::Real, 6}, {"ratio", "B / A", ColumnKind::Real, 3}});
  for (const Metric& m : metrics()) {
    const double x = number_at(a.doc, m.pointers), y = number_at(b.doc, m.pointers);
    if (!std::isfinite(x) && !std::isfinite(y)) continue;
    if (!text) {
      t.add_row({m.key, number_cell(x), number_cell(y), number_cell(y - x), ratio_cell(x, y)});
      continue;
    }
    const auto show = [&m](double v) -> Cell {  // graph/units.h's forms, as the other tables show them
      return std::isfinite(v) ? Cell{format_value(m.kind, v, 3)} : Cell{};
    };
    t.add_row({m.label, show(x), show(y), show(y - x), ratio_cell(x, y)});
  }
  return t;
}

// ---- ops ----

struct Pair {
  const OpRow* a = nullptr;
  const OpRow* b = nullptr;
  std::size_t order = 0;  ///< B's index, then A's after B's ops
};

std::vector<Pair> pair_by_name(const std::vector<OpRow>& a, const std::vector<OpRow>& b) {
  std::map<std::string, const OpRow*> by_name;
  for (const OpRow& r : a) by_name.emplace(r.name, &r);
  std::vector<Pair> pairs;
  std::map<const OpRow*, bool> used;
  for (const OpRow& r : b) {
    const auto it = by_name.find(r.name);
    const OpRow* match = it == by_name.end() || used[it->second] ? nullptr : it->second;
    if (match) used[match] = true;
    pairs.push_back({match, &r, pairs.size()});
  }
  for (const OpRow& r : a)
    if (!used[&r]) pairs.push_back({&r, nullptr, pairs.size()});
  return pairs;
}

std::vector<Pair> pair_by_position(const std::vector<OpRow>& a, const std::vector<OpRow>& b) {
  std::vector<Pair> pairs;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i)
    pairs.push_back({i < a.size() ? &a[i] : nullptr, i < b.size() ? &b[i] : nullptr, i});
  return pairs;
}

/// auto: by name unless fewer than half of B's names are in A (a renamed graph), then by position.
std::vector<Pair> pair_ops(const std::vector<OpRow>& a, const std::vector<OpRow>& b, const std::string& match,
                           std::string& used) {
  if (match != "auto" && match != "name" && match != "position")
    throw std::invalid_argument(fmt::format("--match must be auto, name or position (got '{}')", match));
  std::vector<Pair> named = pair_by_name(a, b);
  const auto matched = std::count_if(named.begin(), named.end(), [](const Pair& p) { return p.a && p.b; });
  const bool by_position = match == "position" || (match == "auto" && 2 * matched < static_cast<long>(b.size()));
  used = by_position ? "position" : "name";
  return by_position ? pair_by_position(a, b) : named;
}

std::string change(const Pair& p) {
  if (!p.a) return "new";
  if (!p.b) return "gone";
  if (p.a->name != p.b->name) return p.a->op == p.b->op ? "renamed" : "other op";
  return p.a->impl != p.b->impl ? "impl" : "";
}

double delta_s(const Pair& p) {
  return (p.b && std::isfinite(p.b->time_s) ? p.b->time_s : 0) - (p.a && std::isfinite(p.a->time_s) ? p.a->time_s : 0);
}

std::vector<Column> ops_columns() {
  return {{"name", "op name (B; A when gone)", ColumnKind::Text, 0}, {"op", "op", ColumnKind::Text, 0},
          {"change", "change", ColumnKind::Text, 0}, {"impl_a", "impl A", ColumnKind::Text, 0},
          {"impl_b", "impl B", ColumnKind::Text, 0}, {"time_a_s", "A", ColumnKind::Seconds, 3},
          {"time_b_s", "B", ColumnKind::Seconds, 3}, {"delta_s", "B - A", ColumnKind::Seconds, 3},
          {"ratio", "B / A", ColumnKind::Real, 2}};
}

Table ops_table(std::vector<Pair> pairs, const roofscope::DiffOptions& o) {
  if (o.sort != "delta" && o.sort != "order")
    throw std::invalid_argument(fmt::format("--sort must be delta or order (got '{}')", o.sort));
  if (o.sort == "delta")
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const Pair& x, const Pair& y) { return std::abs(delta_s(x)) > std::abs(delta_s(y)); });
  if (o.top > 0 && pairs.size() > static_cast<std::size_t>(o.top)) pairs.resize(static_cast<std::size_t>(o.top));
  Table t(ops_columns());
  t.set_view(table_view(o.columns, ops_columns()));
  for (const Pair& p : pairs) {
    const OpRow& shown = p.b ? *p.b : *p.a;
    const double ta = p.a ? p.a->time_s : std::nan(""), tb = p.b ? p.b->time_s : std::nan("");
    t.add_row({shown.name, shown.op, change(p), p.a ? Cell{p.a->impl} : Cell{}, p.b ? Cell{p.b->impl} : Cell{},
               number_cell(ta), number_cell(tb), number_cell(delta_s(p)), ratio_cell(ta, tb)});
  }
  return t;
}

// ---- the document ----

class DiffReporter : public Reporter {
 public:
  DiffReporter(Side a, Side b, const roofscope::DiffOptions& o) : a_(std::move(a)), b_(std::move(b)) {
    ops_a_ = op_rows(a_);
    ops_b_ = op_rows(b_);
    ops_ = ops_table(pair_ops(ops_a_, ops_b_, o.match, match_), o);
    differences_ = differences(a_, b_);
  }
  std::vector<Format> formats() const override { return {Format::Table, Format::Csv, Format::Json, Format::Md}; }
  std::string render(Format f) const override {
    if (f == Format::Csv) return ops_.render(f);
    if (f == Format::Json) return json_text();
    if (f == Format::Table || f == Format::Md) return text(f);
    unsupported("a diff", f);
  }

 private:
  std::string text(Format f) const {
    std::string s = fmt::format("A  {} ({} of {})\nB  {} ({} of {})\n", a_.path, a_.kind, text_at(a_.doc, "/model"),
                                b_.path, b_.kind, text_at(b_.doc, "/model"));
    if (differences_.empty()) s += "comparable: same model, input, threads, version, commit, CPU and machine profile\n";
    for (const std::string& d : differences_) s += "differs: " + d + "\n";
    if (f == Format::Table) s = wrap_lines(s, static_cast<std::size_t>(terminal_width()), 3);
    s += "\n" + summary_table(a_, b_, true).render(f) + "\n";
    if (ops_a_.empty() && ops_b_.empty()) return s + "no per-op times (a run without --per-op)\n";
    return s + fmt::format("ops matched by {}:\n", match_) + ops_.render(f);
  }
  std::string json_text() const {
    const auto side = [](const Side& x) {
      return json{{"path", x.path}, {"kind", x.kind}, {"provenance", x.doc.value("provenance", json())}};
    };
    const json ops = ops_.to_json();
    const json doc = {{"schema", "roofscope.diff"}, {"a", side(a_)},     {"b", side(b_)},
                      {"differences", differences_}, {"match", match_},  {"summary", summary_table(a_, b_, false).to_json()["rows"]},
                      {"columns", ops["columns"]},   {"ops", ops["rows"]}};
    return with_provenance(doc.dump(2), nullptr);
  }

  Side a_, b_;
  std::vector<OpRow> ops_a_, ops_b_;
  std::string match_;
  Table ops_{{}};
  std::vector<std::string> differences_;
};

}  // namespace

}  // namespace rs::api

namespace roofscope {

std::string diff(const std::string& a_path, const std::string& b_path, const DiffOptions& options,
                 const std::string& format) {
  const rs::Format f = rs::parse_format(format);
  rs::api::require_at_least("--top", options.top, 0);
  return rs::api::DiffReporter(rs::api::read_side(a_path), rs::api::read_side(b_path), options).render(f);
}

}  // namespace roofscope
