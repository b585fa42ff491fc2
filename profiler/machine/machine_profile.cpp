// Machine profile accessors and JSON (de)serialization with validation; see machine_profile.h.
#include "profiler/machine/machine_profile.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace rs {
namespace {

using nlohmann::json;

json number_or_null(double v) { return v > 0 ? json(v) : json(nullptr); }

json rate_json(const MeasuredRate& r) {
  return {{"value", r.value}, {"spread", r.spread}, {"repetitions", r.repetitions}};
}

/// A JSON node and its path, with typed getters that throw MachineProfileError naming the path.
class Reader {
 public:
  Reader(const json& node, std::string path) : node_(node), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& expected, const json* got) const {
    const std::string where = key.empty() ? path_ : path_.empty() ? key : path_ + "." + key;
    throw MachineProfileError(fmt::format("machine profile: {}: expected {}, got {}", where.empty() ? "(root)" : where,
                                          expected, got == nullptr ? "nothing (missing)" : got->dump()));
  }
  const json& at(const std::string& key, const std::string& expected) const {
    if (!node_.is_object()) fail("", "an object", &node_);
    const auto it = node_.find(key);
    if (it == node_.end()) fail(key, expected, nullptr);
    return *it;
  }
  Reader child(const std::string& key) const {
    const json& v = at(key, "an object");
    if (!v.is_object()) fail(key, "an object", &v);
    return Reader(v, join(key));
  }
  std::vector<Reader> array(const std::string& key) const {
    const json& v = at(key, "an array");
    if (!v.is_array()) fail(key, "an array", &v);
    std::vector<Reader> out;
    for (size_t i = 0; i < v.size(); ++i) out.emplace_back(v[i], fmt::format("{}[{}]", join(key), i));
    return out;
  }
  std::string str(const std::string& key) const {
    const json& v = at(key, "a string");
    if (!v.is_string()) fail(key, "a string", &v);
    return v.get<std::string>();
  }
  bool boolean(const std::string& key) const {
    const json& v = at(key, "true or false");
    if (!v.is_boolean()) fail(key, "true or false", &v);
    return v.get<bool>();
  }
  int integer(const std::string& key, int lo, int hi) const {
    const std::string expected = fmt::format("an integer in [{}, {}]", lo, hi);
    const json& v = at(key, expected);
    if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi) fail(key, expected, &v);
    return v.get<int>();
  }
  std::int64_t bytes(const std::string& key) const {
    const json& v = at(key, "a byte count >= 0");
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0) fail(key, "a byte count >= 0", &v);
    return v.get<std::int64_t>();
  }
  /// A finite number >= lo (> lo when strict); null reads as 0 when nullable.
  double number(const std::string& key, double lo, bool strict, bool nullable = false) const {
    const std::string expected =
        fmt::format("a number {} {}{}", strict ? ">" : ">=", lo, nullable ? " or null" : "");
    const json& v = at(key, expected);
    if (nullable && v.is_null()) return 0;
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || (strict && v.get<double>() == lo))
      fail(key, expected, &v);
    return v.get<double>();
  }
  /// An array of finite numbers >= lo.
  std::vector<double> numbers(const std::string& key, double lo) const {
    const std::string expected = fmt::format("a number >= {}", lo);
    std::vector<double> out;
    for (const auto& [item, name] : elements(key)) {
      if (!item->is_number() || !std::isfinite(item->get<double>()) || item->get<double>() < lo)
        fail(name, expected, item);
      out.push_back(item->get<double>());
    }
    return out;
  }
  std::vector<std::int64_t> byte_counts(const std::string& key) const {
    std::vector<std::int64_t> out;
    for (const auto& [item, name] : elements(key)) {
      if (!item->is_number_integer() || item->get<std::int64_t>() < 0) fail(name, "a byte count >= 0", item);
      out.push_back(item->get<std::int64_t>());
    }
    return out;
  }
  std::vector<std::string> strings(const std::string& key) const {
    std::vector<std::string> out;
    for (const auto& [item, name] : elements(key)) {
      if (!item->is_string()) fail(name, "a string", item);
      out.push_back(item->get<std::string>());
    }
    return out;
  }

 private:
  std::string join(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  /// The items of array `key` with their names relative to this node ("key[i]").
  std::vector<std::pair<const json*, std::string>> elements(const std::string& key) const {
    const json& v = at(key, "an array");
    if (!v.is_array()) fail(key, "an array", &v);
    std::vector<std::pair<const json*, std::string>> out;
    for (size_t i = 0; i < v.size(); ++i) out.emplace_back(&v[i], fmt::format("{}[{}]", key, i));
    return out;
  }
  const json& node_;
  std::string path_;
};

