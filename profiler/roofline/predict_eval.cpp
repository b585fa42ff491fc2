// Leave-one-model-out scores of the latency predictors.
#include "profiler/roofline/predict_eval.h"

#include <cmath>
#include <map>
#include <set>

#include "runtime/stats.h"

namespace rs {

void summarize_held_out(PredictorScore& s) {
  s.models = static_cast<int>(s.held_out.size());
  if (s.held_out.empty()) return;
  double in5 = 0, in10 = 0, sq = 0, sum_in10 = 0, sum_sq = 0;
  std::vector<double> pred, meas;
  s.worst_error = 0;
  for (const HeldOut& h : s.held_out) {
    const double e = std::fabs(h.error);
    in5 += e <= 0.05 ? 1 : 0;
    in10 += e <= 0.10 ? 1 : 0;
    sq += h.error * h.error;
    sum_in10 += std::fabs(h.op_sum_error) <= 0.10 ? 1 : 0;
    sum_sq += h.op_sum_error * h.op_sum_error;
    pred.push_back(h.predicted_s);
    meas.push_back(h.measured_s);
    if (e >= std::fabs(s.worst_error)) s.worst_error = h.error, s.worst_model = h.model;
  }
  const double n = static_cast<double>(s.held_out.size());
  s.within_5 = in5 / n;
  s.within_10 = in10 / n;
  s.rmspe = std::sqrt(sq / n);
  s.op_sum_within_10 = sum_in10 / n;
  s.op_sum_rmspe = std::sqrt(sum_sq / n);
  s.spearman = s.held_out.size() > 1 ? spearman(pred, meas) : std::nan("");
}

namespace {

/// Per-op sums of one predictor over the held-out models.
struct OpErrors {
  double sq = 0, n = 0, in10 = 0, wsq = 0, w = 0;
  void add(const ModelPrediction& p, const MeasuredModel& m) {
    for (std::size_t i = 0; i < m.ops.size(); ++i) {
      const double e = p.ops[i].time_s / m.ops[i].time_s - 1;
      const double share = m.sum_op_median_s > 0 ? m.ops[i].time_s / m.sum_op_median_s : 0;
      sq += e * e, n += 1, in10 += std::fabs(e) <= 0.1 ? 1 : 0;
      wsq += share * e * e, w += share;
    }
  }
};

std::vector<OpFeatures> features_of(const MeasuredModel& m) {
  std::vector<OpFeatures> f;
  for (const OpRow& r : m.ops) f.push_back(r.f);
  return f;
}

/// The held-out groups: indices of the models at `threads`, one per model or `folds` of them.
std::vector<std::set<int>> held_out_groups(const std::vector<MeasuredModel>& models, int threads, int folds) {
  std::vector<int> at;
  for (std::size_t i = 0; i < models.size(); ++i)
    if (models[i].threads == threads) at.push_back(static_cast<int>(i));
  if (at.size() < 2) throw PredictorError("leave-one-model-out needs at least 2 models at this thread count");
  const std::size_t k = folds <= 0 || static_cast<std::size_t>(folds) >= at.size() ? at.size()
                                                                                    : static_cast<std::size_t>(folds);
  std::vector<std::set<int>> groups(k);
  for (std::size_t i = 0; i < at.size(); ++i) groups[i % k].insert(at[i]);
  return groups;
}

}  // namespace

std::vector<PredictorScore> leave_one_model_out(const std::vector<MeasuredModel>& models, int threads,
                                                int xgb_threads, const std::function<void(int, int)>& progress,
                                                int folds) {
  const std::vector<std::set<int>> groups = held_out_groups(models, threads, folds);
  std::map<std::string, PredictorScore> scores;
  std::map<std::string, OpErrors> ops;
  int done = 0;
  for (const std::set<int>& held : groups) {
    const ThreadModel tm = fit_thread_model(models, threads, held, xgb_threads);
    for (int i : held) {
      const MeasuredModel& m = models[static_cast<std::size_t>(i)];
      for (const std::string& name : predictor_names()) {
        const ModelPrediction p = predict_ops(tm, name, features_of(m));
        scores[name].held_out.push_back({m.name, threads, m.e2e_median_s, p.total_s, p.total_s / m.e2e_median_s - 1,
                                         p.op_sum_s / m.sum_op_median_s - 1});
        ops[name].add(p, m);
      }
    }
    if (progress) progress(++done, static_cast<int>(groups.size()));
  }
  std::vector<PredictorScore> out;
  for (const std::string& name : predictor_names()) {
    PredictorScore s = std::move(scores[name]);
    s.predictor = name;
    s.threads = threads;
    summarize_held_out(s);
    const OpErrors& o = ops[name];
    s.op_rmspe = std::sqrt(o.sq / o.n);
    s.op_within_10 = o.in10 / o.n;
    s.op_rmspe_weighted = o.w > 0 ? std::sqrt(o.wsq / o.w) : std::nan("");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace rs
