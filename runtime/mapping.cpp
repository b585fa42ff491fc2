#include "runtime/mapping.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace rs {

namespace {
std::atomic<long> live_mappings{0};
}  // namespace

Mapping::Mapping(std::size_t bytes) : size_(std::max<std::size_t>(bytes, 1)) {
  void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw MappingError(fmt::format("mmap of {} bytes failed: {}", size_, std::strerror(errno)));
  data_ = p;
  ++live_mappings;
}

Mapping::~Mapping() { release(); }

Mapping::Mapping(Mapping&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

Mapping& Mapping::operator=(Mapping&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void Mapping::release() noexcept {
  if (data_ == nullptr) return;
  munmap(data_, size_);
  --live_mappings;
  data_ = nullptr;
  size_ = 0;
}

long Mapping::live() { return live_mappings.load(); }

}  // namespace rs
