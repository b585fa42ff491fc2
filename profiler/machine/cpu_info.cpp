// CPUID, the FMA-unit table and frequency sources; see cpu_info.h.
#include "profiler/machine/cpu_info.h"

#if !defined(__x86_64__)
#error "roofscope's machine characterization reads CPUID and is x86-64 only"
#endif

#include <cpuid.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <regex>
#include <sstream>

#include <fmt/format.h>

namespace rs {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

/// XCR0: which register states the OS saves (bit 1 SSE, 2 AVX, 5-7 AVX-512, 17-18 AMX).
std::uint64_t xgetbv0() {
  std::uint32_t eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<std::uint64_t>(edx) << 32) | eax;
}

std::string brand_string() {
  unsigned max_ext = __get_cpuid_max(0x80000000u, nullptr);
  if (max_ext < 0x80000004u) return {};
  char brand[49] = {};
  for (unsigned i = 0; i < 3; ++i) {
    unsigned r[4] = {};
    __get_cpuid(0x80000002u + i, &r[0], &r[1], &r[2], &r[3]);
    std::memcpy(brand + 16 * i, r, 16);
  }
  return trim(brand);
}

std::string proc_cpuinfo_field(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return trim(line.substr(colon + 1));
    }
  }
  return {};
}

IsaFlags read_isa() {
  IsaFlags f;
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool osxsave = (c >> 27) & 1u;
  const std::uint64_t xcr0 = osxsave ? xgetbv0() : 0;
  const bool os_avx = (xcr0 & 0x6u) == 0x6u;
  const bool os_avx512 = os_avx && (xcr0 & 0xe0u) == 0xe0u;
  const bool os_amx = (xcr0 & 0x60000u) == 0x60000u;
  f.sse4_2 = (c >> 20) & 1u;
  f.avx = os_avx && ((c >> 28) & 1u);
  f.fma = os_avx && ((c >> 12) & 1u);
  if (__get_cpuid_max(0, nullptr) >= 7) {
    __cpuid_count(7, 0, a, b, c, d);
    f.avx2 = os_avx && ((b >> 5) & 1u);
    f.avx512f = os_avx512 && ((b >> 16) & 1u);
    f.amx_tile = os_amx && ((d >> 24) & 1u);
  }
  return f;
}

