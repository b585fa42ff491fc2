// The latency model cache (issue 11): every fitted predictor per thread count, beside the machine profile it was
// trained with (<cache dir>/latency-<cpu>-<cores>c.json), versioned and tied to that profile's identity, so
// `roofscope predict` never refits. The training rows can be written apart (for evaluation).
#pragma once
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "profiler/roofline/predict_train.h"

namespace rs {

inline constexpr const char* kLatencyModelSchema = "roofscope.latency_model";
/// 2: e2e_scale; 3: model-context, producer and clock features, the roofs' sweep envelope
inline constexpr int kLatencyModelVersion = 3;
inline constexpr const char* kTrainingRowsSchema = "roofscope.latency_rows";
inline constexpr int kTrainingRowsVersion = 2;  ///< 2: model-context, producer and clock features

/// A cache that cannot be used: unreadable, malformed, of another version, or of another machine profile. what()
/// names the file and ends with how to fix it ("run `roofscope predict --train`").
class LatencyCacheError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LatencyModel {
  int version = kLatencyModelVersion;
  std::string created_utc;
  std::string cpu;              ///< CPU model name
  int cores = 0;
  std::string machine_profile_utc;  ///< identity of the machine profile the roofs came from: its created_utc (a
                                   ///< recalibration changes it)
  std::string machine_path;
  bool quick = false;           ///< trained with --quick (few tiny models: for tests, not for numbers)
  double train_time_s = 0;      ///< wall time of the training, seconds
  std::string default_predictor = "xgboost";
  std::vector<std::string> models;  ///< names of the training models
  std::map<int, ThreadModel> threads;  ///< by thread count
};

/// <cache_dir>/latency-<cpu slug>-<cores>c.json.
std::string latency_cache_path(const std::string& cache_dir, const std::string& cpu, int cores);

void save_latency_model(const LatencyModel& model, const std::string& path);
/// Reads and checks the schema and version, and that it was trained with the machine profile created at
/// `machine_profile_utc` ("" = do not check). Throws LatencyCacheError: missing ("no latency model for this machine: PATH does not exist; run
/// `roofscope predict --train`"), corrupt, another version, another machine profile.
LatencyModel load_latency_model(const std::string& path, const std::string& machine_profile_utc);

/// Training rows as JSON (schema kTrainingRowsSchema) and back; from_rows_json throws LatencyCacheError.
void save_training_rows(const std::vector<MeasuredModel>& models, const std::string& path);
std::vector<MeasuredModel> load_training_rows(const std::string& path);

}  // namespace rs
