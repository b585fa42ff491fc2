// roofscope's commands as C++ functions (no oneDNN or other third-party header needed to use them).
// Errors: std::invalid_argument for a bad value (the message names it, as the CLI's "roofscope: error: ..." line
// does), including a malformed model or an unsupported op (the graph's errors derive from it); std::runtime_error
// (or a subclass) for a file that cannot be read or written or a failed measurement. Progress lines and notes go to
// stderr, as on the CLI.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace roofscope {

/// --input-shape: the full dims of one graph input.
struct InputShape {
  std::string name;                 ///< graph input name; "" = the first graph input
  std::vector<std::int64_t> dims;   ///< same rank as the model's input
};

/// Which model and how to build it: the CLI's MODEL, --batch, --size, --seed, --input-shape, --no-fuse.
struct ModelSource {
  std::string model;                      ///< zoo name (see models()), or a path ending in .onnx
  std::string onnx_bytes;                 ///< non-empty: an ONNX model in memory; `model` then only names it
  int batch = 1;                          ///< batch size N of the input [N, 3, size, size]
  int size = 224;                         ///< input height = width, pixels
  std::uint64_t seed = 0;                 ///< seed of the zoo's random weights and of the random input
  bool no_fuse = false;                   ///< keep the graph as written (no BatchNorm folding, no post-op fusion)
  /// ONNX only: dims of graph inputs (fix dynamic dims); name "" is the first graph input, at most once
  std::vector<InputShape> input_shapes;
  bool batch_given = false;               ///< ONNX: batch / size override the model's dims only when given
  bool size_given = false;
};

/// --threads N (0: every physical core) and --no-bind.
struct Threads {
  int threads = 0;
  bool no_bind = false;
};

/// How many runs to measure: --iters, --warmup, --min-time.
struct Measure {
  int iters = 0;          ///< measured runs
  int warmup = 5;         ///< warm-up runs before measuring
  double min_time_s = 0;  ///< keep measuring until the measured runs add up to this many seconds
};

/// --tune off | cached | full: kernel selection by measurement, with the per-machine tuning cache.
struct Tune {
  std::string mode = "cached";
  std::string cache_dir;  ///< "" = the machine-profile cache folder
};

/// Which columns a terminal table shows (`--columns`, `--wide`); by default a compact set that fits $COLUMNS (100
/// when unset), long names cut from the middle. CSV, JSON and Markdown always hold every column, names in full.
struct Columns {
  bool wide = false;              ///< every column, names in full
  std::vector<std::string> keys;  ///< these columns (CSV header keys) in this order; an unknown key is an error
};

/// A float32 tensor in C order (NCHW for images).
struct Tensor {
  std::vector<std::int64_t> dims;
  std::vector<float> data;
};

/// The zoo's model names.
std::vector<std::string> models();

/// `roofscope info`: per-layer output shape, params, MACs, FLOPs, bytes and arithmetic intensity, with totals.
/// fused: the graph as `run` executes it. format: table | csv | json | md. The CSV holds only the layer rows unless
/// csv_totals (`--totals`) appends the totals row.
std::string info(const ModelSource& model, bool fused, const std::string& format, bool csv_totals = false,
                 const Columns& columns = {});

/// A tensor for one graph input.
struct Input {
  std::string name;                 ///< graph input name; "" = graph input 0
  Tensor tensor;                    ///< dims must equal the model's input dims
  std::string source = "the input"; ///< names it in error messages (e.g. the .npy path)
};

struct RunOptions {
  Threads threads;
  Measure measure{50};
  bool per_op = false;   ///< time every op
  bool no_pool = false;  ///< allocate every tensor per run instead of the planned arena
  Tune tune;
  /// Graph inputs given (--input, --image); every other one gets seeded N(0, 1) noise of its dims (seed + index).
  std::vector<Input> inputs;
  int topk = 0;          ///< > 0: the K best classes of output 0 in the report
  Columns columns;       ///< per_op: the table's columns
};
struct RunOutput {
  std::string report;  ///< the CLI's output in the format asked for (table | json)
  Tensor output;       ///< graph output 0 after the last run
};
/// `roofscope run`: latency statistics, throughput, memory and (per_op) each op's time.
RunOutput run(const ModelSource& model, const RunOptions& options, const std::string& format);

