// `roofscope calibrate`: measure this machine's roofs (FMA peak, STREAM bandwidth per memory level, at 1..N pinned
// threads), put them beside the theoretical ones, and keep the result as a machine profile cached under
// $XDG_CACHE_HOME/roofscope/ (or ~/.cache/roofscope/), keyed by CPU model and core count.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>

#include "profiler/machine/machine_profile.h"

namespace rs {

struct CalibrateOptions {
  int max_threads = 0;           ///< measure at 1..max_threads threads (0 = every physical core)
  bool quick = false;            ///< fewer sweep points and repetitions (<= 5 s on 2 cores instead of <= 30 s)
  double mem_bw_gb_per_s = 0;    ///< --mem-bw-gbs: theoretical DRAM bandwidth when dmidecode cannot tell (0 = none)
  std::string machine_file;      ///< --machine: use this profile instead of the cache (load_or_calibrate only)
  std::string cache_dir;         ///< "" = $XDG_CACHE_HOME/roofscope, else $HOME/.cache/roofscope
  bool progress = true;          ///< progress bar on stderr (drawn only when stderr is a terminal)
  // Sweep overrides (0 = automatic), for tests and experiments.
  std::int64_t sweep_min_bytes = 0;  ///< default 16 KiB
  std::int64_t sweep_max_bytes = 0;  ///< default 8 x (quick: 4 x) the last-level cache of all cores in use, >= 64 MiB
  int points_per_octave = 0;         ///< default 3 (quick: 2)
  int repetitions = 0;               ///< default 5 (quick: 3)
};

/// Measures now and returns the profile (never touches the cache). Threads are pinned with bind_threads and left
/// unbound afterwards. Throws std::invalid_argument when max_threads is out of 1..cores.
MachineProfile calibrate(const CalibrateOptions& options);

/// --machine file when given (errors propagate: a user-supplied profile is never silently replaced); else the
/// cached profile when it is valid, of this CPU model and core count and covers the threads asked for; else a quick
/// calibration (whatever options.quick says), saved to the cache. A corrupt, truncated or foreign cache file is
/// reported in one line on `log` and recalibrated, never trusted.
MachineProfile load_or_calibrate(const CalibrateOptions& options, std::ostream& log);

/// The cache file for this machine: <dir>/machine-<cpu-model-slug>-<cores>c.json.
std::string machine_cache_path(const CalibrateOptions& options);
/// `s` lower-cased, every run of other characters than letters and digits one '-', no '-' at the ends; `fallback`
/// when nothing is left. For cache file names.
std::string file_slug(const std::string& s, const std::string& fallback);
/// The cache folder of machine profiles and tuning caches: options.cache_dir, else $XDG_CACHE_HOME/roofscope, else
/// $HOME/.cache/roofscope, else <tmp>/roofscope.
std::string cache_dir(const CalibrateOptions& options);

/// Reads and validates a profile file; throws MachineProfileError naming the file and what is wrong.
MachineProfile load_machine_profile(const std::string& path);

/// Writes the profile as JSON with write_file_atomically() (profiler/files.h: whole or not at all, never over a
/// device, FIFO or directory); creates the parent folder only when create_parent (the cache). Throws
/// std::runtime_error when the file cannot be written.
void save_machine_profile(const MachineProfile& profile, const std::string& path, bool create_parent = false);

/// Roofs only rise: every compute probe (per ISA/probe and thread count) and every level's per-kernel bandwidth of
/// `fresh` becomes the higher of its own and `cached`'s figure, so a calibration taken in a noisy or slow moment
/// cannot pull a roof below what this machine has attained; a kept peak's detail says which calibration it came
/// from, and fresh.warnings counts them. Returns the number of figures kept from `cached`.
int keep_higher_roofs(MachineProfile& fresh, const MachineProfile& cached);

/// Saves `fresh` as this machine's cached profile unless the cache holds a full profile and `fresh` is a quick one
/// (a quick calibration never replaces a full one unless `replace`), or `fresh` does not cover every core. Unless
/// `replace`, a cached profile of this CPU first lends `fresh` its higher roofs (keep_higher_roofs()). Returns
/// one line saying what was done, e.g. "machine profile cached: PATH" or "kept the full profile in PATH (...)".
/// Sets fresh.loaded_from to the path when it was saved. Throws std::runtime_error when the file cannot be written.
std::string update_machine_cache(MachineProfile& fresh, const CalibrateOptions& options, bool replace);

/// Why `profile` cannot stand for this machine at `threads` threads ("" when it can): another CPU model, core count,
/// or fewer thread counts measured.
std::string profile_mismatch(const MachineProfile& profile, int threads);

}  // namespace rs
