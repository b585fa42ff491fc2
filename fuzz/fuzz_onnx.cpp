// libFuzzer target: ONNX bytes -> import (protobuf parse, constant folding, op mapping) -> shape inference -> costs
// -> the memory budget check. Every bad input must end in OnnxError or GraphError (one clear line); anything else
// escaping, a crash or a sanitizer report is a bug. Built by scripts/fuzz.sh (clang, -fsanitize=fuzzer,address,
// undefined); seed corpus in fuzz/corpus/ (small models of every mapped op and the known reproducers).
#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/cost.h"
#include "graph/onnx/import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const rs::Graph g = rs::import_onnx_bytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.onnx");
    (void)rs::graph_cost(g);
    rs::check_memory_budget(g, std::int64_t{1} << 30, "fuzz budget");
  } catch (const rs::GraphError&) {  // OnnxError derives from it: a rejected input, as it should be
  }
  return 0;
}
