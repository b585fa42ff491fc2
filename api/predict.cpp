// roofscope predict: per-op and total latency from the cached latency model, nothing compiled or run.
#include "api/predict.h"

#include <chrono>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/common.h"
#include "api/provenance.h"
#include "graph/passes.h"
#include "profiler/machine/calibrate.h"
#include "profiler/machine/clock.h"
#include "profiler/report/report.h"
#include "profiler/roofline/predict_cache.h"

namespace rs::api {

std::string machine_identity(const PredictCache& cache) {
  CalibrateOptions co;
  co.cache_dir = cache.cache_dir;
  const std::string path = cache.machine_file.empty() ? machine_cache_path(co) : cache.machine_file;
  try {
    return load_machine_profile(path).created_utc;
  } catch (const std::exception& e) {  // MachineProfileError: missing, unreadable or invalid
    throw std::runtime_error(fmt::format("{}: run `roofscope predict --train` (it calibrates first)", e.what()));
  }
}

std::string latency_model_path(const PredictCache& cache) {
  CalibrateOptions co;
  co.cache_dir = cache.cache_dir;
  const std::filesystem::path machine = machine_cache_path(co);  // <dir>/machine-<cpu>-<cores>c.json
  return (machine.parent_path() / ("latency-" + machine.filename().string().substr(8))).string();
}

namespace {

Table prediction_table(const ModelPrediction& p) {
  // The compact columns (the terminal's default, fitted to its width) name the op, its FLOPs, roof and prediction.
  Table t({{"name", "name", ColumnKind::Text, 0, true}, {"op", "op", ColumnKind::Text, 0, true},
           {"covered", "covered", ColumnKind::Text, 0, true}, {"c_in", "C_in", ColumnKind::Count},
           {"c_out", "C_out", ColumnKind::Count}, {"h_out", "H", ColumnKind::Count}, {"w_out", "W", ColumnKind::Count},
           {"kernel", "k", ColumnKind::Count}, {"stride", "s", ColumnKind::Count}, {"groups", "g", ColumnKind::Count},
           {"flops", "FLOPs", ColumnKind::Flops, 1, true}, {"bytes", "bytes", ColumnKind::Bytes},
           {"intensity_flop_per_byte", "AI", ColumnKind::FlopPerByte, 1}, {"cache_level", "level"},
           {"t_roof_cache_s", "roof", ColumnKind::Seconds, 3, true},
           {"t_predicted_s", "predicted", ColumnKind::Seconds, 3, true}});
  static const char* kLevels[] = {"L1", "L2", "L3", "DRAM"};
  double roof = 0;
  for (const OpPrediction& o : p.ops) {
    const auto& x = o.f.x;
    auto count = [&](Feature k) { return Cell{static_cast<std::int64_t>(x[k])}; };
    t.add_row({o.f.name, o.f.label, std::string(o.covered ? "yes" : "uncovered (roofline floor)"), count(kFeatCin),
               count(kFeatCout), count(kFeatHout), count(kFeatWout), count(kFeatKh), count(kFeatStride),
               count(kFeatGroups), static_cast<std::int64_t>(o.f.flops), static_cast<std::int64_t>(o.f.bytes),
               static_cast<double>(x[kFeatIntensity]), std::string(kLevels[static_cast<int>(x[kFeatCacheLevel]) & 3]),
               o.f.t_roof_s, o.time_s});
    roof += o.f.t_roof_s;
  }
  t.set_totals({std::string("total"), std::string(""), fmt::format("{} uncovered", p.uncovered), {}, {}, {}, {}, {},
                {}, {}, {}, {}, {}, {}, roof, p.total_s});
  return t;
}

struct Summary {
  std::string model, predictor, cache_path;
  int threads = 1, batch = 1;
  double clock_ghz = 0;       ///< the clock predicted at
  bool clock_measured = true; ///< measured now (false: --clock-ghz)
  double predict_time_s = 0;  ///< the whole command: cache, graph, features, predictors
  double graph_time_s = 0;    ///< of which building and optimizing the graph (shapes only: no weights drawn)
  const LatencyModel* lm = nullptr;
};

std::string render(const Summary& s, const ModelPrediction& p, Format f) {
  const Table t = prediction_table(p);
  if (f == Format::Csv) return t.render(Format::Csv);
  if (f == Format::Json) {
    nlohmann::json j = t.to_json();
    j["summary"] = {{"model", s.model}, {"threads", s.threads}, {"batch", s.batch}, {"predictor", s.predictor},
                    {"clock_ghz", s.clock_ghz}, {"clock_measured", s.clock_measured},
                    {"predicted_latency_s", p.total_s},
                    {"op_sum_s", p.op_sum_s}, {"e2e_scale", s.lm->threads.at(s.threads).e2e_scale},
                    {"e2e_overhead_s", s.lm->threads.at(s.threads).e2e_overhead_s},
                    {"uncovered_ops", p.uncovered}, {"predict_time_s", s.predict_time_s},
                    {"graph_build_time_s", s.graph_time_s},
                    {"latency_model", s.cache_path}, {"latency_model_quick", s.lm->quick},
                    {"latency_model_created_utc", s.lm->created_utc}};
    return with_provenance(j.dump(2), nullptr) + "\n";
  }
  std::string out = fmt::format("model      {}, batch {}, {} thread(s), at {:.2f} GHz ({})\n", s.model, s.batch,
                                s.threads, s.clock_ghz, s.clock_measured ? "the effective clock measured now"
                                                                         : "--clock-ghz");
  out += fmt::format("predictor  {} (latency model {}, trained {}{} on {} models)\n", s.predictor, s.cache_path,
                     s.lm->created_utc, s.lm->quick ? ", QUICK: for tests, not for numbers" : "", s.lm->models.size());
  out += fmt::format("predicted  {} end to end ({} ops, {} uncovered; predicted in {}, of which {} building the "
                     "graph; nothing compiled or run)\n\n", format_seconds(p.total_s), p.ops.size(), p.uncovered,
                     format_seconds(s.predict_time_s), format_seconds(s.graph_time_s));
  return out + t.render(Format::Table);
}

}  // namespace

std::string predict(const PredictArgs& a, const std::string& format) {
  const auto start = std::chrono::steady_clock::now();
  const Format f = parse_format(format);
  if (f != Format::Table && f != Format::Csv && f != Format::Json)
    throw std::invalid_argument("predict --format must be table, csv or json");
  const int threads = a.threads == 0 ? topology().physical_cores : a.threads;
  check_threads(threads);
  Summary s;
  s.cache_path = latency_model_path(a.cache);
  const LatencyModel lm = load_latency_model(s.cache_path, machine_identity(a.cache));
  s.lm = &lm;
  const auto tm = lm.threads.find(threads);
  if (tm == lm.threads.end())
    throw std::invalid_argument(fmt::format("the latency model has no data at {} thread(s); run `roofscope predict "
                                            "--train --threads {}`", threads, threads));
  s.predictor = a.predictor.empty() ? lm.default_predictor : a.predictor;
  const auto graph_start = std::chrono::steady_clock::now();
  Graph g = load_model(a.model, /*shapes_only=*/true);  // nothing runs: no weights drawn
  optimize(g, !a.model.no_fuse);
  s.graph_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - graph_start).count();
  s.model = a.model.model;
  s.threads = threads;
  s.batch = static_cast<int>(g.value(g.inputs.at(0)).desc.dims.at(0));
  s.clock_measured = a.clock_ghz <= 0;
  if (s.clock_measured) bind_threads(threads, true);
  s.clock_ghz = s.clock_measured ? measure_clock(threads).ghz : a.clock_ghz;
  std::vector<OpFeatures> features = graph_features(g, tm->second.roofs);
  set_clock_feature(features, s.clock_ghz);
  const ModelPrediction p = predict_ops(tm->second, s.predictor, std::move(features));
  s.predict_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return render(s, p, f);
}

}  // namespace rs::api