MeasuredRate read_rate(const Reader& r) {
  MeasuredRate m;
  m.value = r.number("value", 0, true);
  m.spread = r.number("spread", 0, false);
  m.repetitions = r.integer("repetitions", 1, 1000000);
  if (m.spread > 1) r.fail("spread", "a number in [0, 1]", nullptr);
  return m;
}

json cpu_json(const CpuDescription& c) {
  json caches = json::array();
  for (const CacheLevel& l : c.caches)
    caches.push_back({{"level", l.level}, {"size_bytes", l.size_bytes}, {"cores_sharing", l.cores_sharing}});
  const IsaFlags& f = c.identity.isa;
  return {{"vendor", c.identity.vendor},
          {"model_name", c.identity.model_name},
          {"family", c.identity.family},
          {"model", c.identity.model},
          {"stepping", c.identity.stepping},
          {"physical_cores", c.physical_cores},
          {"logical_cpus", c.logical_cpus},
          {"packages", c.packages},
          {"smt_per_core", c.smt_per_core()},
          {"isa", {{"sse4_2", f.sse4_2}, {"avx", f.avx}, {"avx2", f.avx2}, {"fma", f.fma}, {"avx512f", f.avx512f},
                   {"amx_tile", f.amx_tile}}},
          {"caches", caches}};
}

CpuDescription read_cpu(const Reader& r) {
  CpuDescription c;
  c.identity.vendor = r.str("vendor");
  c.identity.model_name = r.str("model_name");
  c.identity.family = r.integer("family", 0, 0xfff);
  c.identity.model = r.integer("model", 0, 0xfff);
  c.identity.stepping = r.integer("stepping", 0, 0xff);
  c.physical_cores = r.integer("physical_cores", 1, 1 << 20);
  c.logical_cpus = r.integer("logical_cpus", c.physical_cores, 1 << 22);
  c.packages = r.integer("packages", 1, c.physical_cores);
  const Reader isa = r.child("isa");
  IsaFlags& f = c.identity.isa;
  f.sse4_2 = isa.boolean("sse4_2");
  f.avx = isa.boolean("avx");
  f.avx2 = isa.boolean("avx2");
  f.fma = isa.boolean("fma");
  f.avx512f = isa.boolean("avx512f");
  f.amx_tile = isa.boolean("amx_tile");
  for (const Reader& l : r.array("caches")) {
    CacheLevel cl;
    cl.level = l.integer("level", 1, 4);
    cl.size_bytes = l.bytes("size_bytes");
    cl.cores_sharing = l.integer("cores_sharing", 1, c.physical_cores);
    c.caches.push_back(cl);
  }
  return c;
}

json theory_json(const TheoreticalRoofs& t) {
  return {{"frequency_ghz", number_or_null(t.frequency_ghz)},
          {"frequency_source", t.frequency_source},
          {"frequency_is_turbo_max", t.frequency_is_turbo_max},
          {"microarchitecture", t.fp_units.microarchitecture},
          {"fma_units_per_core", t.fp_units.fma_units},
          {"fma_width_bits", t.fp_units.fma_width_bits},
          {"fma_units_assumed", t.fp_units.assumed},
          {"fma_units_source", t.fp_units.source},
          {"simd_isa", t.simd_isa},
          {"simd_bits", t.simd_bits},
          {"fp32_flops_per_cycle_per_core", t.fp32_flops_per_cycle_per_core},
          {"peak_gflops_per_s", t.peak_gflops_per_s},
          {"formula", "peak = threads x frequency_ghz x fma_units x min(simd_bits, fma_width_bits)/32 lanes x 2"},
          {"dram", {{"gb_per_s", number_or_null(t.dram.gb_per_s)}, {"channels", t.dram.channels},
                    {"mt_per_s", t.dram.mt_per_s}, {"source", t.dram.source},
                    {"formula", "channels x MT/s x 8 bytes"}}}};
}

