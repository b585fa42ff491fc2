#include "graph/files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

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

}  // namespace rs
