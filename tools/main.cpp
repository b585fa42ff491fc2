// roofscope: an instrumented CNN inference runtime that explains its speed with the roofline model.
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "roofscope/version.h"
#include "tools/cli.h"

namespace rs::cli {
int& exit_status() {
  static int status = 0;
  return status;
}
}  // namespace rs::cli

int main(int argc, char** argv) {
  CLI::App app{"roofscope: run CNNs on oneDNN, time and count every op, and explain the time with the roofline model.",
               "roofscope"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("roofscope ") + ROOFSCOPE_VERSION);
  rs::cli::add_models_command(app);
  rs::cli::add_info_command(app);
  rs::cli::add_run_command(app);
  rs::cli::add_calibrate_command(app);
  rs::cli::add_profile_command(app);
  rs::cli::add_experiment_command(app);
  rs::cli::add_diff_command(app);
  rs::cli::add_predict_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;  // --help and --version succeed; every bad flag exits 1, as every other error
  } catch (const std::exception& e) {
    fmt::print(stderr, "roofscope: error: {}\n", e.what());
    return 1;
  }
  return rs::cli::exit_status();
}
