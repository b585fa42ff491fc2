// One front for every writer, in the spirit of google/benchmark's BenchmarkReporter (STYLE.md §9): a document (a
// table, a model profile, a machine profile, a run, experiment results) and the formats it can be rendered in. The
// CLI writes every output as `write_file_atomically(path, reporter.render(format))` or prints it. The existing
// writer functions (profile_table, roofline_svg, html_report, ...) are the implementations behind it.
// Machine-readable formats (csv, json, trace) carry seconds or name their unit in every key; the terminal table and
// Markdown may show milliseconds.
#pragma once
#include <string>
#include <vector>

namespace rs {

enum class Format { Table, Csv, Json, Md, Svg, Html, Trace };
/// "table" | "csv" | "json" | "md" | "svg" | "html" | "trace".
const char* format_name(Format format);
/// The inverse of format_name; throws std::invalid_argument naming the accepted values.
Format parse_format(const std::string& name);

class Reporter {
 public:
  virtual ~Reporter();
  /// The formats render() accepts, in the order they are listed in messages.
  virtual std::vector<Format> formats() const = 0;
  /// The whole document in `format` (ends with a newline where the format has lines). Throws
  /// std::invalid_argument naming the supported formats when `format` is not one of formats().
  virtual std::string render(Format format) const = 0;

 protected:
  /// Throws std::invalid_argument "<document> cannot be rendered as <format> (supported: table, csv, json, md)".
  [[noreturn]] void unsupported(const char* document, Format format) const;
};

}  // namespace rs
