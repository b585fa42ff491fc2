#include "profiler/report/chrome_trace.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace rs {

namespace {

using nlohmann::json;

constexpr int kPid = 1;
constexpr int kTid = 1;

json metadata(const char* what, int tid, const std::string& name) {
  return {{"name", what}, {"ph", "M"}, {"pid", kPid}, {"tid", tid}, {"args", {{"name", name}}}};
}

void check_samples(const ModelProfile& p) {
  const std::size_t runs = p.run_start_s.size();
  if (p.step_s.size() != p.ops.size())
    throw std::invalid_argument(fmt::format("chrome_trace: step_s has {} rows for {} ops (expected one per op)",
                                            p.step_s.size(), p.ops.size()));
  auto bad = [](double t) { return !std::isfinite(t) || t < 0; };
  for (std::size_t r = 0; r < runs; ++r)
    if (bad(p.run_start_s[r]))
      throw std::invalid_argument(fmt::format("chrome_trace: run_start_s[{}] = {}: expected a finite time >= 0", r,
                                              p.run_start_s[r]));
  for (std::size_t i = 0; i < p.ops.size(); ++i) {
    if (p.step_s[i].size() != runs)
      throw std::invalid_argument(fmt::format("chrome_trace: step_s[{}] (op '{}') has {} runs, run_start_s has {}", i,
                                              p.ops[i].name, p.step_s[i].size(), runs));
    for (std::size_t r = 0; r < runs; ++r)
      if (bad(p.step_s[i][r]))
        throw std::invalid_argument(fmt::format("chrome_trace: step_s[{}][{}] (op '{}') = {}: expected a finite time "
                                                ">= 0 s", i, r, p.ops[i].name, p.step_s[i][r]));
  }
}

json slice(const OpProfile& op, std::size_t run, double ts_us, double dur_us) {
  return {{"name", op.name},
          {"cat", op_kind_name(op.kind)},
          {"ph", "X"},
          {"pid", kPid},
          {"tid", kTid},
          {"ts", ts_us},
          {"dur", dur_us},
          {"args",
           {{"run", run},
            {"flops", op.cost.flops},
            {"bytes", op.cost.bytes},
            {"impl", op.impl},
            {"label", op.label},
            {"intensity_flop_per_byte", op.cost.intensity()}}}};
}

}  // namespace

json chrome_trace(const ModelProfile& p) {
  json events = json::array();
  events.push_back(metadata("process_name", 0, fmt::format("roofscope profile: {} ({} thread{})", p.model, p.threads,
                                                            p.threads == 1 ? "" : "s")));
  events.push_back(metadata("thread_name", kTid, "ops (measured runs, shields on)"));
  if (!p.step_s.empty()) {
    check_samples(p);
    for (std::size_t r = 0; r < p.run_start_s.size(); ++r) {
      double t_us = p.run_start_s[r] * 1e6;
      for (std::size_t i = 0; i < p.ops.size(); ++i) {
        const double dur_us = p.step_s[i][r] * 1e6;
        events.push_back(slice(p.ops[i], r, t_us, dur_us));
        t_us += dur_us;
      }
    }
  }
  return {{"traceEvents", std::move(events)},
          {"displayTimeUnit", "ms"},
          {"otherData",
           {{"model", p.model},
            {"threads", p.threads},
            {"runs", p.run_start_s.size()},
            {"note", "ops of one run laid end to end from the run's start; gaps are outside the ops"}}}};
}

}  // namespace rs
