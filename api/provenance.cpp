#include "api/provenance.h"

#include <cstdint>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "graph/units.h"
#include "profiler/machine/cpu_info.h"
#include "roofscope/version.h"

namespace rs::api {

std::string machine_profile_hash(const MachineProfile& machine) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (const unsigned char c : nlohmann::json(machine).dump()) {
    h ^= c;
    h *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  return fmt::format("{:016x}", h);
}

namespace {

nlohmann::ordered_json provenance(const MachineProfile* machine) {
  const std::string commit = ROOFSCOPE_SOURCE_COMMIT;
  nlohmann::ordered_json p = {{"tool", "roofscope"},
                              {"version", ROOFSCOPE_VERSION},
                              {"source_commit", commit.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(commit)},
                              {"created_utc", utc_now_iso8601()},
                              {"cpu", machine ? machine->cpu.identity.model_name : read_cpu_identity().model_name}};
  p["machine_profile"] = nullptr;
  if (machine)
    p["machine_profile"] = {{"path", machine->loaded_from},
                            {"hash", machine_profile_hash(*machine)},
                            {"created_utc", machine->created_utc},
                            {"quick", machine->measured.quick}};
  return p;
}

}  // namespace

std::string with_provenance(const std::string& json, const MachineProfile* machine) {
  const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(json);
  if (!doc.is_object()) return json;
  nlohmann::ordered_json out = {{"provenance", provenance(machine)}};
  for (const auto& [key, value] : doc.items())
    if (key != "provenance") out[key] = value;
  return out.dump(2) + "\n";
}

std::string render_output(const Reporter& report, Format format, const MachineProfile* machine) {
  const std::string text = report.render(format);
  return format == Format::Json ? with_provenance(text, machine) : text;
}

}  // namespace rs::api
