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

// One formatter per unit kind, each taking the SI base unit (seconds, FLOP, FLOP/s, bytes/s, FLOP/byte): 3
// significant digits with an SI prefix, an integral figure without decimals ("12 ms", "1.20 s"), a leading '-' for
// a negative value, "0 <unit>" for zero, "n/a" for NaN or inf.

/// Seconds with the unit that fits, ns to s: "12.3 ms", "450 µs", "1.20 s", "85 ns" (no prefix above 1 s: "1230 s").
std::string format_seconds(double s);
/// FLOP counts: "3.63 GFLOP", "950 FLOP".
std::string format_flops(double flop);
/// FLOP per second: "10.2 GFLOP/s".
std::string format_flop_per_s(double x);
/// Bytes per second, SI decimal prefixes (as bandwidth is quoted): "24.7 GB/s".
std::string format_bytes_per_s(double x);
/// Arithmetic intensity, no prefix: "12.3 FLOP/B", "0.250 FLOP/B".
std::string format_flop_per_byte(double x);
/// A duration for people, 2 significant units at most: "45 s", "12 min", "3.5 h", "2.1 days"; "n/a" for NaN/inf
/// or negative.
std::string format_age(double seconds);
/// The current time as ISO 8601 UTC, e.g. "2026-11-21T01:00:45Z" (report headers, machine profiles).
std::string utc_now_iso8601();
/// Seconds from an ISO 8601 UTC time as utc_now_iso8601() writes it to now; NaN when it does not parse.
double seconds_since_iso8601(const std::string& utc);

}  // namespace rs
