// Anonymous memory mappings with one owner each: the executor's arena, its graph input/output tensors and its
// `--no-pool` per-run tensors, the page-fault probe's fresh pages (profiler/machine/os_prices.cpp). The owner's
// destructor unmaps, so an exception between mapping and release cannot leak the pages.
#pragma once
#include <cstddef>
#include <new>
#include <string>

namespace rs {

/// mmap refused a mapping: a std::bad_alloc (callers treat it as any failed allocation) whose what() names the
/// bytes asked and errno's text, e.g. "mmap of 4611686018427387904 bytes failed: Cannot allocate memory".
class MappingError : public std::bad_alloc {
 public:
  explicit MappingError(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// A private anonymous read-write mapping: fresh zero pages from the OS, each faulted in on its first touch,
/// page-aligned (so 64-byte aligned). Move-only; the destructor munmaps.
class Mapping {
 public:
  Mapping() = default;  ///< maps nothing: data() == nullptr, size() == 0
  /// Maps max(bytes, 1) bytes (the OS rounds up to whole pages). Throws MappingError naming the size and errno.
  explicit Mapping(std::size_t bytes);
  ~Mapping();
  Mapping(Mapping&& other) noexcept;
  Mapping& operator=(Mapping&& other) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  void* data() const { return data_; }
  /// Bytes mapped, as asked (>= 1), or 0 when empty.
  std::size_t size() const { return size_; }

  /// Mappings of this type alive in the process (mapped, not yet unmapped): what leak tests count.
  static long live();

 private:
  void release() noexcept;

  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace rs
