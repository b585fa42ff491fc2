// The roofscope executable end to end: happy paths parse as JSON; bad input gives one clear error line and a
// non-zero exit, never a crash.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <string>
#include <vector>
#include <fstream>
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/profiler/report/test_outputs_fixture.h"
#include "tests/run_command.h"

namespace {

using Result = rs::test::CommandResult;  // out: stdout and stderr together

Result roofscope(const std::string& args, const std::string& env = "") {
  return rs::test::run_command(env + (env.empty() ? "" : " ") + std::string(ROOFSCOPE_EXE) + " " + args + " 2>&1");
}

/// stdout only (stderr discarded): what a CSV reader on the pipe sees.
Result roofscope_stdout(const std::string& args, const std::string& env) {
  return rs::test::run_command(env + " " + std::string(ROOFSCOPE_EXE) + " " + args + " 2>/dev/null");
}

struct BadInput {
  const char* args;
  const char* message;  // must appear in the output
};

class CliRejects : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliRejects, WithOneClearLine) {
  const Result r = roofscope(GetParam().args);
  EXPECT_EQ(r.status, 1) << r.out;  // a bad flag as any other error; a signal would be 128 + n
  EXPECT_NE(r.out.find(GetParam().message), std::string::npos) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    BadInputs, CliRejects,
    ::testing::Values(
        BadInput{"run nope", "roofscope: error: unknown model 'nope' (available: resnet18, resnet50,"},
        BadInput{"info nope", "unknown model 'nope'"},
        BadInput{"run resnet18 --threads 0", "--threads must be between 1 and"},
        BadInput{"run resnet18 --threads 4096", "--threads must be between 1 and"},
        BadInput{"run resnet18 --iters 0", "roofscope: error: --iters must be >= 1 (got 0)"},
        BadInput{"run resnet18 --warmup -1", "--warmup must be >= 0 (got -1)"},
        BadInput{"info resnet18 --batch 0", "roofscope: error: --batch must be >= 1 (got 0)"},
        BadInput{"info resnet18 --size -3", "--size must be >= 1 (got -3)"},
        BadInput{"info vgg16 --size 16", "node 'features.30' (MaxPool)"},
        BadInput{"info squeezenet1_1 --size 2", "node 'features.0' (Conv): kernel 3x3 (dilation 1) is larger than the padded input"},
        BadInput{"info resnet18 --format xml", "--format: must be one of table|csv|json|md"},
        BadInput{"run resnet18 --threads two", "--threads"},
        BadInput{"run resnet18 --bogus", "--bogus"},
        BadInput{"profile resnet18 --sort speed", "unknown sort 'speed' (use time, loss, efficiency or flops)"},
        BadInput{"profile resnet18 --machine /nonexistent/machine.json", "/nonexistent/machine.json"},
        BadInput{"profile resnet18 --no-bind", "drop --no-bind"},
        BadInput{"experiment no-such-experiment", "no-such-experiment"},
        BadInput{"run /dev/zero.onnx", "/dev/zero.onnx: does not exist"},
        BadInput{"info /tmp/.onnx", "does not exist"},
        BadInput{"run resnet18 --input /dev/zero", "/dev/zero: is a device, not a file"},
        BadInput{"run resnet18 --input /tmp", "/tmp: is a directory, not a file"},
        BadInput{"profile resnet18 --machine /dev/zero", "/dev/zero: is a device, not a file"},
        BadInput{"calibrate --quick --out /dev/full", "cannot write '/dev/full': it exists and is not a regular file"},
        BadInput{"calibrate --quick --out /nonexistent/dir/m.json", "folder '/nonexistent/dir' does not exist"},
        BadInput{"calibrate --threads 0", "--threads: must be a finite number >= 1 (got 0)"},
        BadInput{"profile resnet18 --min-time -1", "--min-time: must be a finite number >= 0 (got -1)"},
        BadInput{"profile resnet18 --mem-bw-gbs nan", "--mem-bw-gbs: must be a finite number > 0 (got nan)"},
        BadInput{"profile resnet18 --plot /tmp/rs-never.svg --html /nonexistent/x.html",
                 "cannot write '/nonexistent/x.html': folder '/nonexistent' does not exist"},
        BadInput{"run resnet18 --tune sometimes", "--tune"},
        BadInput{"run " ROOFSCOPE_SOURCE_DIR "/tests/data/bad-inputs/dup_producer.onnx", "output 'y' is already produced"},
        BadInput{"run " ROOFSCOPE_SOURCE_DIR "/tests/data/bad-inputs/elems_2p40.onnx",
                 "tensor 'x' [1024, 1024, 1024, 1024] needs 4 TiB"},
        BadInput{"info " ROOFSCOPE_SOURCE_DIR "/tests/data/bad-inputs/elems_2p62.onnx", "the byte count overflows int64"},
        BadInput{"run " ROOFSCOPE_SOURCE_DIR "/tests/data/bad-inputs/ubsan_onnx_context_16_float_cast.onnx",
                 "the float inf where an integer"},
        BadInput{"calibrate --show --machine /nonexistent/m.json", "/nonexistent/m.json"},
        // No flag is silently ignored; --columns names the valid keys.
        BadInput{"calibrate --machine /tmp/m.json", "--machine requires --show"},
        BadInput{"calibrate --show --quick", "--quick excludes --show"},
        BadInput{"info resnet18 --totals", "--totals applies to --format csv (the table output always shows"},
        BadInput{"profile resnet18 --totals --format json", "--totals applies to --format csv"},
        BadInput{"experiment list --out /tmp/rs-never.md", "--out: `experiment list` writes no report"},
        BadInput{"info resnet18 --columns name,nope", "unknown column 'nope' (the columns: name, op, output_shape,"},
        BadInput{"info resnet18 --wide --columns name", "--columns excludes --wide"},
        BadInput{"run resnet18 --columns name", "--columns and --wide choose the columns of the per-op table: add "
                                                "--per-op"},
        BadInput{"profile resnet18 --columns t_actual_ms", "unknown column 't_actual_ms' (the columns: name,"},
        BadInput{"", "A subcommand is required"}),
    [](const ::testing::TestParamInfo<BadInput>& info) {
      std::string name = std::to_string(info.index) + "_" + info.param.args;
      for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return name;
    });

