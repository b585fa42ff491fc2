// `roofscope predict MODEL`: the model's latency on this machine without running it; `--train` times the training
// models in context and caches the latency model; `--evaluate ROWS.json` scores every predictor leave-one-model-out.
#include <fmt/format.h>

#include "api/predict.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

namespace {

struct PredictCliArgs {
  api::PredictArgs predict;
  api::TrainArgs train;
  std::vector<int> threads;
  bool do_train = false;
  std::string evaluate;
  int folds = 0;
  std::string format;
};

void run_predict(PredictCliArgs& a) {
  if (!a.evaluate.empty()) {
    fmt::print("{}", api::evaluate(a.evaluate, a.format, a.folds));
    return;
  }
  if (a.do_train) {
    if (!a.predict.model.model.empty())
      throw std::invalid_argument("--train takes no MODEL (it times its own training set; add models with --with)");
    a.train.threads = a.threads;
    a.train.cache = a.predict.cache;
    fmt::print("{}", api::train(a.train));
    return;
  }
  if (a.predict.model.model.empty())
    throw std::invalid_argument("predict needs a MODEL (a zoo name or an .onnx file), or --train / --evaluate");
  if (a.threads.size() > 1) throw std::invalid_argument("predict takes one --threads count (--train takes a list)");
  a.predict.threads = a.threads.empty() ? 0 : a.threads.front();
  fmt::print("{}", api::predict(a.predict, a.format));
}

/// Refuses a flag that would do nothing: a training flag without --train, a measuring flag with --from-rows (the rows
/// are already measured), --folds without --evaluate, --clock-ghz but to predict a model.
void check_flags(const CLI::App& app, const PredictCliArgs& a) {
  const auto given = [&](const char* flag) { return app.get_option(flag)->count() > 0; };
  for (const char* f : {"--quick", "--variants", "--variant-seed", "--with", "--no-zoo", "--rows-out", "--from-rows",
                        "--passes", "--refine"}) {
    if (given(f) && !a.do_train) throw std::invalid_argument(fmt::format("{} needs --train", f));
    if (given(f) && !a.train.from_rows.empty() && std::string(f) != "--from-rows" && std::string(f) != "--rows-out")
      throw std::invalid_argument(fmt::format("{} does nothing with --from-rows (the rows are measured already)", f));
  }
  if (given("--folds") && a.evaluate.empty()) throw std::invalid_argument("--folds needs --evaluate");
  if (given("--clock-ghz") && (a.do_train || !a.evaluate.empty()))
    throw std::invalid_argument("--clock-ghz is for predicting a MODEL (training and --evaluate use measured clocks)");
}

void add_train_options(CLI::App* app, PredictCliArgs& a) {
  app->add_flag("--train", a.do_train, "Time the training models in context (the zoo and generated variants) at each "
                                       "thread count, fit every predictor, cache the latency model");
  app->add_flag("--quick", a.train.quick, "With --train: a few tiny models (< 1 min), for CI; not for numbers");
  app->add_option("--variants", a.train.variants, "With --train: generated variants to time (default 150, quick 6)");
  app->add_option("--passes", a.train.passes, "With --train: measure the whole training set N times, minutes apart, "
                                              "and keep each op's median (default 3, quick 1)")
      ->check(CLI::PositiveNumber);
  app->add_option("--refine", a.train.refine, "With --train: after a first fit, time N more variants one step away "
                                              "from the worst-predicted ones, then refit (default 40, quick 0)")
      ->check(CLI::NonNegativeNumber);
  app->add_option("--variant-seed", a.train.seed, "With --train: seed of the variant sampler")->capture_default_str();
  app->add_option("--with", a.train.with, "With --train: also time this ONNX file or zoo model (repeatable)");
  app->add_flag("--no-zoo", a.train.no_zoo, "With --train: leave the zoo models out of the training set");
  app->add_option("--rows-out", a.train.rows_out, "With --train: also write the training rows (JSON) there");
  app->add_option("--from-rows", a.train.from_rows, "With --train: fit on a --rows-out file instead of measuring");
  app->add_option("--evaluate", a.evaluate, "Leave-one-model-out scores of every predictor over a --rows-out file");
  app->add_option("--folds", a.folds, "With --evaluate: hold models out in K groups, one fit per group (default 0: "
                                      "one fit per model)");
}

}  // namespace

void add_predict_command(CLI::App& root) {
  static PredictCliArgs args;
  roofscope::ModelSource& m = args.predict.model;
  auto* app = root.add_subcommand("predict", "Predict a model's latency on this machine without running it (train "
                                             "once with --train)");
  app->add_option("model", m.model, "Zoo model name or .onnx file");
  app->add_option("--batch", m.batch, "Batch size N")->capture_default_str()->each([&m](const std::string&) {
    m.batch_given = true;
  });
  app->add_option("--size", m.size, "Input height = width in pixels")->capture_default_str()->each(
      [&m](const std::string&) { m.size_given = true; });
  app->add_option("--seed", m.seed, "Seed of the zoo's random weights")->capture_default_str();
  app->add_flag("--no-fuse", m.no_fuse, "Predict the graph as written (no fusion)");
  app->add_option("--threads", args.threads, "Threads (default: all physical cores); --train: a list, e.g. 1,2")
      ->delimiter(',');
  app->add_option("--predictor", args.predict.predictor, "flops | roofline | roofline-eff | xgboost (default: the "
                                                         "latency model's default)");
  app->add_option("--clock-ghz", args.predict.clock_ghz, "Predict at this effective clock, GHz (default: measure the "
                                                         "clock running now, ~30 ms)")
      ->check(CLI::PositiveNumber);
  app->add_option("--machine", args.predict.cache.machine_file, "Machine profile JSON (default: the cached one)");
  add_train_options(app, args);
  add_format_option(app, args.format, "table|csv|json", "table");
  app->callback([app] {
    check_flags(*app, args);
    run_predict(args);
  });
}

}  // namespace rs::cli
