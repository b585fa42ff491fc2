#include "profiler/report/chrome_trace.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace rs {

namespace {

using nlohmann::json;

/// One measured arm as a process of the trace; `arm` indexes TraceSamples::counts and thread_counts.
struct ArmView {
  int pid = kTracePidShieldsOn;
  std::size_t arm = 0;
  std::string name;
  const char* step_key;   ///< the sample arrays' names, for messages
  const char* start_key;
  const std::vector<std::vector<double>>* step_s;
  const std::vector<double>* run_start_s;
  std::size_t runs() const { return run_start_s->size(); }
};

std::vector<ArmView> arm_views(const ModelProfile& p) {
  std::vector<ArmView> out = {{kTracePidShieldsOn, 0, "shields on: pool, pinned threads", "step_s", "run_start_s",
                               &p.step_s, &p.run_start_s}};
  if (!p.trace.step_shields_off_s.empty() || !p.trace.run_start_shields_off_s.empty())
    out.push_back({kTracePidShieldsOff, 1, "shields off: no pool, no binding", "trace.step_shields_off_s",
                   "trace.run_start_shields_off_s", &p.trace.step_shields_off_s, &p.trace.run_start_shields_off_s});
  return out;
}

bool bad_time(double t) { return !std::isfinite(t) || t < 0; }

void check_rows(const std::string& what, std::size_t rows, std::size_t expected, const char* per) {
  if (rows != expected)
    throw std::invalid_argument(fmt::format("chrome_trace: {} has {} rows for {} {}s (expected one per {})", what, rows,
                                            expected, per, per));
}

/// Every row of `rows` ([op][run]) has `runs` entries.
template <typename T>
void check_runs(const ModelProfile& p, const char* what, const std::vector<std::vector<T>>& rows, const ArmView& a) {
  check_rows(what, rows.size(), p.ops.size(), "op");
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].size() != a.runs())
      throw std::invalid_argument(fmt::format("chrome_trace: {}[{}] (op '{}') has {} runs, {} has {}", what, i,
                                              p.ops[i].name, rows[i].size(), a.start_key, a.runs()));
}

void check_arm(const ModelProfile& p, const ArmView& a) {
  for (std::size_t r = 0; r < a.runs(); ++r)
    if (bad_time((*a.run_start_s)[r]))
      throw std::invalid_argument(fmt::format("chrome_trace: {}[{}] = {}: expected a finite time >= 0", a.start_key, r,
                                              (*a.run_start_s)[r]));
  check_runs(p, a.step_key, *a.step_s, a);
  for (std::size_t i = 0; i < p.ops.size(); ++i)
    for (std::size_t r = 0; r < a.runs(); ++r)
      if (bad_time((*a.step_s)[i][r]))
        throw std::invalid_argument(fmt::format("chrome_trace: {}[{}][{}] (op '{}') = {}: expected a finite time >= 0 s",
                                                a.step_key, i, r, p.ops[i].name, (*a.step_s)[i][r]));
  const TraceSamples& t = p.trace;
  const std::string counts = fmt::format("trace.counts[{}]", a.arm);
  if (!t.counts[a.arm].empty()) check_runs(p, counts.c_str(), t.counts[a.arm], a);
  for (std::size_t k = 0; k < t.thread_counts[a.arm].size(); ++k)
    check_rows(fmt::format("trace.thread_counts[{}][{}]", a.arm, k), t.thread_counts[a.arm][k].size(), p.ops.size(),
               "op");
  if (a.arm == 0 && !t.live_bytes.empty()) check_rows("trace.live_bytes", t.live_bytes.size(), p.ops.size(), "op");
}

