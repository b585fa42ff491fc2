// `roofscope diff A.json B.json`: two profile (or run --per-op) JSON outputs side by side.
#include <fmt/format.h>

#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

void add_diff_command(CLI::App& root) {
  struct Args {
    std::string a, b;
    roofscope::DiffOptions options;
    std::string format;
  };
  static Args args;
  auto* app = root.add_subcommand("diff", "Compare two `profile` (or `run --per-op`) JSON outputs: whether they are "
                                          "comparable, summary figures side by side, per-op time deltas");
  app->add_option("a", args.a, "The baseline: a JSON file written by `roofscope profile|run --format json`")
      ->required();
  app->add_option("b", args.b, "The one compared with it (B - A, B / A)")->required();
  app->add_option("--match", args.options.match,
                  "How ops pair up: name, position (a renamed graph), or auto (by name unless fewer than half of "
                  "B's names are in A)")
      ->check(CLI::IsMember({"auto", "name", "position"}))
      ->capture_default_str();
  app->add_option("--sort", args.options.sort, "Op rows: delta (largest |B - A| first) or order (B's graph order)")
      ->check(CLI::IsMember({"delta", "order"}))
      ->capture_default_str();
  app->add_option("--top", args.options.top, "Only the first K op rows (0: all)")->capture_default_str();
  add_format_option(app, args.format, "table|csv|json|md", "table");
  add_columns_options(app, args.options.columns);
  app->footer(examples("", {"roofscope profile resnet18 --format json > a.json; roofscope profile resnet18 --threads 1 "
                            "--format json > b.json",
                            "roofscope diff a.json b.json --top 10",
                            "roofscope diff a.json b.json --format csv > delta.csv"}));
  app->callback([] { fmt::print("{}", roofscope::diff(args.a, args.b, args.options, args.format)); });
}

}  // namespace rs::cli
