// Synthetic ModelProfiles for the output tests (SVG, HTML, Chrome trace; tests/profiler/test_outputs.cpp and
// tests/tools/test_html_chromium.cpp): hand-made costs and per-run times, predictions and loss split by the real
// predict()/attribute(), no model run. Header-only so both test binaries can use it.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "profiler/roofline/roofline.h"
#include "runtime/stats.h"
#include "tests/run_command.h"

namespace rs::test_outputs {

/// What varies between fixtures.
struct Spec {
  const char* name;
  bool theoretical_known = true;  ///< false: theoretical peak and DRAM are 0, t_roof_theoretical_s is NaN
  bool caches = true;             ///< L1/L2/L3 roofs
  int extra_ops = 0;              ///< generated ops on top of the 8 hand-made ones
  int runs = 5;
};

inline void PrintTo(const Spec& s, std::ostream* os) { *os << s.name; }

/// One hand-made op: kind, name, FLOPs, bytes, median seconds.
struct OpSeed {
  OpKind kind;
  std::string name;
  std::int64_t flops, bytes;
  double t_s;
};

/// Name of the op whose software loss is forced negative; name with every XML special character.
inline constexpr const char* kNegativeOp = "layer1.0.add";
inline constexpr const char* kOddName = "odd<&\"'>name";

inline std::vector<OpSeed> seeds(int extra) {
  std::vector<OpSeed> s = {
      {OpKind::Conv, "conv1", 236'027'904, 3'364'352, 2.5e-3},
      {OpKind::Reorder, "reorder.conv1.src", 0, 1'204'224, 0.11e-3},  // 0 FLOPs: not plotted
      {OpKind::MaxPool, "maxpool", 1'806'336, 4'014'080, 0.4e-3},
      {OpKind::Conv, "layer1.0.conv1", 231'211'008, 1'753'088, 2.0e-3},
      {OpKind::Binary, kNegativeOp, 802'816, 9'633'792, 0.5e-3},
      {OpKind::GlobalAvgPool, "avgpool", 25'088, 102'400, 0.02e-3},
      {OpKind::FullyConnected, "fc", 1'025'000, 2'056'192, 0.3e-3},
      {OpKind::Softmax, kOddName, 5'000, 8'000, 0.01e-3},
  };
  // Generated ops: LCG-spread AI over 4 decades, at 5%..90% of the measured DRAM roofline (150 GFLOP/s, 18 GB/s).
  std::uint32_t x = 12345;
  auto next = [&x] { return (x = x * 1664525u + 1013904223u) >> 8; };
  const OpKind kinds[] = {OpKind::Conv, OpKind::Eltwise, OpKind::BatchNorm, OpKind::Binary, OpKind::Conv};
  for (int i = 0; i < extra; ++i) {
    const std::int64_t bytes = 10'000 + static_cast<std::int64_t>(next() % 5'000'000);
    const double ai = 0.05 * std::pow(10.0, (next() % 4000) / 1000.0);
    const auto flops = static_cast<std::int64_t>(ai * static_cast<double>(bytes));
    const double roof_s = std::max(static_cast<double>(flops) / 150e9, static_cast<double>(bytes) / 18e9);
    s.push_back({kinds[i % 5], "gen." + std::to_string(i), flops, bytes, roof_s / (0.05 + 0.85e-3 * (next() % 1000))});
  }
  return s;
}

inline Roofs roofs(const Spec& spec) {
  Roofs r;
  r.threads = 2;
  r.peak_measured_gflops_per_s = 150;
  r.dram_measured_gb_per_s = 18;
  if (spec.theoretical_known) {
    r.peak_theoretical_gflops_per_s = 160;
    r.dram_theoretical_gb_per_s = 25.6;
  }
  if (spec.caches) r.caches = {{"L1", 65'536, 400}, {"L2", 1'048'576, 150}, {"L3", 33'554'432, 60}};
  return r;
}

/// The profile: per-run times step_s[op][run] = t_s x (1 + 1% x ((op + run) % 3 - 1)), runs 1 ms apart after the
/// ops of a run; t_actual_s from compute_stats; shields off 10% slower; predictions and losses from the real code.
inline ModelProfile make_profile(const Spec& spec) {
  ModelProfile p;
  p.model = std::string("synthetic_") + spec.name;
  p.input_dims = {1, 3, 224, 224};
  p.threads = 2;
  p.roofs = roofs(spec);
  p.os_counter_source = "perf_event_open (per thread)";
  double run_len = 0;
  const std::vector<OpSeed> ops = seeds(spec.extra_ops);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    OpProfile op;
    op.name = ops[i].name;
    op.kind = ops[i].kind;
    op.label = std::string(op_kind_name(op.kind)) + " (synthetic)";
    op.impl = op.kind == OpKind::Conv ? "brgconv:avx2" : "ref:any";
    op.cost.flops = ops[i].flops;
    op.cost.macs = op.kind == OpKind::Conv ? ops[i].flops / 2 : 0;
    op.cost.bytes = ops[i].bytes;
    std::vector<double> steps;
    for (int r = 0; r < spec.runs; ++r)
      steps.push_back(ops[i].t_s * (1 + 0.01 * (static_cast<int>((i + r) % 3) - 1)));
    op.t_actual_s = compute_stats(steps);
    op.t_shields_off_median_s = 1.1 * op.t_actual_s.median;
    op.counts = {0.5, 0.1, 0};
    predict(op, p.roofs);
    attribute(op, p.roofs);
    if (op.name == kNegativeOp) op.loss_software_s = -2e-6;
    run_len += ops[i].t_s;
    p.step_s.push_back(steps);
    p.ops.push_back(op);
  }
  for (int r = 0; r < spec.runs; ++r) p.run_start_s.push_back(r * (run_len * 1.02 + 1e-3));
  for (const OpProfile& op : p.ops) {
    p.total_cost += op.cost;
    p.sum_op_median_s += op.t_actual_s.median;
    p.estimate_roofline_s += op.t_roof_measured_s;
  }
  p.e2e_s = compute_stats(std::vector<double>(static_cast<std::size_t>(spec.runs), run_len * 1.02));
  p.warnings = {"op 'layer1.0.add': negative software loss (-2 us)"};
  return p;
}

/// Ops the plot must show: flops > 0 (every seed has bytes > 0 and a time > 0).
inline int expected_plotted(const ModelProfile& p) {
  int n = 0;
  for (const OpProfile& op : p.ops) n += op.cost.flops > 0;
  return n;
}

/// The widest line of `text` in display columns (UTF-8 code points, not bytes): the terminal-width checks.
inline std::size_t widest_line(const std::string& text) {
  std::size_t widest = 0, n = 0;
  for (const char c : text) {
    if (c == '\n') {
      widest = std::max(widest, n);
      n = 0;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++n;
    }
  }
  return std::max(widest, n);
}

using rs::test::CommandResult;  // tests/run_command.h
using rs::test::run_command;

}  // namespace rs::test_outputs
