// Writing result and cache files whole or not at all.
#pragma once
#include <string>

namespace rs {

/// Writes `text` to `path` whole or not at all: a path that exists and is not a regular file (a device such as
/// /dev/full, a FIFO, a directory) is refused; the text goes to PATH.tmpPID in the same folder, which is then renamed
/// over `path`. Creates the parent folder only when create_parent (the cache folder). Throws std::runtime_error
/// "cannot write 'path': reason".
void write_file_atomically(const std::string& path, const std::string& text, bool create_parent = false);

/// Checks, before long work, that write_file_atomically(path, ..., false) can succeed: the parent folder exists and
/// `path` is absent or a regular file. Throws std::runtime_error "cannot write 'path': reason" otherwise.
void check_writable(const std::string& path);

}  // namespace rs
