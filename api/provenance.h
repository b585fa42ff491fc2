// Provenance of every JSON output (issue 15): which roofscope (version, source commit), when (UTC), on which machine
// (CPU, the machine profile's hash), so two files say whether they are comparable (`roofscope diff` reads it).
#pragma once
#include <string>

#include "profiler/machine/machine_profile.h"
#include "profiler/report/reporter.h"

namespace rs::api {

/// FNV-1a 64-bit hash of the profile's canonical JSON (nlohmann dump, keys sorted), as 16 hex digits: equal for
/// the same measured figures wherever the file lives. Not a cryptographic hash.
std::string machine_profile_hash(const MachineProfile& machine);

/// `json` (a JSON object, as a reporter renders it) with a first key "provenance": {"tool", "version",
/// "source_commit" (null when not built from a git checkout), "created_utc" (ISO 8601), "cpu" (model name),
/// "machine_profile": null or {"path", "hash", "created_utc", "quick"}}. machine: the profile the command used, or
/// nullptr. Throws nlohmann::json::parse_error if `json` is not JSON (a reporter bug); a non-object is returned as is.
std::string with_provenance(const std::string& json, const MachineProfile* machine);

/// report.render(format), with_provenance() when format is json: how every command renders its output.
std::string render_output(const Reporter& report, Format format, const MachineProfile* machine);

}  // namespace rs::api
