// The gradient-boosted-trees predictor: log(t / t_roof) from the op features, Debian's libxgboost C API. The fitted
// booster is kept as XGBoost's own JSON (XGBoosterSaveModelToBuffer) inside the latency cache, so predicting never
// refits.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xgboost/c_api.h>

#include "profiler/roofline/predictors.h"

namespace rs {

namespace {

/// Throws PredictorError with XGBoost's message when rc != 0.
void check(int rc, const char* what) {
  if (rc != 0) throw PredictorError(fmt::format("xgboost {}: {}", what, XGBGetLastError()));
}

/// Roofline time as the trees' baseline, seconds (1 us when unknown or 0).
double baseline_s(const OpFeatures& f) { return std::isfinite(f.t_roof_s) && f.t_roof_s > 0 ? f.t_roof_s : 1e-6; }

struct Matrix {
  DMatrixHandle h = nullptr;
  explicit Matrix(const std::vector<const OpFeatures*>& ops) {
    std::vector<float> data;
    for (const OpFeatures* f : ops) data.insert(data.end(), f->x.begin(), f->x.end());
    check(XGDMatrixCreateFromMat(data.data(), ops.size(), kFeatCount, std::nanf(""), &h), "DMatrix");
  }
  ~Matrix() { XGDMatrixFree(h); }
  Matrix(const Matrix&) = delete;
  Matrix& operator=(const Matrix&) = delete;
};

struct Booster {
  BoosterHandle h = nullptr;
  Booster(const DMatrixHandle* dmats, bst_ulong n) { check(XGBoosterCreate(dmats, n, &h), "booster"); }
  ~Booster() { XGBoosterFree(h); }
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  void set(const char* key, const std::string& value) { check(XGBoosterSetParam(h, key, value.c_str()), key); }
};

class XgbPredictor : public OpPredictor {
 public:
  explicit XgbPredictor(int nthread) : nthread_(std::max(1, nthread)) {}
  std::string name() const override { return "xgboost"; }

  /// Squared error of the log ratio (reg:absoluteerror extrapolated wildly on vgg16: x45), 300 rounds of histogram
  /// trees, depth 6, eta 0.1, subsample 0.8, weights sqrt(t) / mean: the ops that make a model's total weigh
  /// more than the tiny ones.
  void fit(const std::vector<const OpRow*>& rows) override {
    if (rows.empty()) throw PredictorError("no rows to fit");
    std::vector<const OpFeatures*> ops;
    std::vector<float> label, weight;
    double wsum = 0;
    for (const OpRow* r : rows) {
      ops.push_back(&r->f);
      label.push_back(static_cast<float>(std::log(r->time_s / baseline_s(r->f))));
      weight.push_back(static_cast<float>(std::sqrt(r->time_s)));
      wsum += weight.back();
    }
    for (float& w : weight) w = static_cast<float>(w * static_cast<double>(weight.size()) / wsum);
    Matrix m(ops);
    check(XGDMatrixSetFloatInfo(m.h, "label", label.data(), label.size()), "labels");
    check(XGDMatrixSetFloatInfo(m.h, "weight", weight.data(), weight.size()), "weights");
    Booster b(&m.h, 1);
    const std::pair<const char*, std::string> params[] = {
        {"objective", "reg:squarederror"}, {"tree_method", "hist"}, {"max_depth", "6"}, {"eta", "0.1"},
        {"subsample", "0.8"},
        {"min_child_weight", "2"}, {"nthread", std::to_string(nthread_)}, {"seed", "0"}, {"verbosity", "0"}};
    for (const auto& [k, v] : params) b.set(k, v);
    for (int i = 0; i < kRounds; ++i) check(XGBoosterUpdateOneIter(b.h, i, m.h), "training");
    bst_ulong len = 0;
    const char* buf = nullptr;
    check(XGBoosterSaveModelToBuffer(b.h, R"({"format": "json"})", &len, &buf), "save");
    model_.assign(buf, len);
  }

  std::vector<double> predict(const std::vector<OpFeatures>& ops) const override {
    if (model_.empty()) throw PredictorError("xgboost predictor used before it was fitted or loaded");
    std::vector<double> out;
    if (ops.empty()) return out;
    std::vector<const OpFeatures*> p;
    for (const OpFeatures& f : ops) p.push_back(&f);
    Matrix m(p);
    Booster b(nullptr, 0);
    check(XGBoosterLoadModelFromBuffer(b.h, model_.data(), model_.size()), "load");
    b.set("nthread", "1");
    bst_ulong len = 0;
    const float* y = nullptr;
    check(XGBoosterPredict(b.h, m.h, 0, 0, 0, &len, &y), "predict");
    for (std::size_t i = 0; i < ops.size(); ++i)
      out.push_back(std::max(1e-7, baseline_s(ops[i]) * std::exp(static_cast<double>(y[i]))));
    return out;
  }

  void to_json(nlohmann::json& j) const override { j = {{"rounds", kRounds}, {"booster_json", model_}}; }
  void from_json(const nlohmann::json& j) override {
    model_ = j.at("booster_json").get<std::string>();
    if (model_.empty()) throw PredictorError("empty booster");
    Booster b(nullptr, 0);  // fail now, not at the first prediction
    check(XGBoosterLoadModelFromBuffer(b.h, model_.data(), model_.size()), "load");
  }

 private:
  static constexpr int kRounds = 300;
  int nthread_;
  std::string model_;  ///< XGBoost's JSON model
};

}  // namespace

std::unique_ptr<OpPredictor> make_xgboost_predictor(int nthread) { return std::make_unique<XgbPredictor>(nthread); }

}  // namespace rs