TEST(Cli, ABadMemoryBudgetIsNamed) {
  const Result r = roofscope("run resnet18 --iters 1", "ROOFSCOPE_MAX_MEMORY_GIB=lots");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("ROOFSCOPE_MAX_MEMORY_GIB must be a finite number of GiB > 0 (got 'lots')"), std::string::npos)
      << r.out;
  const Result small = roofscope("run resnet18 --iters 1", "ROOFSCOPE_MAX_MEMORY_GIB=0.01");
  EXPECT_EQ(small.status, 1);
  EXPECT_NE(small.out.find("more than the memory budget"), std::string::npos) << small.out;
}

TEST(Cli, RefusedOutputsLeaveNothingBehind) {
  // /dev/full stays a device; a profile refused for one output writes none of the others.
  EXPECT_NE(roofscope("calibrate --quick --out /dev/full").status, 0);
  EXPECT_TRUE(std::filesystem::is_character_file("/dev/full"));
  std::error_code ec;
  std::filesystem::remove("/tmp/rs-never.svg", ec);
  EXPECT_NE(roofscope("profile resnet18 --plot /tmp/rs-never.svg --html /nonexistent/x.html").status, 0);
  EXPECT_FALSE(std::filesystem::exists("/tmp/rs-never.svg"));
}

TEST(Cli, BadInputReproducersAreRejected) {
  // tests/data/bad-inputs/: a Reshape whose shape overflows int64 died of SIGFPE in `run`.
  const std::string file = std::string(ROOFSCOPE_SOURCE_DIR) + "/tests/data/bad-inputs/fuzz_crash_reshape_shape_ovf.onnx";
  for (const std::string& cmd : {"info " + file, "run " + file + " --iters 1 --warmup 0"}) {
    const Result r = roofscope(cmd);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("overflows int64"), std::string::npos) << r.out;
  }
}

TEST(Cli, ModelsListsTheZoo) {
  const Result r = roofscope("models");
  ASSERT_EQ(r.status, 0) << r.out;
  for (const char* m : {"resnet18", "resnet50", "mobilenet_v1", "mobilenet_v2", "vgg16", "squeezenet1_1"})
    EXPECT_NE(r.out.find(m), std::string::npos) << m;
}

