#include "onnx_test_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "graph/passes.h"
#include "runtime/executor.h"
#include "runtime/topology.h"

namespace rs::test {

namespace {

constexpr int kCacheVersion = 8;  // CACHE_VERSION of scripts/export_torchvision.py

std::string cache_dir() { return std::string(ROOFSCOPE_BINARY_DIR) + "/onnx_cache"; }

bool cache_is_current() {
  std::ifstream in(cache_dir() + "/manifest.json");
  if (!in) return false;
  try {
    return nlohmann::json::parse(in).value("version", 0) == kCacheVersion;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

void ensure_cache() {
  if (cache_is_current()) return;
  const std::string cmd = std::string("/usr/bin/python3 ") + ROOFSCOPE_SOURCE_DIR +
                          "/scripts/export_torchvision.py --out " + cache_dir();
  const CommandResult r = run_command(cmd + " 2>&1");
  if (r.status != 0 || !cache_is_current())
    throw std::runtime_error("the PyTorch oracle could not be exported (" + cmd + ", exit " + std::to_string(r.status) +
                             "; install the test dependencies with scripts/setup.sh --test-deps):\n" + r.out);
}

}  // namespace

std::string cache_file(const std::string& file) {
  static std::once_flag once;
  std::call_once(once, ensure_cache);
  return cache_dir() + "/" + file;
}

HostTensor run_graph(Graph graph, const HostTensor& input, bool fuse) {
  bind_threads(topology().physical_cores, true);
  optimize(graph, fuse);
  Executor exec(std::move(graph));
  exec.set_input(0, input);
  exec.run();
  return exec.output(0);
}

double rel_l2(const HostTensor& a, const HostTensor& b) {
  EXPECT_EQ(a.dims, b.dims);
  double num = 0, den = 0;
  for (std::size_t i = 0; i < std::min(a.data.size(), b.data.size()); ++i) {
    const double d = double(a.data[i]) - b.data[i];
    num += d * d;
    den += double(b.data[i]) * b.data[i];
  }
  return std::sqrt(num / std::max(den, 1e-30));
}

std::string torch_module_of(const std::string& onnx_node_name) {
  std::vector<std::string> parts;
  std::stringstream s(onnx_node_name);
  std::string part;
  while (std::getline(s, part, '/'))
    if (!part.empty()) parts.push_back(part);
  if (!parts.empty()) parts.pop_back();  // the op type
  std::string path, prev;
  for (const auto& c : parts) {
    if (!prev.empty() && c.rfind(prev + ".", 0) == 0) path = path.substr(0, path.size() - prev.size()) + c;
    else path += (path.empty() ? "" : ".") + c;
    prev = c;
  }
  return path;
}

CommandResult roofscope(const std::string& args) {
  return run_command(std::string(ROOFSCOPE_EXE) + " " + args + " 2>&1");
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string temp_path(const std::string& name) {
  /// Removes the files handed out when the test process exits.
  struct Registry {
    std::vector<std::string> paths;
    ~Registry() {
      for (const auto& p : paths) std::remove(p.c_str());
    }
  };
  static Registry registry;
  const std::string dir = std::string(ROOFSCOPE_BINARY_DIR) + "/onnx_test_tmp";
  ::mkdir(dir.c_str(), 0755);
  registry.paths.push_back(dir + "/" + std::to_string(::getpid()) + "-" + name);
  return registry.paths.back();
}

}  // namespace rs::test
