// Plateau detection; see microbench_plateau.h.
#include "profiler/machine/microbench_plateau.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "runtime/stats.h"

namespace rs {
namespace {

/// Runs of consecutive points (sorted by size) whose bandwidth stays within `tolerance` of the run's median.
std::vector<std::vector<size_t>> segment(const std::vector<SweepPoint>& curve, double tolerance) {
  std::vector<std::vector<size_t>> runs;
  std::vector<double> values;
  const double limit = std::log1p(tolerance);
  for (size_t i = 0; i < curve.size(); ++i) {
    const double bw = curve[i].gb_per_s;
    if (!runs.empty() && std::fabs(std::log(bw / median(values))) <= limit) {
      runs.back().push_back(i);
      values.push_back(bw);
      continue;
    }
    runs.push_back({i});
    values.assign(1, bw);
  }
  return runs;
}

bool inside(const MemoryLevelWindow& w, std::int64_t bytes) { return bytes > w.lower_bytes && bytes <= w.upper_bytes; }

Plateau plateau_from(const std::string& level, const std::vector<SweepPoint>& curve, const std::vector<size_t>& used) {
  Plateau p;
  p.level = level;
  std::vector<double> values;
  for (size_t i : used) values.push_back(curve[i].gb_per_s);
  p.gb_per_s = median(values);
  p.first_bytes = curve[used.front()].working_set_bytes;
  p.last_bytes = curve[used.back()].working_set_bytes;
  p.points = static_cast<int>(used.size());
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  p.flatness = p.gb_per_s > 0 ? (*hi - *lo) / p.gb_per_s : 0;
  p.detected = used.size() >= 2;
  return p;
}

}  // namespace

std::vector<MemoryLevelWindow> level_windows(const std::vector<CacheLevel>& caches, int threads) {
  if (threads < 1) throw std::invalid_argument("level_windows: threads must be >= 1 (got " +
                                               std::to_string(threads) + ")");
  std::vector<MemoryLevelWindow> windows;
  std::int64_t lower = 0;
  for (const CacheLevel& c : caches) {
    const int sharing = std::max(1, c.cores_sharing);
    const std::int64_t capacity = c.size_bytes * ((threads + sharing - 1) / sharing);
    if (capacity <= lower) continue;  // a level no larger than the previous one cannot show a plateau
    windows.push_back({"L" + std::to_string(c.level), lower, capacity});
    lower = capacity;
  }
  windows.push_back({"DRAM", lower, std::numeric_limits<std::int64_t>::max()});
  return windows;
}

std::vector<Plateau> detect_plateaus(std::vector<SweepPoint> curve, const std::vector<MemoryLevelWindow>& windows,
                                     double tolerance) {
  curve.erase(std::remove_if(curve.begin(), curve.end(),
                             [](const SweepPoint& p) { return !(p.gb_per_s > 0) || !std::isfinite(p.gb_per_s); }),
              curve.end());
  std::sort(curve.begin(), curve.end(),
            [](const SweepPoint& a, const SweepPoint& b) { return a.working_set_bytes < b.working_set_bytes; });
  const auto runs = segment(curve, tolerance);
  std::vector<Plateau> plateaus;
  for (const MemoryLevelWindow& w : windows) {
    // The run with the most points inside the window; ties go to the run that lies more inside it. DRAM (the open
    // last window) is what remains as the working set grows: the run that holds the largest working set.
    const bool open_ended = w.upper_bytes == std::numeric_limits<std::int64_t>::max();
    std::vector<size_t> best;
    double best_fraction = -1;
    for (const auto& run : runs) {
      if (open_ended && run.back() + 1 != curve.size()) continue;
      std::vector<size_t> in;
      for (size_t i : run)
        if (inside(w, curve[i].working_set_bytes)) in.push_back(i);
      const double fraction = static_cast<double>(in.size()) / static_cast<double>(run.size());
      if (in.size() > best.size() || (!in.empty() && in.size() == best.size() && fraction > best_fraction)) {
        best = std::move(in);
        best_fraction = fraction;
      }
    }
    if (!best.empty()) plateaus.push_back(plateau_from(w.level, curve, best));
  }
  return plateaus;
}

}  // namespace rs
