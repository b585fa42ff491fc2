// graph/units.h: one formatter per unit kind (3 significant digits, SI prefixes, "n/a" for NaN/inf).
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "graph/units.h"

namespace rs {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

TEST(Units, SecondsPickTheUnit) {
  EXPECT_EQ(format_seconds(12.3e-3), "12.3 ms");
  EXPECT_EQ(format_seconds(450e-6), "450 µs");
  EXPECT_EQ(format_seconds(1.2), "1.20 s");
  EXPECT_EQ(format_seconds(85e-9), "85 ns");
  EXPECT_EQ(format_seconds(1.23456e-3), "1.23 ms");
  EXPECT_EQ(format_seconds(1234.0), "1230 s");  // no prefix above seconds
}

TEST(Units, SecondsAtUnitBoundaries) {
  EXPECT_EQ(format_seconds(999.7e-6), "1 ms");  // rounds to 3 digits first, then takes the next unit
  EXPECT_EQ(format_seconds(999.4e-6), "999 µs");
  EXPECT_EQ(format_seconds(1e-3), "1 ms");
  EXPECT_EQ(format_seconds(0.9996), "1 s");
  EXPECT_EQ(format_seconds(1e-12), "0.00100 ns");  // below the smallest unit: more decimals
}

TEST(Units, SecondsEdgeCases) {
  EXPECT_EQ(format_seconds(0), "0 s");
  EXPECT_EQ(format_seconds(-12.3e-3), "-12.3 ms");
  EXPECT_EQ(format_seconds(kNaN), "n/a");
  EXPECT_EQ(format_seconds(kInf), "n/a");
  EXPECT_EQ(format_seconds(-kInf), "n/a");
}

struct Case {
  std::string (*format)(double);
  double x;
  const char* expected;
};

TEST(Units, RatesCountsAndIntensity) {
  const Case cases[] = {
      {format_flops, 3.63e9, "3.63 GFLOP"},           {format_flops, 950, "950 FLOP"},
      {format_flops, 999.6, "1 kFLOP"},               {format_flops, 0, "0 FLOP"},
      {format_flops, 0.5, "0.500 FLOP"},              {format_flops, -2.5e6, "-2.50 MFLOP"},
      {format_flops, kNaN, "n/a"},                    {format_flop_per_s, 10.205e9, "10.2 GFLOP/s"},
      {format_flop_per_s, 1.5e12, "1.50 TFLOP/s"},    {format_flop_per_s, 0, "0 FLOP/s"},
      {format_flop_per_s, kInf, "n/a"},               {format_bytes_per_s, 24.7e9, "24.7 GB/s"},  // decimal
      {format_bytes_per_s, 1000, "1 kB/s"},           {format_bytes_per_s, 999, "999 B/s"},
      {format_bytes_per_s, -3e6, "-3 MB/s"},          {format_bytes_per_s, kNaN, "n/a"},
      {format_flop_per_byte, 12.3, "12.3 FLOP/B"},    {format_flop_per_byte, 0.25, "0.250 FLOP/B"},
      {format_flop_per_byte, 1234, "1230 FLOP/B"},    {format_flop_per_byte, 0, "0 FLOP/B"},  // no prefix
      {format_flop_per_byte, kNaN, "n/a"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.format(c.x), c.expected) << c.x;
}

TEST(Units, ExistingForms) {
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(16 * 1024), "16 KiB");
  EXPECT_EQ(si_count(1.81e9), "1.81G");
  EXPECT_EQ(si_count(950), "950");
  EXPECT_EQ(format_ms(0.012345), "12.345 ms");
  EXPECT_EQ(format_ms(kNaN), "n/a");
  EXPECT_EQ(format_age(45), "45 s");
  EXPECT_EQ(format_age(-1), "n/a");
}

}  // namespace
}  // namespace rs