TEST(Cli, InfoJsonTotalsMatchTorchvision) {
  const Result r = roofscope("info resnet18 --format json");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["totals"]["params"].get<long long>(), 11689512);
  EXPECT_EQ(j["totals"]["macs"].get<long long>(), 1814073344);
  EXPECT_EQ(j["rows"].size(), 69u);  // as written: every conv, bn, relu, add, pool, flatten, fc
  const auto f = nlohmann::json::parse(roofscope("info resnet18 --fused --format json").out);
  EXPECT_LT(f["rows"].size(), j["rows"].size());
  EXPECT_EQ(f["totals"]["macs"].get<long long>(), 1814073344);  // folding BN does not change MACs
}

TEST(Cli, InfoCsvHasHeaderAndOneLinePerLayer) {
  const Result r = roofscope("info mobilenet_v2 --format csv");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.rfind("name,op,output_shape,params,macs,flops,bytes,intensity_flop_per_byte\n", 0), 0u) << r.out;
}

/// RFC 4180 records of `text` (quoted fields may hold commas, quotes and newlines); fails the test on a stray quote.
std::vector<std::vector<std::string>> csv_records(const std::string& text) {
  std::vector<std::vector<std::string>> out(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      EXPECT_TRUE(field.empty()) << "quote inside an unquoted field at byte " << i;
      quoted = true;
    } else if (c == ',') {
      out.back().push_back(field);
      field.clear();
    } else if (c == '\n') {
      out.back().push_back(field);
      field.clear();
      out.emplace_back();
    } else {
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quote";
  EXPECT_TRUE(out.back().empty() && field.empty()) << "the CSV does not end with a newline";
  out.pop_back();
  return out;
}

/// Plain CSV: the header (starting with `first_key`) first, no comment lines, every record as wide as the header.
std::vector<std::vector<std::string>> expect_plain_csv(const std::string& text, const std::string& first_key) {
  const auto records = csv_records(text);
  EXPECT_GE(records.size(), 2u) << text;
  if (records.empty()) return records;
  EXPECT_EQ(records[0].at(0), first_key) << text;
  for (const auto& r : records) {
    EXPECT_EQ(r.size(), records[0].size()) << text;
    EXPECT_FALSE(!r.empty() && !r[0].empty() && r[0][0] == '#') << text;
  }
  return records;
}

TEST(Cli, InfoCsvHoldsOnlyLayerRowsUnlessTotals) {
  const Result r = roofscope("info mobilenet_v2 --format csv");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto rows = expect_plain_csv(r.out, "name");
  const auto j = nlohmann::json::parse(roofscope("info mobilenet_v2 --format json").out);
  EXPECT_EQ(rows.size(), 1 + j["rows"].size());  // header + one per layer, no totals row
  for (const auto& row : rows) EXPECT_NE(row.at(0), "total");
  const Result t = roofscope("info mobilenet_v2 --format csv --totals");
  ASSERT_EQ(t.status, 0) << t.out;
  const auto with = expect_plain_csv(t.out, "name");
  ASSERT_EQ(with.size(), rows.size() + 1);
  EXPECT_EQ(with.back().at(0), "total");
  EXPECT_EQ(with.back().at(1), std::to_string(j["rows"].size()) + " ops");
}

TEST(Cli, RunJsonHasUnitsAndPerOpRows) {
  const Result r = roofscope("run squeezenet1_1 --size 64 --iters 3 --warmup 1 --per-op --threads 1 --format json --tune off");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_GT(j["latency_median_s"].get<double>(), 0.0);
  EXPECT_GE(j["latency_p90_s"].get<double>(), j["latency_median_s"].get<double>());
  EXPECT_EQ(j["threads"].get<int>(), 1);
  EXPECT_GE(j["memory"]["arena_bytes"].get<long long>(), j["memory"]["lower_bound_bytes"].get<long long>());
  ASSERT_FALSE(j["ops"].empty());
  for (const auto& op : j["ops"]) {
    EXPECT_FALSE(op["impl"].get<std::string>().empty());
    EXPECT_GT(op["time_median_s"].get<double>(), 0.0);
  }
}

TEST(Cli, RunTableNoFuseNoPoolNoBind) {
  const Result r = roofscope("run mobilenet_v2 --size 64 --iters 2 --warmup 0 --no-fuse --no-pool --no-bind");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("as written, --no-fuse"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no pool"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unbound"), std::string::npos) << r.out;
}

}  // namespace

namespace {

/// A scratch directory for one test (removed by the OS's tmp cleaning; names are unique per process).
std::string scratch_dir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "roofscope_cli_" + name + "_" + std::to_string(getpid());
  std::string cmd = "mkdir -p '" + dir + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return dir;
}

