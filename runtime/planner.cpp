#include "runtime/planner.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

namespace rs {

namespace {
std::int64_t align_up(std::int64_t x, std::int64_t a) { return (x + a - 1) / a * a; }

void check(const std::vector<UsageRecord>& records, std::int64_t alignment) {
  if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
    throw std::invalid_argument("plan_memory: alignment must be a power of two, got " + std::to_string(alignment));
  for (const auto& r : records)
    if (r.bytes < 0 || r.first_step > r.last_step)
      throw std::invalid_argument("plan_memory: record '" + r.name + "' has bytes " + std::to_string(r.bytes) +
                                  ", steps " + std::to_string(r.first_step) + ".." + std::to_string(r.last_step));
}
}  // namespace

std::int64_t liveness_lower_bound(const std::vector<UsageRecord>& records, std::int64_t alignment) {
  std::map<int, std::int64_t> delta;  // sweep over step boundaries
  for (const auto& r : records) {
    delta[r.first_step] += align_up(r.bytes, alignment);
    delta[r.last_step + 1] -= align_up(r.bytes, alignment);
  }
  std::int64_t live = 0, peak = 0;
  for (const auto& [step, d] : delta) {
    live += d;
    peak = std::max(peak, live);
  }
  return peak;
}

MemoryPlan plan_memory(std::vector<UsageRecord>& records, std::int64_t alignment) {
  check(records, alignment);
  std::vector<std::size_t> order(records.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return records[a].bytes > records[b].bytes; });
  MemoryPlan plan;
  std::vector<std::size_t> placed;
  for (std::size_t i : order) {
    UsageRecord& r = records[i];
    const std::int64_t size = align_up(r.bytes, alignment);
    // Intervals [offset, end) of placed records that are live at the same time, by offset.
    std::vector<std::pair<std::int64_t, std::int64_t>> busy;
    for (std::size_t j : placed)
      if (lifetimes_overlap(r, records[j]))
        busy.emplace_back(records[j].offset, records[j].offset + align_up(records[j].bytes, alignment));
    std::sort(busy.begin(), busy.end());
    std::int64_t best = -1, best_gap = -1, cursor = 0;
    for (const auto& [lo, hi] : busy) {
      const std::int64_t gap = lo - cursor;
      if (gap >= size && (best < 0 || gap < best_gap)) {
        best = cursor;
        best_gap = gap;
      }
      cursor = std::max(cursor, hi);
    }
    r.offset = best >= 0 ? best : cursor;
    plan.arena_bytes = std::max(plan.arena_bytes, r.offset + size);
    plan.naive_bytes += size;
    placed.push_back(i);
  }
  plan.lower_bound_bytes = liveness_lower_bound(records, alignment);
  return plan;
}

}  // namespace rs
