// `roofscope profile MODEL`: per-op predicted vs actual time and the loss split (hardware / OS / software).
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "profiler/machine/calibrate.h"
#include "profiler/roofline/profile.h"
#include "profiler/report/profile_report.h"
#include "graph/files.h"
#include "tools/cli.h"
#include "tools/common.h"
#include "tools/tuning.h"

namespace rs::cli {

namespace {

struct ProfileArgs {
  ModelArgs model;
  ThreadArgs threads;
  MeasureArgs measure{30};
  bool no_ab = false;
  std::string machine_file;
  double mem_bw_gbs = 0;
  TuneArgs tune;
  std::string sort = "time";
  int top = 0;
  std::string format;
  std::string plot, html, trace;
};

void run_profile(const ProfileArgs& a) {
  check_measure_args(a.measure);
  require_at_least("--top", a.top, 0);
  const ProfileSort sort = parse_profile_sort(a.sort);
  if (a.threads.no_bind)
    throw std::invalid_argument("profile always measures pinned threads (and, for the OS column, unpinned ones); "
                                "drop --no-bind");
  for (const std::string* out : {&a.plot, &a.html, &a.trace})  // before the work; no file is left half-written
    if (!out->empty()) check_writable(*out);
  const BindingReport bind = apply_threads(a.threads);
  CalibrateOptions co;
  co.max_threads = bind.threads;
  co.quick = true;
  co.machine_file = a.machine_file;
  co.mem_bw_gb_per_s = a.mem_bw_gbs;
  const MachineProfile machine = load_or_calibrate(co, std::cerr);
  Graph g = load_model_to_run(a.model);
  optimize(g, !a.model.no_fuse);
  ProfileOptions po;
  po.iters = a.measure.iters;
  po.warmup = a.measure.warmup;
  po.min_time_s = a.measure.min_time_s;
  po.shields_off_arm = !a.no_ab;
  // The kernels chosen as run would choose them: --tune off or a valid cache go straight to the arms; a fresh
  // tuning (with its end-to-end race) compiles once more here, and the arms reuse its choices.
  const TunePlan plan = plan_tuning(a.tune, g, a.model.model, bind.threads);
  po.tuning = plan.options;
  po.tuning.enabled = false;
  if (plan.options.enabled && plan.options.cached.empty())
    po.tuning.cached = compile_with_tuning(plan, g, ExecOptions{})->choices();
  Progress progress("profiling " + a.model.model);
  po.progress = [&](int done, int total) { progress.update(done, total); };
  const ModelProfile p = profile_model(a.model.model, g, machine, bind.threads, po);
  const ProfileReporter report(p, machine, profile_order(p, sort, static_cast<std::size_t>(a.top)));
  if (!a.plot.empty()) write_file(a.plot, report.render(Format::Svg), "the roofline plot");
  if (!a.html.empty()) write_file(a.html, report.render(Format::Html), "the HTML report");
  if (!a.trace.empty()) write_file(a.trace, report.render(Format::Trace), "the trace");
  fmt::print("{}", report.render(parse_format(a.format)));
}

}  // namespace

void add_profile_command(CLI::App& root) {
  static ProfileArgs args;
  auto* app = root.add_subcommand(
      "profile",
      "Per-op roofline prediction vs measured time, and where the difference goes (hardware / OS / software)");
  app->footer(std::string("Columns: t_roof_theoretical/measured/cache = max(FLOPs/peak, bytes/bandwidth) with the "
                          "paper roofs, the measured roofs (DRAM), and the bandwidth of the cache level holding the "
                          "op's working set. Losses: hardware = t_roof_measured - t_roof_theoretical; OS: ") +
              kOsColumnDoc + " software = t_actual - t_roof_measured - OS.");
  add_model_options(app, args.model, true);
  add_thread_options(app, args.threads);
  add_tune_option(app, args.tune);
  add_measure_options(app, args.measure, "Measured runs per arm");
  app->add_flag("--no-ab", args.no_ab, "Skip the shields-off arm (--no-pool --no-bind): the OS column is then n/a");
  app->add_option("--machine", args.machine_file, "Machine profile JSON to predict with (default: the cached one, "
                                                  "calibrated on first use)");
  app->add_option("--mem-bw-gbs", args.mem_bw_gbs, "Theoretical DRAM bandwidth in GB/s when dmidecode cannot tell")
      ->check(finite_at_least(0, true));
  app->add_option("--sort", args.sort, "Row order: time|loss|efficiency|flops")->capture_default_str();
  app->add_option("--top", args.top, "Show only the first K rows (totals stay over all ops)");
  add_format_option(app, args.format, "table|csv|json|md", "table");
  app->add_option("--plot", args.plot, "Write the log-log roofline plot (SVG) to FILE");
  app->add_option("--html", args.html, "Write a self-contained HTML report (plot, sortable table, machine) to FILE");
  app->add_option("--trace", args.trace, "Write a Chrome trace / Perfetto JSON (one slice per op per run) to FILE");
  app->callback([] { run_profile(args); });
}

}  // namespace rs::cli
