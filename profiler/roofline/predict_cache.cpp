// The latency model cache and the training-rows file, as JSON.
#include "profiler/roofline/predict_cache.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "graph/files.h"
#include "profiler/machine/calibrate.h"

namespace rs {

namespace {

using nlohmann::json;

constexpr const char* kFix = "run `roofscope predict --train`";

/// The roofs the features read (profiler/roofline/roofline.h predict(): the peaks, DRAM, the cache levels and the
/// bandwidth sweep's envelope, which sets the roof of a cache-resident op). Predicting with fewer than training had
/// gives other features than the trees were fitted on (without the envelope an FC's roof moved 4x).
json roofs_json(const Roofs& r) {
  json j = {{"threads", r.threads}, {"peak_measured_gflops_per_s", r.peak_measured_gflops_per_s},
            {"peak_theoretical_gflops_per_s", r.peak_theoretical_gflops_per_s},
            {"peak_effective_gflops_per_s", r.peak_effective_gflops_per_s},
            {"dram_measured_gb_per_s", r.dram_measured_gb_per_s},
            {"dram_theoretical_gb_per_s", r.dram_theoretical_gb_per_s}, {"caches", json::array()},
            {"sweep_envelope", r.sweep_envelope}};
  for (const CacheRoof& c : r.caches)
    j["caches"].push_back({{"level", c.level}, {"capacity_bytes", c.capacity_bytes}, {"gb_per_s", c.gb_per_s}});
  return j;
}

Roofs roofs_from(const json& j) {
  Roofs r;
  r.threads = j.at("threads").get<int>();
  r.peak_measured_gflops_per_s = j.at("peak_measured_gflops_per_s").get<double>();
  r.peak_theoretical_gflops_per_s = j.at("peak_theoretical_gflops_per_s").get<double>();
  r.peak_effective_gflops_per_s = j.at("peak_effective_gflops_per_s").get<double>();
  r.dram_measured_gb_per_s = j.at("dram_measured_gb_per_s").get<double>();
  r.dram_theoretical_gb_per_s = j.at("dram_theoretical_gb_per_s").get<double>();
  for (const json& c : j.at("caches"))
    r.caches.push_back({c.at("level").get<std::string>(), c.at("capacity_bytes").get<std::int64_t>(),
                        c.at("gb_per_s").get<double>()});
  r.sweep_envelope = j.at("sweep_envelope").get<std::vector<std::pair<std::int64_t, double>>>();
  return r;
}

json thread_model_json(const ThreadModel& tm) {
  json j = {{"threads", tm.threads},     {"roofs", roofs_json(tm.roofs)}, {"rows", tm.rows},
            {"models", tm.models},       {"e2e_scale", tm.e2e_scale},     {"e2e_overhead_s", tm.e2e_overhead_s},
            {"covered_kinds", tm.covered_kinds}, {"predictors", json::object()}};
  for (const auto& [name, p] : tm.predictors) p->to_json(j["predictors"][name]);
  return j;
}

ThreadModel thread_model_from(const json& j) {
  ThreadModel tm;
  tm.threads = j.at("threads").get<int>();
  tm.roofs = roofs_from(j.at("roofs"));
  tm.rows = j.at("rows").get<int>();
  tm.models = j.at("models").get<int>();
  tm.e2e_scale = j.at("e2e_scale").get<double>();
  tm.e2e_overhead_s = j.at("e2e_overhead_s").get<double>();
  tm.covered_kinds = j.at("covered_kinds").get<std::set<std::string>>();
  for (const std::string& name : predictor_names()) {
    auto p = make_predictor(name);
    p->from_json(j.at("predictors").at(name));
    tm.predictors[name] = std::move(p);
  }
  return tm;
}

/// `path` parsed as JSON; `what` names the file for messages ("latency model", "training-rows file"). At most
/// 256 MiB (a latency model of 215 models is ~3 MB, its training rows ~7 MB). Throws LatencyCacheError naming the
/// path and the problem (graph/files.h read_regular_file: missing, a directory, a device, too large; or bad JSON).
json read_json(const std::string& path, const char* what) {
  std::string text;
  try {
    text = read_regular_file(path, 256u << 20, what);
  } catch (const FileReadError& e) {
    throw LatencyCacheError(fmt::format("cannot read {}: {}; {}", what, e.what(), kFix));
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {  // its what() quotes the text read so far: megabytes of a booster
    throw LatencyCacheError(fmt::format("{} '{}' is corrupt (not JSON: parse error at byte {}); {}", what, path,
                                        e.byte, kFix));
  }
}

json op_row_json(const OpRow& r) {
  return {{"name", r.f.name}, {"label", r.f.label}, {"kind", r.f.kind}, {"x", r.f.x}, {"flops", r.f.flops},
          {"bytes", r.f.bytes}, {"t_roof_s", r.f.t_roof_s}, {"time_s", r.time_s}};
}

OpRow op_row_from(const json& j) {
  OpRow r;
  r.f.name = j.at("name").get<std::string>();
  r.f.label = j.at("label").get<std::string>();
  r.f.kind = j.at("kind").get<std::string>();
  r.f.x = j.at("x").get<std::vector<float>>();
  if (r.f.x.size() != static_cast<std::size_t>(kFeatCount)) throw PredictorError("feature count differs");
  r.f.flops = j.at("flops").get<double>();
  r.f.bytes = j.at("bytes").get<double>();
  r.f.t_roof_s = j.at("t_roof_s").is_null() ? std::nan("") : j.at("t_roof_s").get<double>();
  r.time_s = j.at("time_s").get<double>();
  return r;
}

}  // namespace

std::string latency_cache_path(const std::string& cache_dir, const std::string& cpu, int cores) {
  return fmt::format("{}/latency-{}-{}c.json", cache_dir, file_slug(cpu, "unknown-cpu"), cores);
}

void save_latency_model(const LatencyModel& m, const std::string& path) {
  json j = {{"schema", kLatencyModelSchema}, {"version", m.version}, {"created_utc", m.created_utc}, {"cpu", m.cpu},
            {"cores", m.cores}, {"machine_profile_utc", m.machine_profile_utc}, {"machine_path", m.machine_path},
            {"quick", m.quick}, {"train_time_s", m.train_time_s}, {"default_predictor", m.default_predictor},
            {"models", m.models}, {"threads", json::array()}};
  for (const auto& [t, tm] : m.threads) j["threads"].push_back(thread_model_json(tm));
  write_file_atomically(path, j.dump(), true);
}

LatencyModel load_latency_model(const std::string& path, const std::string& machine_profile_utc) {
  const json j = read_json(path, "latency model");
  LatencyModel m;
  try {
    if (j.at("schema").get<std::string>() != kLatencyModelSchema) throw PredictorError("not a latency model");
    m.version = j.at("version").get<int>();
    if (m.version != kLatencyModelVersion)
      throw PredictorError(fmt::format("version {}, this roofscope reads version {}", m.version, kLatencyModelVersion));
    m.created_utc = j.at("created_utc").get<std::string>();
    m.cpu = j.at("cpu").get<std::string>();
    m.cores = j.at("cores").get<int>();
    m.machine_profile_utc = j.at("machine_profile_utc").get<std::string>();
    m.machine_path = j.at("machine_path").get<std::string>();
    m.quick = j.at("quick").get<bool>();
    m.train_time_s = j.at("train_time_s").get<double>();
    m.default_predictor = j.at("default_predictor").get<std::string>();
    m.models = j.at("models").get<std::vector<std::string>>();
    for (const json& t : j.at("threads")) {
      ThreadModel tm = thread_model_from(t);
      m.threads[tm.threads] = std::move(tm);
    }
  } catch (const std::exception& e) {  // json's type/out_of_range errors, PredictorError, invalid_argument
    throw LatencyCacheError(fmt::format("latency model '{}' is corrupt or of another version ({}); {}", path, e.what(),
                                        kFix));
  }
  if (!machine_profile_utc.empty() && m.machine_profile_utc != machine_profile_utc)
    throw LatencyCacheError(fmt::format("latency model '{}' was trained with another machine profile (measured {}, the "
                                        "current one {}: recalibrated since); {}",
                                        path, m.machine_profile_utc, machine_profile_utc, kFix));
  return m;
}

void save_training_rows(const std::vector<MeasuredModel>& models, const std::string& path) {
  json j = {{"schema", kTrainingRowsSchema}, {"version", kTrainingRowsVersion}, {"models", json::array()}};
  for (const MeasuredModel& m : models) {
    json mj = {{"name", m.name}, {"threads", m.threads}, {"e2e_median_s", m.e2e_median_s},
               {"sum_op_median_s", m.sum_op_median_s}, {"clock_ghz", m.clock_ghz}, {"ops", json::array()}};
    for (const OpRow& r : m.ops) mj["ops"].push_back(op_row_json(r));
    j["models"].push_back(std::move(mj));
  }
  write_file_atomically(path, j.dump(), false);
}

std::vector<MeasuredModel> load_training_rows(const std::string& path) {
  const json j = read_json(path, "training-rows file");
  std::vector<MeasuredModel> out;
  try {
    if (j.at("schema").get<std::string>() != kTrainingRowsSchema || j.at("version").get<int>() != kTrainingRowsVersion)
      throw PredictorError("not a training-rows file of this version");
    for (const json& mj : j.at("models")) {
      MeasuredModel m;
      m.name = mj.at("name").get<std::string>();
      m.threads = mj.at("threads").get<int>();
      m.e2e_median_s = mj.at("e2e_median_s").get<double>();
      m.sum_op_median_s = mj.at("sum_op_median_s").get<double>();
      m.clock_ghz = mj.at("clock_ghz").get<double>();
      for (const json& r : mj.at("ops")) m.ops.push_back(op_row_from(r));
      out.push_back(std::move(m));
    }
  } catch (const std::exception& e) {
    throw LatencyCacheError(fmt::format("training rows '{}' are corrupt ({})", path, e.what()));
  }
  return out;
}

}  // namespace rs
