// roofline-regimes: sweep arithmetic intensity and check the two halves of the roofline (seed 001 §II.3):
// memory-bound time is linear in bytes, compute-bound time is linear in FLOPs, and they meet at the ridge.
#include <cmath>

#include <fmt/format.h>

#include "profiler/experiments/experiment_defs.h"
#include "profiler/roofline/roofline.h"

namespace rs::experiment_set {

namespace {

/// R^2 at or above which a linear fit "holds", and below which it "does not hold" (between: inconclusive).
constexpr double kFitHoldsR2 = 0.9;
constexpr double kFitFailsR2 = 0.5;

/// The two sweeps: ReLU over element counts (AI = 1/8 FLOP/B) and 3x3 convs over channels (AI grows with C).
struct Sweep {
  std::vector<std::int64_t> relu_elements;
  std::int64_t conv_hw = 0;
  std::vector<std::int64_t> conv_channels;
};

Sweep sweep_for(Scale s) {
  constexpr std::int64_t M = 1024 * 1024;
  switch (s) {
    case Scale::Tiny: return {{64 * 1024, 128 * 1024, 256 * 1024}, 8, {8, 16, 32}};
    case Scale::Quick: return {{4 * M, 8 * M, 12 * M, 16 * M}, 28, {32, 48, 64, 96, 128}};
    case Scale::Full: return {{8 * M, 16 * M, 24 * M, 32 * M}, 56, {32, 64, 96, 128, 192, 256}};
  }
  return {};
}

/// Whether an arm belongs to the memory-bound fit: AI below the calibrated ridge, or (ridge unknown) an eltwise.
bool memory_bound(const ArmResult& a, double ridge) {
  return std::isfinite(ridge) ? a.cost.intensity() < ridge : a.kind == OpKind::Eltwise;
}

}  // namespace

Experiment roofline_regimes() {
  Experiment e;
  e.name = "roofline-regimes";
  e.advice = "Below the ridge point time is proportional to bytes moved, above it to FLOPs; the ridge is peak "
             "FLOP/s / bandwidth (seed 001 §II.1-3)";
  e.plot = true;
  e.arms = [](const ExperimentContext& ctx) {
    const Sweep s = sweep_for(ctx.scale);
    std::vector<ArmSpec> arms;
    for (std::int64_t n : s.relu_elements)
      arms.push_back(graph_arm(fmt::format("relu {}K", n / 1024), fmt::format("{} elements", n),
                               eltwise_graph("relu", {1, n / 1024, 32, 32}, EltwiseAttrs{}), "eltwise"));
    for (std::int64_t c : s.conv_channels) {
      const ConvShape cs{1, c, s.conv_hw, s.conv_hw, c, 3, 1, 1, 1, 1};
      arms.push_back(graph_arm(fmt::format("conv c={}", c),
                               fmt::format("src [1, {}, {}, {}] {}", c, s.conv_hw, s.conv_hw, cs.label()),
                               conv_graph("conv", cs), "conv"));
    }
    return arms;
  };
  e.analyze = [](const ExperimentContext& ctx, ExperimentResult& r) {
    const double ridge = roofs_for(*ctx.machine, ctx.threads).ridge_measured_flop_per_byte();
    std::vector<double> bytes, t_mem, flops, t_comp;
    for (const ArmResult& a : r.arms) {
      const bool mem = memory_bound(a, ridge);
      (mem ? bytes : flops).push_back(static_cast<double>(mem ? a.cost.bytes : a.cost.flops));
      (mem ? t_mem : t_comp).push_back(a.stats.median);
    }
    add_column(r, {"fit", "fit", ColumnKind::Text, 0},
               [&](const ArmResult& a) -> Cell { return memory_bound(a, ridge) ? "t ~ bytes" : "t ~ FLOPs"; });
    const LineFit mem = fit_line(bytes, t_mem), comp = fit_line(flops, t_comp);
    // Rates from the slopes (GB/s, GFLOP/s); a slope <= 0 (time not growing) gives no rate.
    auto rate = [](double slope) { return slope > 0 ? 1e-9 / slope : std::nan(""); };
    const double beta = rate(mem.slope), pi = rate(comp.slope);
    r.metrics = {{"r2_memory", "R^2 of time vs bytes (memory-bound arms)", mem.r2, ""},
                 {"r2_compute", "R^2 of time vs FLOPs (compute-bound arms)", comp.r2, ""},
                 {"bandwidth_fit_gb_per_s", "bandwidth from the fit (1 / slope)", beta, "GB/s"},
                 {"peak_fit_gflops_per_s", "FLOP/s from the fit (1 / slope)", pi, "GFLOP/s"},
                 {"ridge_fit_flop_per_byte", "ridge from the fits", pi / beta, "FLOP/B"},
                 {"ridge_calibrated_flop_per_byte", "ridge calibrated (measured peak / DRAM bandwidth)", ridge,
                  "FLOP/B"}};
    r.notes.push_back(fmt::format("Verdict from the fits, not from intervals: each regime holds when R^2 >= {} and "
                                  "does not hold when R^2 < {} (inconclusive between); both must hold. Arms are "
                                  "split by AI against the calibrated ridge; the fits have an intercept (the fixed "
                                  "cost of a step).",
                                  kFitHoldsR2, kFitFailsR2));
    r.verdict = combine({judge_threshold(mem.r2, kFitHoldsR2, kFitFailsR2),
                         judge_threshold(comp.r2, kFitHoldsR2, kFitFailsR2)});
    r.explanation = fmt::format("Time follows bytes with R^2 = {} over {} memory-bound arms ({} GB/s) and FLOPs with "
                                "R^2 = {} over {} compute-bound arms ({} GFLOP/s); the fitted ridge is {} FLOP/B vs "
                                "{} calibrated.",
                                fixed(mem.r2, 3), mem.n, sig3(beta), fixed(comp.r2, 3), comp.n, sig3(pi),
                                sig3(pi / beta), sig3(ridge));
  };
  return e;
}

}  // namespace rs::experiment_set
