#include "profiler/report/reporter.h"

#include <stdexcept>

#include <fmt/format.h>

namespace rs {

namespace {
constexpr Format kAll[] = {Format::Table, Format::Csv, Format::Json, Format::Md,
                           Format::Svg,   Format::Html, Format::Trace};
}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::Table: return "table";
    case Format::Csv: return "csv";
    case Format::Json: return "json";
    case Format::Md: return "md";
    case Format::Svg: return "svg";
    case Format::Html: return "html";
    case Format::Trace: return "trace";
  }
  return "?";
}

Format parse_format(const std::string& name) {
  for (Format f : kAll)
    if (name == format_name(f)) return f;
  throw std::invalid_argument("unknown format '" + name + "' (use table, csv, json, md, svg, html or trace)");
}

Reporter::~Reporter() = default;

void Reporter::unsupported(const char* document, Format format) const {
  std::string names;
  for (Format f : formats()) names += (names.empty() ? "" : ", ") + std::string(format_name(f));
  throw std::invalid_argument(
      fmt::format("{} cannot be rendered as {} (supported: {})", document, format_name(format), names));
}

}  // namespace rs
