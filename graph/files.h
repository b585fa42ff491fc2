// Files: bounded, typed reads of what a user gives (models, tensors, machine profiles), and result and cache files
// written whole or not at all.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace rs {

/// A file that is not a regular file, too large for its format, or unreadable; the message names the path and the
/// problem in one line.
class FileReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The whole of `path`, which must be a regular file (a directory, FIFO or device such as /dev/zero gets its own
/// error before anything is read) of at most max_bytes bytes (`what` names the format for the message, e.g. "an ONNX
/// model"). Throws FileReadError "PATH: is a directory" / "is a FIFO, not a file" / "is a device, not a file" /
/// "does not exist" / "is N bytes, more than M for WHAT" / "cannot open: reason".
std::string read_regular_file(const std::string& path, std::uint64_t max_bytes, const char* what);

/// Writes `text` to `path` whole or not at all: a path that exists and is not a regular file (a device such as
/// /dev/full, a FIFO, a directory) is refused; the text goes to PATH.tmpPID in the same folder, which is then renamed
/// over `path`. Creates the parent folder only when create_parent (the cache folder). Throws std::runtime_error
/// "cannot write 'path': reason".
void write_file_atomically(const std::string& path, const std::string& text, bool create_parent = false);

/// Checks, before long work, that write_file_atomically(path, ..., false) can succeed: the parent folder exists and
/// `path` is absent or a regular file. Throws std::runtime_error "cannot write 'path': reason" otherwise.
void check_writable(const std::string& path);

}  // namespace rs
