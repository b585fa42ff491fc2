// Features of a fused op from the graph and the roofs (issue 11).
#include "profiler/roofline/predict_features.h"

#include <algorithm>
#include <cmath>

#include "graph/cost.h"
#include "graph/op_registry.h"

namespace rs {

const char* const kFeatureNames[kFeatCount] = {
    "kind",        "post_ops",    "binary_post_ops", "batch",          "c_in",        "c_out",
    "h_in",        "w_in",        "h_out",           "w_out",          "kh",          "kw",
    "stride",      "groups",      "c_in_per_group",  "log2_flops",     "log2_bytes",  "log2_weight_bytes",
    "intensity",   "cache_level", "log2_ws_over_l2", "log2_roof_cache_us", "log2_roof_dram_us", "threads",
    "c_in_mod16",  "c_out_mod16", "log2_model_weight_bytes", "log2_model_bytes",
    "producer_kind", "clock_ghz"};

std::string op_kind_key(const std::string& label) {
  const std::size_t end = label.find_first_of("+(");
  return end == std::string::npos ? label : label.substr(0, end);
}

namespace {

/// dims[i], or 1 when the tensor has fewer dims.
float dim_or_one(const Dims& dims, std::size_t i) { return i < dims.size() ? static_cast<float>(dims[i]) : 1.f; }

float log2p(double x) { return static_cast<float>(std::log2(1.0 + std::max(0.0, x))); }

/// log2 of seconds in microseconds; -20 for an unknown (NaN) or zero time.
float log2_us(double t_s) { return std::isfinite(t_s) && t_s > 0 ? static_cast<float>(std::log2(t_s * 1e6)) : -20.f; }

/// The first input that is no constant (the op's activation), or -1.
int activation(const Graph& g, const Node& n) {
  for (int v : n.inputs)
    if (!g.value(v).is_constant()) return v;
  return -1;
}

/// Bytes of the op's weights (its second input, f32); 0 for an op without.
double weight_bytes(const Graph& g, const Node& n) {
  if (!op_info(n.kind).weighted || n.inputs.size() < 2) return 0;
  return 4.0 * static_cast<double>(numel(g.value(n.inputs[1]).desc.dims));
}

/// kFeatKind of a node: its OpKind, + 0.5 for a depthwise conv.
float kind_feature(const Graph& g, const Node& n) {
  return static_cast<float>(n.kind) + (op_kind_key(op_label(g, n)) == "DwConv" ? 0.5f : 0.f);
}

void shape_features(const Graph& g, const Node& n, std::vector<float>& x) {
  const int a = activation(g, n);
  const int producer = a >= 0 ? g.value(a).producer : -1;
  x[kFeatProducerKind] = producer >= 0 ? kind_feature(g, g.node(producer)) : -1.f;
  const Dims src = a >= 0 ? g.value(a).desc.dims : Dims{};
  const Dims& dst = g.value(n.outputs.at(0)).desc.dims;
  x[kFeatBatch] = dim_or_one(src.empty() ? dst : src, 0);
  x[kFeatCin] = dim_or_one(src, 1);
  x[kFeatCout] = dim_or_one(dst, 1);
  x[kFeatHin] = dim_or_one(src, 2);
  x[kFeatWin] = dim_or_one(src, 3);
  x[kFeatHout] = dim_or_one(dst, 2);
  x[kFeatWout] = dim_or_one(dst, 3);
  x[kFeatKh] = x[kFeatKw] = x[kFeatStride] = x[kFeatGroups] = 1.f;
  if (n.kind == OpKind::Conv || n.kind == OpKind::Deconv) {
    const auto& c = n.attr<ConvAttrs>();
    x[kFeatKh] = static_cast<float>(c.kernel[0]);
    x[kFeatKw] = static_cast<float>(c.kernel[1]);
    x[kFeatStride] = static_cast<float>(c.stride[0]);
    x[kFeatGroups] = static_cast<float>(c.groups);
  } else if (n.kind == OpKind::MaxPool || n.kind == OpKind::AvgPool) {
    const auto& p = n.attr<PoolAttrs>();
    x[kFeatKh] = static_cast<float>(p.kernel[0]);
    x[kFeatKw] = static_cast<float>(p.kernel[1]);
    x[kFeatStride] = static_cast<float>(p.stride[0]);
  }
  x[kFeatCinPerGroup] = x[kFeatCin] / x[kFeatGroups];
  x[kFeatCinMod16] = std::fmod(x[kFeatCin], 16.f);
  x[kFeatCoutMod16] = std::fmod(x[kFeatCout], 16.f);
  x[kFeatLog2WeightBytes] = log2p(weight_bytes(g, n));
}

/// Cost, roofline and cache features; fills f.flops, f.bytes, f.t_roof_s.
void cost_features(const Graph& g, const Node& n, const Roofs& roofs, OpFeatures& f) {
  OpProfile op;
  op.cost = op_cost(g, n);
  predict(op, roofs);
  f.flops = static_cast<double>(op.cost.flops);
  f.bytes = static_cast<double>(op.cost.bytes);
  f.t_roof_s = op.t_roof_cache_s;
  std::vector<float>& x = f.x;
  x[kFeatLog2Flops] = log2p(f.flops);
  x[kFeatLog2Bytes] = log2p(f.bytes);
  x[kFeatIntensity] = static_cast<float>(op.cost.intensity());
  x[kFeatCacheLevel] = 3.f;
  for (std::size_t i = 0; i < roofs.caches.size(); ++i)
    if (roofs.caches[i].level == op.cache_level) x[kFeatCacheLevel] = static_cast<float>(i);
  double l2 = 0;
  for (const CacheRoof& c : roofs.caches)
    if (c.level == "L2") l2 = static_cast<double>(c.capacity_bytes);
  x[kFeatLog2WsOverL2] = l2 > 0 ? static_cast<float>(std::log2(std::max(1.0, f.bytes) / l2)) : 0.f;
  x[kFeatLog2RoofCache] = log2_us(op.t_roof_cache_s);
  x[kFeatLog2RoofDram] = log2_us(op.t_roof_measured_s);
  x[kFeatThreads] = static_cast<float>(roofs.threads);
}

/// Sets the model-context features of every op of one model: its weight bytes `model_weight_bytes` and the sum of
/// its ops' bytes moved.
void add_model_features(std::vector<OpFeatures>& ops, double model_weight_bytes) {
  double bytes = 0;
  for (const OpFeatures& f : ops) bytes += f.bytes;
  for (OpFeatures& f : ops) {
    f.x[kFeatLog2ModelWeightBytes] = log2p(model_weight_bytes);
    f.x[kFeatLog2ModelBytes] = log2p(bytes);
  }
}

}  // namespace

void set_clock_feature(std::vector<OpFeatures>& ops, double ghz) {
  for (OpFeatures& f : ops) f.x[kFeatClockGhz] = static_cast<float>(std::max(0.0, ghz));
}

std::vector<OpFeatures> graph_features(const Graph& graph, const Roofs& roofs) {
  std::vector<OpFeatures> out;
  double model_weight_bytes = 0;
  for (int id : graph.live_nodes()) {
    const Node& n = graph.node(id);
    model_weight_bytes += weight_bytes(graph, n);
    OpFeatures f;
    f.name = n.name;
    f.label = op_label(graph, n);
    f.kind = op_kind_key(f.label);
    f.x[kFeatKind] = kind_feature(graph, n);
    f.x[kFeatPostOps] = static_cast<float>(n.post_ops.size());
    for (const PostOp& p : n.post_ops)
      if (p.kind == PostOp::Kind::Binary) f.x[kFeatBinaryPost] += 1.f;
    shape_features(graph, n, f.x);
    cost_features(graph, n, roofs, f);
    out.push_back(std::move(f));
  }
  add_model_features(out, model_weight_bytes);
  return out;
}

}  // namespace rs
