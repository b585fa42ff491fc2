// Options shared by the subcommands: which model, how to build it, threads, output format. The commands themselves
// are the API's (include/roofscope/api.h, api/); the CLI parses flags into its option structs and prints.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "api/common.h"
#include "roofscope/api.h"

namespace rs::cli {

using api::check_threads;
using api::require_at_least;
using api::write_file;
using TuneArgs = roofscope::Tune;

/// Adds --tune off|cached|full.
void add_tune_option(CLI::App* app, TuneArgs& args);

using ModelArgs = roofscope::ModelSource;
/// Splits "name=value" into {name, value}; a text without '=' (or starting with '/' or '.': a path) is {"", text}.
std::pair<std::string, std::string> split_named(const std::string& text);
/// Adds MODEL (positional), --batch, --size, --seed, --input-shape and (if with_fuse) --no-fuse. batches non-null:
/// --batch takes a comma list into it (a sweep; resolve_sweep()).
void add_model_options(CLI::App* app, ModelArgs& args, bool with_fuse, std::vector<int>* batches = nullptr);

using ThreadArgs = roofscope::Threads;
/// Adds --threads and --no-bind. threads non-null: --threads takes a comma list into it (a sweep).
void add_thread_options(CLI::App* app, ThreadArgs& args, std::vector<int>* threads = nullptr);

/// --batch / --threads lists of run and profile.
using SweepArgs = roofscope::Sweep;
/// Fills the lists not given from the scalars and the scalars from the lists' first values; true when either list
/// has more than one value (the command then runs a sweep).
bool resolve_sweep(SweepArgs& sweep, ModelArgs& model, ThreadArgs& threads);

using MeasureArgs = roofscope::Measure;
/// Adds --iters (described by `iters_help`, e.g. "Measured runs"), --warmup and --min-time.
void add_measure_options(CLI::App* app, MeasureArgs& args, const char* iters_help);

/// Adds --format with the given choices (subset of table|csv|json|md) and default.
void add_format_option(CLI::App* app, std::string& format, const std::string& choices, const std::string& fallback);

/// Adds --columns KEY,KEY (the terminal table's columns, by CSV key) and --wide (every column), excluding each other.
void add_columns_options(CLI::App* app, roofscope::Columns& columns);

/// The --help footer: `text` (may be empty), then "Examples:" and one indented line per example.
std::string examples(const std::string& text, const std::vector<std::string>& lines);

/// A CLI11 check for a finite number >= lo (or > lo when `strict`): "must be a finite number > 0 (got nan)".
CLI::Validator finite_at_least(double lo, bool strict);

}  // namespace rs::cli
