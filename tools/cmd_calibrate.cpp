// `roofscope calibrate`: measure this machine's roofs and show them beside the theoretical ones (issue 3).
#include <iostream>

#include "profiler/machine/calibrate.h"
#include "graph/files.h"
#include "profiler/report/machine_report.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

namespace {
/// Calibrates, updates the cache (update_machine_cache: a quick profile keeps a full one unless `replace`), says so on
/// stderr, writes `out_file` (JSON) when not empty, prints `format` ("table" or "json") to `out`. Returns the exit
/// status. Throws std::invalid_argument on a bad format.
/// show: print the cached profile (or --machine FILE) instead of measuring.
int run_calibrate(const CalibrateOptions& options, const std::string& format, const std::string& out_file,
                  bool replace, bool show, std::ostream& out) {
  if (format != "table" && format != "json")
    throw std::invalid_argument("calibrate: --format must be table or json (got " + format + ")");
  if (!out_file.empty()) check_writable(out_file);  // before the work, not after it
  MachineProfile profile;
  if (show) {
    const std::string path = options.machine_file.empty() ? machine_cache_path(options) : options.machine_file;
    profile = load_machine_profile(path);  // MachineProfileError names the file and what is wrong
    std::cerr << "roofscope: machine profile " << path << std::endl;
  } else {
    profile = calibrate(options);
    std::cerr << "roofscope: " << update_machine_cache(profile, options, replace) << std::endl;
  }
  const MachineReporter report(profile);
  if (!out_file.empty()) write_file(out_file, report.render(Format::Json), "the machine profile");
  out << report.render(parse_format(format));
  return 0;
}

}  // namespace

void add_calibrate_command(CLI::App& root) {
  struct Args {
    CalibrateOptions options;
    std::string format = "table";
    std::string out_file;
    bool replace = false;
    bool show = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = root.add_subcommand(
      "calibrate", "Measure peak FLOP/s and memory bandwidth (L1/L2/L3/DRAM) at 1..N pinned threads, compare with "
                   "the theoretical figures and cache the machine profile.");
  cmd->add_option("--threads", args->options.max_threads, "measure at 1..N threads (default: every physical core)")
      ->check(finite_at_least(1, false));
  cmd->add_flag("--quick", args->options.quick, "fewer sweep points and repetitions (a few seconds)");
  cmd->add_flag("--show", args->show, "print the cached machine profile (or --machine FILE) without measuring");
  cmd->add_option("--machine", args->options.machine_file, "with --show: the profile file to print");
  cmd->add_flag("--replace", args->replace, "let a --quick profile replace a full one in the cache");
  cmd->add_option("--out", args->out_file, "also write the profile as JSON to FILE");
  cmd->add_option("--format", args->format, "output on stdout: table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--mem-bw-gbs", args->options.mem_bw_gb_per_s,
                  "theoretical DRAM bandwidth in GB/s when dmidecode cannot tell (channels x MT/s x 8 B)")
      ->check(finite_at_least(0, true));
  cmd->add_flag("!--no-progress", args->options.progress, "no progress bar on stderr");
  cmd->callback([args] {
    exit_status() = run_calibrate(args->options, args->format, args->out_file, args->replace, args->show,
                                  std::cout);
  });
}

}  // namespace rs::cli
