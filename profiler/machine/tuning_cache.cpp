#include "profiler/machine/tuning_cache.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <oneapi/dnnl/dnnl.hpp>

#include "graph/files.h"
#include "profiler/machine/calibrate.h"
#include "profiler/machine/cpu_info.h"
#include "runtime/topology.h"

namespace rs {

namespace {
constexpr const char* kFormat = "roofscope-tuning";
constexpr int kVersion = 1;

void fnv(std::uint64_t& h, const std::string& s) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  h = (h ^ 0xff) * 1099511628211ULL;  // separator
}

nlohmann::json nan_as_null(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }
double number_or_nan(const nlohmann::json& j) {
  return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

}  // namespace

std::string graph_fingerprint(const Graph& graph) {
  std::uint64_t h = 1469598103934665603ULL;
  for (int id : graph.live_nodes()) {
    const Node& n = graph.node(id);
    fnv(h, n.name);
    fnv(h, op_label(graph, n));
    for (int v : n.reads()) fnv(h, dims_str(graph.value(v).desc.dims));
    for (int v : n.outputs) fnv(h, dims_str(graph.value(v).desc.dims));
  }
  return fmt::format("{:016x}", h);
}

TuningCache tuning_key(const Graph& graph, const std::string& model, int threads) {
  TuningCache k;
  k.cpu = read_cpu_identity().model_name;
  k.cores = topology().physical_cores;
  const dnnl_version_t* v = dnnl_version();
  k.dnnl = fmt::format("{}.{}.{}", v->major, v->minor, v->patch);
  const char* isa = std::getenv("DNNL_MAX_CPU_ISA");
  k.isa = isa && isa[0] ? isa : "native";
  k.threads = threads;
  k.graph = graph_fingerprint(graph);
  k.model = model;
  return k;
}

std::string tuning_cache_path(const TuningCache& key, const std::string& cache_dir) {
  const std::string base = std::filesystem::path(key.model).stem().string();
  return fmt::format("{}/tune-{}-{}-{}t-{}.json", cache_dir, file_slug(base, "model").substr(0, 40), key.graph,
                     key.threads, file_slug(key.isa, "native"));
}

TuningCache load_tuning_cache(const std::string& path) {
  std::string text;
  try {
    text = read_regular_file(path, 16u << 20, "a tuning cache");  // a real one is a few KB
  } catch (const FileReadError& e) {
    throw TuningCacheError(e.what());
  }
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    if (j.at("format").get<std::string>() != kFormat || j.at("version").get<int>() != kVersion)
      throw TuningCacheError(fmt::format("{}: not a roofscope tuning cache of version {}", path, kVersion));
    TuningCache c;
    c.cpu = j.at("cpu").get<std::string>();
    c.cores = j.at("cores").get<int>();
    c.dnnl = j.at("dnnl").get<std::string>();
    c.isa = j.at("isa").get<std::string>();
    c.threads = j.at("threads").get<int>();
    c.graph = j.at("graph").get<std::string>();
    c.model = j.at("model").get<std::string>();
    c.tune_time_s = j.at("tune_time_s").get<double>();
    for (const auto& [node, v] : j.at("choices").items()) {
      StepChoice sc;
      sc.key = v.at("key").get<std::string>();
      sc.source = "cached";
      sc.time_s = number_or_nan(v.at("time_s"));
      sc.runner_up = v.at("runner_up").get<std::string>();
      sc.runner_up_time_s = number_or_nan(v.at("runner_up_time_s"));
      c.choices[node] = sc;
    }
    return c;
  } catch (const nlohmann::json::exception& e) {
    throw TuningCacheError(fmt::format("{}: not a valid tuning cache (truncated or corrupt?): {}", path, e.what()));
  }
}

void save_tuning_cache(const TuningCache& c, const std::string& path) {
  nlohmann::json choices = nlohmann::json::object();
  for (const auto& [node, sc] : c.choices)
    choices[node] = {{"key", sc.key}, {"time_s", nan_as_null(sc.time_s)}, {"runner_up", sc.runner_up},
                     {"runner_up_time_s", nan_as_null(sc.runner_up_time_s)}};
  const nlohmann::json j = {{"format", kFormat}, {"version", kVersion},   {"cpu", c.cpu},
                            {"cores", c.cores},  {"dnnl", c.dnnl},        {"isa", c.isa},
                            {"threads", c.threads}, {"graph", c.graph},   {"model", c.model},
                            {"tune_time_s", c.tune_time_s}, {"choices", choices}};
  write_file_atomically(path, j.dump(2) + "\n", /*create_parent=*/true);
}

std::string tuning_mismatch(const TuningCache& cached, const TuningCache& want) {
  if (cached.cpu != want.cpu) return fmt::format("it was tuned on \"{}\", this CPU is \"{}\"", cached.cpu, want.cpu);
  if (cached.cores != want.cores) return fmt::format("it was tuned on {} cores, this machine has {}", cached.cores, want.cores);
  if (cached.dnnl != want.dnnl) return fmt::format("it was tuned with oneDNN {}, this is {}", cached.dnnl, want.dnnl);
  if (cached.isa != want.isa) return fmt::format("it was tuned with DNNL_MAX_CPU_ISA={}, now {}", cached.isa, want.isa);
  if (cached.threads != want.threads) return fmt::format("it was tuned for {} threads, {} asked for", cached.threads, want.threads);
  if (cached.graph != want.graph) return fmt::format("it was tuned for another graph ({} vs {})", cached.graph, want.graph);
  return {};
}

}  // namespace rs
