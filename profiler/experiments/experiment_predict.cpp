// Does the latency model trained on this machine (`roofscope predict --train`, issue 11) predict a model it has not
// seen within 10%, where FLOPs x a rate and the roofline sum do not? Arms: zoo models at an input size the training
// did not use and ResNet/MobileNet-v2 variants of another sampler seed, measured end to end in their steady state
// (each timed run right after 4 untimed runs of the same model, as the training measures back to back: interleaved
// with the other arms, a small model ran 20-80% slower, and one warm run was not enough); the verdict compares the
// cached model's predictions, at the clock the arms ran at, with those measurements.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/passes.h"
#include "models/variants.h"
#include "models/zoo.h"
#include "profiler/experiments/experiment_defs.h"
#include "profiler/machine/calibrate.h"
#include "profiler/roofline/predict_cache.h"

namespace rs::experiment_set {

namespace {

/// The arms' models, by name: resnet18 and mobilenet_v2 at 160 (64 tiny) and variants of seed 101 (none tiny).
std::vector<std::pair<std::string, Graph>> held_out_models(Scale s) {
  std::vector<std::pair<std::string, Graph>> out;
  ModelOptions o;
  o.size = by_scale(s, 64, 160, 160);
  for (const char* m : {"resnet18", "mobilenet_v2"}) out.emplace_back(fmt::format("{} s{}", m, o.size),
                                                                     build_model(m, o));
  for (const VariantSpec& v : sample_variants(by_scale(s, 0, 4, 12), 101, by_scale(s, 64, 160, 224)))
    out.emplace_back(v.name(), build_variant(v));
  return out;
}

/// The cached latency model at `threads`, or "" with why not in *why.
bool load_model(const MachineProfile& machine, int threads, LatencyModel* lm, std::string* why) {
  const std::string path = latency_cache_path(cache_dir(CalibrateOptions{}), machine.cpu.identity.model_name,
                                              machine.cpu.physical_cores);
  try {
    *lm = load_latency_model(path, "");
  } catch (const std::exception& e) {
    *why = e.what();
    return false;
  }
  if (lm->threads.count(threads)) return true;
  *why = fmt::format("the latency model {} has no data at {} thread(s): run `roofscope predict --train`", path, threads);
  return false;
}

void add_prediction_columns(ExperimentResult& r, const std::map<std::string, std::map<std::string, double>>& pred) {
  for (const char* p : {"xgboost", "roofline-eff", "roofline", "flops"})
    add_column(r, {fmt::format("t_{}_s", p), fmt::format("{} ms", p), ColumnKind::Seconds, 3},
               [&pred, p](const ArmResult& a) -> Cell { return pred.at(p).at(a.name); });
}

/// Every predictor's end-to-end prediction of every arm (predictor -> arm -> seconds), from the cached model's roofs
/// at the clock the arm ran at; the names of the arms the training set also had go to *seen.
std::map<std::string, std::map<std::string, double>> predict_arms(const ExperimentContext& ctx,
                                                                  const ExperimentResult& r, const LatencyModel& lm,
                                                                  std::vector<std::string>* seen) {
  const ThreadModel& tm = lm.threads.at(ctx.threads);
  const std::set<std::string> trained(lm.models.begin(), lm.models.end());
  std::map<std::string, std::map<std::string, double>> pred;
  for (auto& [name, g] : held_out_models(ctx.scale)) {
    optimize(g, true);
    std::vector<OpFeatures> f = graph_features(g, tm.roofs);  // the roofs it was trained with
    const ArmResult& a = arm(r, name);
    set_clock_feature(f, 0.5 * (a.clock_start_ghz + a.clock_end_ghz));
    for (const std::string& p : predictor_names()) pred[p][name] = predict_ops(tm, p, f).total_s;
    if (trained.count(name)) seen->push_back(name);
  }
  return pred;
}

void analyze_predict(const ExperimentContext& ctx, ExperimentResult& r) {
  LatencyModel lm;
  std::string why;
  if (!load_model(*ctx.machine, ctx.threads, &lm, &why)) {
    r.notes.push_back("No latency model to test: " + why);
    r.verdict = Verdict::Inconclusive;
    r.explanation = "There is no usable latency model for this machine (run `roofscope predict --train`).";
    return;
  }
  std::vector<std::string> seen;  // arms the training set also had: predicted, not scored
  const auto pred = predict_arms(ctx, r, lm, &seen);
  add_prediction_columns(r, pred);
  std::map<std::string, double> within, rmspe;
  const int n = static_cast<int>(r.arms.size() - seen.size());
  if (n == 0) {
    r.verdict = Verdict::Inconclusive;
    r.explanation = "Every arm was in the training set too: nothing held out to score.";
    return;
  }
  const double scored = n;
  for (const ArmResult& a : r.arms) {
    if (std::find(seen.begin(), seen.end(), a.name) != seen.end()) continue;
    for (const std::string& p : predictor_names()) {
      const double e = pred.at(p).at(a.name) / a.stats.median - 1;
      within[p] += std::fabs(e) <= 0.10 ? 1.0 / scored : 0.0;
      rmspe[p] += e * e / scored;
    }
  }
  for (const std::string& p : predictor_names()) {
    r.metrics.push_back({"within_10_" + p, fmt::format("share within ±10% ({})", p), within[p], ""});
    r.metrics.push_back({"rmspe_" + p, fmt::format("RMSPE ({})", p), std::sqrt(rmspe[p]), ""});
  }
  const std::string d = lm.default_predictor;
  r.verdict = judge_threshold(within[d], 0.95, 0.75);
  r.explanation = fmt::format("The default predictor ({}) puts {} of {} held-out models within ±10% (RMSPE {}); "
                              "FLOPs x rate {} (RMSPE {}), roofline sum {} (RMSPE {}).",
                              d, percent(within[d]), n, percent(std::sqrt(rmspe[d])),
                              percent(within["flops"]), percent(std::sqrt(rmspe["flops"])),
                              percent(within["roofline"]), percent(std::sqrt(rmspe["roofline"])));
  r.notes.push_back("Holds at >= 95% of models within ±10%, does not hold below 75%. Latency model: trained " +
                    lm.created_utc + (lm.quick ? " with --quick (few tiny models: not for numbers)" : "") + ".");
  if (!seen.empty())
    r.notes.push_back(fmt::format("Not scored (the training set had them too): {}.", fmt::join(seen, ", ")));
}

}  // namespace

Experiment predict_latency() {
  Experiment e;
  e.name = "predict";
  e.advice = "Measure is the only accurate way, but a latency model fitted to ops timed in context on this machine "
             "predicts unseen models within ±10%, where FLOPs and the roofline do not (seed 001 §II; issue 11)";
  e.arms = [](const ExperimentContext& ctx) {
    std::vector<ArmSpec> arms;
    for (auto& [name, g] : held_out_models(ctx.scale)) {
      arms.push_back(graph_arm(name, "held out", std::move(g)));
      arms.back().hot_runs = 4;  // the steady state the latency model is trained on, not the other arms' leftovers
    }
    return arms;
  };
  e.analyze = analyze_predict;
  return e;
}

}  // namespace rs::experiment_set
