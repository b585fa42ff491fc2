// `roofscope predict` (issue 11): a model's latency on this machine before running it, from the latency model
// trained here (`predict --train`, cached beside the machine profile), and the leave-one-model-out evaluation.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "roofscope/api.h"

namespace rs::api {

/// Where the machine profile and the latency model live.
struct PredictCache {
  std::string cache_dir;     ///< "" = $XDG_CACHE_HOME/roofscope, else ~/.cache/roofscope
  std::string machine_file;  ///< "" = the cached machine profile
};

struct PredictArgs {
  roofscope::ModelSource model;
  int threads = 0;           ///< 0: every physical core
  std::string predictor;     ///< "" = the model's default (see README "Predicting latency")
  double clock_ghz = 0;      ///< effective clock to predict at, GHz (0: measure the clock running now, ~30 ms)
  PredictCache cache;
};
/// Per-op predicted seconds with the features used, and the total, at the effective clock running now (measured on
/// the threads bound as `threads`) or at args.clock_ghz. Builds and optimizes the graph, nothing is compiled or run.
/// format: table | csv | json. Throws std::invalid_argument for a bad model/threads/predictor, LatencyCacheError (a runtime_error) when there is no usable latency model ("run `roofscope predict --train`").
std::string predict(const PredictArgs& args, const std::string& format);

struct TrainArgs {
  bool quick = false;          ///< a few tiny models (< ~1 min): for CI, not for numbers
  std::vector<int> threads;    ///< empty: 1..physical cores
  int variants = -1;           ///< generated variants (-1: 150, quick 6)
  int passes = 0;              ///< passes over the whole training set, medians kept (0: 3, quick 1)
  int refine = -1;             ///< refinement variants around the worst-predicted ones (-1: 40, quick 0; 0: none)
  std::uint64_t seed = 11;     ///< of the variant sampler
  std::vector<std::string> with;  ///< ONNX files (or zoo names) to add to the training set
  bool no_zoo = false;         ///< leave the zoo out (e.g. to hold it out)
  std::string rows_out;        ///< also write the training rows there (for --evaluate)
  std::string from_rows;       ///< fit on these rows (a rows_out file) instead of measuring: seconds, not minutes
  PredictCache cache;
};
/// Times every training model in context at each thread count (progress lines on stderr), fits every predictor,
/// caches the latency model beside the machine profile (quick-calibrating one when there is none). Returns the
/// summary: what was trained on, its measured cost, where it is cached.
std::string train(const TrainArgs& args);

/// Leave-one-model-out over the training rows in `rows_file` (written by train's rows_out): per thread count and
/// predictor, % of models within 5% and 10%, RMSPE, Spearman, the worst model, per-op RMSPE. format: table | csv |
/// json (json adds every held-out model). folds > 0: models held out in that many groups (profiler/roofline/
/// predict_eval.h), one fit per group.
std::string evaluate(const std::string& rows_file, const std::string& format, int folds = 0);

/// The identity of the machine profile predict checks the latency model against: the created_utc of
/// `cache.machine_file`, else of the cached profile, read as plain JSON (predict takes its roofs from the latency
/// model, so the profile is not parsed). Throws std::runtime_error when there is none or it has no created_utc
/// ("run `roofscope predict --train`").
std::string machine_identity(const PredictCache& cache);
/// This machine's latency model: <cache dir>/latency-<cpu>-<cores>c.json, beside machine-<cpu>-<cores>c.json.
std::string latency_model_path(const PredictCache& cache);

}  // namespace rs::api
