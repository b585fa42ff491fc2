#include "graph/files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <unistd.h>

namespace rs {

std::string read_regular_file(const std::string& path, std::uint64_t max_bytes, const char* what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  auto fail = [&](const std::string& why) { return FileReadError(fmt::format("{}: {}", path, why)); };
  if (!fs::exists(st)) throw fail("does not exist");
  if (fs::is_directory(st)) throw fail("is a directory, not a file");
  if (fs::is_fifo(st)) throw fail("is a FIFO, not a file");
  if (fs::is_block_file(st) || fs::is_character_file(st) || fs::is_socket(st)) throw fail("is a device, not a file");
  if (!fs::is_regular_file(st)) throw fail("is not a regular file");
  const std::uint64_t size = fs::file_size(path, ec);
  if (!ec && size > max_bytes)
    throw fail(fmt::format("is {} bytes, more than the {} bytes allowed for {}", size, max_bytes, what));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fail(fmt::format("cannot open: {}", std::strerror(errno)));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw fail("read error");
  std::string out = bytes.str();
  if (out.size() > max_bytes) throw fail(fmt::format("is more than the {} bytes allowed for {}", max_bytes, what));
  return out;
}

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
