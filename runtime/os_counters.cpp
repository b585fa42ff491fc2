#include "runtime/os_counters.h"

#include <linux/perf_event.h>
#include <omp.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>

namespace rs {

OsCounts& OsCounts::operator+=(const OsCounts& o) {
  page_faults += o.page_faults;
  context_switches += o.context_switches;
  migrations += o.migrations;
  return *this;
}

namespace {

int open_counter(std::uint64_t config, int group_fd) {
  perf_event_attr a;
  std::memset(&a, 0, sizeof a);
  a.type = PERF_TYPE_SOFTWARE;
  a.size = sizeof a;
  a.config = config;
  a.read_format = PERF_FORMAT_GROUP;
  return static_cast<int>(syscall(SYS_perf_event_open, &a, 0 /* calling thread */, -1, group_fd, 0));
}

constexpr std::uint64_t kConfigs[] = {PERF_COUNT_SW_PAGE_FAULTS, PERF_COUNT_SW_CONTEXT_SWITCHES,
                                      PERF_COUNT_SW_CPU_MIGRATIONS};

}  // namespace

OsCounters::OsCounters() {
  std::mutex m;
  bool failed = false;
  int err = 0;
  group_fds_.assign(static_cast<std::size_t>(omp_get_max_threads()), -1);
#pragma omp parallel
  {
    int leader = open_counter(kConfigs[0], -1);
    std::vector<int> mine;
    if (leader >= 0) {
      mine.push_back(leader);
      for (int i = 1; i < 3; ++i) {
        const int fd = open_counter(kConfigs[i], leader);
        if (fd < 0) break;
        mine.push_back(fd);
      }
    }
    std::lock_guard<std::mutex> lock(m);
    if (mine.size() != 3) {
      failed = true;
      err = errno;
    }
    const auto t = static_cast<std::size_t>(omp_get_thread_num());
    if (!mine.empty() && t < group_fds_.size()) group_fds_[t] = mine.front();
    all_fds_.insert(all_fds_.end(), mine.begin(), mine.end());
  }
  if (!failed) {
    mode_ = Mode::Perf;
    const auto opened = std::count_if(group_fds_.begin(), group_fds_.end(), [](int fd) { return fd >= 0; });
    source_ = "perf_event_open (per OpenMP thread, " + std::to_string(opened) + " threads)";
    return;
  }
  for (int fd : all_fds_) close(fd);
  all_fds_.clear();
  group_fds_.clear();
  rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0) {
    mode_ = Mode::Rusage;
    source_ = std::string("getrusage (whole process; no migrations; perf_event_open failed: ") + std::strerror(err) + ")";
  } else {
    source_ = "n/a (neither perf_event_open nor getrusage works)";
  }
}

OsCounters::~OsCounters() {
  for (int fd : all_fds_) close(fd);
}

std::vector<OsCounts> OsCounters::read_per_thread() const {
  std::vector<OsCounts> out;
  if (mode_ != Mode::Perf) return out;
  out.resize(group_fds_.size());
  for (std::size_t t = 0; t < group_fds_.size(); ++t) {
    std::uint64_t buf[1 + 3] = {0, 0, 0, 0};  // nr, then the values in group order
    if (group_fds_[t] < 0 || ::read(group_fds_[t], buf, sizeof buf) < static_cast<ssize_t>(sizeof buf)) continue;
    out[t] = {static_cast<double>(buf[1]), static_cast<double>(buf[2]), static_cast<double>(buf[3])};
  }
  return out;
}

OsCounts OsCounters::read() const {
  OsCounts c;
  if (mode_ == Mode::Perf) {
    for (const OsCounts& t : read_per_thread()) c += t;
  } else if (mode_ == Mode::Rusage) {
    rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    c.page_faults = static_cast<double>(ru.ru_minflt + ru.ru_majflt);
    c.context_switches = static_cast<double>(ru.ru_nvcsw + ru.ru_nivcsw);
    c.migrations = std::nan("");
  } else {
    c = {std::nan(""), std::nan(""), std::nan("")};
  }
  return c;
}

}  // namespace rs
