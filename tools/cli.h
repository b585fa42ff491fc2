// Subcommands of the roofscope CLI; each lives in its own tools/cmd_<name>.cpp and registers itself on the root app.
// A subcommand's callback throws std::exception on failure: main() prints "roofscope: error: <what>" and exits 1.
#pragma once
#include <CLI/CLI.hpp>

namespace rs::cli {

void add_models_command(CLI::App& root);     // cmd_models.cpp
void add_info_command(CLI::App& root);       // cmd_info.cpp
void add_run_command(CLI::App& root);        // cmd_run.cpp
void add_calibrate_command(CLI::App& root);  // cmd_calibrate.cpp
void add_profile_command(CLI::App& root);    // cmd_profile.cpp
void add_experiment_command(CLI::App& root); // cmd_experiment.cpp
void add_diff_command(CLI::App& root);       // cmd_diff.cpp
void add_predict_command(CLI::App& root);    // cmd_predict.cpp

/// Exit status the callback wants main() to return (0 unless a callback sets it).
int& exit_status();

}  // namespace rs::cli
