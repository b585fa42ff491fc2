// roofscope::run_sweep / profile_sweep (`run|profile --batch 1,2,4 --threads 1,2`): one row per configuration.
#include <cmath>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/common.h"
#include "api/profile.h"
#include "api/provenance.h"
#include "graph/files.h"
#include "profiler/report/profile_report.h"
#include "runtime/topology.h"

namespace rs::api {

namespace {

struct Config {
  int batch = 1;
  int threads = 1;
  std::string label() const { return fmt::format("batch {}, {} thread{}", batch, threads, threads == 1 ? "" : "s"); }
};

/// Every (batch, threads) of the sweep, batch-major. Throws std::invalid_argument for an empty list or a bad value.
std::vector<Config> configs(const roofscope::Sweep& s) {
  if (s.batches.empty() || s.threads.empty())
    throw std::invalid_argument("a sweep needs at least one --batch and one --threads value");
  std::vector<Config> out;
  for (int b : s.batches) {
    require_at_least("--batch", b, 1);
    for (int t : s.threads) {
      const int n = t == 0 ? topology().physical_cores : t;
      check_threads(n);
      out.push_back({b, n});
    }
  }
  return out;
}

roofscope::ModelSource at_batch(roofscope::ModelSource m, int batch) {
  m.batch = batch;
  m.batch_given = true;
  return m;
}

Cell number(double x) { return std::isfinite(x) ? Cell{x} : Cell{}; }

std::vector<Column> columns(bool profile) {
  std::vector<Column> c = {{"batch", "batch", ColumnKind::Count, 0},
                           {"threads", "threads", ColumnKind::Count, 0},
                           {"latency_median_s", "median", ColumnKind::Seconds, 3},
                           {"latency_p90_s", "p90", ColumnKind::Seconds, 3},
                           {"throughput_images_per_s", "images/s", ColumnKind::Real, 1}};
  if (profile)
    c.insert(c.end(), {{"attained_flop_per_s", "attained", ColumnKind::FlopPerS, 1},
                       {"efficiency", "roofline/actual", ColumnKind::Real, 3},
                       {"loss_hardware_s", "hw loss", ColumnKind::Seconds, 3},
                       {"loss_os_s", "OS loss", ColumnKind::Seconds, 3},
                       {"loss_software_s", "sw loss", ColumnKind::Seconds, 3}});
  c.push_back({"arena_bytes", "arena", ColumnKind::Bytes, 0});
  return c;
}

/// `[i/n] batch b, t threads: 5.123 ms` on stderr after each configuration.
void log_done(std::size_t i, std::size_t n, const Config& c, double median_s) {
  fmt::print(stderr, "roofscope: [{}/{}] {}: {:.3f} ms median\n", i + 1, n, c.label(), median_s * 1e3);
}

/// The profiles of a sweep on one chart: every configuration's ops, named by configuration, with the roofs of the
/// largest thread count (the highest roofs: no configuration's ops sit above them for want of threads).
std::string sweep_chart(const std::vector<Profiled>& runs, const std::vector<Config>& cs, const std::string& model) {
  std::size_t widest = 0;
  for (std::size_t i = 0; i < cs.size(); ++i)
    if (cs[i].threads >= cs[widest].threads) widest = i;
  ModelProfile all = runs[widest].profile;
  all.ops.clear();
  SvgOptions o;
  o.title = fmt::format("{}: roofline of every configuration (roofs at {} thread{})", model, all.threads,
                        all.threads == 1 ? "" : "s");
  o.label_top = 0;
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (const OpProfile& op : runs[i].profile.ops) {
      all.ops.push_back(op);
      o.series.push_back(cs[i].label());
    }
  return roofline_svg(all, o);
}

}  // namespace

}  // namespace rs::api

namespace roofscope {

std::string run_sweep(const ModelSource& model, const RunOptions& options, const Sweep& sweep,
                      const std::string& format) {
  using namespace rs::api;
  const rs::Format f = rs::parse_format(format);
  const std::vector<Config> cs = configs(sweep);
  rs::Table t(columns(false));
  t.set_view(table_view(options.columns, t.columns()));
  for (std::size_t i = 0; i < cs.size(); ++i) {
    RunOptions o = options;
    o.threads.threads = cs[i].threads;
    o.columns = {};  // they choose the sweep table's columns
    const nlohmann::json j = nlohmann::json::parse(run(at_batch(model, cs[i].batch), o, "json").report);
    log_done(i, cs.size(), cs[i], j["latency_median_s"].get<double>());
    t.add_row({std::int64_t{cs[i].batch}, std::int64_t{cs[i].threads}, j["latency_median_s"].get<double>(),
               j["latency_p90_s"].get<double>(), j["throughput_images_per_s"].get<double>(),
               j["memory"]["arena_bytes"].get<std::int64_t>()});
  }
  return render_output(t, f, nullptr);
}

std::string profile_sweep(const ModelSource& model, const ProfileOptions& options, const Sweep& sweep,
                          const std::string& format) {
  using namespace rs;
  using namespace rs::api;
  const Format f = parse_format(format);
  if (!options.html.empty() || !options.trace.empty())
    throw std::invalid_argument("--html and --trace write one profile; a --batch/--threads sweep takes --plot only");
  if (options.csv_totals) throw std::invalid_argument("--totals: a sweep's table has no totals row");
  if (!options.plot.empty()) check_writable(options.plot);  // before the work
  const std::vector<Config> cs = configs(sweep);
  Table t(columns(true));
  t.set_view(table_view(options.columns, t.columns()));
  std::vector<Profiled> runs;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    ProfileOptions o = options;
    o.threads.threads = cs[i].threads;
    runs.push_back(profile_once(at_batch(model, cs[i].batch), o));
    const ModelProfile& p = runs.back().profile;
    const OpProfile sum = profile_totals(p);
    const double median_s = p.e2e_s.median;
    log_done(i, cs.size(), cs[i], median_s);
    t.add_row({std::int64_t{cs[i].batch}, std::int64_t{cs[i].threads}, median_s, p.e2e_s.p90,
               cs[i].batch / median_s, number(static_cast<double>(p.total_cost.flops) / median_s),
               number(p.estimate_roofline_cache_s / median_s), number(sum.loss_hardware_s), number(sum.loss_os_s),
               number(sum.loss_software_s), p.memory.arena_bytes});
  }
  if (!options.plot.empty()) write_file(options.plot, sweep_chart(runs, cs, model.model), "the roofline plot");
  return render_output(t, f, &runs.back().machine);
}

}  // namespace roofscope