TheoreticalRoofs read_theory(const Reader& r, int cores) {
  TheoreticalRoofs t;
  t.frequency_ghz = r.number("frequency_ghz", 0, true, true);
  t.frequency_source = r.str("frequency_source");
  t.frequency_is_turbo_max = r.boolean("frequency_is_turbo_max");
  t.fp_units.microarchitecture = r.str("microarchitecture");
  t.fp_units.fma_units = r.integer("fma_units_per_core", 1, 16);
  t.fp_units.fma_width_bits = r.integer("fma_width_bits", 64, 2048);
  t.fp_units.assumed = r.boolean("fma_units_assumed");
  t.fp_units.source = r.str("fma_units_source");
  t.simd_isa = r.str("simd_isa");
  t.simd_bits = r.integer("simd_bits", 64, 2048);
  t.fp32_flops_per_cycle_per_core = r.integer("fp32_flops_per_cycle_per_core", 1, 4096);
  t.peak_gflops_per_s = r.numbers("peak_gflops_per_s", 0);
  if (static_cast<int>(t.peak_gflops_per_s.size()) != cores)
    r.fail("peak_gflops_per_s", fmt::format("one entry per thread count 1..{}", cores), nullptr);
  const Reader dram = r.child("dram");
  t.dram.gb_per_s = dram.number("gb_per_s", 0, true, true);
  t.dram.channels = dram.integer("channels", 0, 1 << 16);
  t.dram.mt_per_s = dram.integer("mt_per_s", 0, 1 << 20);
  t.dram.source = dram.str("source");
  return t;
}

json measured_json(const MeasuredRoofs& m) {
  json peaks = json::array(), levels = json::array(), sweeps = json::array();
  for (const PeakMeasurement& p : m.peaks)
    peaks.push_back({{"threads", p.threads}, {"isa", p.isa}, {"gflops_per_s", rate_json(p.gflops_per_s)},
                     {"detail", p.detail}});
  json clocks = json::array();
  for (const ClockMeasurement& c : m.clocks) clocks.push_back({{"threads", c.threads}, {"ghz", c.ghz}});
  const OsEventPrices& os = m.os_prices;
  for (const LevelBandwidth& l : m.bandwidth) {
    json kernels = json::object();
    for (const auto& [name, rate] : l.gb_per_s) kernels[name] = rate_json(rate);
    levels.push_back({{"level", l.level}, {"threads", l.threads}, {"first_bytes", l.first_bytes},
                      {"last_bytes", l.last_bytes}, {"detected", l.detected}, {"roof_gb_per_s", l.roof_gb_per_s()},
                      {"gb_per_s", kernels}});
  }
  for (const SweepSeries& s : m.sweeps)
    sweeps.push_back({{"threads", s.threads}, {"kernel", s.kernel}, {"working_set_bytes", s.working_set_bytes},
                      {"gb_per_s", s.gb_per_s}, {"spread", s.spread}});
  return {{"quick", m.quick}, {"repetitions", m.repetitions}, {"stream_isa", m.stream_isa},
          {"byte_counting", m.byte_counting}, {"seconds", m.seconds}, {"peaks", peaks}, {"clocks", clocks},
          {"os_prices", {{"page_fault_s", os.page_fault_s}, {"context_switch_s", os.context_switch_s},
                         {"migration_s", os.migration_s}, {"method", os.method}}},
          {"bandwidth", levels}, {"sweeps", sweeps}};
}

