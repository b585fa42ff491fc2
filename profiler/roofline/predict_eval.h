// Leave-one-model-out evaluation of the latency predictors (issue 11): for each model, every predictor is fitted on
// the rows of the other models only (same thread count) and predicts the held-out model's ops and total, which are
// compared with its measured end-to-end median and op times.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "profiler/roofline/predict_train.h"

namespace rs {

/// One held-out model under one predictor.
struct HeldOut {
  std::string model;
  int threads = 1;
  double measured_s = 0;   ///< e2e median
  double predicted_s = 0;
  double error = 0;        ///< predicted / measured - 1
  double op_sum_error = 0; ///< predicted sum of op times / measured sum of op medians - 1 (free of the e2e noise)
};

/// Metrics of one predictor at one thread count.
struct PredictorScore {
  std::string predictor;
  int threads = 1;
  int models = 0;
  double within_5 = 0, within_10 = 0;  ///< share of held-out models with |error| <= 5% / 10%, in [0, 1]
  double rmspe = 0;                    ///< sqrt(mean(error^2)) over models
  double spearman = 0;                 ///< rank correlation of predicted and measured totals
  std::string worst_model;
  double worst_error = 0;
  double op_sum_within_10 = 0;         ///< share of models whose predicted op sum is within 10% of the measured one
  double op_sum_rmspe = 0;
  double op_rmspe = 0;                 ///< over every held-out op: sqrt(mean((pred / t - 1)^2))
  double op_within_10 = 0;             ///< share of held-out ops within 10%
  double op_rmspe_weighted = 0;        ///< the same, each op weighted by its share of its model's time
  std::vector<HeldOut> held_out;
};

/// Scores of every predictor at `threads` over `models` (rows of other thread counts ignored). folds <= 0 (or >= the
/// models): leave-one-model-out; else models are held out in `folds` groups (model k in group k mod folds), each
/// group predicted by predictors fitted on the other groups' models only (one fit per group instead of per model).
/// progress(done, total) after each fit (may be empty). Throws PredictorError with fewer than 2 models.
std::vector<PredictorScore> leave_one_model_out(const std::vector<MeasuredModel>& models, int threads,
                                                int xgb_threads, const std::function<void(int, int)>& progress = {},
                                                int folds = 0);

/// Fills the model-level metrics of s from s.held_out.
void summarize_held_out(PredictorScore& s);

}  // namespace rs
