// Memory planner over usage records (XNNPACK memory-planner style): places tensors largest-first into one arena.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace rs {

/// One buffer's lifetime. first_step..last_step: inclusive step indices during which it must keep its contents
/// (a graph input spans every step, so it is never overwritten). bytes: size; offset: filled by plan_memory().
struct UsageRecord {
  std::string name;
  int first_step = 0;
  int last_step = 0;
  std::int64_t bytes = 0;
  std::int64_t offset = -1;  ///< bytes from the arena start, a multiple of the alignment
  /// In place (XNNPACK's reuse_value_id): index of the record whose storage this one takes over, or -1. The target
  /// ends where this one starts (target.last_step <= first_step: e.g. a conv accumulating into its residual's
  /// buffer with a sum post-op), bytes <= the target's. Both get one offset, live from the first one's first step
  /// to the last one's last step.
  int alias_of = -1;
};

struct MemoryPlan {
  std::int64_t arena_bytes = 0;        ///< size of the one arena holding every record
  std::int64_t lower_bound_bytes = 0;  ///< max over steps of the bytes live at that step (no plan can do better)
  std::int64_t naive_bytes = 0;        ///< sum of all records (one allocation per tensor)
};

/// Assigns offsets: records sorted by size (largest first), each placed in the smallest gap between records already
/// placed whose lifetimes overlap its own (best fit), else after the last of them. Sizes are rounded up to
/// `alignment` bytes (power of two). A chain of in-place records (alias_of) is placed as one. naive_bytes counts every
/// record (aliases too: one allocation per tensor). Throws std::invalid_argument on a negative size or first step,
/// first_step > last_step, an alias_of out of range or in a cycle, an alias larger than its target, or a target
/// still live after its alias starts.
MemoryPlan plan_memory(std::vector<UsageRecord>& records, std::int64_t alignment = 64);

/// Max over steps of the (aligned) bytes of records live at that step (an in-place chain counts once).
std::int64_t liveness_lower_bound(const std::vector<UsageRecord>& records, std::int64_t alignment = 64);

/// The (aligned) bytes of records live at each step 0..max last_step, an in-place chain counted once: the memory
/// timeline of a plan (its max is liveness_lower_bound). Empty for no records. Throws as plan_memory.
std::vector<std::int64_t> live_bytes_by_step(const std::vector<UsageRecord>& records, std::int64_t alignment = 64);

/// True when two records are live at a common step.
inline bool lifetimes_overlap(const UsageRecord& a, const UsageRecord& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

}  // namespace rs
