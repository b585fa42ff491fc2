// Single-op experiments: depthwise vs dense conv, channel alignment, kernel shapes, transcendental eltwise.
// Each arm is a one-node graph timed on that node's step alone (per-op timestamp), so layout reorders around it
// are not part of the comparison.
#include <utility>

#include <fmt/format.h>

#include "profiler/experiments/experiment_defs.h"

namespace rs::experiment_set {

namespace {

std::string dims_label(const ConvShape& s) { return fmt::format("src [{}, {}, {}, {}] {}", s.n, s.c_in, s.h, s.w, s.label()); }

ArmSpec conv_arm(const std::string& name, const ConvShape& s) {
  return graph_arm(name, dims_label(s), conv_graph(name, s), "conv");
}

double ratio(double a, double b) { return a / b; }

/// Element counts of the transcendental-eltwise arms: {cache-resident, memory-bound}.
std::pair<std::int64_t, std::int64_t> eltwise_sizes(Scale s) {
  return {by_scale<std::int64_t>(s, 16, 128, 128) * 1024, by_scale<std::int64_t>(s, 64, 4096, 16384) * 1024};
}

}  // namespace

Experiment dwconv_vs_conv() {
  Experiment e;
  e.name = "dwconv-vs-conv";
  e.advice = "A depthwise conv (groups = C) has C times fewer FLOPs than the dense conv of the same shape, but is "
             "far less than C times faster: its AI is low, so it is memory-bound (seed 001 §II.2-3, OP5 vs OP6)";
  e.plot = true;
  e.arms = [](const ExperimentContext& ctx) {
    const std::int64_t c = by_scale<std::int64_t>(ctx.scale, 8, 64, 128);
    const std::int64_t hw = by_scale<std::int64_t>(ctx.scale, 16, 56, 56);
    const ConvShape dense{1, c, hw, hw, c, 3, 1, 1, 1, 1};
    ConvShape dw = dense;
    dw.groups = c;
    return std::vector<ArmSpec>{conv_arm("conv", dense), conv_arm("dwconv", dw)};
  };
  e.analyze = [](const ExperimentContext&, ExperimentResult& r) {
    const ArmResult& conv = arm(r, "conv");
    const ArmResult& dw = arm(r, "dwconv");
    const double flops_ratio = ratio(static_cast<double>(conv.cost.flops), static_cast<double>(dw.cost.flops));
    const double time_ratio = ratio(conv.stats.median, dw.stats.median);
    r.metrics = {{"flops_ratio", "FLOPs ratio conv / dwconv", flops_ratio, ""},
                 {"time_ratio", "time ratio conv / dwconv (medians)", time_ratio, ""}};
    // "Far less than C times faster" = the dw time scaled by the FLOPs ratio exceeds the dense time.
    r.comparisons.push_back(compare(fmt::format("t(dwconv) x {:.0f}", flops_ratio), time_s(dw).scaled(flops_ratio),
                                    Direction::Greater, "t(conv)", time_s(conv), "s"));
    r.notes.push_back("Both arms time the conv step alone (per-op timestamp), same src, kernel, stride and padding.");
    decide(r, fmt::format("groups = C cuts FLOPs {} but the time only {}: AI falls from {:.1f} to {:.2f} FLOP/B and "
                          "the depthwise conv reaches {} of its measured roofline vs {} for the dense one.",
                          times(flops_ratio), times(time_ratio), conv.cost.intensity(), dw.cost.intensity(),
                          percent(dw.efficiency), percent(conv.efficiency)));
  };
  return e;
}

Experiment channel_alignment() {
  Experiment e;
  e.name = "channel-alignment";
  e.advice = "Channel counts that are multiples of 8/16 run faster per FLOP than their neighbours: kernels are tuned "
             "and data blocked for them (seed 001 §IV, network design advice)";
  e.plot = true;
  e.arms = [](const ExperimentContext& ctx) {
    const std::int64_t hw = by_scale<std::int64_t>(ctx.scale, 8, 28, 56);
    std::vector<ArmSpec> arms;
    for (std::int64_t c : {30, 31, 32, 33, 48, 63, 64})
      arms.push_back(conv_arm(fmt::format("c={}", c), ConvShape{1, c, hw, hw, c, 3, 1, 1, 1, 1}));
    return arms;
  };
  e.analyze = [](const ExperimentContext&, ExperimentResult& r) {
    add_ps_per_flop_column(r);
    auto pf = [&](int c) { return ps_per_flop(arm(r, fmt::format("c={}", c))); };
    for (auto [aligned, other] : {std::pair{32, 31}, std::pair{32, 33}, std::pair{64, 63}})
      r.comparisons.push_back(compare(fmt::format("t/FLOP(c={})", aligned), pf(aligned), Direction::Less,
                                      fmt::format("t/FLOP(c={})", other), pf(other), "ps/FLOP"));
    r.notes.push_back("3x3 s1 conv with C_in = C_out = c; the verdict needs c=32 below c=31 and c=33, and c=64 "
                      "below c=63.");
    const Verdict v = combined(r);
    decide(r, fmt::format("Time per FLOP is {:.2f} / {:.2f} / {:.2f} ps at c = 31 / 32 / 33 and {:.2f} / {:.2f} ps "
                          "at c = 63 / 64: multiples of 8 {} here.",
                          pf(31).point, pf(32).point, pf(33).point, pf(63).point, pf(64).point,
                          by_verdict(v, "are cheaper per FLOP", "are not cheaper per FLOP",
                                     "are not measurably cheaper per FLOP")));
  };
  return e;
}

Experiment kernel_shape() {
  Experiment e;
  e.name = "kernel-shape";
  e.advice = "Common conv shapes (3x3 s1/s2, 1x1 s1/s2) are specially optimized and run closer to the roof than "
             "5x5, 7x7, 2x2, 3x3 s3 or dilated 3x3 (seed 001 §III.3 and §IV)";
  e.plot = true;
  e.arms = [](const ExperimentContext& ctx) {
    const std::int64_t c = by_scale<std::int64_t>(ctx.scale, 8, 32, 64);
    const std::int64_t out = by_scale<std::int64_t>(ctx.scale, 8, 28, 56);
    struct K { const char* name; std::int64_t k, s, p, d; };
    const K shapes[] = {{"3x3 s1", 3, 1, 1, 1}, {"3x3 s2", 3, 2, 1, 1}, {"1x1 s1", 1, 1, 0, 1},
                        {"1x1 s2", 1, 2, 0, 1}, {"5x5 s1", 5, 1, 2, 1}, {"7x7 s1", 7, 1, 3, 1},
                        {"2x2 s2", 2, 2, 0, 1}, {"3x3 s3", 3, 3, 0, 1}, {"3x3 d2", 3, 1, 2, 2}};
    std::vector<ArmSpec> arms;
    for (const K& k : shapes) {
      const std::int64_t in = input_size_for_output(out, k.k, k.s, k.p, k.d);
      arms.push_back(conv_arm(k.name, ConvShape{1, c, in, in, c, k.k, k.s, k.p, k.d, 1}));
    }
    return arms;
  };
  e.analyze = [](const ExperimentContext&, ExperimentResult& r) {
    add_ps_per_flop_column(r);
    const std::pair<const char*, const char*> pairs[] = {
        {"3x3 s1", "5x5 s1"}, {"3x3 s1", "7x7 s1"}, {"3x3 s1", "3x3 d2"}, {"3x3 s2", "3x3 s3"}, {"3x3 s2", "2x2 s2"}};
    std::string common, rare;
    for (const auto& [a, b] : pairs)
      r.comparisons.push_back(compare(fmt::format("eff({})", a), efficiency(arm(r, a)), Direction::Greater,
                                      fmt::format("eff({})", b), efficiency(arm(r, b)), ""));
    for (const char* n : {"3x3 s1", "3x3 s2", "1x1 s1", "1x1 s2"})
      common += fmt::format("{}{} {}", common.empty() ? "" : ", ", n, percent(arm(r, n).efficiency));
    for (const char* n : {"5x5 s1", "7x7 s1", "3x3 d2", "3x3 s3", "2x2 s2"})
      rare += fmt::format("{}{} {}", rare.empty() ? "" : ", ", n, percent(arm(r, n).efficiency));
    r.notes.push_back("Every arm has the same C_in = C_out and output size; efficiency = measured roofline time / "
                      "median time, so shapes with different AI are compared against their own roof.");
    decide(r, fmt::format("Efficiency of the common shapes: {}; of the others: {}.", common, rare));
  };
  return e;
}

Experiment transcendental_eltwise() {
  Experiment e;
  e.name = "transcendental-eltwise";
  e.advice = "At the same size (and the same 1 FLOP/element count), transcendental activations (Sigmoid, Tanh, "
             "SiLU) are slower than ReLU (seed 001 §III.3: transcendental functions lack SIMD support)";
  e.plot = true;
  e.arms = [](const ExperimentContext& ctx) {
    const auto [small, large] = eltwise_sizes(ctx.scale);
    const std::pair<const char*, EltwiseAlg> algs[] = {{"Relu", EltwiseAlg::Relu},
                                                       {"HardSwish", EltwiseAlg::HardSwish},
                                                       {"Sigmoid", EltwiseAlg::Sigmoid},
                                                       {"Tanh", EltwiseAlg::Tanh},
                                                       {"SiLU", EltwiseAlg::SiLU}};
    std::vector<ArmSpec> arms;
    for (std::int64_t n : {small, large})
      for (const auto& [name, alg] : algs) {
        const Dims dims{1, n / 1024, 32, 32};
        arms.push_back(graph_arm(fmt::format("{} {}K", name, n / 1024), fmt::format("{} elements", n),
                                 eltwise_graph(name, dims, EltwiseAttrs{alg, 0.f, 0.f}), "eltwise"));
      }
    return arms;
  };
  e.analyze = [](const ExperimentContext& ctx, ExperimentResult& r) {
    add_column(r, {"time_per_element_ps", "ps/elem", ColumnKind::Real, 1}, [](const ArmResult& a) -> Cell {
      return a.stats.median * 1e12 / static_cast<double>(a.cost.flops);  // eltwise: 1 FLOP per element (cost.h)
    });
    const auto [small_n, large_n] = eltwise_sizes(ctx.scale);
    const std::string small = fmt::format("{}K", small_n / 1024), large = fmt::format("{}K", large_n / 1024);
    auto ratio_at = [&](const char* alg, const std::string& size) {
      return arm(r, fmt::format("{} {}", alg, size)).stats.median / arm(r, "Relu " + size).stats.median;
    };
    for (const char* alg : {"Sigmoid", "Tanh", "SiLU"})
      r.comparisons.push_back(faster(r, "Relu " + small, fmt::format("{} {}", alg, small)));
    r.notes.push_back("The verdict is decided at the small, cache-resident size, where compute can show; the large "
                      "size shows whether memory traffic hides it.");
    decide(r, fmt::format("Per element, Sigmoid / Tanh / SiLU take {} / {} / {} ReLU's time at {} elements ({} "
                          "moved) and {} / {} / {} at {} ({} moved); HardSwish {} and {}.",
                          times(ratio_at("Sigmoid", small)), times(ratio_at("Tanh", small)),
                          times(ratio_at("SiLU", small)), small, format_bytes(8.0 * static_cast<double>(small_n)),
                          times(ratio_at("Sigmoid", large)), times(ratio_at("Tanh", large)),
                          times(ratio_at("SiLU", large)), large, format_bytes(8.0 * static_cast<double>(large_n)),
                          times(ratio_at("HardSwish", small)), times(ratio_at("HardSwish", large))));
  };
  return e;
}

}  // namespace rs::experiment_set
