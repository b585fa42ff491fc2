// `roofscope profile MODEL`: per-op predicted vs actual time and the loss split (hardware / OS / software).
#include <fmt/format.h>

#include "profiler/report/profile_report.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

void add_profile_command(CLI::App& root) {
  struct Args {
    ModelArgs model;
    roofscope::ProfileOptions options;
    SweepArgs sweep;
    std::string format;
  };
  static Args args;
  roofscope::ProfileOptions& o = args.options;
  auto* app = root.add_subcommand(
      "profile",
      "Per-op roofline prediction vs measured time, and where the difference goes (hardware / OS / software)");
  app->footer(examples(std::string("Columns: t_roof_theoretical/measured/cache = max(FLOPs/peak, bytes/bandwidth) "
                                   "with the paper roofs, the measured roofs (DRAM), and the bandwidth of the cache "
                                   "level holding the op's working set. Losses: hardware = t_roof_measured - "
                                   "t_roof_theoretical; OS: ") +
                           kOsColumnDoc + " software = t_actual - t_roof_measured - OS.",
                       {"roofscope profile mobilenet_v2 --html mobilenet_v2.html",
                        "roofscope profile resnet18 --sort loss --top 10 --format md > resnet18.md"}));
  add_model_options(app, args.model, true, &args.sweep.batches);
  add_thread_options(app, o.threads, &args.sweep.threads);
  add_tune_option(app, o.tune);
  add_measure_options(app, o.measure, "Measured runs per arm");
  app->add_flag("--no-ab", o.no_ab, "Skip the shields-off arm (--no-pool --no-bind): the OS column is then n/a");
  app->add_option("--machine", o.machine_file, "Machine profile JSON to predict with (default: the cached one, "
                                                  "calibrated on first use)");
  app->add_option("--mem-bw-gbs", o.mem_bw_gbs, "Theoretical DRAM bandwidth in GB/s when dmidecode cannot tell")
      ->check(finite_at_least(0, true));
  app->add_option("--sort", o.sort, "Row order: time|loss|efficiency|flops")->capture_default_str();
  app->add_option("--top", o.top, "Show only the first K rows (totals stay over all ops)");
  add_format_option(app, args.format, "table|csv|json|md", "table");
  add_columns_options(app, o.columns);
  app->add_flag("--totals", o.csv_totals, "CSV: end with the totals row (by default the CSV holds only op rows; "
                                          "the table, Markdown and JSON always show the totals)");
  app->add_option("--plot", o.plot, "Write the log-log roofline plot (SVG) to FILE");
  app->add_option("--html", o.html, "Write a self-contained HTML report (plot, sortable table, machine) to FILE");
  app->add_option("--trace", o.trace, "Write a Chrome trace / Perfetto JSON (one slice per op per run) to FILE");
  app->callback([] {
    if (resolve_sweep(args.sweep, args.model, args.options.threads)) {
      fmt::print("{}", roofscope::profile_sweep(args.model, args.options, args.sweep, args.format));
      return;
    }
    check_threads(args.options.threads.threads);
    fmt::print("{}", roofscope::profile(args.model, args.options, args.format));
  });
}

}  // namespace rs::cli
