// Units and their human forms, shared by every part: byte counts, SI counts, times, dates. Machine-readable outputs
// keep SI base units (seconds, bytes) and full precision; these forms are for people.
#pragma once
#include <string>

namespace rs {

/// Binary units, 3 significant digits: "512 B", "16 KiB", "44.6 MiB", "1.5 GiB".
std::string format_bytes(double bytes);
/// SI suffix, 3 significant digits: "1.81G", "11.7M", "950"; integers below 1000 as they are.
std::string si_count(double x);
/// "12.345 ms" from seconds (3 decimals); "n/a" for NaN/inf.
std::string format_ms(double seconds);
/// A duration for people, 2 significant units at most: "45 s", "12 min", "3.5 h", "2.1 days"; "n/a" for NaN/inf
/// or negative.
std::string format_age(double seconds);
/// The current time as ISO 8601 UTC, e.g. "2026-11-21T01:00:45Z" (report headers, machine profiles).
std::string utc_now_iso8601();
/// Seconds from an ISO 8601 UTC time as utc_now_iso8601() writes it to now; NaN when it does not parse.
double seconds_since_iso8601(const std::string& utc);

}  // namespace rs
