// The per-op latency predictors of issue 11, side by side. Each is fitted to op times measured in context of whole
// networks (predict_train.h) and predicts an op's seconds from its features (predict_features.h):
//   flops        t = a * FLOPs + b                       (one fitted rate 1/a, one per-op overhead b)
//   roofline     t = t_roof + b                          (the cache-aware roofline, one fitted per-op overhead b)
//   roofline-eff t = t_roof / eff_k + b_k                (efficiency and overhead per op kind k, least squares;
//                                                         kinds with fewer than 3 rows share the global fit)
//   xgboost      log(t / t_roof) = trees(features)       (gradient-boosted trees, Debian's libxgboost C API)
// The linear fits minimise sum_i (pred_i - t_i)^2 / t_i (Eigen, QR): between relative error (every op counts) and
// absolute error (the big ops that make the model's total). Predictions are clamped to >= 1e-7 s.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "profiler/roofline/predict_features.h"

namespace rs {

/// A training row: an op's features and its measured time (median over runs, the reorders the runtime inserted
/// before it included), seconds.
struct OpRow {
  OpFeatures f;
  double time_s = 0;
};

/// A predictor that cannot be fitted (no rows, XGBoost failing) or read back; what() says why.
class PredictorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OpPredictor {
 public:
  virtual ~OpPredictor();
  virtual std::string name() const = 0;
  /// Fits to `rows` (non-empty, every time_s > 0). Throws PredictorError.
  virtual void fit(const std::vector<const OpRow*>& rows) = 0;
  /// Seconds per op, in `ops` order.
  virtual std::vector<double> predict(const std::vector<OpFeatures>& ops) const = 0;
  virtual void to_json(nlohmann::json& j) const = 0;
  /// Throws PredictorError (or nlohmann's errors) on a malformed entry.
  virtual void from_json(const nlohmann::json& j) = 0;
};

/// "flops", "roofline", "roofline-eff", "xgboost" in that order.
const std::vector<std::string>& predictor_names();
/// A new unfitted predictor; throws std::invalid_argument naming the choices for another name.
std::unique_ptr<OpPredictor> make_predictor(const std::string& name);
/// The XGBoost predictor (predict_xgb.cpp). nthread: threads XGBoost trains with (>= 1).
std::unique_ptr<OpPredictor> make_xgboost_predictor(int nthread);

/// Least squares of rows (a_i, b_i) -> t_i for t = alpha * a + beta * b with weights 1 / t_i (see above); {alpha,
/// beta}. b_i = 1 fits an intercept. Falls back to beta = 0 when the fit gives a negative overhead, and alpha = 0 when
/// a is all zero.
std::pair<double, double> fit_linear(const std::vector<double>& a, const std::vector<double>& t);

}  // namespace rs
