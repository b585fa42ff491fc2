// `roofscope calibrate`: measure this machine's roofs and show them beside the theoretical ones (issue 3).
#include <fmt/format.h>

#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

void add_calibrate_command(CLI::App& root) {
  struct Args {
    roofscope::CalibrateOptions options;
    std::string format = "table";
  };
  auto args = std::make_shared<Args>();
  roofscope::CalibrateOptions& o = args->options;
  CLI::App* cmd = root.add_subcommand(
      "calibrate", "Measure peak FLOP/s and memory bandwidth (L1/L2/L3/DRAM) at 1..N pinned threads, compare with "
                   "the theoretical figures and cache the machine profile.");
  auto* threads = cmd->add_option("--threads", o.max_threads, "measure at 1..N threads (default: every physical core)")
                      ->check(finite_at_least(1, false));
  auto* quick = cmd->add_flag("--quick", o.quick, "fewer sweep points and repetitions (a few seconds)");
  auto* replace = cmd->add_flag("--replace", o.replace, "let a --quick profile replace a full one in the cache, and "
                                                        "drop the cached roofs that are higher than this run's "
                                                        "(default: roofs only rise)");
  auto* show = cmd->add_flag("--show", o.show, "print the cached machine profile (or --machine FILE) without measuring")
                   ->excludes(threads)
                   ->excludes(quick)
                   ->excludes(replace);
  cmd->add_option("--machine", o.machine_file, "the profile file to print (needs --show)")->needs(show);
  cmd->add_option("--out", o.out_file, "also write the profile as JSON to FILE");
  cmd->add_option("--format", args->format, "output on stdout: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--mem-bw-gbs", o.mem_bw_gbs,
                  "theoretical DRAM bandwidth in GB/s when dmidecode cannot tell (channels x MT/s x 8 B)")
      ->check(finite_at_least(0, true));
  cmd->add_flag("!--no-progress", o.progress, "no progress bar on stderr");
  cmd->add_flag("--wide", o.wide, "table: every column (default: a compact set that fits $COLUMNS, 100 when unset)");
  cmd->footer(examples("", {"roofscope calibrate --quick", "roofscope calibrate --show --format json > machine.json"}));
  cmd->callback([args] { fmt::print("{}", roofscope::calibrate(args->options, args->format)); });
}

}  // namespace rs::cli
