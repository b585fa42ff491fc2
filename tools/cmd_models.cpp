// `roofscope models`: the zoo; `roofscope models --onnx-ops`: the ONNX op_types the importer maps (its table, the
// list the README carries).
#include <memory>

#include <fmt/format.h>

#include "graph/onnx/import.h"
#include "models/zoo.h"
#include "profiler/report/report.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

void add_models_command(CLI::App& root) {
  auto* app = root.add_subcommand("models", "List the built-in model zoo (or, with --onnx-ops, the ONNX ops)");
  auto onnx_ops = std::make_shared<bool>(false);
  app->add_flag("--onnx-ops", *onnx_ops, "Print the ONNX op_types the importer supports, comma-separated");
  app->footer(examples("", {"roofscope models", "roofscope models --onnx-ops"}));
  app->callback([onnx_ops] {
    if (*onnx_ops) {
      std::string line;
      for (const auto& op : onnx_supported_ops()) line += (line.empty() ? "" : ", ") + op;
      fmt::print("{}\n", line);
      return;
    }
    for (const auto& e : zoo())
      fmt::print("{}\n", wrap_lines(fmt::format("{:<20} {}", e.name, e.description),
                                    static_cast<std::size_t>(terminal_width()), 21));
  });
}

}  // namespace rs::cli