bool contains(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

bool in(int v, std::initializer_list<int> list) { return std::find(list.begin(), list.end(), v) != list.end(); }

// Sources of the table rows.
constexpr const char* kAmd17h =
    "AMD Software Optimization Guide for Family 17h Processors (pub. 55723), 2.11: four 128-bit FP pipes, FMA on "
    "FP0/FP1";
constexpr const char* kAmdZen2 =
    "AMD Software Optimization Guide for Family 17h Models 30h+ (pub. 56305), 2.11: FP datapaths widened to 256 bits, "
    "two FMA pipes";
constexpr const char* kAmdZen3 =
    "AMD Software Optimization Guide for Family 19h Processors (pub. 56665), 2.11: two 256-bit FMA pipes (FP0, FP1)";
constexpr const char* kAmdZen4 =
    "AMD Software Optimization Guide for Family 19h Models 10h+ (pub. 57647), 2.11: two 256-bit FMA pipes; AVX-512 "
    "ops execute as two 256-bit halves";
constexpr const char* kAmdZen5 =
    "AMD Software Optimization Guide for Family 1Ah (pub. 58455): 512-bit FP datapath, two FMA pipes (mobile parts "
    "use 256-bit datapaths)";
constexpr const char* kIntelHsw =
    "Intel 64 and IA-32 Architectures Optimization Reference Manual (248966), Haswell/Skylake client: two 256-bit FMA "
    "units on ports 0 and 1";
constexpr const char* kIntelSkx =
    "Intel Optimization Reference Manual (248966), Skylake Server: port 0+1 fused 512-bit FMA plus a second 512-bit "
    "FMA on port 5 on Xeon Platinum 8xxx, Gold 6xxx (and 5122), Xeon W and Core X parts only";
constexpr const char* kIntelIclClient =
    "Intel Optimization Reference Manual (248966), Ice Lake client: one 512-bit FMA (ports 0+1 fused) or two 256-bit "
    "FMAs, i.e. 32 FP32 FLOP/cycle either way";
constexpr const char* kIntelIcx =
    "Intel Optimization Reference Manual (248966), Ice Lake Server / Sapphire Rapids: two 512-bit FMA units";

CoreFpUnits row(const char* name, int units, int width, const char* source) {
  CoreFpUnits r;
  r.microarchitecture = name;
  r.fma_units = units;
  r.fma_width_bits = width;
  r.source = source;
  return r;
}

CoreFpUnits amd_row(const CpuIdentity& cpu) {
  const int m = cpu.model;
  if (cpu.family == 0x17) return m < 0x30 ? row("Zen/Zen+", 2, 128, kAmd17h) : row("Zen 2", 2, 256, kAmdZen2);
  if (cpu.family == 0x19) {
    const bool zen4 = (m >= 0x10 && m <= 0x1f) || (m >= 0x60 && m <= 0x7f) || (m >= 0xa0 && m <= 0xaf);
    return zen4 ? row("Zen 4", 2, 256, kAmdZen4) : row("Zen 3", 2, 256, kAmdZen3);
  }
  if (cpu.family == 0x1a) return row("Zen 5", 2, 512, kAmdZen5);
  return {};
}

/// Skylake-SP / Cascade Lake (family 6 model 0x55): the second 512-bit FMA depends on the SKU.
CoreFpUnits skylake_sp_row(const std::string& brand) {
  const bool two = contains(brand, "Platinum") || contains(brand, "Gold 6") || contains(brand, "Gold 5122") ||
                   contains(brand, "Xeon(R) W-") || contains(brand, "Core(TM) i9") || contains(brand, "Core(TM) i7");
  const bool one = contains(brand, "Gold 5") || contains(brand, "Silver") || contains(brand, "Bronze");
  if (two) return row("Skylake-SP/Cascade Lake (2 FMA SKU)", 2, 512, kIntelSkx);
  if (one) return row("Skylake-SP/Cascade Lake (1 FMA SKU)", 1, 512, kIntelSkx);
  CoreFpUnits r = row("Skylake-SP/Cascade Lake (SKU unknown)", 2, 512, kIntelSkx);
  r.assumed = true;
  r.source += std::string("; brand string does not name the SKU, assumed 2 FMA units (upper bound)");
  return r;
}

/// AMX ships only on Xeon parts from Sapphire Rapids on, which have two 512-bit FMA units: the flag outranks a
/// client model number (a VM's CPU model can pair "Intel Xeon Processor" and AMX with model 0xa7, Rocket Lake's).
CoreFpUnits amx_row(int model) {
  CoreFpUnits r = row("Sapphire Rapids-class Xeon (AMX present)", 2, 512, kIntelIcx);
  r.source += fmt::format("; CPUID model 0x{:x} is not a Sapphire Rapids model, but the AMX flag is present: only "
                          "Xeon parts with two 512-bit FMA units have AMX (a VM's CPU model is likely)", model);
  return r;
}

CoreFpUnits intel_row(const CpuIdentity& cpu) {
  if (cpu.family != 6) return {};
  const int m = cpu.model;
  if (in(m, {0x3c, 0x3f, 0x45, 0x46, 0x3d, 0x47, 0x4f, 0x56}))
    return row("Haswell/Broadwell", 2, 256, kIntelHsw);
  if (in(m, {0x4e, 0x5e, 0x8e, 0x9e, 0xa5, 0xa6, 0x97, 0x9a, 0xb7, 0xba, 0xbf, 0xaa}))
    return row("Skylake-class client", 2, 256, kIntelHsw);
  if (m == 0x55) return skylake_sp_row(cpu.model_name);
  if (in(m, {0x6a, 0x6c, 0x8f, 0xcf})) return row("Ice Lake-SP/Sapphire Rapids", 2, 512, kIntelIcx);
  if (cpu.isa.amx_tile) return amx_row(m);
  if (in(m, {0x7d, 0x7e, 0x8c, 0x8d, 0xa7})) return row("Ice Lake/Tiger Lake client", 2, 256, kIntelIclClient);
  return {};
}

}  // namespace

int IsaFlags::simd_bits() const {
  if (avx512f) return 512;
  if (avx2 && fma) return 256;
  return 128;
}

std::string IsaFlags::best_isa_name() const {
  const int bits = simd_bits();
  return bits == 512 ? "avx512f" : bits == 256 ? "avx2_fma" : "sse2";
}

