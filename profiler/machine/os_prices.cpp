// OS event prices; see os_prices.h.
#include "profiler/machine/os_prices.h"

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "runtime/mapping.h"
#include "runtime/stats.h"

namespace rs {
namespace {

using Clock = std::chrono::steady_clock;
constexpr long kPage = 4096;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return u.ru_minflt;
}

bool pin_to(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

/// The first two CPUs this thread may run on (-1 where missing).
std::pair<int, int> two_cpus(const cpu_set_t& allowed) {
  int a = -1, b = -1;
  for (int c = 0; c < CPU_SETSIZE && b < 0; ++c)
    if (CPU_ISSET(c, &allowed)) (a < 0 ? a : b) = c;
  return {a, b};
}

/// Seconds per switch: `trips` round trips of one byte between this thread and a partner on the same CPU.
double context_switch_price_s(int cpu, int trips) {
  int ping[2], pong[2];
  if (pipe(ping) != 0) return 0;
  if (pipe(pong) != 0) {
    close(ping[0]), close(ping[1]);
    return 0;
  }
  char byte = 0;
  std::thread partner([&] {
    pin_to(cpu);
    char b = 0;
    for (int i = 0; i < trips; ++i)
      if (read(ping[0], &b, 1) != 1 || write(pong[1], &b, 1) != 1) break;
  });
  pin_to(cpu);
  const auto t0 = Clock::now();
  int done = 0;
  for (; done < trips; ++done)
    if (write(ping[1], &byte, 1) != 1 || read(pong[0], &byte, 1) != 1) break;
  const double dt = since(t0);
  partner.join();
  for (int fd : {ping[0], ping[1], pong[0], pong[1]}) close(fd);
  return done == trips ? dt / (2.0 * trips) : 0;
}

/// Seconds per migration: `moves` affinity changes alternating between cpus a and b, each waiting until it runs there.
double migration_price_s(int a, int b, int moves) {
  const auto t0 = Clock::now();
  for (int i = 0; i < moves; ++i) {
    const int to = i % 2 ? a : b;
    if (!pin_to(to)) return 0;
    while (sched_getcpu() != to) sched_yield();
  }
  return since(t0) / moves;
}

}  // namespace

double page_fault_price_s(long pages, long* faults) {
  const size_t bytes = static_cast<size_t>(pages) * kPage;
  Mapping fresh;
  try {
    fresh = Mapping(bytes);
  } catch (const MappingError&) {
    return 0;  // no fresh pages: the price stays unknown
  }
  madvise(fresh.data(), bytes, MADV_NOHUGEPAGE);  // 4 KiB faults, as the no-pool arm's fresh buffers mostly take
  volatile char* c = static_cast<char*>(fresh.data());
  const long f0 = minor_faults();
  auto t0 = Clock::now();
  for (long i = 0; i < pages; ++i) c[i * kPage] = 1;
  const double first = since(t0);
  const long counted = minor_faults() - f0;
  t0 = Clock::now();
  for (long i = 0; i < pages; ++i) c[i * kPage] = 2;
  const double second = since(t0);
  if (faults != nullptr) *faults = counted;
  return counted > 0 ? std::max(0.0, first - second) / static_cast<double>(counted) : 0;
}

OsPrices measure_os_prices(int repetitions) {
  if (repetitions < 1) throw std::invalid_argument(fmt::format("OS prices: repetitions must be >= 1 (got {})", repetitions));
  cpu_set_t before;
  CPU_ZERO(&before);
  sched_getaffinity(0, sizeof before, &before);
  const auto [a, b] = two_cpus(before);
  constexpr long kPages = 4096;  // 16 MiB
  constexpr int kTrips = 2000, kMoves = 400;
  std::vector<double> fault, ctx, mig;
  long faults = 0;
  for (int r = 0; r < repetitions; ++r) {
    fault.push_back(page_fault_price_s(kPages, &faults));
    if (a >= 0) ctx.push_back(context_switch_price_s(a, kTrips));
    if (b >= 0) mig.push_back(migration_price_s(a, b, kMoves));
  }
  sched_setaffinity(0, sizeof before, &before);
  OsPrices p;
  p.page_fault_s = median(fault);
  p.context_switch_s = median(ctx);
  p.migration_s = median(mig);
  p.method = fmt::format(
      "median of {} runs: page fault = first write to {} fresh 4 KiB pages (MADV_NOHUGEPAGE; {} faults counted) minus "
      "the second write, per fault; context switch = {} pipe round trips between two threads on cpu {}, / 2; "
      "migration = {} sched_setaffinity moves between cpus {} and {}{}", repetitions, kPages, faults, kTrips, a, kMoves,
      a, b, b < 0 ? " (one CPU: not measured)" : "");
  return p;
}

}  // namespace rs
