#include "graph/units.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>

#include <fmt/format.h>

namespace rs {

std::string format_bytes(double bytes) {
  static const char* suffix[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int i = 0;
  while (std::fabs(bytes) >= 1024 && i < 4) {
    bytes /= 1024;
    ++i;
  }
  if (bytes == std::floor(bytes)) return fmt::format("{} {}", static_cast<std::int64_t>(bytes), suffix[i]);
  return fmt::format("{:.3g} {}", bytes, suffix[i]);
}

std::string si_count(double x) {
  static const char* suffix[] = {"", "k", "M", "G", "T", "P"};
  int i = 0;
  double a = std::fabs(x);
  while (a >= 999.5 && i < 5) {
    a /= 1000;
    x /= 1000;
    ++i;
  }
  if (i == 0 && x == std::floor(x)) return fmt::format("{}", static_cast<std::int64_t>(x));
  return fmt::format("{:.{}f}{}", x, a >= 99.95 ? 0 : a >= 9.995 ? 1 : 2, suffix[i]);
}

std::string format_ms(double seconds) {
  return std::isfinite(seconds) ? fmt::format("{:.3f} ms", seconds * 1e3) : "n/a";
}

namespace {

/// 3 significant digits of |x| with the SI prefix of 10^(3 e), e within [lo, hi] (-3 = n ... 6 = E).
std::string with_prefix(double x, const char* unit, int lo, int hi) {
  static const char* prefix[] = {"n", "µ", "m", "", "k", "M", "G", "T", "P", "E"};
  if (!std::isfinite(x)) return "n/a";
  if (x == 0) return fmt::format("0 {}", unit);
  // Round to 3 significant digits first, so that 999.7 becomes 1.00e3 and takes the next prefix.
  const std::string sci = fmt::format("{:.2e}", std::fabs(x));
  const double mantissa = std::stod(sci.substr(0, sci.find('e')));
  const int exp10 = std::stoi(sci.substr(sci.find('e') + 1));
  const int e3 = std::clamp(exp10 >= 0 ? exp10 / 3 : -((2 - exp10) / 3), lo, hi);
  const int shift = exp10 - 3 * e3;
  const double m = mantissa * std::pow(10.0, shift);
  const bool integral = std::fabs(m - std::round(m)) < 1e-9 * m;
  const int decimals = integral ? 0 : std::clamp(2 - shift, 0, 9);
  return fmt::format("{}{:.{}f} {}{}", x < 0 ? "-" : "", m, decimals, prefix[e3 + 3], unit);
}

}  // namespace

std::string format_seconds(double s) { return with_prefix(s, "s", -3, 0); }
std::string format_flops(double flop) { return with_prefix(flop, "FLOP", 0, 6); }
std::string format_flop_per_s(double x) { return with_prefix(x, "FLOP/s", 0, 6); }
std::string format_bytes_per_s(double x) { return with_prefix(x, "B/s", 0, 6); }
std::string format_flop_per_byte(double x) { return with_prefix(x, "FLOP/B", 0, 0); }

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string format_age(double s) {
  if (!std::isfinite(s) || s < 0) return "n/a";
  if (s < 90) return fmt::format("{:.0f} s", s);
  if (s < 90 * 60) return fmt::format("{:.0f} min", s / 60);
  if (s < 36 * 3600) return fmt::format("{:.1f} h", s / 3600);
  return fmt::format("{:.1f} days", s / 86400);
}

double seconds_since_iso8601(const std::string& utc) {
  std::tm tm{};
  const char* end = strptime(utc.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return std::nan("");
  return std::difftime(std::time(nullptr), timegm(&tm));
}

}  // namespace rs
