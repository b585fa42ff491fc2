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

std::string update_machine_cache(MachineProfile& fresh, const CalibrateOptions& options, bool replace) {
  const std::string path = machine_cache_path(options);
  if (fresh.max_threads() != fresh.cpu.physical_cores)  // a --threads 1 run would make later commands recalibrate
    return fmt::format("not cached: it covers 1..{} threads of {} (the cache needs every core)", fresh.max_threads(),
                       fresh.cpu.physical_cores);
  std::error_code ec;
  if (fresh.measured.quick && !replace && fs::exists(path, ec)) {
    try {
      const MachineProfile cached = load_machine_profile(path);
      if (!cached.measured.quick && profile_mismatch(cached, fresh.max_threads()).empty())
        return fmt::format("kept the full profile in {} (a quick calibration does not replace a full one; "
                           "--replace to force)", path);
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
