#include "profiler/files.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace rs {

void write_file_atomically(const std::string& path, const std::string& text, bool create_parent) {
  namespace fs = std::filesystem;
  auto fail = [&](const std::string& why) { return std::runtime_error(fmt::format("cannot write '{}': {}", path, why)); };
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (fs::exists(st) && !fs::is_regular_file(st)) throw fail("it exists and is not a regular file");
  const fs::path target(path);
  if (create_parent && target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  const std::string tmp = fmt::format("{}.tmp{}", path, static_cast<long>(getpid()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw fail(std::strerror(errno));
    f << text;
    if (!f.flush()) {
      const std::string why = std::strerror(errno);
      fs::remove(tmp, ec);
      throw fail(why);
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw fail(ec.message());
  }
}

void check_writable(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (fs::exists(st) && !fs::is_regular_file(st))
    throw std::runtime_error(fmt::format("cannot write '{}': it exists and is not a regular file", path));
  const fs::path parent = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec))
    throw std::runtime_error(fmt::format("cannot write '{}': folder '{}' does not exist", path, parent.string()));
}

}  // namespace rs
