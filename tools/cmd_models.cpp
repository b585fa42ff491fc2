// `roofscope models`: the zoo.
#include <fmt/format.h>

#include "models/zoo.h"
#include "tools/cli.h"

namespace rs::cli {

void add_models_command(CLI::App& root) {
  auto* app = root.add_subcommand("models", "List the built-in model zoo");
  app->callback([] {
    for (const auto& e : zoo()) fmt::print("{:<20} {}\n", e.name, e.description);
  });
}

}  // namespace rs::cli
