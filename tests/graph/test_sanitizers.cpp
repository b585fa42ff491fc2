// The sanitizer build (-DROOFSCOPE_SANITIZE=ON, build-asan/, run by scripts/test.sh) really catches what it is there
// for: a heap overflow (ASan), signed overflow (UBSan) and a leak (LeakSanitizer). If a flag went missing, the suite
// would pass instrumented in name only; these fail then. The normal build has none of these tests.
#include <gtest/gtest.h>

#ifdef ROOFSCOPE_SANITIZE
#include <sanitizer/lsan_interface.h>

#include <climits>
#include <cstdint>
#include <thread>

namespace rs {
namespace {

char* volatile g_block = nullptr;  // volatile: the compiler cannot drop the accesses below

TEST(SanitizerDeathTest, AddressSanitizerCatchesAHeapOverflow) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        g_block = new char[8];
        g_block[8] = 1;  // one past the end
        delete[] g_block;
      },
      "heap-buffer-overflow");
}

TEST(SanitizerDeathTest, UndefinedBehaviorSanitizerCatchesSignedOverflow) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  volatile int big = INT_MAX;
  EXPECT_DEATH({ volatile int sum = big + 1; (void)sum; }, "signed integer overflow");
}

TEST(Sanitizer, LeakSanitizerFindsALeakAndNoneWithoutIt) {
  EXPECT_EQ(__lsan_do_recoverable_leak_check(), 0) << "a leak before this test";
  // Allocated on another thread (no stale register or stack slot of this one points at it) and kept only as
  // address ^ mask, which LeakSanitizer cannot read as a pointer: a leak until it is freed again below.
  constexpr std::uintptr_t kMask = 0x5a5a5a5a5a5a5a5a;
  static volatile std::uintptr_t hidden = 0;
  std::thread([] { hidden = reinterpret_cast<std::uintptr_t>(new char[4096]) ^ kMask; }).join();
  EXPECT_NE(__lsan_do_recoverable_leak_check(), 0);
  delete[] reinterpret_cast<char*>(hidden ^ kMask);
  EXPECT_EQ(__lsan_do_recoverable_leak_check(), 0);
}

}  // namespace
}  // namespace rs
#endif
