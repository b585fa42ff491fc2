// roofscope predict --train: time the training models in context at each thread count, fit, cache.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "api/common.h"
#include "api/predict.h"
#include "graph/passes.h"
#include "graph/units.h"
#include "models/variants.h"
#include "models/zoo.h"
#include "profiler/machine/calibrate.h"
#include "profiler/roofline/predict_cache.h"
#include "profiler/roofline/predict_eval.h"

namespace rs::api {

namespace {

using Clock = std::chrono::steady_clock;

double since_s(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// A training model: its name and how to build it (shapes inferred, not optimized); a generated variant keeps its
/// spec (the refinement round samples around it).
struct TrainingModel {
  std::string name;
  std::function<Graph()> build;
  std::optional<VariantSpec> variant;
};

TrainingModel variant_model(const VariantSpec& v) { return {v.name(), [v] { return build_variant(v); }, v}; }

/// The training set: the zoo (quick: resnet18 and mobilenet_v2 at 64x64), every --with model, the variants.
std::vector<TrainingModel> training_models(const TrainArgs& a) {
  std::vector<TrainingModel> out;
  if (!a.no_zoo)
    for (const ZooEntry& z : zoo()) {
      if (a.quick && z.name != "resnet18" && z.name != "mobilenet_v2") continue;
      ModelOptions o;
      o.size = a.quick ? 64 : 224;
      out.push_back({z.name, [name = z.name, o] { return build_model(name, o); }, std::nullopt});
    }
  for (const std::string& m : a.with) {
    roofscope::ModelSource src;
    src.model = m;
    const bool onnx = std::filesystem::path(m).extension() == ".onnx";
    out.push_back({onnx ? "onnx:" + std::filesystem::path(m).stem().string() : m,
                   [src] { return load_model_to_run(src); }, std::nullopt});
  }
  const int count = a.variants >= 0 ? a.variants : a.quick ? 6 : 150;
  for (const VariantSpec& v : sample_variants(count, a.seed, a.quick ? 64 : 224)) out.push_back(variant_model(v));
  return out;
}

std::vector<int> thread_counts(const TrainArgs& a) {
  std::vector<int> t = a.threads;
  if (t.empty())
    for (int n = 1; n <= topology().physical_cores; ++n) t.push_back(n);
  for (int n : t) check_threads(n);
  return t;
}

/// Every model at every thread count, thread counts interleaved model by model (drift hits them alike), in `passes`
/// passes over the whole set (minutes apart: a neighbour's load on the shared caches and DRAM comes and goes); each
/// row is the median over the passes (median_over_passes). The graphs are rebuilt each pass (all of them at once
/// would hold gigabytes of weights).
std::vector<MeasuredModel> measure_all(const std::vector<TrainingModel>& models, const std::vector<int>& threads,
                                       const MachineProfile& machine, bool quick, int passes) {
  std::vector<std::vector<MeasuredModel>> by_row(models.size() * threads.size());
  const auto t0 = Clock::now();
  const std::size_t total = by_row.size() * static_cast<std::size_t>(passes);
  std::size_t done = 0;
  for (int pass = 0; pass < passes; ++pass)
    for (std::size_t i = 0; i < models.size(); ++i) {
      Graph g = models[i].build();
      optimize(g, true);
      for (std::size_t k = 0; k < threads.size(); ++k) {
        bind_threads(threads[k], true);
        MeasuredModel m = measure_model(models[i].name, g, roofs_for(machine, threads[k]), training_plan(quick));
        fmt::print(stderr, "roofscope: train [{}/{}] pass {}/{} {} at {} thread(s): {:.3f} ms ({} ops), {:.1f} s "
                           "elapsed\n", ++done, total, pass + 1, passes, m.name, threads[k], m.e2e_median_s * 1e3,
                   m.ops.size(), since_s(t0));
        by_row[i * threads.size() + k].push_back(std::move(m));
      }
    }
  std::vector<MeasuredModel> out;
  for (const std::vector<MeasuredModel>& p : by_row) out.push_back(median_over_passes(p));
  return out;
}

/// The refinement round's models: the variants whose held-out error (xgboost, `kRefineFolds` groups held out, the
/// larger |error| of the thread counts) is largest, and `count` new variants one step away from them, four around
/// each (neighbour_variants()). Prints what it picked.
std::vector<TrainingModel> refinement_models(const std::vector<TrainingModel>& models,
                                             const std::vector<MeasuredModel>& rows, const std::vector<int>& threads,
                                             int count, const TrainArgs& a) {
  constexpr int kRefineFolds = 5, kPerModel = 4;
  std::map<std::string, double> error;
  for (int t : threads)
    for (const PredictorScore& s : leave_one_model_out(rows, t, topology().physical_cores, nullptr, kRefineFolds))
      if (s.predictor == "xgboost")
        for (const HeldOut& h : s.held_out) error[h.model] = std::max(error[h.model], std::fabs(h.error));
  std::vector<const TrainingModel*> worst;
  std::set<std::string> names;
  for (const TrainingModel& m : models) {
    names.insert(m.name);
    if (m.variant) worst.push_back(&m);
  }
  std::sort(worst.begin(), worst.end(),
            [&](const TrainingModel* x, const TrainingModel* y) { return error[x->name] > error[y->name]; });
  std::vector<TrainingModel> out;
  for (std::size_t i = 0; i < worst.size() && static_cast<int>(out.size()) < count; ++i) {
    const int n = std::min(kPerModel, count - static_cast<int>(out.size()));
    for (const VariantSpec& v : neighbour_variants(*worst[i]->variant, n, a.seed + i, names, a.quick ? 64 : 224)) {
      names.insert(v.name());
      out.push_back(variant_model(v));
    }
    fmt::print(stderr, "roofscope: refine: {} predicted {:.1f}% off when held out: measuring neighbours\n",
               worst[i]->name, 100 * error[worst[i]->name]);
  }
  return out;
}

}  // namespace

std::string train(const TrainArgs& a) {
  const auto t0 = Clock::now();
  const std::vector<int> threads = thread_counts(a);
  CalibrateOptions co;
  co.cache_dir = a.cache.cache_dir;
  co.machine_file = a.cache.machine_file;
  co.max_threads = 0;  // every core: only a profile that covers them all is cached (predict reads the cache)
  co.quick = true;
  const MachineProfile machine = load_or_calibrate(co, std::cerr);
  const std::vector<TrainingModel> models = a.from_rows.empty() ? training_models(a) : std::vector<TrainingModel>{};
  const int passes = a.passes > 0 ? a.passes : a.quick ? 1 : 3;
  std::vector<MeasuredModel> rows = a.from_rows.empty() ? measure_all(models, threads, machine, a.quick, passes)
                                                        : load_training_rows(a.from_rows);
  const int refine = a.from_rows.empty() ? (a.refine >= 0 ? a.refine : a.quick ? 0 : 40) : 0;
  std::vector<TrainingModel> refined;
  if (refine > 0) refined = refinement_models(models, rows, threads, refine, a);
  if (!refined.empty()) {
    const std::vector<MeasuredModel> more = measure_all(refined, threads, machine, a.quick, passes);
    rows.insert(rows.end(), more.begin(), more.end());
  }
  const double measure_s = since_s(t0);
  if (!a.rows_out.empty()) save_training_rows(rows, a.rows_out);
  LatencyModel lm;
  lm.created_utc = utc_now_iso8601();
  lm.cpu = machine.cpu.identity.model_name;
  lm.cores = machine.cpu.physical_cores;
  lm.machine_profile_utc = machine.created_utc;
  lm.machine_path = machine.loaded_from;
  lm.quick = a.quick;
  for (const MeasuredModel& m : rows)
    if (m.threads == threads.front()) lm.models.push_back(m.name);
  for (int t : threads) {
    lm.threads[t] = fit_thread_model(rows, t, {}, topology().physical_cores);
    lm.threads[t].roofs = roofs_for(machine, t);
  }
  lm.train_time_s = since_s(t0);
  const std::string path = latency_model_path(a.cache);
  save_latency_model(lm, path);
  std::string ts;
  for (int t : threads) ts += (ts.empty() ? "" : ", ") + std::to_string(t);
  return fmt::format("trained the latency model on {} models{} at {} thread(s){}: {} op rows per thread count; cost "
                     "{:.1f} min ({:.1f} s measuring, {:.1f} s fitting); cached in {}{}\n",
                     lm.models.size(), a.quick ? " (quick: for tests, not for numbers)" : "", ts,
                     a.from_rows.empty() ? fmt::format(", medians of {} pass(es), {} refinement variants", passes,
                                                       refined.size())
                                         : " (from rows)",
                     lm.threads.begin()->second.rows, lm.train_time_s / 60, measure_s, lm.train_time_s - measure_s, path,
                     a.rows_out.empty() ? "" : "; rows in " + a.rows_out);
}

}  // namespace rs::api
