// The diagnosis block above every profile (table, Markdown, HTML, JSON key "diagnosis"): op time and loss grouped
// by op kind and by implementation, the reorders' share, and the largest findings in plain words with their numbers
// and op names (fallback kernels, reorders, memory-bound ops far below their cache roof, OS events, noise), as
// PyTorch's key_averages and OpenVINO's -pc group a profile. A pure function of the ModelProfile: no measurement.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "profiler/roofline/roofline.h"

namespace rs {

/// t_actual median - the best known roof (theoretical, else measured; 0 when neither is known), seconds: what
/// `--sort loss` orders by and the groups add up.
double op_loss_s(const OpProfile& op);

/// True when `op` runs on a fallback kernel: a reference implementation ("ref:..."), or a convolution
/// (Conv/Deconv) computed by im2col + GEMM ("gemm:..."), far from the direct/brgemm kernels oneDNN has for it.
bool is_fallback_kernel(const OpProfile& op);

/// The ops of one op kind or one implementation.
struct OpGroup {
  std::string key;    ///< op kind ("Conv", "Reorder") or implementation ("brgconv:avx512_core"); "other" for the rest
  int ops = 0;
  double time_s = 0;  ///< sum of t_actual medians
  double share = 0;   ///< time_s / the op time of the whole model, in [0, 1]
  double loss_s = 0;  ///< sum of op_loss_s
};

/// One finding: a sentence with its numbers and up to 3 op names, and the time it concerns (for ranking).
struct Finding {
  std::string kind;  ///< "fallback" | "reorders" | "memory_bound" | "os" | "noise"
  std::string text;  ///< e.g. "10 ops run on fallback kernels (gemm:jit x10): 62.0% of op time (12.3 ms), ..."
  double time_s = 0;
  std::vector<std::string> ops;  ///< the ops it names, largest time first (all of them; the text names 3)
};

struct Diagnosis {
  double op_time_s = 0;          ///< sum of every op's t_actual median
  std::vector<OpGroup> by_kind;  ///< largest time first; at most kMaxGroups rows, the rest as "other"
  std::vector<OpGroup> by_impl;
  int reorders = 0;              ///< reorder ops (layout conversions) and their time
  double reorder_time_s = 0;
  double reorder_share = 0;      ///< of op_time_s, in [0, 1]
  std::vector<Finding> findings; ///< every finding, largest time_s first; the renderers show kShownFindings
};

constexpr std::size_t kMaxGroups = 6;
constexpr std::size_t kShownFindings = 3;
/// A memory-bound op "far below its cache roof": efficiency_cache under this.
constexpr double kFarBelowRoof = 0.5;
/// End-to-end CV above this is noise worth a finding (as the profile's warnings say).
constexpr double kNoisyCv = 0.03;

Diagnosis diagnose(const ModelProfile& p);

/// "diagnosis" lines (the shown findings, numbered) and the two group tables, wrapped to `width` display columns;
/// ends with a newline.
std::string diagnosis_text(const Diagnosis& d, std::size_t width);
/// "## Diagnosis": the findings as a numbered list and the two group tables.
std::string diagnosis_markdown(const Diagnosis& d);
/// {"op_time_s", "reorders": {"count", "time_s", "share"}, "by_kind": [{"key", "ops", "time_s", "share", "loss_s"}],
/// "by_impl": [...], "findings": [{"kind", "text", "time_s", "ops"}]}: every finding, ranked.
nlohmann::json diagnosis_json(const Diagnosis& d);
/// <section id="diagnosis">: the shown findings as an <ol class="findings"> and the reorder line, HTML-escaped. The
/// groups are the page's interactive group-by view (html_report.cpp), not repeated here.
std::string diagnosis_html(const ModelProfile& p);

}  // namespace rs
