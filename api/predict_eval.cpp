// roofscope predict --evaluate ROWS.json: leave-one-model-out scores of every predictor per thread count.
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/common.h"
#include "api/predict.h"
#include "profiler/report/report.h"
#include "profiler/roofline/predict_cache.h"
#include "profiler/roofline/predict_eval.h"

namespace rs::api {

namespace {

Table score_table(const std::vector<PredictorScore>& scores) {
  Table t({{"predictor", "predictor"}, {"threads", "threads", ColumnKind::Count},
           {"models", "models", ColumnKind::Count}, {"within_5_percent", "±5% %", ColumnKind::Real, 1},
           {"within_10_percent", "±10% %", ColumnKind::Real, 1}, {"rmspe_percent", "RMSPE %", ColumnKind::Real, 1},
           {"spearman", "Spearman", ColumnKind::Real, 3}, {"worst_model", "worst model"},
           {"worst_error_percent", "worst err %", ColumnKind::Real, 1},
           {"op_rmspe_percent", "op RMSPE %", ColumnKind::Real, 1},
           {"op_rmspe_time_weighted_percent", "op RMSPE (time-weighted) %", ColumnKind::Real, 1},
           {"op_within_10_percent", "ops ±10% %", ColumnKind::Real, 1},
           {"op_sum_within_10_percent", "op sum ±10% %", ColumnKind::Real, 1},
           {"op_sum_rmspe_percent", "op sum RMSPE %", ColumnKind::Real, 1}});
  for (const PredictorScore& s : scores)
    t.add_row({s.predictor, static_cast<std::int64_t>(s.threads), static_cast<std::int64_t>(s.models),
               100 * s.within_5, 100 * s.within_10, 100 * s.rmspe, s.spearman, s.worst_model, 100 * s.worst_error,
               100 * s.op_rmspe, 100 * s.op_rmspe_weighted, 100 * s.op_within_10, 100 * s.op_sum_within_10,
               100 * s.op_sum_rmspe});
  return t;
}

nlohmann::json held_out_json(const std::vector<PredictorScore>& scores) {
  nlohmann::json j = nlohmann::json::array();
  for (const PredictorScore& s : scores)
    for (const HeldOut& h : s.held_out)
      j.push_back({{"predictor", s.predictor}, {"threads", h.threads}, {"model", h.model},
                   {"measured_s", h.measured_s}, {"predicted_s", h.predicted_s}, {"error", h.error},
                   {"op_sum_error", h.op_sum_error}});
  return j;
}

}  // namespace

std::string evaluate(const std::string& rows_file, const std::string& format, int folds) {
  const Format f = parse_format(format);
  const std::vector<MeasuredModel> models = load_training_rows(rows_file);
  std::set<int> threads;
  for (const MeasuredModel& m : models) threads.insert(m.threads);
  std::vector<PredictorScore> scores;
  for (int t : threads) {
    Progress progress(fmt::format("leave-one-model-out at {} thread(s)", t));
    const auto s = leave_one_model_out(models, t, topology().physical_cores,
                                       [&](int done, int total) { progress.update(done, total); }, folds);
    scores.insert(scores.end(), s.begin(), s.end());
  }
  const Table t = score_table(scores);
  if (f == Format::Json) {
    nlohmann::json j = t.to_json();
    j["held_out"] = held_out_json(scores);
    return j.dump(2) + "\n";
  }
  return t.render(f);
}

}  // namespace rs::api