struct ProfileOptions {
  Threads threads;         ///< no_bind is refused: profile measures pinned threads
  Measure measure{30};     ///< per arm
  bool no_ab = false;      ///< skip the shields-off arm (the OS column is then n/a)
  std::string machine_file;  ///< machine profile JSON; "" = the cached one, calibrated (quick) on first use
  double mem_bw_gbs = 0;     ///< theoretical DRAM bandwidth, GB/s (0: from dmidecode)
  Tune tune;
  std::string sort = "time";  ///< time | loss | efficiency | flops
  int top = 0;                ///< > 0: only the first K rows (totals stay over all ops)
  std::string plot, html, trace;  ///< non-empty: write the roofline SVG / HTML report / Chrome trace there
  bool csv_totals = false;        ///< --totals: the CSV ends with the totals row (JSON always has "totals")
  Columns columns;                ///< the terminal table's columns
};
/// `roofscope profile`: per-op roofline prediction vs measured time and the loss split. format: table|csv|json|md.
std::string profile(const ModelSource& model, const ProfileOptions& options, const std::string& format);

struct CalibrateOptions {
  int max_threads = 0;     ///< measure at 1..N threads (0: every physical core)
  bool quick = false;      ///< fewer sweep points and repetitions (a few seconds)
  bool show = false;       ///< print the cached profile (or machine_file) without measuring
  std::string machine_file;
  bool replace = false;    ///< let a quick profile replace a full one; drop higher cached roofs
  std::string out_file;    ///< also write the profile as JSON there
  double mem_bw_gbs = 0;   ///< theoretical DRAM bandwidth, GB/s
  bool progress = true;    ///< progress bar on stderr (drawn only on a terminal)
  bool wide = false;       ///< table: every column (default: a compact set that fits $COLUMNS, 100 when unset)
};
/// `roofscope calibrate`: measures (or shows) the machine profile. format: table | json.
std::string calibrate(const CalibrateOptions& options, const std::string& format);

struct ExperimentOptions {
  std::vector<std::string> names;  ///< "list", experiment names, or "all"
  int threads = 0;                 ///< 0: every physical core
  bool quick = false;
  bool tiny = false;               ///< smallest sizes, for smoke tests (numbers meaningless)
  int reps = 0;                    ///< > 0: measured runs per arm, at least
  int warmup = -1;                 ///< >= 0: warm-up runs per arm
  /// The Markdown report (and a roofline SVG per experiment next to it): "" = none, except for "all", which writes
  /// kDefaultExperimentReport; refused with "list"
  std::string out;
  std::string machine_file;
  double mem_bw_gbs = 0;
  Columns columns;                 ///< `list`: the table's columns
};
/// Where `experiment all` writes its Markdown report when ExperimentOptions::out is empty.
inline constexpr const char* kDefaultExperimentReport = "roofscope-experiments.md";
/// `roofscope experiment`: design-advice experiments with a verdict each. format: table | csv | json | md.
std::string experiment(const ExperimentOptions& options, const std::string& format);

/// --batch 1,2,4,8 and --threads 1,2: every combination, batch-major (both lists non-empty).
struct Sweep {
  std::vector<int> batches;
  std::vector<int> threads;  ///< 0: every physical core
};
/// `roofscope run` over a sweep: one row per configuration (batch, threads, latency median / p90 in s, throughput in
/// images/s, arena bytes). Each configuration is a whole run (model built at its batch, threads bound anew).
/// format: table | csv | json | md. Throws what run() throws, naming the configuration.
std::string run_sweep(const ModelSource& model, const RunOptions& options, const Sweep& sweep,
                      const std::string& format);
/// `roofscope profile` over a sweep: one row per configuration (latency, throughput, attained GFLOP/s, efficiency =
/// roofline estimate with cache roofs / measured latency, the three losses, arena). options.plot: one roofline chart
/// with every configuration's ops as its own marker series (roofs of the largest thread count); html and trace are
/// refused (one document per profile). format: table | csv | json | md.
std::string profile_sweep(const ModelSource& model, const ProfileOptions& options, const Sweep& sweep,
                          const std::string& format);

struct DiffOptions {
  std::string match = "auto";  ///< auto (by name, by position when under half the names match) | name | position
  std::string sort = "delta";  ///< delta (largest |B - A| first) | order (B's graph order, then ops only in A)
  int top = 0;                 ///< > 0: only the first K op rows
  Columns columns;             ///< the op table's columns
};
/// `roofscope diff A.json B.json`: two `profile` or `run --per-op` JSON outputs side by side: whether they are
/// comparable (provenance: version, commit, CPU, machine profile hash; model, input, threads), the summary figures
/// (A, B, B - A, B / A), and per-op time deltas matched by name or position, with ops that appear or vanish.
/// format: table | csv (op rows only) | json | md. Throws std::runtime_error naming the file when one cannot be read
/// or is not such an output; std::invalid_argument for a bad option.
std::string diff(const std::string& a_path, const std::string& b_path, const DiffOptions& options,
                 const std::string& format);

}  // namespace roofscope
