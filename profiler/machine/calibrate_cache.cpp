// The machine-profile cache and profile files; see calibrate.h.
#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "graph/files.h"
#include "profiler/machine/calibrate.h"

namespace rs {
namespace {

namespace fs = std::filesystem;

/// `r` = the higher of `r` and `kept`; true when `kept` won (its figure replaces this run's).
bool keep_higher(MeasuredRate& r, const MeasuredRate& kept) {
  if (!(kept.value > r.value)) return false;
  r = kept;
  return true;
}

/// Model name and core count of the machine we run on.
std::pair<std::string, int> this_machine() {
  return {read_cpu_identity().model_name, topology().physical_cores};
}

}  // namespace

std::string file_slug(const std::string& s, const std::string& fallback) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? fallback : out;
}

std::string cache_dir(const CalibrateOptions& o) {
  if (!o.cache_dir.empty()) return o.cache_dir;
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/roofscope";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') return std::string(home) + "/.cache/roofscope";
  return fs::temp_directory_path().string() + "/roofscope";
}

std::string machine_cache_path(const CalibrateOptions& options) {
  const auto [model, cores] = this_machine();
  return fmt::format("{}/machine-{}-{}c.json", cache_dir(options), file_slug(model, "unknown-cpu"), cores);
}

MachineProfile load_machine_profile(const std::string& path) {
  std::ostringstream text;
  try {
    text << read_regular_file(path, 16u << 20, "a machine profile");  // a real one is ~40 KB
  } catch (const FileReadError& e) {
    throw MachineProfileError(e.what());
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw MachineProfileError(fmt::format("{}: not valid JSON (truncated or corrupt?): {}", path, e.what()));
  }
  try {
    MachineProfile profile = j.get<MachineProfile>();
    profile.loaded_from = path;
    return profile;
  } catch (const MachineProfileError& e) {
    throw MachineProfileError(fmt::format("{}: {}", path, e.what()));
  }
}

void save_machine_profile(const MachineProfile& profile, const std::string& path, bool create_parent) {
  try {
    write_file_atomically(path, nlohmann::json(profile).dump(2) + "\n", create_parent);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("machine profile not written: ") + e.what());
  }
}

int keep_higher_roofs(MachineProfile& fresh, const MachineProfile& cached) {
  int kept = 0;
  const std::string from = fmt::format("kept from the calibration of {}", cached.created_utc);
  for (PeakMeasurement& p : fresh.measured.peaks)
    for (const PeakMeasurement& c : cached.measured.peaks)
      if (c.threads == p.threads && c.isa == p.isa && keep_higher(p.gflops_per_s, c.gflops_per_s)) {
        std::string base = c.detail.substr(0, c.detail.find("kept from"));  // "" or "2048x2048x2048, brg...; "
        p.detail = base.empty() ? from : base.substr(0, base.find_last_not_of("; (") + 1) + "; " + from;
        ++kept;
      }
  for (LevelBandwidth& l : fresh.measured.bandwidth)
    for (const LevelBandwidth& c : cached.measured.bandwidth) {
      if (c.level != l.level || c.threads != l.threads) continue;
      for (auto& [kernel, rate] : l.gb_per_s) {
        const auto it = c.gb_per_s.find(kernel);
        if (it != c.gb_per_s.end()) kept += keep_higher(rate, it->second);
      }
    }
  if (kept > 0)
    fresh.warnings.push_back(fmt::format("{} roof figure(s) kept from the cached calibration of {}: higher than this "
                                         "run's (a roof is the best the machine has shown; --replace discards them)",
                                         kept, cached.created_utc));
  return kept;
}

std::string update_machine_cache(MachineProfile& fresh, const CalibrateOptions& options, bool replace) {
  const std::string path = machine_cache_path(options);
  if (fresh.max_threads() != fresh.cpu.physical_cores)  // a --threads 1 run would make later commands recalibrate
    return fmt::format("not cached: it covers 1..{} threads of {} (the cache needs every core)", fresh.max_threads(),
                       fresh.cpu.physical_cores);
  std::error_code ec;
  if (!replace && fs::exists(path, ec)) {
    try {
      const MachineProfile cached = load_machine_profile(path);
      if (profile_mismatch(cached, fresh.max_threads()).empty()) {
        if (fresh.measured.quick && !cached.measured.quick)
          return fmt::format("kept the full profile in {} (a quick calibration does not replace a full one; "
                             "--replace to force)", path);
        keep_higher_roofs(fresh, cached);
      }
    } catch (const MachineProfileError&) {  // a corrupt cache is replaced
    }
  }
  save_machine_profile(fresh, path, /*create_parent=*/true);
  fresh.loaded_from = path;
  return "machine profile cached: " + path;
}

std::string profile_mismatch(const MachineProfile& profile, int threads) {
  const auto [model, cores] = this_machine();
  if (profile.cpu.identity.model_name != model)
    return fmt::format("it describes \"{}\", this CPU is \"{}\"", profile.cpu.identity.model_name, model);
  if (profile.cpu.physical_cores != cores)
    return fmt::format("it describes {} cores, this machine has {}", profile.cpu.physical_cores, cores);
  if (profile.max_threads() < threads)
    return fmt::format("it covers 1..{} threads, {} asked for", profile.max_threads(), threads);
  return {};
}

MachineProfile load_or_calibrate(const CalibrateOptions& options, std::ostream& log) {
  if (!options.machine_file.empty()) return load_machine_profile(options.machine_file);
  const std::string path = machine_cache_path(options);
  const int threads = options.max_threads > 0 ? options.max_threads : topology().physical_cores;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    std::string reason;
    try {
      MachineProfile cached = load_machine_profile(path);
      reason = profile_mismatch(cached, threads);
      if (reason.empty()) return cached;
      reason = path + ": " + reason;
    } catch (const MachineProfileError& e) {
      reason = e.what();
    }
    log << "roofscope: ignoring cached machine profile: " << reason << "; recalibrating (quick)" << std::endl;
  }
  CalibrateOptions quick = options;
  quick.quick = true;
  MachineProfile profile = calibrate(quick);
  try {
    save_machine_profile(profile, path, /*create_parent=*/true);
    profile.loaded_from = path;
  } catch (const std::exception& e) {  // an unwritable cache costs a recalibration next time, nothing more
    log << "roofscope: " << e.what() << "; the profile is not cached" << std::endl;
  }
  return profile;
}

}  // namespace rs
