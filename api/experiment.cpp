// roofscope::experiment (`roofscope experiment list | NAME... | all`): test model-design advice (seed 001 §II-§IV)
// on this machine.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "api/common.h"
#include "api/provenance.h"
#include "graph/files.h"
#include "graph/units.h"
#include "profiler/experiments/experiment.h"
#include "profiler/experiments/experiment_report.h"
#include "profiler/machine/calibrate.h"
#include "profiler/report/profile_report.h"
#include "profiler/report/report.h"

namespace rs::api {

namespace {

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string one, five, fifteen;
  if (!(f >> one >> five >> fifteen)) return "n/a";
  return fmt::format("{} / {} / {}", one, five, fifteen);
}

std::string experiment_list(const std::string& format, const roofscope::Columns& columns) {
  const std::vector<Column> cols = {{"name", "experiment", ColumnKind::Text, 0},
                                    {"advice", "advice tested (seed 001)", ColumnKind::Text, 0}};
  Table t(cols);
  t.set_view(table_view(columns, cols));
  for (const Experiment& e : experiments()) t.add_row({e.name, e.advice});
  return render_output(t, parse_format(format), nullptr);
}

/// The experiments named on the command line, in order, without repeats; "all" stands for every one.
std::vector<const Experiment*> selected(const std::vector<std::string>& names, bool& all) {
  std::vector<const Experiment*> out;
  all = std::find(names.begin(), names.end(), "all") != names.end();
  if (all) {
    for (const Experiment& e : experiments()) out.push_back(&e);
    return out;
  }
  for (const std::string& n : names) {
    const Experiment* e = &find_experiment(n);
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  }
  return out;
}

ExperimentContext make_context(const roofscope::ExperimentOptions& a, const MachineProfile& machine) {
  ExperimentContext ctx;
  ctx.machine = &machine;
  ctx.threads = a.threads;
  ctx.scale = a.tiny ? Scale::Tiny : a.quick ? Scale::Quick : Scale::Full;
  ctx.run = RunConfig::for_scale(ctx.scale);
  if (a.reps > 0) {
    ctx.run.reps = a.reps;
    ctx.run.max_reps = std::max(ctx.run.max_reps, a.reps);
  }
  if (a.warmup >= 0) ctx.run.warmup = a.warmup;
  return ctx;
}

/// Writes the Markdown report and, next to it, one roofline SVG per experiment that asks for one.
void write_report(const std::string& path, const std::vector<ExperimentResult>& results, ReportHeader header,
                  const MachineProfile& machine) {
  std::string stem = path;
  if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, ".md") == 0) stem.resize(stem.size() - 3);
  const std::size_t slash = stem.find_last_of('/');
  for (const ExperimentResult& r : results) {
    std::string file;
    if (r.plot) {
      const std::string svg_path = fmt::format("{}-{}.svg", stem, r.name);
      SvgOptions o;
      o.title = fmt::format("{}: the arms on the roofline ({} thread(s))", r.name, header.roofs.threads);
      const ModelProfile arms = arms_profile(r, header.roofs);
      write_file(svg_path, ProfileReporter(arms, machine, {}, o).render(Format::Svg), "a roofline plot");
      file = slash == std::string::npos ? svg_path : svg_path.substr(slash + 1);
    }
    header.plots.push_back(file);
  }
  write_file(path, ExperimentReporter(results, &header).render(Format::Md), "the experiment report");
}

}  // namespace

}  // namespace rs::api

namespace roofscope {

std::string experiment(const ExperimentOptions& options, const std::string& format) {
  using namespace rs;
  using namespace rs::api;
  const Format f = parse_format(format);
  const bool list = options.names.size() == 1 && options.names[0] == "list";
  if (list && !options.out.empty()) throw std::invalid_argument("--out: `experiment list` writes no report");
  if (list) return experiment_list(format, options.columns);
  if (options.columns.wide || !options.columns.keys.empty())
    throw std::invalid_argument("--columns and --wide apply to `experiment list`; the results show every column");
  ExperimentOptions a = options;
  if (a.threads == 0) a.threads = topology().physical_cores;
  bool all = false;
  const std::vector<const Experiment*> chosen = selected(a.names, all);
  if (all && a.out.empty()) a.out = kDefaultExperimentReport;
  if (!a.out.empty()) check_writable(a.out);  // before the experiments run, not after
  apply_threads(Threads{a.threads, false});
  rs::CalibrateOptions co;
  co.quick = true;
  co.machine_file = a.machine_file;
  co.mem_bw_gb_per_s = a.mem_bw_gbs;
  const MachineProfile machine = machine_profile_for(co);
  fmt::print(stderr, "roofscope: machine profile {}\n", roofs_for(machine, a.threads).provenance.describe());
  const ExperimentContext base = make_context(a, machine);
  ReportHeader header;
  header.load_before = load_average();
  header.date_utc = utc_now_iso8601();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<ExperimentResult> results;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const std::string label = fmt::format("[{}/{}] {}", i + 1, chosen.size(), chosen[i]->name);
    ExperimentContext ctx = base;
    {
      Progress progress(label);
      ctx.progress = [&progress](int done, int total) { progress.update(done, total); };
      results.push_back(run_experiment(*chosen[i], ctx));
    }
    fmt::print(stderr, "{}: {} ({:.1f} s)\n", label, verdict_name(results.back().verdict), results.back().seconds);
  }
  header.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  header.load_after = load_average();
  const std::string text = render_output(ExperimentReporter(results), f, &machine);
  if (a.out.empty()) return text;
  const std::string names = all ? std::string("all") : fmt::format("{}", fmt::join(a.names, " "));
  header.command = fmt::format("roofscope experiment {}{}{}", names, a.tiny ? " --tiny" : a.quick ? " --quick" : "",
                               a.threads != topology().physical_cores ? fmt::format(" --threads {}", a.threads) : "");
  header.machine = fmt::format("{}, {} physical cores, {} thread(s)", machine.cpu.identity.model_name,
                               machine.cpu.physical_cores, a.threads);
  header.roofs = roofs_for(machine, a.threads);
  write_report(a.out, results, header, machine);
  return text;
}

}  // namespace roofscope
