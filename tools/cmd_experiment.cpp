// `roofscope experiment list | NAME... | all`: test model-design advice (seed 001 §II-§IV) on this machine.
#include <fmt/format.h>

#include "runtime/topology.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

void add_experiment_command(CLI::App& root) {
  struct Args {
    roofscope::ExperimentOptions options;
    std::string format;
  };
  static Args args;
  roofscope::ExperimentOptions& o = args.options;
  auto* app = root.add_subcommand("experiment",
                                  "Test model-design advice on this machine: paired/swept arms, interleaved runs, "
                                  "95% CIs of the median, a verdict per claim");
  app->footer(examples("NAME: `list` to see the experiments, one or more names, or `all` (which also writes the "
                       "Markdown report, --out, and a roofline SVG per experiment next to it). Verdicts: holds / "
                       "does not hold / inconclusive (the 95% intervals overlap).",
                       {"roofscope experiment list", "roofscope experiment all --quick --out experiments.md"}));
  app->add_option("names", o.names, "list | all | experiment names")->required();
  o.threads = topology().physical_cores;
  app->add_option("--threads", o.threads, fmt::format("OpenMP threads of the arms, pinned one per core (default: "
                                                      "every physical core, {} here)", o.threads));
  app->add_flag("--quick", o.quick, "Small sizes and few repetitions (all: ~2-3 minutes on 2 cores)");
  app->add_flag("--tiny", o.tiny, "Smallest sizes, for smoke tests (numbers meaningless)")->group("");
  app->add_option("--reps", o.reps, "Measured runs per arm, at least (default by scale: 15 quick, 31 full)")
      ->check(CLI::Range(1, 1000000));
  app->add_option("--warmup", o.warmup, "Warm-up runs per arm (default by scale: 2 quick, 5 full)")
      ->check(CLI::Range(0, 1000000));
  add_format_option(app, args.format, "table|csv|json|md", "table");
  app->add_option("--out", o.out, std::string("Write the Markdown report (and a roofline SVG per experiment next to "
                                               "it) to FILE, for any selection (default for `all`: ") +
                                       roofscope::kDefaultExperimentReport + "; none otherwise)");
  add_columns_options(app, o.columns);
  app->add_option("--machine", o.machine_file, "Machine profile JSON (default: the cached one, calibrated on "
                                                  "first use)");
  app->add_option("--mem-bw-gbs", o.mem_bw_gbs, "Theoretical DRAM bandwidth in GB/s when dmidecode cannot tell")
      ->check(finite_at_least(0, true));
  app->callback([] {
    const std::vector<std::string>& names = args.options.names;
    if (!(names.size() == 1 && names[0] == "list")) check_threads(args.options.threads);
    fmt::print("{}", roofscope::experiment(args.options, args.format));
  });
}

}  // namespace rs::cli