json metadata(int pid, const char* what, json args, int tid = 0) {
  return {{"name", what}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", std::move(args)}};
}

/// A finite number, else null (JSON has no NaN).
json number(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

std::string shapes(const std::vector<Dims>& dims) {
  std::vector<std::string> s;
  for (const Dims& d : dims) s.push_back(dims_str(d));
  return fmt::format("{}", fmt::join(s, " "));
}

json slice(const OpProfile& op, const ArmView& a, std::size_t run, double ts_us, double dur_s) {
  const double flops = static_cast<double>(op.cost.flops);
  return {{"name", op.name},
          {"cat", op_kind_name(op.kind)},
          {"ph", "X"},
          {"pid", a.pid},
          {"tid", kTraceTidOps},
          {"ts", ts_us},
          {"dur", dur_s * 1e6},
          {"args",
           {{"arm", a.arm == 0 ? "shields on" : "shields off"},
            {"run", run},
            {"label", op.label},
            {"impl", op.impl},
            {"src_shapes", shapes(op.src_dims)},
            {"weights_shape", op.weights_dims.empty() ? "" : dims_str(op.weights_dims)},
            {"dst_shape", op.dst_dims.empty() ? "" : dims_str(op.dst_dims)},
            {"flops", op.cost.flops},
            {"bytes", op.cost.bytes},
            {"intensity_flop_per_byte", number(op.cost.intensity())},
            {"t_roof_measured_s", number(op.t_roof_measured_s)},
            {"efficiency", number(op.efficiency)},
            {"efficiency_run", number(dur_s > 0 ? op.t_roof_measured_s / dur_s : NAN)},
            {"attained_gflops_per_s", number(dur_s > 0 ? flops / dur_s / 1e9 : NAN)}}}};
}

/// The finite counts as counter args (empty when none is known).
json os_args(const OsCounts& c) {
  json args = json::object();
  if (std::isfinite(c.page_faults)) args["page_faults"] = c.page_faults;
  if (std::isfinite(c.context_switches)) args["context_switches"] = c.context_switches;
  if (std::isfinite(c.migrations)) args["migrations"] = c.migrations;
  return args;
}

/// The counters of one arm at one op of one run: name -> args.
std::vector<std::pair<std::string, json>> counters_at(const ModelProfile& p, const ArmView& a, std::size_t op,
                                                       std::size_t run) {
  std::vector<std::pair<std::string, json>> out;
  const TraceSamples& t = p.trace;
  if (!t.counts[a.arm].empty()) out.emplace_back("OS events", os_args(t.counts[a.arm][op][run]));
  for (std::size_t k = 0; k < t.thread_counts[a.arm].size(); ++k)
    out.emplace_back(fmt::format("OpenMP thread {}", k), os_args(t.thread_counts[a.arm][k][op]));
  if (a.arm == 0 && !t.live_bytes.empty()) out.emplace_back("arena", json{{"live_bytes", t.live_bytes[op]}});
  if (a.arm == 1 && t.fresh_mapped_bytes > 0 && op == 0)
    out.emplace_back("fresh mappings", json{{"mapped_bytes", t.fresh_mapped_bytes}});
  return out;
}

json counter(int pid, const std::string& name, double ts_us, json args) {
  return {{"name", name}, {"ph", "C"}, {"pid", pid}, {"tid", kTraceTidOps}, {"ts", ts_us}, {"args", std::move(args)}};
}

/// Run `r` of arm `a`: its op slices end to end, the counters at each op's start, every counter back to 0 at the end.
void add_run(json& events, const ModelProfile& p, const ArmView& a, std::size_t r) {
  double t_us = (*a.run_start_s)[r] * 1e6;
  json last = json::object();  // name -> args with every value 0
  for (std::size_t i = 0; i < p.ops.size(); ++i) {
    const double dur_s = (*a.step_s)[i][r];
    events.push_back(slice(p.ops[i], a, r, t_us, dur_s));
    for (auto& [name, args] : counters_at(p, a, i, r)) {
      if (args.empty()) continue;
      json zero = args;
      for (auto& v : zero) v = 0;
      last[name] = std::move(zero);
      events.push_back(counter(a.pid, name, t_us, std::move(args)));
    }
    t_us += dur_s * 1e6;
  }
  for (auto it = last.begin(); it != last.end(); ++it) events.push_back(counter(a.pid, it.key(), t_us, it.value()));
}

void add_arm(json& events, const ModelProfile& p, const ArmView& a) {
  events.push_back(metadata(a.pid, "process_name",
                            {{"name", fmt::format("{} ({} thread{})", a.name, p.threads, p.threads == 1 ? "" : "s")}}));
  events.push_back(metadata(a.pid, "process_sort_index", {{"sort_index", a.pid}}));
  events.push_back(metadata(a.pid, "thread_name", {{"name", "ops (timed runs)"}}, kTraceTidOps));
  for (std::size_t r = 0; r < a.runs(); ++r) add_run(events, p, a, r);
}

json other_data(const ModelProfile& p, const std::vector<ArmView>& arms) {
  const bool per_thread = !p.trace.thread_counts[0].empty();
  return {{"model", p.model},
          {"threads", p.threads},
          {"runs", p.run_start_s.size()},
          {"arms", arms.size()},
          {"os_counter_source", p.os_counter_source},
          {"per_thread", per_thread ? "OS counters per OpenMP thread (perf_event_open per thread) as the counter tracks "
                                      "'OpenMP thread T': per-op means over the counting runs"
                                    : "none: the OS counters are not per thread"},
          {"notes",
           {"op slices are per arm, not per thread: a oneDNN primitive runs on the whole OpenMP team and only its "
            "time from the first op's start to its completion is measured",
            "ops of one run laid end to end from the run's start; gaps are outside the ops",
            "OS events are counted in separate counting runs (reading the counters between ops would inflate the "
            "timed ones): counting run r is drawn at the ops of timed run r",
            "arena live_bytes: the planner's usage records, bytes live during each step (max = the memory lower "
            "bound); fresh mappings: the shields-off arm maps its tensors afresh for each run"}}};
}

}  // namespace

json chrome_trace(const ModelProfile& p) {
  const std::vector<ArmView> arms = arm_views(p);
  json events = json::array();
  for (const ArmView& a : arms) {
    if (!a.step_s->empty() || a.runs() > 0) check_arm(p, a);
    add_arm(events, p, a);
  }
  return {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}, {"otherData", other_data(p, arms)}};
}

}  // namespace rs