std::string IsaFlags::describe() const {
  std::string s;
  auto add = [&s](bool on, const char* name) {
    if (!on) return;
    if (!s.empty()) s += ' ';
    s += name;
  };
  add(true, "SSE2");
  add(sse4_2, "SSE4.2");
  add(avx, "AVX");
  add(avx2, "AVX2");
  add(fma, "FMA");
  add(avx512f, "AVX-512F");
  add(amx_tile, "AMX");
  return s;
}

CpuIdentity read_cpu_identity() {
  CpuIdentity id;
  unsigned a = 0, b = 0, c = 0, d = 0;
  __get_cpuid(0, &a, &b, &c, &d);
  char vendor[13] = {};
  std::memcpy(vendor, &b, 4);
  std::memcpy(vendor + 4, &d, 4);
  std::memcpy(vendor + 8, &c, 4);
  id.vendor = vendor;
  __get_cpuid(1, &a, &b, &c, &d);
  const int base_family = static_cast<int>((a >> 8) & 0xf);
  const int base_model = static_cast<int>((a >> 4) & 0xf);
  id.stepping = static_cast<int>(a & 0xf);
  id.family = base_family == 0xf ? base_family + static_cast<int>((a >> 20) & 0xff) : base_family;
  id.model = (base_family == 0x6 || base_family == 0xf) ? base_model + (static_cast<int>((a >> 16) & 0xf) << 4)
                                                        : base_model;
  id.model_name = brand_string();
  if (id.model_name.empty()) id.model_name = proc_cpuinfo_field("/proc/cpuinfo", "model name");
  if (id.model_name.empty()) id.model_name = "unknown " + id.vendor + " CPU";
  id.isa = read_isa();
  return id;
}

int CoreFpUnits::fp32_flops_per_cycle(int isa_bits) const {
  const int lanes = std::min(isa_bits, fma_width_bits) / 32;
  return fma_units * lanes * 2;
}

CoreFpUnits core_fp_units(const CpuIdentity& cpu) {
  CoreFpUnits r;
  if (cpu.vendor == "AuthenticAMD") r = amd_row(cpu);
  if (cpu.vendor == "GenuineIntel") r = intel_row(cpu);
  if (!r.microarchitecture.empty()) return r;
  r.microarchitecture = "unknown";
  r.fma_units = 2;
  r.fma_width_bits = cpu.isa.simd_bits();
  r.assumed = true;
  std::ostringstream os;
  os << "assumption: family 0x" << std::hex << cpu.family << " model 0x" << cpu.model
     << " is not in the table; assumed 2 FMA units x " << std::dec << r.fma_width_bits
     << "-bit (the widest ISA present; an upper bound for current x86 cores)";
  r.source = os.str();
  return r;
}

double ghz_from_brand(const std::string& model_name) {
  static const std::regex re(R"(@\s*([0-9]+(?:\.[0-9]+)?)\s*GHz)");
  std::smatch m;
  if (std::regex_search(model_name, m, re)) return std::stod(m[1].str());
  return 0;
}

namespace {
/// A sysfs cpufreq file holds kHz; returns GHz, 0 when absent or unreadable.
double read_khz_file_ghz(const std::string& path) {
  std::ifstream in(path);
  double khz = 0;
  if (in >> khz && khz > 0) return khz / 1e6;
  return 0;
}
}  // namespace

CpuFrequency read_cpu_frequency(const std::string& model_name, const std::string& cpufreq_dir,
                                const std::string& proc_cpuinfo) {
  CpuFrequency f;
  const std::string max_path = cpufreq_dir + "/cpuinfo_max_freq";
  if ((f.max_ghz = read_khz_file_ghz(max_path)) > 0) f.max_source = max_path;
  const std::string base_path = cpufreq_dir + "/base_frequency";  // intel_pstate only
  if ((f.base_ghz = read_khz_file_ghz(base_path)) > 0) f.base_source = base_path;
  if (f.base_ghz == 0 && (f.base_ghz = ghz_from_brand(model_name)) > 0) f.base_source = "CPU brand string";
  if (f.base_ghz == 0) {
    const std::string mhz = proc_cpuinfo_field(proc_cpuinfo, "cpu MHz");
    const double value = mhz.empty() ? 0.0 : std::strtod(mhz.c_str(), nullptr);
    if (value > 0) {
      f.base_ghz = value / 1000.0;
      f.base_source = proc_cpuinfo + " (cpu MHz)";
    }
  }
  return f;
}

}  // namespace rs