MeasuredRoofs read_measured(const Reader& r, int cores) {
  MeasuredRoofs m;
  m.quick = r.boolean("quick");
  m.repetitions = r.integer("repetitions", 1, 1000000);
  m.stream_isa = r.str("stream_isa");
  m.byte_counting = r.str("byte_counting");
  m.seconds = r.number("seconds", 0, false);
  for (const Reader& p : r.array("peaks"))
    m.peaks.push_back({p.integer("threads", 1, cores), p.str("isa"), read_rate(p.child("gflops_per_s")),
                       p.str("detail")});
  if (m.peaks.empty()) r.fail("peaks", "at least one measured peak", nullptr);
  for (const Reader& c : r.array("clocks"))  // 0.1-20 GHz: anything else is a broken measurement or file
    m.clocks.push_back({c.integer("threads", 1, cores), c.number("ghz", 0.1, false)});
  for (const ClockMeasurement& c : m.clocks)
    if (c.ghz > 20) r.fail("clocks", "clocks in [0.1, 20] GHz", nullptr);
  const Reader os = r.child("os_prices");  // 0 = not measured; more than 10 ms per event is no price of an event
  m.os_prices = {os.number("page_fault_s", 0, false), os.number("context_switch_s", 0, false),
                 os.number("migration_s", 0, false), os.str("method")};
  for (double price : {m.os_prices.page_fault_s, m.os_prices.context_switch_s, m.os_prices.migration_s})
    if (price > 0.01) os.fail("page_fault_s", "prices in [0, 0.01] s per event", nullptr);
  for (const Reader& l : r.array("bandwidth")) {
    LevelBandwidth b;
    b.level = l.str("level");
    if (b.level != "L1" && b.level != "L2" && b.level != "L3" && b.level != "L4" && b.level != "DRAM")
      l.fail("level", "L1, L2, L3, L4 or DRAM", &l.at("level", ""));
    b.threads = l.integer("threads", 1, cores);
    b.first_bytes = l.bytes("first_bytes");
    b.last_bytes = l.bytes("last_bytes");
    b.detected = l.boolean("detected");
    const Reader kernels = l.child("gb_per_s");
    for (const auto& item : l.at("gb_per_s", "").items())
      b.gb_per_s[item.key()] = read_rate(kernels.child(item.key()));
    if (b.gb_per_s.empty()) l.fail("gb_per_s", "at least one kernel", nullptr);
    m.bandwidth.push_back(std::move(b));
  }
  for (const Reader& s : r.array("sweeps")) {
    SweepSeries series;
    series.threads = s.integer("threads", 1, cores);
    series.kernel = s.str("kernel");
    series.working_set_bytes = s.byte_counts("working_set_bytes");
    series.gb_per_s = s.numbers("gb_per_s", 0);
    series.spread = s.numbers("spread", 0);
    if (series.gb_per_s.size() != series.working_set_bytes.size() || series.spread.size() != series.gb_per_s.size())
      s.fail("gb_per_s", "as many entries as working_set_bytes and spread", nullptr);
    m.sweeps.push_back(std::move(series));
  }
  return m;
}

json ridge_json(const MachineProfile& p) {
  json ridges = json::array();
  for (int t = 1; t <= p.max_threads(); ++t) {
    json measured = json::object();
    for (const LevelBandwidth& l : p.measured.bandwidth)
      if (l.threads == t) measured[l.level] = number_or_null(p.measured_ridge_flop_per_byte(t, l.level));
    ridges.push_back({{"threads", t},
                      {"theoretical_flop_per_byte", number_or_null(p.theoretical_ridge_flop_per_byte(t))},
                      {"measured_flop_per_byte", measured}});
  }
  return ridges;
}

}  // namespace

double LevelBandwidth::roof_gb_per_s() const {
  double best = 0;
  for (const auto& [name, rate] : gb_per_s) best = std::max(best, rate.value);
  return best;
}

int MachineProfile::max_threads() const {
  int t = 0;
  for (const PeakMeasurement& p : measured.peaks) t = std::max(t, p.threads);
  return t;
}

double MachineProfile::theoretical_peak_gflops_per_s(int threads) const {
  if (threads < 1 || threads > static_cast<int>(theoretical.peak_gflops_per_s.size())) return 0;
  return theoretical.peak_gflops_per_s[static_cast<size_t>(threads - 1)];
}

double MachineProfile::measured_peak_gflops_per_s(int threads) const {
  const PeakMeasurement* p = peak_source(threads);
  return p == nullptr ? 0 : p->gflops_per_s.value;
}

const PeakMeasurement* MachineProfile::peak_source(int threads) const {
  const PeakMeasurement* best = nullptr;
  for (const PeakMeasurement& p : measured.peaks)
    if (p.threads == threads && (best == nullptr || p.gflops_per_s.value > best->gflops_per_s.value)) best = &p;
  return best;
}

double MachineProfile::effective_clock_ghz(int threads) const {
  for (const ClockMeasurement& c : measured.clocks)
    if (c.threads == threads) return c.ghz;
  return 0;
}

double MachineProfile::theoretical_peak_at_gflops_per_s(int threads, double ghz) const {
  if (threads < 1 || !(ghz > 0) || theoretical.fp32_flops_per_cycle_per_core < 1) return 0;  // unknown
  return rs::theoretical_peak_gflops_per_s(threads, ghz, theoretical.fp32_flops_per_cycle_per_core);
}

const LevelBandwidth* MachineProfile::bandwidth(const std::string& level, int threads) const {
  for (const LevelBandwidth& l : measured.bandwidth)
    if (l.level == level && l.threads == threads) return &l;
  return nullptr;
}

