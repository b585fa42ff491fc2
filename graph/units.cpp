#include "graph/units.h"

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
