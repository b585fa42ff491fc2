// roofscope::calibrate (`roofscope calibrate`): measure this machine's roofs, or show the cached profile.
#include <iostream>

#include <fmt/format.h>

#include "api/common.h"
#include "api/provenance.h"
#include "graph/files.h"
#include "graph/units.h"
#include "profiler/machine/calibrate.h"
#include "profiler/report/machine_report.h"

namespace roofscope {

std::string calibrate(const CalibrateOptions& a, const std::string& format) {
  using namespace rs;
  if (format != "table" && format != "json")
    throw std::invalid_argument("calibrate: --format must be table or json (got " + format + ")");
  if (!a.show && !a.machine_file.empty())
    throw std::invalid_argument("calibrate: --machine names the profile --show prints; a calibration measures this "
                                "machine (--out FILE also writes it there)");
  if (!a.out_file.empty()) check_writable(a.out_file);  // before the work, not after it
  rs::CalibrateOptions options;
  options.max_threads = a.max_threads;
  options.quick = a.quick;
  options.machine_file = a.machine_file;
  options.mem_bw_gb_per_s = a.mem_bw_gbs;
  options.progress = a.progress;
  MachineProfile profile;
  if (a.show) {
    const std::string path = options.machine_file.empty() ? machine_cache_path(options) : options.machine_file;
    profile = load_machine_profile(path);  // MachineProfileError names the file and what is wrong
    std::cerr << fmt::format("roofscope: machine profile {} ({}, measured {} ago)", path,
                             profile.measured.quick ? "quick" : "full",
                             format_age(seconds_since_iso8601(profile.created_utc)))
              << std::endl;
  } else {
    profile = rs::calibrate(options);
    std::cerr << "roofscope: " << update_machine_cache(profile, options, a.replace) << std::endl;
  }
  MachineReporter report(profile);
  TableView view;
  view.wide = a.wide;
  report.set_view(view);
  if (!a.out_file.empty()) api::write_file(a.out_file, report.render(Format::Json), "the machine profile");
  return api::render_output(report, parse_format(format), &profile);
}

}  // namespace roofscope