double MachineProfile::measured_bandwidth_gb_per_s(const std::string& level, int threads,
                                                   const std::string& kernel) const {
  const LevelBandwidth* l = bandwidth(level, threads);
  if (l == nullptr) return 0;
  if (kernel.empty()) return l->roof_gb_per_s();
  const auto it = l->gb_per_s.find(kernel);
  return it == l->gb_per_s.end() ? 0 : it->second.value;
}

double MachineProfile::measured_ridge_flop_per_byte(int threads, const std::string& level) const {
  const double pi = measured_peak_gflops_per_s(threads), beta = measured_bandwidth_gb_per_s(level, threads);
  return pi > 0 && beta > 0 ? pi / beta : 0;
}

double MachineProfile::theoretical_ridge_flop_per_byte(int threads) const {
  const double pi = theoretical_peak_gflops_per_s(threads), beta = theoretical.dram.gb_per_s;
  return pi > 0 && beta > 0 ? pi / beta : 0;
}

void to_json(nlohmann::json& j, const MachineProfile& p) {
  j = {{"schema", kMachineProfileSchema}, {"schema_version", p.schema_version}, {"created_utc", p.created_utc},
       {"cpu", cpu_json(p.cpu)}, {"theoretical", theory_json(p.theoretical)},
       {"measured", measured_json(p.measured)}, {"ridge_points", ridge_json(p)}, {"warnings", p.warnings}};
}

namespace {

/// No CPU core runs above this clock: a bound for what a measured figure can be (a plausibility check).
constexpr double kMaxPlausibleGhz = 10;
/// Per core: FP32 FLOP/cycle when the profile does not say (2 x 512-bit FMA = 64), bytes/cycle from any memory level.
constexpr double kMaxFlopsPerCycle = 64, kMaxBytesPerCycle = 256;

/// Measured figures no CPU of this description can reach are corrupt, not fast: throws MachineProfileError naming
/// the field and the bound.
void check_plausible(const MachineProfile& p) {
  const double fpc = p.theoretical.fp32_flops_per_cycle_per_core > 0 ? p.theoretical.fp32_flops_per_cycle_per_core
                                                                     : kMaxFlopsPerCycle;
  for (std::size_t i = 0; i < p.measured.peaks.size(); ++i) {
    const PeakMeasurement& m = p.measured.peaks[i];
    const double bound = m.threads * fpc * kMaxPlausibleGhz;
    if (m.gflops_per_s.value > bound)
      throw MachineProfileError(fmt::format("machine profile: measured.peaks[{}].gflops_per_s.value: {} GFLOP/s at {} "
                                            "thread(s) is above what {} FLOP/cycle at {} GHz allow ({}): corrupt",
                                            i, m.gflops_per_s.value, m.threads, fpc, kMaxPlausibleGhz, bound));
  }
  for (std::size_t i = 0; i < p.measured.bandwidth.size(); ++i) {
    const LevelBandwidth& l = p.measured.bandwidth[i];
    const double bound = l.threads * kMaxBytesPerCycle * kMaxPlausibleGhz;
    if (l.roof_gb_per_s() > bound)
      throw MachineProfileError(fmt::format("machine profile: measured.bandwidth[{}] ({} at {} thread(s)): {} GB/s is "
                                            "above {} B/cycle at {} GHz ({} GB/s): corrupt", i, l.level, l.threads,
                                            l.roof_gb_per_s(), kMaxBytesPerCycle, kMaxPlausibleGhz, bound));
  }
  for (const ClockMeasurement& c : p.measured.clocks)
    if (c.ghz > kMaxPlausibleGhz)
      throw MachineProfileError(fmt::format("machine profile: measured.clocks: {} GHz at {} thread(s) is above {} GHz: "
                                            "corrupt", c.ghz, c.threads, kMaxPlausibleGhz));
}

}  // namespace

void from_json(const nlohmann::json& j, MachineProfile& p) {
  const Reader root(j, "");
  if (!j.is_object()) root.fail("", "a JSON object", &j);
  const std::string schema = root.str("schema");
  if (schema != kMachineProfileSchema) root.fail("schema", fmt::format("\"{}\"", kMachineProfileSchema), &j["schema"]);
  p.schema_version = root.integer("schema_version", kMachineProfileSchemaVersion, kMachineProfileSchemaVersion);
  p.created_utc = root.str("created_utc");
  p.cpu = read_cpu(root.child("cpu"));
  p.theoretical = read_theory(root.child("theoretical"), p.cpu.physical_cores);
  p.measured = read_measured(root.child("measured"), p.cpu.physical_cores);
  p.warnings = root.strings("warnings");
  check_plausible(p);
}

}  // namespace rs
