// The effective-clock probe: its chains do the work they claim, and the clock it reads is one a core can run at.
#include <gtest/gtest.h>

#include <stdexcept>

#include "profiler/machine/clock.h"

namespace rs {
namespace {

TEST(Clock, ChainsDoTheirWork) {
  EXPECT_EQ(add_chain(10), 640);
  EXPECT_EQ(imul_chain(10), 1);
}

TEST(Clock, ReadsAPlausibleClock) {
  // x86-64 cores run at 0.4-6.5 GHz. A chain the core shortcuts reads far above: `add $1, reg` chains read 20.7 GHz
  // on a 3.6 GHz Sapphire Rapids-class core (executed at rename), which is why the probe no longer uses them.
  const ClockSample s = measure_clock(1);
  ASSERT_EQ(s.per_thread_ghz.size(), 1u);
  EXPECT_GT(s.ghz, 0.4);
  EXPECT_LT(s.ghz, 6.5);
}

TEST(Clock, RejectsBadArguments) {
  EXPECT_THROW(measure_clock(0), std::invalid_argument);
  EXPECT_THROW(measure_clock(1, 0.0), std::invalid_argument);
  EXPECT_THROW(measure_clock(1, 0.005, 0), std::invalid_argument);
}

}  // namespace
}  // namespace rs
