// `roofscope calibrate`: measure this machine's roofs and show them beside the theoretical ones (issue 3).
#include <iostream>

#include "profiler/calibrate.h"
#include "tools/cli.h"

namespace rs::cli {

void add_calibrate_command(CLI::App& root) {
  struct Args {
    CalibrateOptions options;
    std::string format = "table";
    std::string out_file;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = root.add_subcommand(
      "calibrate", "Measure peak FLOP/s and memory bandwidth (L1/L2/L3/DRAM) at 1..N pinned threads, compare with "
                   "the theoretical figures and cache the machine profile.");
  cmd->add_option("--threads", args->options.max_threads, "measure at 1..N threads (default: every physical core)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--quick", args->options.quick, "fewer sweep points and repetitions (a few seconds)");
  cmd->add_option("--out", args->out_file, "also write the profile as JSON to FILE");
  cmd->add_option("--format", args->format, "output on stdout: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--mem-bw-gbs", args->options.mem_bw_gb_per_s,
                  "theoretical DRAM bandwidth in GB/s when dmidecode cannot tell (channels x MT/s x 8 B)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("!--no-progress", args->options.progress, "no progress bar on stderr");
  cmd->callback([args] {
    exit_status() = run_calibrate(args->options, args->format, args->out_file, std::cout);
  });
}

}  // namespace rs::cli
