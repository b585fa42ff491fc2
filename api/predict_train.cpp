// roofscope predict --train: time the training models in context at each thread count, fit, cache.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>

#include <fmt/format.h>

#include "api/common.h"
#include "api/predict.h"
#include "graph/passes.h"
#include "graph/units.h"
#include "models/variants.h"
#include "models/zoo.h"
#include "profiler/machine/calibrate.h"
#include "profiler/roofline/predict_cache.h"

namespace rs::api {

namespace {

using Clock = std::chrono::steady_clock;

double since_s(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// A training model: its name and how to build it (shapes inferred, not optimized).
struct TrainingModel {
  std::string name;
  std::function<Graph()> build;
};

/// The training set: the zoo (quick: resnet18 and mobilenet_v2 at 64x64), every --with model, the variants.
std::vector<TrainingModel> training_models(const TrainArgs& a) {
  std::vector<TrainingModel> out;
  if (!a.no_zoo)
    for (const ZooEntry& z : zoo()) {
      if (a.quick && z.name != "resnet18" && z.name != "mobilenet_v2") continue;
      ModelOptions o;
      o.size = a.quick ? 64 : 224;
      out.push_back({z.name, [name = z.name, o] { return build_model(name, o); }});
    }
  for (const std::string& m : a.with) {
    roofscope::ModelSource src;
    src.model = m;
    const bool onnx = std::filesystem::path(m).extension() == ".onnx";
    out.push_back({onnx ? "onnx:" + std::filesystem::path(m).stem().string() : m,
                   [src] { return load_model_to_run(src); }});
  }
  const int count = a.variants >= 0 ? a.variants : a.quick ? 6 : 150;
  for (const VariantSpec& v : sample_variants(count, a.seed, a.quick ? 64 : 224))
    out.push_back({v.name(), [v] { return build_variant(v); }});
  return out;
}

std::vector<int> thread_counts(const TrainArgs& a) {
  std::vector<int> t = a.threads;
  if (t.empty())
    for (int n = 1; n <= topology().physical_cores; ++n) t.push_back(n);
  for (int n : t) check_threads(n);
  return t;
}

/// Every model at every thread count, thread counts interleaved model by model (drift hits them alike).
std::vector<MeasuredModel> measure_all(const std::vector<TrainingModel>& models, const std::vector<int>& threads,
                                       const MachineProfile& machine, bool quick) {
  std::vector<MeasuredModel> out;
  const auto t0 = Clock::now();
  const std::size_t total = models.size() * threads.size();
  for (const TrainingModel& m : models) {
    Graph g = m.build();
    optimize(g, true);
    for (int t : threads) {
      bind_threads(t, true);
      out.push_back(measure_model(m.name, g, roofs_for(machine, t), training_plan(quick)));
      fmt::print(stderr, "roofscope: train [{}/{}] {} at {} thread(s): {:.3f} ms ({} ops), {:.1f} s elapsed\n",
                 out.size(), total, m.name, t, out.back().e2e_median_s * 1e3, out.back().ops.size(), since_s(t0));
    }
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
  const std::vector<MeasuredModel> rows =
      a.from_rows.empty() ? measure_all(models, threads, machine, a.quick) : load_training_rows(a.from_rows);
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
  return fmt::format("trained the latency model on {} models{} at {} thread(s): {} op rows per thread count; cost {:.1f} "
                     "min ({:.1f} s measuring, {:.1f} s fitting); cached in {}{}\n",
                     lm.models.size(), a.quick ? " (quick: for tests, not for numbers)" : "", ts,
                     lm.threads.begin()->second.rows, lm.train_time_s / 60, measure_s, lm.train_time_s - measure_s, path,
                     a.rows_out.empty() ? "" : "; rows in " + a.rows_out);
}

}  // namespace rs::api
