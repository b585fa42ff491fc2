// Bounded, typed reads of the files a user gives (models, tensors, machine profiles).
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

}  // namespace rs
