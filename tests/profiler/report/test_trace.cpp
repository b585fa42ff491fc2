// The Chrome/Perfetto trace of `roofscope profile` (profiler/report/chrome_trace.h), read back with nlohmann-json:
// a process per arm, op slices laid end to end per run with their args, counter tracks (OS events per op, per
// OpenMP thread, the planner's bytes live, the shields-off arm's fresh mappings) consistent with the samples, and
// the same on a real (tiny) profile, where the arena's bytes-live track peaks at the planner's lower bound.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "graph/shape.h"
#include "profiler/report/chrome_trace.h"
#include "profiler/roofline/profile.h"
#include "runtime/planner.h"
#include "runtime/topology.h"
#include "tests/profiler/report/test_outputs_fixture.h"

namespace rs::test_outputs {
namespace {

using nlohmann::json;

constexpr int kThreads = 2;  ///< OpenMP threads of the synthetic per-thread counts

/// Usage records of a 3-step chain (a -> b -> c with a scratchpad at step 1): live 1 KiB, 3 KiB, 2.5 KiB; the
/// synthetic profile has more ops, so steps past 2 have nothing live.
std::vector<UsageRecord> chain_records() {
  return {{"a", 0, 1, 1024}, {"b", 1, 2, 1536}, {"scratch", 1, 1, 512}, {"c", 2, 2, 1024}};
}

/// make_profile(spec) with every part of p.trace filled: the shields-off arm 10% slower and started after the
/// shields-on run, counts[arm][op][run] = {op + run, arm, 0.5}, thread t's counts = {t + 1, op, 0}.
ModelProfile traced_profile(const Spec& spec) {
  ModelProfile p = make_profile(spec);
  TraceSamples& t = p.trace;
  const std::size_t runs = p.run_start_s.size();
  double run_len = 0;
  for (const auto& s : p.step_s) run_len += s.front();
  for (const auto& row : p.step_s) {
    t.step_shields_off_s.emplace_back();
    for (double x : row) t.step_shields_off_s.back().push_back(1.1 * x);
  }
  for (double start : p.run_start_s) t.run_start_shields_off_s.push_back(start + run_len * 1.01);
  for (std::size_t arm = 0; arm < 2; ++arm) {
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
      t.counts[arm].emplace_back();
      for (std::size_t r = 0; r < runs; ++r)
        t.counts[arm].back().push_back({static_cast<double>(i + r), static_cast<double>(arm), 0.5});
    }
    for (int k = 0; k < kThreads; ++k) {
      t.thread_counts[arm].emplace_back();
      for (std::size_t i = 0; i < p.ops.size(); ++i)
        t.thread_counts[arm].back().push_back({k + 1.0, static_cast<double>(i), 0});
    }
  }
  t.live_bytes = live_bytes_by_step(chain_records());
  t.live_bytes.resize(p.ops.size(), 0);
  t.fresh_mapped_bytes = 4096;
  return p;
}

std::vector<json> events_of(const json& trace, const std::string& ph, int pid, const std::string& name = "") {
  std::vector<json> out;
  for (const json& e : trace.at("traceEvents"))
    if (e.at("ph") == ph && e.at("pid") == pid && (name.empty() || e.at("name") == name)) out.push_back(e);
  return out;
}

std::string metadata_name(const json& trace, int pid, const std::string& what) {
  for (const json& e : events_of(trace, "M", pid, what)) return e.at("args").at("name");
  return "(missing)";
}

class Trace : public ::testing::TestWithParam<Spec> {
 protected:
  ModelProfile p = traced_profile(GetParam());
  json t = json::parse(chrome_trace(p).dump());  // survives serialization
};

TEST_P(Trace, HasAProcessPerArmNamedWithItsOpsTrack) {
  EXPECT_NE(metadata_name(t, kTracePidShieldsOn, "process_name").find("shields on"), std::string::npos);
  EXPECT_NE(metadata_name(t, kTracePidShieldsOff, "process_name").find("shields off"), std::string::npos);
  for (int pid : {kTracePidShieldsOn, kTracePidShieldsOff}) {
    EXPECT_EQ(metadata_name(t, pid, "thread_name"), "ops (timed runs)");
    EXPECT_EQ(events_of(t, "M", pid, "process_sort_index").size(), 1u);
  }
  std::set<int> pids;
  for (const json& e : t.at("traceEvents")) pids.insert(e.at("pid").get<int>());
  EXPECT_EQ(pids, (std::set<int>{kTracePidShieldsOn, kTracePidShieldsOff}));
  EXPECT_EQ(t.at("otherData").at("arms"), 2);
}

TEST_P(Trace, EachArmHasOneSlicePerOpPerRunLaidEndToEndWithItsArgs) {
  const std::size_t n_ops = p.ops.size(), runs = p.run_start_s.size();
  const std::vector<std::pair<int, const std::vector<std::vector<double>>*>> arms = {
      {kTracePidShieldsOn, &p.step_s}, {kTracePidShieldsOff, &p.trace.step_shields_off_s}};
  for (const auto& [pid, steps] : arms) {
    const std::vector<json> slices = events_of(t, "X", pid);
    ASSERT_EQ(slices.size(), n_ops * runs);
    const std::vector<double>& starts = pid == kTracePidShieldsOn ? p.run_start_s : p.trace.run_start_shields_off_s;
    for (std::size_t r = 0; r < runs; ++r) {
      double expected_ts = starts[r] * 1e6;
      for (std::size_t i = 0; i < n_ops; ++i) {
        const json& s = slices[r * n_ops + i];
        const json& a = s.at("args");
        const double dur_s = (*steps)[i][r];
        ASSERT_EQ(s.at("name"), p.ops[i].name);
        EXPECT_EQ(s.at("tid"), kTraceTidOps);
        EXPECT_EQ(a.at("run"), r);
        EXPECT_NEAR(s.at("ts").get<double>(), expected_ts, 1e-6);  // microseconds
        EXPECT_NEAR(s.at("dur").get<double>(), dur_s * 1e6, 1e-9);
        EXPECT_EQ(a.at("flops"), p.ops[i].cost.flops);
        EXPECT_EQ(a.at("bytes"), p.ops[i].cost.bytes);
        EXPECT_EQ(a.at("impl"), p.ops[i].impl);
        EXPECT_EQ(a.at("label"), p.ops[i].label);
        for (const char* key : {"src_shapes", "weights_shape", "dst_shape"}) EXPECT_TRUE(a.at(key).is_string()) << key;
        EXPECT_DOUBLE_EQ(a.at("intensity_flop_per_byte").get<double>(), p.ops[i].cost.intensity());
        EXPECT_NEAR(a.at("efficiency").get<double>(), p.ops[i].efficiency, 1e-12);
        EXPECT_NEAR(a.at("efficiency_run").get<double>(), p.ops[i].t_roof_measured_s / dur_s, 1e-9);
        EXPECT_NEAR(a.at("attained_gflops_per_s").get<double>(), p.ops[i].cost.flops / dur_s / 1e9, 1e-6);
        expected_ts += dur_s * 1e6;
      }
    }
  }
}

/// Values of counter `name`.arg in pid, in event order.
std::vector<double> series(const json& t, int pid, const std::string& name, const std::string& arg) {
  std::vector<double> out;
  for (const json& e : events_of(t, "C", pid, name)) out.push_back(e.at("args").at(arg).get<double>());
  return out;
}

TEST_P(Trace, OsCountersPerOpAndRunAndPerThreadEachBackToZeroAtTheRunsEnd) {
  const std::size_t n_ops = p.ops.size(), runs = p.run_start_s.size();
  for (std::size_t arm = 0; arm < 2; ++arm) {
    const int pid = arm == 0 ? kTracePidShieldsOn : kTracePidShieldsOff;
    const std::vector<double> faults = series(t, pid, "OS events", "page_faults");
    const std::vector<double> switches = series(t, pid, "OS events", "context_switches");
    ASSERT_EQ(faults.size(), runs * (n_ops + 1));  // one per op, then the 0 at the run's end
    for (std::size_t r = 0; r < runs; ++r) {
      for (std::size_t i = 0; i < n_ops; ++i) {
        EXPECT_EQ(faults[r * (n_ops + 1) + i], p.trace.counts[arm][i][r].page_faults);
        EXPECT_EQ(switches[r * (n_ops + 1) + i], static_cast<double>(arm));
      }
      EXPECT_EQ(faults[r * (n_ops + 1) + n_ops], 0);
    }
    for (int k = 0; k < kThreads; ++k) {
      const std::vector<double> th = series(t, pid, fmt::format("OpenMP thread {}", k), "page_faults");
      ASSERT_EQ(th.size(), runs * (n_ops + 1)) << k;
      EXPECT_EQ(th.front(), k + 1.0);
      EXPECT_EQ(th.back(), 0);
    }
    EXPECT_TRUE(events_of(t, "C", pid, fmt::format("OpenMP thread {}", kThreads)).empty());
  }
  EXPECT_NE(t.at("otherData").at("per_thread").get<std::string>().find("per OpenMP thread"), std::string::npos);
}

TEST_P(Trace, MemoryTracksFollowThePlannerAndTheFreshMappings) {
  const std::size_t n_ops = p.ops.size(), runs = p.run_start_s.size();
  const std::vector<double> live = series(t, kTracePidShieldsOn, "arena", "live_bytes");
  ASSERT_EQ(live.size(), runs * (n_ops + 1));
  for (std::size_t i = 0; i < n_ops; ++i) EXPECT_EQ(live[i], static_cast<double>(p.trace.live_bytes[i]));
  EXPECT_EQ(*std::max_element(live.begin(), live.end()), static_cast<double>(liveness_lower_bound(chain_records())));
  EXPECT_EQ(live[1], 3072);  // a + b + scratch
  const std::vector<double> mapped = series(t, kTracePidShieldsOff, "fresh mappings", "mapped_bytes");
  ASSERT_EQ(mapped.size(), 2 * runs);  // the run's start, its end
  for (std::size_t r = 0; r < runs; ++r) {
    EXPECT_EQ(mapped[2 * r], 4096);
    EXPECT_EQ(mapped[2 * r + 1], 0);
  }
  EXPECT_TRUE(events_of(t, "C", kTracePidShieldsOff, "arena").empty());
}

INSTANTIATE_TEST_SUITE_P(Profiles, Trace,
                         ::testing::Values(Spec{"full"}, Spec{"no_theory", false, true, 0, 3},
                                           Spec{"no_caches_many_ops", true, false, 60, 4}),
                         [](const ::testing::TestParamInfo<Spec>& info) { return std::string(info.param.name); });

TEST(ChromeTrace, UnknownCountsAndRoofsAreLeftOutOrNull) {
  ModelProfile p = traced_profile(Spec{"unknown"});
  for (auto& row : p.trace.counts[0])
    for (OsCounts& c : row) c.migrations = std::nan("");  // getrusage: no migrations
  p.ops[0].t_roof_measured_s = std::nan("");
  p.ops[0].efficiency = std::nan("");
  const json t = json::parse(chrome_trace(p).dump());
  for (const json& e : events_of(t, "C", kTracePidShieldsOn, "OS events")) EXPECT_FALSE(e.at("args").contains("migrations"));
  const json first = events_of(t, "X", kTracePidShieldsOn).front();
  EXPECT_TRUE(first.at("args").at("efficiency").is_null());
  EXPECT_TRUE(first.at("args").at("efficiency_run").is_null());
}

TEST(ChromeTrace, WithoutSamplesHasTheShieldsOnMetadataOnly) {
  ModelProfile p = make_profile(Spec{"no_samples"});
  p.step_s.clear();
  p.run_start_s.clear();
  const json t = chrome_trace(p);
  ASSERT_EQ(t.at("traceEvents").size(), 3u);  // process_name, process_sort_index, thread_name
  for (const auto& e : t.at("traceEvents")) {
    EXPECT_EQ(e.at("ph"), "M");
    EXPECT_EQ(e.at("pid"), kTracePidShieldsOn);
  }
}

struct BadSamples {
  const char* what;
  void (*corrupt)(ModelProfile&);
  const char* message;
};

class ChromeTraceRejects : public ::testing::TestWithParam<BadSamples> {};

TEST_P(ChromeTraceRejects, NamingTheArrayOpAndRun) {
  ModelProfile p = traced_profile(Spec{"bad"});
  GetParam().corrupt(p);
  try {
    chrome_trace(p);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Samples, ChromeTraceRejects,
    ::testing::Values(
        BadSamples{"missing_row", [](ModelProfile& p) { p.step_s.pop_back(); }, "step_s has 7 rows for 8 ops"},
        BadSamples{"short_row", [](ModelProfile& p) { p.step_s[2].pop_back(); },
                   "step_s[2] (op 'maxpool') has 4 runs, run_start_s has 5"},
        BadSamples{"nan_step", [](ModelProfile& p) { p.step_s[0][3] = std::nan(""); },
                   "step_s[0][3] (op 'conv1') = nan: expected a finite time >= 0 s"},
        BadSamples{"negative_start", [](ModelProfile& p) { p.run_start_s[1] = -1; },
                   "run_start_s[1] = -1: expected a finite time >= 0"},
        BadSamples{"off_short_row", [](ModelProfile& p) { p.trace.step_shields_off_s[1].pop_back(); },
                   "trace.step_shields_off_s[1] (op 'reorder.conv1.src') has 4 runs, trace.run_start_shields_off_s "
                   "has 5"},
        BadSamples{"off_negative_step", [](ModelProfile& p) { p.trace.step_shields_off_s[0][0] = -1; },
                   "trace.step_shields_off_s[0][0] (op 'conv1') = -1"},
        BadSamples{"counts_rows", [](ModelProfile& p) { p.trace.counts[1].pop_back(); },
                   "trace.counts[1] has 7 rows for 8 ops"},
        BadSamples{"counts_runs", [](ModelProfile& p) { p.trace.counts[0][4].push_back({}); },
                   "trace.counts[0][4] (op 'layer1.0.add') has 6 runs, run_start_s has 5"},
        BadSamples{"thread_counts", [](ModelProfile& p) { p.trace.thread_counts[0][1].pop_back(); },
                   "trace.thread_counts[0][1] has 7 rows for 8 ops"},
        BadSamples{"live_bytes", [](ModelProfile& p) { p.trace.live_bytes.push_back(0); },
                   "trace.live_bytes has 9 rows for 8 ops"}),
    [](const ::testing::TestParamInfo<BadSamples>& info) { return std::string(info.param.what); });

/// Four ReLUs on a 16 x 32 x 32 tensor (64 KiB each): a real profile, both arms, a few runs.
Graph relu_chain() {
  Graph g;
  int x = g.add_input("x", {1, 16, 32, 32});
  for (int i = 0; i < 4; ++i) x = g.add_node("relu" + std::to_string(i), OpKind::Eltwise, EltwiseAttrs{}, {x});
  g.mark_output(x);
  infer_shapes(g);
  return g;
}

TEST(ChromeTrace, RealProfileHasBothArmsAndTheArenaPeaksAtTheLowerBound) {
  ProfileOptions o;
  o.warmup = 1;
  o.iters = 3;
  o.measure_dram_now = false;
  const int threads = std::min(2, topology().physical_cores);
  const ModelProfile p = profile_model("relu_chain", relu_chain(), MachineProfile{}, threads, o);
  const json t = json::parse(chrome_trace(p).dump());
  const std::size_t runs = p.run_start_s.size();
  ASSERT_GE(runs, 3u);
  EXPECT_EQ(events_of(t, "X", kTracePidShieldsOn).size(), p.ops.size() * runs);
  EXPECT_EQ(events_of(t, "X", kTracePidShieldsOff).size(), p.ops.size() * runs);
  const std::vector<double> live = series(t, kTracePidShieldsOn, "arena", "live_bytes");
  ASSERT_FALSE(live.empty());
  EXPECT_EQ(*std::max_element(live.begin(), live.end()), static_cast<double>(p.memory.lower_bound_bytes));
  EXPECT_EQ(series(t, kTracePidShieldsOff, "fresh mappings", "mapped_bytes").front(),
            static_cast<double>(p.trace.fresh_mapped_bytes));
  EXPECT_GT(p.trace.fresh_mapped_bytes, 0);
  if (p.os_counter_source.rfind("n/a", 0) == 0) GTEST_SKIP() << "no OS counters here: " << p.os_counter_source;
  EXPECT_EQ(events_of(t, "C", kTracePidShieldsOn, "OS events").size(), runs * (p.ops.size() + 1));
  const bool per_thread = p.os_counter_source.rfind("perf_event_open", 0) == 0;
  EXPECT_EQ(p.trace.thread_counts[0].size(), per_thread ? static_cast<std::size_t>(threads) : 0u);
  EXPECT_EQ(events_of(t, "C", kTracePidShieldsOff, "OpenMP thread 0").empty(), !per_thread);
}

}  // namespace
}  // namespace rs::test_outputs
