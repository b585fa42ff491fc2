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
  for (const auto& r : records) {
    if (r.bytes < 0 || r.first_step < 0 || r.first_step > r.last_step)
      throw std::invalid_argument("plan_memory: record '" + r.name + "' has bytes " + std::to_string(r.bytes) +
                                  ", steps " + std::to_string(r.first_step) + ".." + std::to_string(r.last_step));
    if (r.alias_of < 0) continue;
    if (r.alias_of >= static_cast<int>(records.size()))
      throw std::invalid_argument("plan_memory: record '" + r.name + "' aliases record " + std::to_string(r.alias_of) +
                                  " of " + std::to_string(records.size()));
    const UsageRecord& t = records[static_cast<std::size_t>(r.alias_of)];
    if (t.bytes < r.bytes || t.last_step > r.first_step)
      throw std::invalid_argument("plan_memory: record '" + r.name + "' (" + std::to_string(r.bytes) + " B, from step " +
                                  std::to_string(r.first_step) + ") cannot take over '" + t.name + "' (" +
                                  std::to_string(t.bytes) + " B, live until step " + std::to_string(t.last_step) + ")");
  }
}

// Index of the record at the head of r's in-place chain. Throws on a cycle.
std::size_t root_of(const std::vector<UsageRecord>& records, std::size_t r) {
  for (std::size_t hops = 0; records[r].alias_of >= 0; ++hops) {
    if (hops > records.size()) throw std::invalid_argument("plan_memory: in-place records form a cycle at '" + records[r].name + "'");
    r = static_cast<std::size_t>(records[r].alias_of);
  }
  return r;
}

// One record per in-place chain (lifetime and size of the whole chain), and each record's chain index.
std::vector<UsageRecord> merge_chains(const std::vector<UsageRecord>& records, std::vector<std::size_t>* chain_of) {
  std::vector<UsageRecord> chains;
  std::map<std::size_t, std::size_t> index;  // root -> chain
  chain_of->resize(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::size_t root = root_of(records, i);
    auto [it, added] = index.emplace(root, chains.size());
    if (added) {
      chains.push_back(records[root]);
      chains.back().alias_of = -1;
    }
    UsageRecord& c = chains[it->second];
    c.first_step = std::min(c.first_step, records[i].first_step);
    c.last_step = std::max(c.last_step, records[i].last_step);
    c.bytes = std::max(c.bytes, records[i].bytes);
    (*chain_of)[i] = it->second;
  }
  return chains;
}

/// Bytes live at each step 0..max last_step (a sweep over the step boundaries).
std::vector<std::int64_t> live_of_chains(const std::vector<UsageRecord>& chains, std::int64_t alignment) {
  int steps = 0;
  for (const auto& r : chains) steps = std::max(steps, r.last_step + 1);
  std::vector<std::int64_t> delta(static_cast<std::size_t>(steps) + 1, 0);
  for (const auto& r : chains) {
    delta[static_cast<std::size_t>(r.first_step)] += align_up(r.bytes, alignment);
    delta[static_cast<std::size_t>(r.last_step) + 1] -= align_up(r.bytes, alignment);
  }
  std::vector<std::int64_t> live(static_cast<std::size_t>(steps));
  std::int64_t now = 0;
  for (std::size_t s = 0; s < live.size(); ++s) live[s] = now += delta[s];
  return live;
}

std::int64_t lower_bound_of_chains(const std::vector<UsageRecord>& chains, std::int64_t alignment) {
  const std::vector<std::int64_t> live = live_of_chains(chains, alignment);
  return live.empty() ? 0 : *std::max_element(live.begin(), live.end());
}

// Best-fit placement of records without aliases; fills offsets, returns the arena size.
std::int64_t place(std::vector<UsageRecord>& records, std::int64_t alignment) {
  std::vector<std::size_t> order(records.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return records[a].bytes > records[b].bytes; });
  std::int64_t arena = 0;
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
    arena = std::max(arena, r.offset + size);
    placed.push_back(i);
  }
  return arena;
}
}  // namespace

std::int64_t liveness_lower_bound(const std::vector<UsageRecord>& records, std::int64_t alignment) {
  check(records, alignment);
  std::vector<std::size_t> chain_of;
  return lower_bound_of_chains(merge_chains(records, &chain_of), alignment);
}

std::vector<std::int64_t> live_bytes_by_step(const std::vector<UsageRecord>& records, std::int64_t alignment) {
  check(records, alignment);
  std::vector<std::size_t> chain_of;
  return live_of_chains(merge_chains(records, &chain_of), alignment);
}

MemoryPlan plan_memory(std::vector<UsageRecord>& records, std::int64_t alignment) {
  check(records, alignment);
  std::vector<std::size_t> chain_of;
  std::vector<UsageRecord> chains = merge_chains(records, &chain_of);
  MemoryPlan plan;
  plan.arena_bytes = place(chains, alignment);
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].offset = chains[chain_of[i]].offset;
    plan.naive_bytes += align_up(records[i].bytes, alignment);
  }
  plan.lower_bound_bytes = lower_bound_of_chains(chains, alignment);
  return plan;
}

}  // namespace rs
