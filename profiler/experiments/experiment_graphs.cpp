// Graph-structure experiments: the order of Conv/BN/ReLU (what the optimizer can fuse), and deep-narrow vs
// wide-shallow nets of equal FLOPs (framework overhead per layer).
#include <algorithm>

#include <fmt/format.h>

#include "models/builder.h"
#include "profiler/experiments/experiment_defs.h"

namespace rs::experiment_set {

namespace {

/// Conv(3x3, c -> c) then BN and ReLU in the given order, on src [1, c, hw, hw].
Graph conv_bn_relu(std::int64_t c, std::int64_t hw, bool relu_first) {
  GraphBuilder b(relu_first ? "conv_relu_bn" : "conv_bn_relu", 7);
  int x = b.input("src", {1, c, hw, hw});
  x = b.conv(x, c, 3, 1, 1, 1, false, "conv");
  if (relu_first) {
    x = b.act(x, Act::Relu, "relu");
    x = b.bn(x, "bn");
  } else {
    x = b.bn(x, "bn");
    x = b.act(x, Act::Relu, "relu");
  }
  return b.finish(x);
}

}  // namespace

Experiment fusion_order() {
  Experiment e;
  e.name = "fusion-order";
  e.advice = "Conv->BN->ReLU is folded and fused into one op, Conv->ReLU->BN cannot fold its BN, so it is slower "
             "and moves more bytes (seed 001 §IV, network design advice)";
  e.arms = [](const ExperimentContext& ctx) {
    const std::int64_t c = by_scale<std::int64_t>(ctx.scale, 8, 32, 64);
    const std::int64_t hw = by_scale<std::int64_t>(ctx.scale, 16, 56, 56);
    const std::string shape = fmt::format("src [1, {}, {}, {}], 3x3 conv", c, hw, hw);
    ArmSpec unfused = graph_arm("conv-bn-relu unfused", shape + ", --no-fuse", conv_bn_relu(c, hw, false));
    unfused.fuse = false;
    return std::vector<ArmSpec>{graph_arm("conv-bn-relu", shape + ", BN folded, ReLU fused", conv_bn_relu(c, hw, false)),
                                graph_arm("conv-relu-bn", shape + ", ReLU fused, BN kept", conv_bn_relu(c, hw, true)),
                                std::move(unfused)};
  };
  e.analyze = [](const ExperimentContext&, ExperimentResult& r) {
    const ArmResult& a = arm(r, "conv-bn-relu");
    const ArmResult& b = arm(r, "conv-relu-bn");
    r.comparisons.push_back(faster(r, "conv-bn-relu", "conv-relu-bn"));
    const double bytes_saved = static_cast<double>(b.cost.bytes - a.cost.bytes);
    const double time_saved = b.stats.median - a.stats.median;
    r.metrics = {{"bytes_saved", "bytes saved by the fusable order", bytes_saved, "B"},
                 {"time_saved_s", "time saved by the fusable order (medians)", time_saved, "s"}};
    r.notes.push_back("End-to-end time of each graph (input/output reorders included, identical in all arms); "
                      "the unfused arm is the same Conv->BN->ReLU run as written, for reference.");
    decide(r, fmt::format("Conv->BN->ReLU runs as {} op(s) (+{} reorders) moving {} in {:.3f} ms; Conv->ReLU->BN "
                          "needs {} ops moving {} more ({}) and takes {:.3f} ms ({} of the fused time).",
                          a.ops - a.reorders, a.reorders, format_bytes(static_cast<double>(a.cost.bytes)),
                          a.stats.median * 1e3, b.ops - b.reorders,
                          format_bytes(bytes_saved), percent(bytes_saved / static_cast<double>(a.cost.bytes)),
                          b.stats.median * 1e3, percent(b.stats.median / a.stats.median)));
  };
  return e;
}

namespace {

/// The equal-FLOPs nets: layers x channels with layers * channels^2 constant.
struct Net {
  int layers;
  std::int64_t channels;
};
constexpr Net kNets[] = {{16, 1}, {4, 2}, {1, 4}};  // channels in units of the base width

/// `layers` x (3x3 conv c -> c, pad 1, + ReLU) on src [1, c, hw, hw]: FLOPs = layers * (18 c^2 + c) * hw^2
/// (conv + fused ReLU), so the nets of kNets differ only by the ReLU term (< 0.2%).
Graph conv_stack(int layers, std::int64_t c, std::int64_t hw) {
  GraphBuilder b(fmt::format("stack{}x{}", layers, c), 11);
  int x = b.input("src", {1, c, hw, hw});
  for (int i = 0; i < layers; ++i) {
    x = b.conv(x, c, 3, 1, 1, 1, false, fmt::format("conv{}", i));
    x = b.act(x, Act::Relu, fmt::format("relu{}", i));
  }
  return b.finish(x);
}

/// 1 and all threads (just 1 when the experiment runs single-threaded).
std::vector<int> thread_counts(const ExperimentContext& ctx) {
  return ctx.threads > 1 ? std::vector<int>{1, ctx.threads} : std::vector<int>{1};
}

/// Channels of the deepest net (the others are 2x and 4x as wide).
std::int64_t base_width(Scale s) { return by_scale<std::int64_t>(s, 8, 32, 32); }

std::string net_name(const Net& n, std::int64_t base, int threads) {
  return fmt::format("{} layer{} x c{} @{}t", n.layers, n.layers > 1 ? "s" : "", n.channels * base, threads);
}

}  // namespace

Experiment deep_vs_wide() {
  Experiment e;
  e.name = "deep-vs-wide";
  e.advice = "Per-layer costs (dispatch, thread-pool fork/join, memory management) grow with the number of layers: "
             "at equal FLOPs a deep-narrow net is slower than a wide-shallow one, more so with more threads "
             "(seed 001 §IV)";
  e.arms = [](const ExperimentContext& ctx) {
    const std::int64_t base = base_width(ctx.scale);
    const std::int64_t hw = by_scale<std::int64_t>(ctx.scale, 8, 28, 56);
    std::vector<ArmSpec> arms;
    for (int t : thread_counts(ctx)) {
      for (const Net& n : kNets) {
        ArmSpec a = graph_arm(net_name(n, base, t), fmt::format("src [1, {}, {}, {}]", n.channels * base, hw, hw),
                              conv_stack(n.layers, n.channels * base, hw));
        a.threads = t;
        a.per_op = true;
        arms.push_back(std::move(a));
      }
    }
    return arms;
  };
  e.analyze = [](const ExperimentContext& ctx, ExperimentResult& r) {
    auto share = [](const ArmResult& a) { return median_ci(a.overhead_share).interval.point; };
    add_column(r, {"executor_overhead_share", "exec overhead", ColumnKind::Real, 4},
               [&](const ArmResult& a) -> Cell { return share(a); });
    const std::int64_t base = base_width(ctx.scale);
    const double extra_layers = kNets[0].layers - kNets[2].layers;
    std::string times_text, shares, speedups;
    for (int t : thread_counts(ctx)) {
      const ArmResult& deep = arm(r, net_name(kNets[0], base, t));
      const ArmResult& wide = arm(r, net_name(kNets[2], base, t));
      r.comparisons.push_back(compare(fmt::format("t({})", deep.name), time_s(deep), Direction::Greater,
                                      fmt::format("t({})", wide.name), time_s(wide), "s"));
      const double per_layer_us = (deep.stats.median - wide.stats.median) / extra_layers * 1e6;
      r.metrics.push_back({fmt::format("extra_time_per_layer_{}t_us", t),
                           fmt::format("(t(16 layers) - t(1 layer)) / 15 at {} thread(s)", t), per_layer_us, "us"});
      times_text += fmt::format("{}{:.3f} vs {:.3f} ms at {} thread{} ({:+.1f} us per extra layer)",
                                times_text.empty() ? "" : ", ", deep.stats.median * 1e3, wide.stats.median * 1e3, t,
                                t > 1 ? "s" : "", per_layer_us);
      shares += fmt::format("{}{} vs {}", shares.empty() ? "" : " and ", percent(share(deep)), percent(share(wide)));
    }
    if (ctx.threads > 1)
      for (const Net& n : kNets) {
        const double speedup = arm(r, net_name(n, base, 1)).stats.median /
                               arm(r, net_name(n, base, ctx.threads)).stats.median;
        r.metrics.push_back({fmt::format("speedup_{}_layers", n.layers),
                             fmt::format("speed-up 1 -> {} threads, {} layers", ctx.threads, n.layers), speedup, ""});
        speedups += fmt::format("{}{} ({} layer{})", speedups.empty() ? "" : " vs ", times(speedup), n.layers,
                                n.layers > 1 ? "s" : "");
      }
    r.notes.push_back("Equal FLOPs: layers x channels^2 is constant (16 x c, 4 x 2c, 1 x 4c). exec overhead = (end-to-end "
                      "- sum of the per-op times) / end-to-end, median over runs: what the executor adds between ops; "
                      "the fork/join of each op's OpenMP region is inside the op times.");
    decide(r, fmt::format("At equal FLOPs the {}-layer net takes {} for the {}-layer net; the executor's own share is "
                          "only {}{}.",
                          kNets[0].layers, times_text, kNets[2].layers, shares,
                          speedups.empty() ? "" : fmt::format("; speed-up 1 -> {} threads: {}", ctx.threads, speedups)));
  };
  return e;
}

}  // namespace rs::experiment_set
