// The linear predictors (FLOPs rate, roofline + overhead, roofline x per-kind efficiency) and the registry.
#include "profiler/roofline/predictors.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <utility>

#include <Eigen/Dense>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rs {

OpPredictor::~OpPredictor() = default;

namespace {

constexpr double kMinTimeS = 1e-7;

double clamp_time(double t) { return std::isfinite(t) ? std::max(kMinTimeS, t) : kMinTimeS; }

/// alpha, beta minimising sum (alpha a + beta - t)^2 / t, beta >= 0.
std::pair<double, double> solve(const std::vector<double>& a, const std::vector<double>& t, bool intercept) {
  const Eigen::Index n = static_cast<Eigen::Index>(t.size());
  Eigen::MatrixXd m(n, intercept ? 2 : 1);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double w = 1.0 / std::sqrt(t[static_cast<std::size_t>(i)]);
    m(i, 0) = a[static_cast<std::size_t>(i)] * w;
    if (intercept) m(i, 1) = w;
    y(i) = t[static_cast<std::size_t>(i)] * w;
  }
  const Eigen::VectorXd s = m.colPivHouseholderQr().solve(y);
  return {s(0), intercept ? s(1) : 0.0};
}

}  // namespace

std::pair<double, double> fit_linear(const std::vector<double>& a, const std::vector<double>& t) {
  if (t.empty()) throw PredictorError("no rows to fit");
  const bool any_a = std::any_of(a.begin(), a.end(), [](double v) { return v > 0; });
  if (!any_a) {  // overhead only: b minimising sum (b - t)^2 / t is n / sum(1 / t), the harmonic mean
    double den = 0;
    for (double ti : t) den += 1 / ti;
    return {0.0, static_cast<double>(t.size()) / den};
  }
  auto s = solve(a, t, true);
  if (s.second < 0) s = solve(a, t, false);
  return s;
}

namespace {

/// t = alpha * x(op) + beta, x = FLOPs or the roofline time; fit_alpha false: alpha fixed at 1, beta fitted.
class LinearPredictor : public OpPredictor {
 public:
  LinearPredictor(std::string name, bool use_flops, bool fit_alpha)
      : name_(std::move(name)), use_flops_(use_flops), fit_alpha_(fit_alpha) {}
  std::string name() const override { return name_; }
  void fit(const std::vector<const OpRow*>& rows) override {
    std::vector<double> a, t;
    for (const OpRow* r : rows) a.push_back(x(r->f)), t.push_back(r->time_s);
    if (fit_alpha_) {
      std::tie(alpha_, beta_) = fit_linear(a, t);
      return;
    }
    double num = 0, den = 0;  // alpha = 1: the overhead minimising sum (t_roof + b - t)^2 / t
    for (std::size_t i = 0; i < t.size(); ++i) num += (t[i] - a[i]) / t[i], den += 1 / t[i];
    alpha_ = 1, beta_ = std::max(0.0, num / den);
  }
  std::vector<double> predict(const std::vector<OpFeatures>& ops) const override {
    std::vector<double> out;
    for (const OpFeatures& f : ops) out.push_back(clamp_time(alpha_ * x(f) + beta_));
    return out;
  }
  void to_json(nlohmann::json& j) const override { j = {{"alpha", alpha_}, {"beta_s", beta_}}; }
  void from_json(const nlohmann::json& j) override {
    alpha_ = j.at("alpha").get<double>();
    beta_ = j.at("beta_s").get<double>();
  }

 private:
  double x(const OpFeatures& f) const { return use_flops_ ? f.flops : (std::isfinite(f.t_roof_s) ? f.t_roof_s : 0); }
  std::string name_;
  bool use_flops_, fit_alpha_;
  double alpha_ = 1, beta_ = 0;
};

/// t = alpha_k * t_roof + beta_k per op kind k (global fit for kinds with < 3 rows).
class PerKindPredictor : public OpPredictor {
 public:
  std::string name() const override { return "roofline-eff"; }
  void fit(const std::vector<const OpRow*>& rows) override {
    std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> by_kind;
    std::vector<double> a, t;
    for (const OpRow* r : rows) {
      const double roof = std::isfinite(r->f.t_roof_s) ? r->f.t_roof_s : 0;
      by_kind[r->f.kind].first.push_back(roof);
      by_kind[r->f.kind].second.push_back(r->time_s);
      a.push_back(roof), t.push_back(r->time_s);
    }
    global_ = fit_linear(a, t);
    kinds_.clear();
    for (const auto& [k, at] : by_kind)
      if (at.second.size() >= 3) kinds_[k] = fit_linear(at.first, at.second);
  }
  std::vector<double> predict(const std::vector<OpFeatures>& ops) const override {
    std::vector<double> out;
    for (const OpFeatures& f : ops) {
      const auto it = kinds_.find(f.kind);
      const auto& [alpha, beta] = it == kinds_.end() ? global_ : it->second;
      out.push_back(clamp_time(alpha * (std::isfinite(f.t_roof_s) ? f.t_roof_s : 0) + beta));
    }
    return out;
  }
  void to_json(nlohmann::json& j) const override {
    j = {{"global", {global_.first, global_.second}}, {"kinds", nlohmann::json::object()}};
    for (const auto& [k, ab] : kinds_) j["kinds"][k] = {ab.first, ab.second};
  }
  void from_json(const nlohmann::json& j) override {
    global_ = {j.at("global").at(0).get<double>(), j.at("global").at(1).get<double>()};
    kinds_.clear();
    for (const auto& [k, ab] : j.at("kinds").items()) kinds_[k] = {ab.at(0).get<double>(), ab.at(1).get<double>()};
  }

 private:
  std::pair<double, double> global_{1, 0};
  std::map<std::string, std::pair<double, double>> kinds_;
};

}  // namespace

const std::vector<std::string>& predictor_names() {
  static const std::vector<std::string> names{"flops", "roofline", "roofline-eff", "xgboost"};
  return names;
}

std::unique_ptr<OpPredictor> make_predictor(const std::string& name) {
  if (name == "flops") return std::make_unique<LinearPredictor>("flops", true, true);
  if (name == "roofline") return std::make_unique<LinearPredictor>("roofline", false, false);
  if (name == "roofline-eff") return std::make_unique<PerKindPredictor>();
  if (name == "xgboost") return make_xgboost_predictor(1);
  throw std::invalid_argument(fmt::format("unknown predictor '{}' (available: flops, roofline, roofline-eff, xgboost)",
                                          name));
}

}  // namespace rs
