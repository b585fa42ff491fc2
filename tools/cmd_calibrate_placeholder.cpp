// PLACEHOLDER until tools/cmd_calibrate.cpp lands (helper D); delete then.
#include "tools/cli.h"
namespace rs::cli {
void add_calibrate_command(CLI::App&) {}
}  // namespace rs::cli
