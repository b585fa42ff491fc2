// Internal to the experiments: the twelve definitions (one factory each, in the files named below) and the helpers
// they share to build arms and to turn measured arms into comparisons. Not part of the public experiment API.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kernels/kernel.h"
#include "profiler/experiments/experiment.h"

namespace rs::experiment_set {

Experiment flops_vs_latency();        // experiment_models.cpp
Experiment batch_size();              // experiment_models.cpp
Experiment dwconv_vs_conv();          // experiment_ops.cpp
Experiment channel_alignment();       // experiment_ops.cpp
Experiment kernel_shape();            // experiment_ops.cpp
Experiment transcendental_eltwise();  // experiment_ops.cpp
Experiment roofline_regimes();        // experiment_regimes.cpp
Experiment fusion_order();            // experiment_graphs.cpp
Experiment deep_vs_wide();            // experiment_graphs.cpp
Experiment memory_pool();             // experiment_runtime.cpp
Experiment thread_binding();          // experiment_runtime.cpp
Experiment software_impl();           // experiment_software.cpp
Experiment predict_latency();         // experiment_predict.cpp

/// The value for a scale.
template <typename T>
T by_scale(Scale s, T tiny, T quick, T full) {
  return s == Scale::Tiny ? tiny : s == Scale::Quick ? quick : full;
}

/// Deterministic tensor of `dims` with values uniform in [-1, 1) (SplitMix64 of `seed`): ordinary magnitudes, no
/// zeros or denormals to take slow paths.
HostTensor random_tensor(const Dims& dims, std::uint64_t seed);

/// One 2-D convolution: src [n, c_in, h, w] -> dst [n, c_out, OH, OW] with a square kernel, stride, pad (all four
/// sides), dilation and groups, no bias.
struct ConvShape {
  std::int64_t n = 1, c_in = 1, h = 1, w = 1, c_out = 1;
  std::int64_t kernel = 3, stride = 1, pad = 0, dilation = 1, groups = 1;
  ConvAttrs attrs() const;
  /// "3x3 s2 p1" (+ " d2" when dilated, + " g64" when grouped).
  std::string label() const;
};

/// Input height giving output `out` for this kernel/stride/pad/dilation: (out - 1) * stride + dilation * (kernel - 1)
/// + 1 - 2 * pad (the smallest such input). Throws std::invalid_argument when it is < 1.
std::int64_t input_size_for_output(std::int64_t out, std::int64_t kernel, std::int64_t stride, std::int64_t pad,
                                   std::int64_t dilation);

/// Graph `name` with input "src", one Conv node "conv" (weights He-uniform from `seed`) as the output.
/// Shapes inferred; throws GraphError when the shape is impossible.
Graph conv_graph(const std::string& name, const ConvShape& shape, std::uint64_t seed = 1);
/// Graph `name` with input "src" of `dims` and one Eltwise node "eltwise" as the output.
Graph eltwise_graph(const std::string& name, const Dims& dims, const EltwiseAttrs& attrs);

/// A graph arm timing only node `focus` ("" = end to end).
ArmSpec graph_arm(std::string name, std::string detail, Graph graph, std::string focus = "");

/// The measured arm named `name`; throws std::logic_error naming the experiment when there is none.
const ArmResult& arm(const ExperimentResult& result, const std::string& name);
/// 95% CI of the median time of `a`, in seconds.
Interval time_s(const ArmResult& a);
/// ... per FLOP of the arm, in picoseconds per FLOP (NaN when it has no FLOPs).
Interval ps_per_flop(const ArmResult& a);
/// ... as efficiency t_roof_measured / t (unitless; bounds swapped, as a decreasing map of time).
Interval efficiency(const ArmResult& a);
/// The comparison "t(a)" < "t(b)" of time_s() of the arms named a and b (arm(): throws when one is missing).
Comparison faster(const ExperimentResult& result, const std::string& a, const std::string& b);

/// Appends an extra column to the arm table, with cell value(arm) for every arm.
void add_column(ExperimentResult& result, Column column, const std::function<Cell(const ArmResult&)>& value);
/// The common extra column "ps/FLOP" (median time per FLOP, picoseconds).
void add_ps_per_flop_column(ExperimentResult& result);

/// combine() of the verdicts of result.comparisons.
Verdict combined(const ExperimentResult& result);
/// verdict = combine(comparisons' verdicts); explanation = the sentence given.
void decide(ExperimentResult& result, std::string explanation);

/// The phrase matching the verdict.
std::string by_verdict(Verdict v, std::string holds, std::string does_not_hold, std::string inconclusive);
/// x with `decimals` decimals, or "n/a" when not finite (explanations never show "nan").
std::string fixed(double x, int decimals);
/// x with 3 significant digits, or "n/a".
std::string sig3(double x);
/// "3.2x" with 3 significant digits; "n/a" when not finite.
std::string times(double ratio);
/// "12.3%" of a fraction; "n/a" when not finite.
std::string percent(double fraction);

}  // namespace rs::experiment_set
