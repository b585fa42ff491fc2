// The diagnosis block of a profile; see diagnosis.h.
#include "profiler/report/diagnosis.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "graph/units.h"
#include "profiler/report/report.h"
#include "profiler/report/roofline_svg.h"

namespace rs {

double op_loss_s(const OpProfile& op) {
  const double roof = std::isnan(op.t_roof_theoretical_s) ? op.t_roof_measured_s : op.t_roof_theoretical_s;
  return op.t_actual_s.median - (std::isnan(roof) ? 0 : roof);
}

bool is_fallback_kernel(const OpProfile& op) {
  if (op.impl.rfind("ref", 0) == 0) return true;
  return (op.kind == OpKind::Conv || op.kind == OpKind::Deconv) && op.impl.rfind("gemm", 0) == 0;
}

namespace {

double finite(double x) { return std::isfinite(x) ? x : 0; }
double time_of(const OpProfile& op) { return finite(op.t_actual_s.median); }
double share_of(double part, double whole) { return whole > 0 ? part / whole : 0; }
std::string percent(double share) { return fmt::format("{:.1f}%", 100 * share); }

/// The ops grouped by `key`, largest time first; past kMaxGroups - 1 rows the rest is one "other" row.
std::vector<OpGroup> group_by(const ModelProfile& p, double total_s,
                              const std::function<std::string(const OpProfile&)>& key) {
  std::map<std::string, OpGroup> groups;
  for (const OpProfile& op : p.ops) {
    OpGroup& g = groups[key(op)];
    g.key = key(op);
    ++g.ops;
    g.time_s += time_of(op);
    g.loss_s += finite(op_loss_s(op));
  }
  std::vector<OpGroup> out;
  for (const auto& [k, g] : groups) out.push_back(g);
  std::stable_sort(out.begin(), out.end(), [](const OpGroup& a, const OpGroup& b) { return a.time_s > b.time_s; });
  if (out.size() > kMaxGroups) {
    OpGroup other{"other"};
    for (std::size_t i = kMaxGroups - 1; i < out.size(); ++i) {
      other.ops += out[i].ops;
      other.time_s += out[i].time_s;
      other.loss_s += out[i].loss_s;
    }
    out.resize(kMaxGroups - 1);
    out.push_back(other);
  }
  for (OpGroup& g : out) g.share = share_of(g.time_s, total_s);
  return out;
}

/// The ops `pick` selects, ordered by `by` (largest first).
std::vector<const OpProfile*> select(const ModelProfile& p, const std::function<bool(const OpProfile&)>& pick,
                                     const std::function<double(const OpProfile&)>& by = time_of) {
  std::vector<const OpProfile*> out;
  for (const OpProfile& op : p.ops)
    if (pick(op)) out.push_back(&op);
  std::stable_sort(out.begin(), out.end(), [&](const OpProfile* a, const OpProfile* b) { return by(*a) > by(*b); });
  return out;
}

double sum(const std::vector<const OpProfile*>& ops, const std::function<double(const OpProfile&)>& f) {
  double s = 0;
  for (const OpProfile* op : ops) s += finite(f(*op));
  return s;
}

/// "a, b, c" (the first 3), then " and N more".
std::string names(const std::vector<const OpProfile*>& ops) {
  std::string s;
  for (std::size_t i = 0; i < std::min<std::size_t>(3, ops.size()); ++i) s += (i ? ", " : "") + ops[i]->name;
  return ops.size() > 3 ? fmt::format("{} and {} more", s, ops.size() - 3) : s;
}

/// "gemm:jit x10, ref:any x1": how many of `ops` have each value of `field`, most first.
std::string tally(const std::vector<const OpProfile*>& ops, const std::function<std::string(const OpProfile&)>& field) {
  std::map<std::string, int> n;
  for (const OpProfile* op : ops) ++n[field(*op)];
  std::vector<std::pair<std::string, int>> v(n.begin(), n.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string s;
  for (const auto& [k, c] : v) s += fmt::format("{}{} x{}", s.empty() ? "" : ", ", k, c);
  return s;
}

/// "1 op runs" / "10 ops run" style: the count with its noun and verb.
std::string count_of(std::size_t n, const char* noun, const char* verb_one, const char* verb_many) {
  return fmt::format("{} {}{} {}", n, noun, n == 1 ? "" : "s", n == 1 ? verb_one : verb_many);
}

Finding make_finding(const char* kind, std::string text, double time_s, const std::vector<const OpProfile*>& ops) {
  Finding f{kind, std::move(text), time_s, {}};
  for (const OpProfile* op : ops) f.ops.push_back(op->name);
  return f;
}

void add_fallback(const ModelProfile& p, double total_s, std::vector<Finding>& out) {
  const auto ops = select(p, is_fallback_kernel);
  if (ops.empty()) return;
  const double t = sum(ops, time_of);
  out.push_back(make_finding(
      "fallback",
      fmt::format("{} on fallback kernels ({}): {} of op time ({}), {} above their roofs: {}",
                  count_of(ops.size(), "op", "runs", "run"), tally(ops, [](const OpProfile& o) { return o.impl; }),
                  percent(share_of(t, total_s)), format_seconds(t), format_seconds(sum(ops, op_loss_s)), names(ops)),
      t, ops));
}

void add_reorders(const ModelProfile& p, double total_s, std::vector<Finding>& out) {
  const auto ops = select(p, [](const OpProfile& o) { return o.kind == OpKind::Reorder; });
  if (ops.empty()) return;
  const double t = sum(ops, time_of);
  out.push_back(make_finding("reorders",
                             fmt::format("{} reorder{} (layout conversions between kernels) take{} {} of op time "
                                         "({}): {}", ops.size(), ops.size() == 1 ? "" : "s",
                                         ops.size() == 1 ? "s" : "", percent(share_of(t, total_s)),
                                         format_seconds(t), names(ops)),
                             t, ops));
}

void add_memory_bound(const ModelProfile& p, double total_s, std::vector<Finding>& out) {
  const auto ops = select(p, [](const OpProfile& o) {
    return o.kind != OpKind::Reorder && o.bound == "memory" && std::isfinite(o.efficiency_cache) &&
           o.efficiency_cache < kFarBelowRoof;
  });
  if (ops.empty()) return;
  const double t = sum(ops, time_of);
  const double lost = sum(ops, [](const OpProfile& o) { return o.t_actual_s.median - o.t_roof_cache_s; });
  out.push_back(make_finding(
      "memory_bound",
      fmt::format("{} below half of the cache-level roof ({}): {} of op time ({}), {} above that roof: {}",
                  count_of(ops.size(), "memory-bound op", "runs", "run"),
                  tally(ops, [](const OpProfile& o) { return o.cache_level; }), percent(share_of(t, total_s)),
                  format_seconds(t), format_seconds(lost), names(ops)),
      t, ops));
}

void add_os(const ModelProfile& p, double total_s, std::vector<Finding>& out) {
  const auto ops = select(p, [](const OpProfile& o) { return std::isfinite(o.loss_os_s) && o.loss_os_s > 0; },
                          [](const OpProfile& o) { return o.loss_os_s; });
  const double t = sum(ops, [](const OpProfile& o) { return o.loss_os_s; });
  if (ops.empty() || share_of(t, total_s) < 0.01) return;
  out.push_back(make_finding("os",
                             fmt::format("OS events (page faults, context switches, migrations at their calibrated "
                                         "prices) cost {} ({} of op time), most in: {}",
                                         format_seconds(t), percent(share_of(t, total_s)), names(ops)),
                             t, ops));
}

void add_noise(const ModelProfile& p, std::vector<Finding>& out) {
  const Stats& e = p.e2e_s;
  if (!(e.cv > kNoisyCv)) return;
  out.push_back(make_finding("noise",
                             fmt::format("the end-to-end time is noisy: CV {:.1f}% over {} runs (above {:.0f}%), so "
                                         "per-op figures move by about as much; rerun with more --iters or on a "
                                         "quieter machine",
                                         100 * e.cv, e.n, 100 * kNoisyCv),
                             finite(e.cv * e.median), {}));
}

Table group_table(const std::vector<OpGroup>& groups, const char* header) {
  Table t({{"key", header},
           {"ops", "ops", ColumnKind::Count},
           {"time_s", "time", ColumnKind::Seconds},
           {"share_percent", "share %", ColumnKind::Real, 1},
           {"loss_s", "loss", ColumnKind::Seconds}});
  for (const OpGroup& g : groups)
    t.add_row({g.key, std::int64_t{g.ops}, g.time_s, 100 * g.share, g.loss_s});
  return t;
}

std::string reorder_line(const Diagnosis& d) {
  return fmt::format("{} reorder(s) take {} ({} of op time {})", d.reorders, format_seconds(d.reorder_time_s),
                     percent(d.reorder_share), format_seconds(d.op_time_s));
}

std::vector<const Finding*> shown(const Diagnosis& d) {
  std::vector<const Finding*> out;
  for (std::size_t i = 0; i < std::min(kShownFindings, d.findings.size()); ++i) out.push_back(&d.findings[i]);
  return out;
}

}  // namespace

Diagnosis diagnose(const ModelProfile& p) {
  Diagnosis d;
  for (const OpProfile& op : p.ops) d.op_time_s += time_of(op);
  d.by_kind = group_by(p, d.op_time_s, [](const OpProfile& o) { return std::string(op_kind_name(o.kind)); });
  d.by_impl = group_by(p, d.op_time_s, [](const OpProfile& o) { return o.impl.empty() ? "n/a" : o.impl; });
  for (const OpProfile& op : p.ops)
    if (op.kind == OpKind::Reorder) {
      ++d.reorders;
      d.reorder_time_s += time_of(op);
    }
  d.reorder_share = share_of(d.reorder_time_s, d.op_time_s);
  add_fallback(p, d.op_time_s, d.findings);
  add_reorders(p, d.op_time_s, d.findings);
  add_memory_bound(p, d.op_time_s, d.findings);
  add_os(p, d.op_time_s, d.findings);
  add_noise(p, d.findings);
  std::stable_sort(d.findings.begin(), d.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.time_s > b.time_s; });
  return d;
}

std::string diagnosis_text(const Diagnosis& d, std::size_t width) {
  std::string s;
  int i = 0;
  for (const Finding* f : shown(d)) {
    s += wrap_lines(fmt::format("{:<11}{}. {}\n", i == 0 ? "diagnosis" : "", i + 1, f->text), width, 14);
    ++i;
  }
  if (d.findings.empty()) s += "diagnosis  no fallback kernel, reorder, far-below-roof op, OS cost or noise found\n";
  s += wrap_lines(fmt::format("reorders   {}\n", reorder_line(d)), width, 11);
  TableView view;
  view.width = static_cast<int>(width);
  for (const auto& [groups, header] : {std::pair{&d.by_kind, "op kind"}, std::pair{&d.by_impl, "implementation"}}) {
    Table t = group_table(*groups, header);
    t.set_view(view);
    s += "\n" + t.render(Format::Table);
  }
  return s;
}

std::string diagnosis_markdown(const Diagnosis& d) {
  std::string s = "## Diagnosis\n\n";
  int i = 0;
  for (const Finding* f : shown(d)) s += fmt::format("{}. {}\n", ++i, f->text);
  if (d.findings.empty()) s += "No fallback kernel, reorder, far-below-roof op, OS cost or noise found.\n";
  s += fmt::format("\nReorders: {}.\n\n### By op kind\n\n{}\n### By implementation\n\n{}\n", reorder_line(d),
                   group_table(d.by_kind, "op kind").render(Format::Md),
                   group_table(d.by_impl, "implementation").render(Format::Md));
  return s;
}

nlohmann::json diagnosis_json(const Diagnosis& d) {
  const auto groups = [](const std::vector<OpGroup>& gs) {
    nlohmann::json a = nlohmann::json::array();
    for (const OpGroup& g : gs)
      a.push_back({{"key", g.key}, {"ops", g.ops}, {"time_s", g.time_s}, {"share", g.share}, {"loss_s", g.loss_s}});
    return a;
  };
  nlohmann::json findings = nlohmann::json::array();
  for (const Finding& f : d.findings)
    findings.push_back({{"kind", f.kind}, {"text", f.text}, {"time_s", f.time_s}, {"ops", f.ops}});
  return {{"op_time_s", d.op_time_s},
          {"reorders", {{"count", d.reorders}, {"time_s", d.reorder_time_s}, {"share", d.reorder_share}}},
          {"by_kind", groups(d.by_kind)},
          {"by_impl", groups(d.by_impl)},
          {"findings", findings}};
}

std::string diagnosis_html(const ModelProfile& p) {
  const Diagnosis d = diagnose(p);
  std::string out = "<section id=\"diagnosis\">\n<h2>Diagnosis</h2>\n<ol class=\"findings\">\n";
  for (const Finding* f : shown(d)) emit(out, "<li data-kind=\"{}\">{}</li>\n", f->kind, xml_escape(f->text));
  if (d.findings.empty()) out += "<li>no fallback kernel, reorder, far-below-roof op, OS cost or noise found</li>\n";
  emit(out, "</ol>\n<p class=\"reorders\">{}</p>\n", xml_escape(reorder_line(d)));
  return out + "</section>\n";
}

}  // namespace rs
