// `roofscope info MODEL`: the static per-layer table (shapes, params, MACs, FLOPs, bytes, arithmetic intensity).
#include <fmt/format.h>

#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

void add_info_command(CLI::App& root) {
  struct Args {
    ModelArgs model;
    bool fused = false;
    bool totals = false;
    std::string format;
    roofscope::Columns columns;
  };
  static Args args;
  auto* app = root.add_subcommand("info", "Static per-layer table: output shape, params, MACs, FLOPs, bytes moved "
                                          "(ideal no-cache model) and arithmetic intensity");
  add_model_options(app, args.model, false);
  app->add_flag("--fused", args.fused, "Show the graph after BatchNorm folding and post-op fusion (as `run` executes it)");
  add_format_option(app, args.format, "table|csv|json|md", "table");
  add_columns_options(app, args.columns);
  app->footer(examples("", {"roofscope info resnet18", "roofscope info model.onnx --fused --format csv > layers.csv"}));
  app->add_flag("--totals", args.totals, "CSV: end with the totals row (by default the CSV holds only layer rows; "
                                         "the table, Markdown and JSON always show the totals)");
  app->callback([] { fmt::print("{}", roofscope::info(args.model, args.fused, args.format, args.totals, args.columns)); });
}

}  // namespace rs::cli
