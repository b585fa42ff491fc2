// Running a shell command from a test (tests/onnx, tests/tools, tests/profiler/report): its output and exit status.
// Header-only so every test binary can use it.
#pragma once
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace rs::test {

struct CommandResult {
  int status = -1;  ///< exit status, 128 + signal when killed (-1: the command could not be started)
  std::string out;
};

/// Runs `cmd` with /bin/sh and returns its stdout (append 2>&1 to the command for stderr too).
inline CommandResult run_command(const std::string& cmd) {
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

}  // namespace rs::test
