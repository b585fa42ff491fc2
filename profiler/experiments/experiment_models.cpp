// Whole-model experiments on the zoo: does latency follow FLOPs (seed 001 §II: "cut FLOPs 10x, barely faster")?
// And what does batching do to arithmetic intensity and efficiency?
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "models/zoo.h"
#include "profiler/experiments/experiment_defs.h"
#include "profiler/roofline/roofline.h"

namespace rs::experiment_set {

namespace {

/// vgg16's AdaptiveAvgPool2d((7, 7)) is exact only for inputs of 224-255 pixels (models/zoo.h).
bool builds_at(const std::string& model, int size) { return model != "vgg16" || (size >= 224 && size <= 255); }

int zoo_size(Scale s) { return by_scale(s, 64, 128, 224); }

std::string input_label(int batch, int size) { return fmt::format("input [{}, 3, {}, {}]", batch, size, size); }

}  // namespace

Experiment flops_vs_latency() {
  Experiment e;
  e.name = "flops-vs-latency";
  e.advice = "FLOPs alone do not predict latency: a model with many times fewer FLOPs (mobilenet_v2 vs resnet18/50) "
             "is far less that many times faster, and the roofline ranks latency better than FLOPs (seed 001 §II.3)";
  e.plot = true;
  e.arms = [](const ExperimentContext& ctx) {
    const int size = zoo_size(ctx.scale);
    std::vector<ArmSpec> arms;
    for (const ZooEntry& z : zoo()) {
      if (!builds_at(z.name, size)) continue;
      ModelOptions o;
      o.size = size;
      arms.push_back(graph_arm(z.name, input_label(1, size), build_model(z.name, o)));
    }
    return arms;
  };
  e.analyze = [](const ExperimentContext& ctx, ExperimentResult& r) {
    const double peak = roofs_for(*ctx.machine, ctx.threads).peak_measured_gflops_per_s;
    add_column(r, {"t_flops_only_s", "FLOPs/peak", ColumnKind::Seconds, 3}, [peak](const ArmResult& a) -> Cell {
      return peak > 0 ? static_cast<double>(a.cost.flops) / (peak * 1e9) : std::nan("");
    });
    std::vector<double> latency, flops, roof;
    for (const ArmResult& a : r.arms) {
      latency.push_back(a.stats.median);
      flops.push_back(static_cast<double>(a.cost.flops));
      roof.push_back(a.t_roof_measured_s);
    }
    const double rho_flops = spearman(latency, flops), rho_roof = spearman(latency, roof);
    r.metrics = {{"spearman_latency_flops", "Spearman rho(latency, FLOPs)", rho_flops, ""},
                 {"spearman_latency_roofline", "Spearman rho(latency, roofline prediction)", rho_roof, ""}};
    const ArmResult& mb = arm(r, "mobilenet_v2");
    std::string ratios;
    for (const char* big : {"resnet18", "resnet50"}) {
      const ArmResult& b = arm(r, big);
      const double fr = static_cast<double>(b.cost.flops) / static_cast<double>(mb.cost.flops);
      const double tr = b.stats.median / mb.stats.median;
      r.metrics.push_back({fmt::format("flops_ratio_{}", big), fmt::format("FLOPs ratio {} / mobilenet_v2", big), fr, ""});
      r.metrics.push_back({fmt::format("time_ratio_{}", big), fmt::format("latency ratio {} / mobilenet_v2", big), tr, ""});
      // "Far less than fr times faster": the mobilenet time scaled by the FLOPs ratio exceeds the big model's time.
      r.comparisons.push_back(compare(fmt::format("t(mobilenet_v2) x {:.1f}", fr), time_s(mb).scaled(fr),
                                      Direction::Greater, fmt::format("t({})", big), time_s(b), "s"));
      ratios += fmt::format("{}{} fewer FLOPs than {} and runs {} faster", ratios.empty() ? "" : "; ", times(fr),
                            big, times(tr));
    }
    if (!builds_at("vgg16", zoo_size(ctx.scale)))
      r.notes.push_back(fmt::format("vgg16 left out: it builds only at 224-255 pixels (this scale uses {}).",
                                    zoo_size(ctx.scale)));
    r.notes.push_back("The Spearman correlations are reported, not judged: with this few models they have no useful "
                      "confidence interval.");
    decide(r, fmt::format("mobilenet_v2 has {}; across {} models latency ranks with FLOPs at rho = {} and with the "
                          "roofline prediction at rho = {}.",
                          ratios, r.arms.size(), fixed(rho_flops, 2), fixed(rho_roof, 2)));
  };
  return e;
}

namespace {

constexpr const char* kBatchModels[] = {"resnet18", "mobilenet_v2"};

std::vector<int> batches(Scale s) { return s == Scale::Tiny ? std::vector<int>{1, 2} : std::vector<int>{1, 2, 4, 8}; }

int batch_size_input(Scale s) { return by_scale(s, 32, 64, 224); }

std::string batch_arm_name(const std::string& model, int batch) { return fmt::format("{} b{}", model, batch); }

}  // namespace

Experiment batch_size() {
  Experiment e;
  e.name = "batch-size";
  e.advice = "A larger batch reuses every weight over more images, which raises arithmetic intensity and with it "
             "the efficiency (time per image falls) (seed 001 §II.2 and §III.3: higher AI, higher utilization)";
  e.plot = true;
  e.arms = [](const ExperimentContext& ctx) {
    std::vector<ArmSpec> arms;
    for (const char* model : kBatchModels)
      for (int b : batches(ctx.scale)) {
        ModelOptions o;
        o.batch = b;
        o.size = batch_size_input(ctx.scale);
        arms.push_back(graph_arm(batch_arm_name(model, b), input_label(b, o.size), build_model(model, o)));
      }
    return arms;
  };
  e.analyze = [](const ExperimentContext& ctx, ExperimentResult& r) {
    const std::vector<int> bs = batches(ctx.scale);
    std::map<std::string, int> batch_of;
    for (const char* model : kBatchModels)
      for (int b : bs) batch_of[batch_arm_name(model, b)] = b;
    add_column(r, {"time_per_image_s", "per image", ColumnKind::Seconds, 3}, [&](const ArmResult& a) -> Cell {
      return a.stats.median / batch_of.at(a.name);
    });
    std::string text;
    for (const char* model : kBatchModels) {
      const ArmResult& one = arm(r, batch_arm_name(model, bs.front()));
      const ArmResult& many = arm(r, batch_arm_name(model, bs.back()));
      r.comparisons.push_back(compare(fmt::format("eff({})", many.name), efficiency(many), Direction::Greater,
                                      fmt::format("eff({})", one.name), efficiency(one), ""));
      text += fmt::format("{}{}: AI {:.1f} -> {:.1f} FLOP/B, efficiency {} -> {}, {:.3f} -> {:.3f} ms/image",
                          text.empty() ? "" : "; ", model, one.cost.intensity(), many.cost.intensity(),
                          percent(one.efficiency), percent(many.efficiency), one.stats.median * 1e3,
                          many.stats.median * 1e3 / bs.back());
    }
    r.notes.push_back("Efficiency = sum of the per-op measured roofline times / end-to-end median.");
    decide(r, fmt::format("From batch {} to {}: {}.", bs.front(), bs.back(), text));
  };
  return e;
}

}  // namespace rs::experiment_set
