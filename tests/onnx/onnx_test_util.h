// Shared by the ONNX tests: the PyTorch oracle cache (exported by scripts/export_torchvision.py with Debian's
// /usr/bin/python3 on first use), running a graph, comparing tensors, running the roofscope executable.
#pragma once
#include <string>
#include <vector>

#include "graph/graph.h"
#include "kernels/kernel.h"
#include "tests/run_command.h"

namespace rs::test {

/// ${ROOFSCOPE_BINARY_DIR}/onnx_cache/<file>. The first call per process checks the cache's manifest and runs the
/// export script when it is missing or of another version; throws std::runtime_error (the test fails, it is not
/// skipped) with the script's output when the script cannot run.
std::string cache_file(const std::string& file);

/// Graph (shapes inferred) optimized or not, compiled by the Executor on all cores, run once on `input`.
HostTensor run_graph(Graph graph, const HostTensor& input, bool fuse);

/// ||a - b||_2 / ||b||_2; dims must be equal (checked with EXPECT_EQ).
double rel_l2(const HostTensor& a, const HostTensor& b);

/// The torch module path an ONNX node name of torch.onnx (1.13) encodes: "/layer1/layer1.0/conv1/Conv" ->
/// "layer1.0.conv1" (scope components, the op type dropped; a component extending the previous one replaces it).
std::string torch_module_of(const std::string& onnx_node_name);

/// Output (stdout + stderr) and exit status of `roofscope <args>`.
CommandResult roofscope(const std::string& args);

/// Bytes of a file; throws std::runtime_error if it cannot be read.
std::string read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::string& bytes);
/// A fresh path under the test's temporary directory (${ROOFSCOPE_BINARY_DIR}/onnx_test_tmp/<pid>-<name>).
std::string temp_path(const std::string& name);

}  // namespace rs::test
