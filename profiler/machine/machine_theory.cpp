// Theoretical peak and DRAM bandwidth; see machine_theory.h.
#include "profiler/machine/machine_theory.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace rs {
namespace {

struct MemoryDevice {
  bool populated = false;
  int speed = 0;             ///< "Speed" in MT/s (older dmidecode prints MHz for the same number)
  int configured_speed = 0;  ///< "Configured Memory Speed" / "Configured Clock Speed"
  std::string locator, bank_locator;
};

std::string value_of(const std::string& line) {
  const auto colon = line.find(':');
  if (colon == std::string::npos) return {};
  const auto b = line.find_first_not_of(" \t", colon + 1);
  return b == std::string::npos ? std::string() : line.substr(b);
}

int leading_int(const std::string& s) {
  int v = 0;
  return std::sscanf(s.c_str(), "%d", &v) == 1 ? v : 0;
}

std::vector<MemoryDevice> parse_devices(const std::string& text) {
  std::vector<MemoryDevice> devices;
  std::istringstream in(text);
  std::string line;
  MemoryDevice* cur = nullptr;
  while (std::getline(in, line)) {
    if (line == "Memory Device" || line == "Memory Device\r") {
      devices.emplace_back();
      cur = &devices.back();
      continue;
    }
    if (cur == nullptr || line.empty() || (line[0] != '\t' && line[0] != ' ')) {
      if (!line.empty() && line[0] != '\t' && line[0] != ' ') cur = nullptr;  // another structure type
      continue;
    }
    const auto key_start = line.find_first_not_of(" \t");
    const std::string body = line.substr(key_start);
    const std::string v = value_of(body);
    if (body.rfind("Size:", 0) == 0) cur->populated = leading_int(v) > 0;
    else if (body.rfind("Speed:", 0) == 0) cur->speed = leading_int(v);
    else if (body.rfind("Configured Memory Speed:", 0) == 0 || body.rfind("Configured Clock Speed:", 0) == 0)
      cur->configured_speed = leading_int(v);
    else if (body.rfind("Locator:", 0) == 0) cur->locator = v;
    else if (body.rfind("Bank Locator:", 0) == 0) cur->bank_locator = v;
  }
  return devices;
}

/// "P0_Node0_Channel3" from "P0_Node0_Channel3_Dimm1", "CPU1 A" from "CPU1_DIMM_A2"; empty when no channel is named.
std::string channel_key(const MemoryDevice& d) {
  static const std::regex channel(R"(^(.*?channel[ _]?[A-Za-z0-9]+))", std::regex::icase);
  static const std::regex dimm(R"(^(.*?)DIMM[ _]?([A-Z])[0-9]+)", std::regex::icase);
  std::smatch m;
  if (std::regex_search(d.bank_locator, m, channel)) return m[1].str();
  if (std::regex_search(d.locator, m, channel)) return m[1].str();
  if (std::regex_search(d.locator, m, dimm)) return d.bank_locator + "|" + m[1].str() + m[2].str();
  return {};
}

}  // namespace

double theoretical_peak_gflops_per_s(int threads, double ghz, int flops_per_cycle_per_core) {
  if (threads < 1 || ghz < 0 || flops_per_cycle_per_core < 1) {
    throw std::invalid_argument(fmt::format(
        "theoretical peak: expected threads >= 1, GHz >= 0, FLOP/cycle >= 1 (got {}, {}, {})", threads, ghz,
        flops_per_cycle_per_core));
  }
  return threads * ghz * flops_per_cycle_per_core;
}

DramTheory parse_dmidecode_memory(const std::string& text) {
  DramTheory t;
  std::set<std::string> channels;
  int populated = 0, min_speed = std::numeric_limits<int>::max();
  bool all_named = true;
  for (const MemoryDevice& d : parse_devices(text)) {
    const int speed = d.configured_speed > 0 ? d.configured_speed : d.speed;
    if (!d.populated || speed <= 0) continue;
    ++populated;
    min_speed = std::min(min_speed, speed);
    const std::string key = channel_key(d);
    if (key.empty()) all_named = false;
    channels.insert(key);
  }
  if (populated == 0) {
    t.source = "dmidecode -t memory lists no populated device with a known speed";
    return t;
  }
  t.channels = all_named ? static_cast<int>(channels.size()) : populated;
  t.mt_per_s = min_speed;
  t.gb_per_s = t.channels * static_cast<double>(t.mt_per_s) * 8.0 / 1000.0;
  t.source = fmt::format("dmidecode -t memory: {} channels x {} MT/s x 8 B{}", t.channels, t.mt_per_s,
                         all_named ? "" : " (channels not named by the locators: assumed one DIMM per channel)");
  return t;
}

DramTheory read_dram_theory(double user_gb_per_s) {
  if (user_gb_per_s > 0) {
    DramTheory t;
    t.gb_per_s = user_gb_per_s;
    t.source = "--mem-bw-gbs (given by the user)";
    return t;
  }
  std::string text;
  if (FILE* p = popen("dmidecode -t memory 2>/dev/null", "r")) {
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    pclose(p);
  }
  DramTheory t = parse_dmidecode_memory(text);
  if (!t.known()) {
    t.source = text.find("Memory Device") == std::string::npos
                   ? "unknown: dmidecode -t memory is not readable here (needs root and DMI tables); give --mem-bw-gbs"
                   : "unknown: " + t.source + "; give --mem-bw-gbs";
  }
  return t;
}

}  // namespace rs