bool file_starts_with(const std::string& path, const std::string& prefix) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  std::string head(prefix.size(), '\0');
  const std::size_t n = std::fread(head.data(), 1, head.size(), f);
  std::fclose(f);
  return n == prefix.size() && head == prefix;
}

TEST(Cli, ProfileEndToEndWithFreshCache) {
  // A private cache: the first profile calibrates (quick) into it, as on a user's first run.
  const std::string dir = scratch_dir("profile");
  const Result r = roofscope("profile squeezenet1_1 --size 64 --iters 3 --warmup 1 --threads 1 --format json --top 5 "
                             "--plot " + dir + "/p.svg --html " + dir + "/p.html --trace " + dir + "/p.trace.json",
                             "XDG_CACHE_HOME=" + dir + "/cache");
  ASSERT_EQ(r.status, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out.substr(r.out.find('{')));
  EXPECT_EQ(j["schema"], "roofscope.profile");
  EXPECT_EQ(j["ops"].size(), 5u);  // --top 5
  EXPECT_GT(j["roofs"]["peak_measured_gflops_per_s"].get<double>(), 0);
  for (const auto& op : j["ops"]) {
    EXPECT_GT(op["t_actual_median_s"].get<double>(), 0);
    if (op["flops"].get<long long>() > 0) {
      EXPECT_GT(op["t_roof_measured_s"].get<double>(), 0);
    }
  }
  // Says what it does: the first-use calibration (stderr is a pipe here), the profile used, each file written.
  EXPECT_NE(r.out.find("roofscope: no machine profile for this CPU yet: calibrating (quick"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(quick, measured "), std::string::npos) << r.out;
  for (const char* written : {"/p.svg (the roofline plot)", "/p.html (the HTML report)", "/p.trace.json (the trace)"})
    EXPECT_NE(r.out.find("roofscope: wrote " + dir + written), std::string::npos) << written << "\n" << r.out;
  EXPECT_TRUE(file_starts_with(dir + "/p.svg", "<?xml"));
  EXPECT_TRUE(file_starts_with(dir + "/p.html", "<!DOCTYPE html>"));
  EXPECT_TRUE(file_starts_with(dir + "/p.trace.json", "{"));
  // The second run finds the cached profile and does not calibrate again.
  const Result again = roofscope("profile squeezenet1_1 --size 64 --iters 2 --warmup 0 --threads 1 --no-ab --top 3",
                                 "XDG_CACHE_HOME=" + dir + "/cache");
  ASSERT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("roof cache"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("\ndiagnosis  1. "), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("no machine profile for this CPU yet"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("roofscope: machine profile " + dir + "/cache/roofscope/machine-"), std::string::npos)
      << again.out;
  // CSV holds only op rows; --totals appends the totals row.
  const std::string csv_run = "profile squeezenet1_1 --size 64 --iters 2 --warmup 0 --threads 1 --no-ab --format csv";
  const Result csv = roofscope_stdout(csv_run, "XDG_CACHE_HOME=" + dir + "/cache");
  ASSERT_EQ(csv.status, 0) << csv.out;
  const auto rows = expect_plain_csv(csv.out, "name");
  for (const auto& row : rows) EXPECT_EQ(row.at(1).find(" ops"), std::string::npos) << row.at(1);
  const Result tot = roofscope_stdout(csv_run + " --totals", "XDG_CACHE_HOME=" + dir + "/cache");
  ASSERT_EQ(tot.status, 0) << tot.out;
  const auto with = expect_plain_csv(tot.out, "name");
  ASSERT_EQ(with.size(), rows.size() + 1);
  EXPECT_EQ(with.back().at(1), std::to_string(rows.size() - 1) + " ops");
  // Experiment CSV is plain CSV too: one header, rows led by the experiment's name, no '#' lines.
  const Result ex = roofscope_stdout("experiment dwconv-vs-conv kernel-shape --tiny --threads 1 --format csv",
                              "XDG_CACHE_HOME=" + dir + "/cache");
  ASSERT_EQ(ex.status, 0) << ex.out;
  const auto ex_rows = expect_plain_csv(ex.out, "experiment");
  EXPECT_EQ(ex_rows[0].at(1), "verdict");
  EXPECT_EQ(ex.out.find('#'), std::string::npos) << ex.out;
  bool saw[2] = {false, false};
  for (std::size_t i = 1; i < ex_rows.size(); ++i) {
    saw[0] = saw[0] || ex_rows[i][0] == "dwconv-vs-conv";
    saw[1] = saw[1] || ex_rows[i][0] == "kernel-shape";
  }
  EXPECT_TRUE(saw[0] && saw[1]) << ex.out;
}

std::vector<std::string> files_in(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path().string());
  return out;
}

TEST(Cli, RunTunesOnFirstUseThenReusesTheCache) {
  const std::string dir = scratch_dir("tune");
  const std::string env = "XDG_CACHE_HOME=" + dir;
  const std::string run = "run resnet18 --size 64 --iters 2 --warmup 0 --threads 1 --per-op";
  const Result first = roofscope(run, env);
  ASSERT_EQ(first.status, 0) << first.out;
  EXPECT_NE(first.out.find("roofscope: tuned "), std::string::npos) << first.out;
  const auto caches = files_in(dir + "/roofscope", "tune-resnet18-");
  ASSERT_EQ(caches.size(), 1u) << first.out;
  const Result second = roofscope(run, env);
  ASSERT_EQ(second.status, 0) << second.out;
  EXPECT_EQ(second.out.find("roofscope: tuned "), std::string::npos) << second.out;  // choices from the cache
  {
    std::ofstream(caches[0], std::ios::trunc) << "{\"format\": \"roofscope-tuning\", \"version";
  }
  const Result corrupt = roofscope(run, env);
  ASSERT_EQ(corrupt.status, 0) << corrupt.out;
  EXPECT_NE(corrupt.out.find("ignoring tuning cache"), std::string::npos) << corrupt.out;
  EXPECT_NE(corrupt.out.find("roofscope: tuned "), std::string::npos) << corrupt.out;
  const Result off = roofscope(run + " --tune off", "XDG_CACHE_HOME=" + dir + "/off");
  ASSERT_EQ(off.status, 0) << off.out;
  EXPECT_TRUE(files_in(dir + "/off/roofscope", "tune-").empty());
  const Result bad = roofscope(run + " --tune sometimes", env);
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.out.find("--tune"), std::string::npos) << bad.out;
}

TEST(Cli, ExperimentListNamesAllTwelve) {
  const Result r = roofscope("experiment list");
  ASSERT_EQ(r.status, 0) << r.out;
  for (const char* e : {"flops-vs-latency", "dwconv-vs-conv", "roofline-regimes", "fusion-order", "channel-alignment",
                        "kernel-shape", "deep-vs-wide", "memory-pool", "thread-binding", "transcendental-eltwise",
                        "software-impl", "batch-size"})
    EXPECT_NE(r.out.find(e), std::string::npos) << e;
}

using rs::test_outputs::widest_line;

TEST(Cli, TablesFit100ColumnsAndColumnsEnv) {
  for (const char* args : {"info mobilenet_v2", "info resnet50 --fused", "experiment list", "models"}) {
    const Result wide = roofscope(args, "env -u COLUMNS");
    ASSERT_EQ(wide.status, 0) << args << wide.out;
    EXPECT_LE(widest_line(wide.out), 100u) << args << "\n" << wide.out;
    const Result narrow = roofscope(args, "COLUMNS=80");
    EXPECT_LE(widest_line(narrow.out), 80u) << args << "\n" << narrow.out;
  }
  const Result all = roofscope("info mobilenet_v2 --wide");  // every column, names in full
  EXPECT_NE(all.out.find("MACs"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("params"), std::string::npos) << all.out;
  const Result some = roofscope("info mobilenet_v2 --columns name,flops");
  EXPECT_EQ(some.out.find("output shape"), std::string::npos) << some.out;
  EXPECT_NE(some.out.find("FLOPs"), std::string::npos) << some.out;
}

TEST(Cli, EveryHelpHasTwoExamples) {
  for (const char* sub : {"models", "info", "run", "calibrate", "profile", "experiment", "diff"}) {
    const Result r = roofscope(std::string(sub) + " --help");
    ASSERT_EQ(r.status, 0) << r.out;
    const std::size_t at = r.out.find("Examples:\n");
    ASSERT_NE(at, std::string::npos) << sub << "\n" << r.out;
    std::size_t examples = 0;
    for (std::size_t i = r.out.find("\n  roofscope ", at); i != std::string::npos; i = r.out.find("\n  roofscope ", i + 1))
      ++examples;
    EXPECT_GE(examples, 2u) << sub << "\n" << r.out;
    EXPECT_EQ(r.out.find("(default: all cores)"), std::string::npos) << sub;  // one default per option
  }
}

}  // namespace

