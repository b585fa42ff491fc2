// Loads an ONNX file or a zoo model, profiles it and prints its slowest ops with their roofline efficiency.
// Usage: profile_top_ops MODEL [TOP] [SIZE]   (MODEL: a zoo name such as resnet18, or a path to an .onnx file)
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <nlohmann/json.hpp>
#include <roofscope/roofscope.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s MODEL [TOP] [SIZE]\n", argv[0]);
    return 2;
  }
  roofscope::ModelSource model;
  model.model = argv[1];
  if (argc > 3) {
    model.size = std::atoi(argv[3]);
    model.size_given = true;
  }
  roofscope::ProfileOptions options;
  options.top = argc > 2 ? std::atoi(argv[2]) : 5;
  options.measure.iters = 3;  // a few measured runs per arm
  options.measure.warmup = 1;
  options.tune.mode = "off";
  try {
    // The JSON is `roofscope profile --format json`: times in seconds, FLOPs, bytes, efficiencies per op.
    const nlohmann::json p = nlohmann::json::parse(roofscope::profile(model, options, "json"));
    std::printf("roofscope %s: %s\n", ROOFSCOPE_VERSION, argv[1]);
    std::printf("%-40s %-16s %12s %10s\n", "op", "kind", "time ms", "efficiency");
    for (const auto& op : p.at("ops"))
      std::printf("%-40s %-16s %12.3f %10.2f\n", op.at("name").get<std::string>().c_str(),
                  op.at("op").get<std::string>().c_str(), op.at("t_actual_median_s").get<double>() * 1e3,
                  op.at("efficiency").is_number() ? op.at("efficiency").get<double>() : 0.0);
    return 0;
  } catch (const std::exception& e) {  // std::invalid_argument / std::runtime_error with the CLI's message
    std::fprintf(stderr, "profile_top_ops: error: %s\n", e.what());
    return 1;
  }
}
