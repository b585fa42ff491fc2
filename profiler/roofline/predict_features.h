// Features of one fused op for latency prediction (issue 11), computed from the optimized graph and the machine's
// roofs only: nothing is compiled or run. The same function makes the training rows (ops timed in context of whole
// networks, profiler/roofline/predict_train.h) and the rows `roofscope predict` feeds its predictors.
#pragma once
#include <string>
#include <vector>

#include "graph/graph.h"
#include "profiler/roofline/roofline.h"

namespace rs {

/// Index of each numeric feature in OpFeatures::x (kFeatureNames gives the same order).
enum Feature : int {
  kFeatKind,          ///< OpKind as a number, + 0.5 for a depthwise conv (a categorical the trees split on)
  kFeatPostOps,       ///< fused post-ops
  kFeatBinaryPost,    ///< fused Binary post-ops (the residual Add)
  kFeatBatch,         ///< N of the first activation input
  kFeatCin,           ///< channels of the first activation input (1 for rank < 2)
  kFeatCout,          ///< channels of the output
  kFeatHin,           ///< H of the first input (1 for rank < 3)
  kFeatWin,
  kFeatHout,
  kFeatWout,
  kFeatKh,            ///< kernel (Conv/Deconv/pooling; 1 otherwise)
  kFeatKw,
  kFeatStride,        ///< stride along H (1 when none)
  kFeatGroups,        ///< conv groups (1 otherwise)
  kFeatCinPerGroup,
  kFeatLog2Flops,     ///< log2(1 + FLOPs)
  kFeatLog2Bytes,     ///< log2(1 + bytes moved), graph/cost.h
  kFeatLog2WeightBytes,
  kFeatIntensity,     ///< FLOP/byte
  kFeatCacheLevel,    ///< 0 L1, 1 L2, 2 L3, 3 DRAM: the smallest level holding the working set (profiler/roofline)
  kFeatLog2WsOverL2,  ///< log2(bytes / L2 capacity for the threads in use)
  kFeatLog2RoofCache, ///< log2 of the cache-aware roofline time in microseconds
  kFeatLog2RoofDram,  ///< log2 of the DRAM roofline time in microseconds
  kFeatThreads,
  kFeatCinMod16,      ///< C_in mod 16, C_out mod 16: blocked layouts pad channels to 8 or 16
  kFeatCoutMod16,
  kFeatLog2ModelWeightBytes,  ///< log2(1 + the whole model's weight bytes): between two runs of the model every op's
                              ///< weights are evicted by this much traffic, so it says whether they are still cached
  kFeatLog2ModelBytes,        ///< log2(1 + the whole model's bytes moved per run), the reuse distance of an op's data
  kFeatProducerKind,          ///< kFeatKind of the node making the activation input (-1: a graph input): whether
                              ///< the input arrives in the layout this op wants or through a reorder
  kFeatClockGhz,              ///< effective clock when the model ran (training) or now (predict), GHz; 0 unknown:
                              ///< a VM's host moves it by 10% within minutes (profiler/machine/clock.h)
  kFeatCount
};
extern const char* const kFeatureNames[kFeatCount];

/// One fused op as `roofscope predict` sees it.
struct OpFeatures {
  std::string name;   ///< node name
  std::string label;  ///< op label with post-ops, e.g. "Conv+Add+Relu" (graph/graph.h op_label)
  std::string kind;   ///< coverage key: the label's base op, e.g. "Conv", "DwConv", "MaxPool", "Relu"
  std::vector<float> x = std::vector<float>(kFeatCount, 0.f);  ///< Feature order
  double flops = 0;       ///< FLOPs of the op (graph/cost.h)
  double bytes = 0;       ///< bytes moved
  double t_roof_s = 0;    ///< cache-aware roofline time, seconds (profiler/roofline/roofline.h predict())
};

/// The coverage key of an op label: its part before the first '+' (and before '('), e.g. "Conv+Add+Relu" -> "Conv".
std::string op_kind_key(const std::string& label);

/// Sets kFeatClockGhz of every op to `ghz` (measure_clock(threads).ghz; 0 = unknown).
void set_clock_feature(std::vector<OpFeatures>& ops, double ghz);

/// Features of every live node of `graph` (optimized: BN folded, post-ops fused; shapes inferred), in topological
/// order, at `roofs` (roofs_for(machine, threads)) and batch = the first input's N; the clock feature unknown (0).
std::vector<OpFeatures> graph_features(const Graph& graph, const Roofs& roofs);

}  // namespace rs
