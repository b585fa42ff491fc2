// Plateau detection on a bandwidth-vs-working-set curve: which bandwidth belongs to L1, L2, L3 and DRAM.
//
// The curve is cut into plateaus (runs of points within a tolerance of the run's median); each memory level then
// takes the plateau that has the most points inside the level's capacity window (from hwloc cache sizes, aggregated
// over the cores in use), and reports the median of those points; DRAM takes the run that ends the curve (what is left
// as the working set grows, even when a hidden cache stretches the transition). Transition points are ignored.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/topology.h"

namespace rs {

/// One measured point: all arrays of the kernel together, and the bandwidth in GB/s.
struct SweepPoint {
  std::int64_t working_set_bytes = 0;
  double gb_per_s = 0;
};

/// Working sets in (lower_bytes, upper_bytes] are served by `level` ("L1", "L2", "L3" or "DRAM").
struct MemoryLevelWindow {
  std::string level;
  std::int64_t lower_bytes = 0;
  std::int64_t upper_bytes = 0;  ///< INT64_MAX for DRAM
};

/// Capacity windows for `threads` threads on cores 0..threads-1: a cache shared by s cores contributes
/// ceil(threads / s) instances; levels follow `caches` (ascending), DRAM comes after the last one.
/// Throws std::invalid_argument when threads < 1.
std::vector<MemoryLevelWindow> level_windows(const std::vector<CacheLevel>& caches, int threads);

/// The bandwidth of one memory level.
struct Plateau {
  std::string level;
  double gb_per_s = 0;             ///< median of the plateau's points inside the window
  std::int64_t first_bytes = 0;    ///< smallest and largest working set used
  std::int64_t last_bytes = 0;
  int points = 0;                  ///< points used
  double flatness = 0;             ///< (max - min) / median of the points used
  bool detected = false;           ///< true when >= 2 points of one plateau fall in the window
};

/// Plateaus for each window that has at least one point (levels without points are left out), in window order.
/// `tolerance` is the relative deviation from a run's median that still belongs to the run (default 15%).
std::vector<Plateau> detect_plateaus(std::vector<SweepPoint> curve, const std::vector<MemoryLevelWindow>& windows,
                                     double tolerance = 0.15);

}  // namespace rs
