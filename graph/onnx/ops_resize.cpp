// ONNX Resize (opsets 10-17) and Upsample (opsets 7-9) -> IR Resize on H and W of an NCHW tensor (N and C
// unscaled). Semantics: onnx.ai/onnx/operators/onnx__Resize and onnx__Upsample. Resize-10 and Upsample have no
// coordinate_transformation_mode: they are Resize-11 with `asymmetric` coordinates and, for nearest, `floor`
// rounding (the ONNX version converter's mapping), by scales only.
#include <algorithm>
#include <cmath>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "graph/onnx/context.h"

namespace rs::onnx_detail {

namespace {

/// `mode` (nearest | linear) into `a`; unsupported values fail naming the node.
void resize_mode(NodeContext& c, ResizeAttrs& a) {
  const std::string mode = c.attr_string("mode", "nearest");
  if (mode != "nearest" && mode != "linear") c.unsupported(fmt::format("mode '{}' is not supported (nearest, linear)", mode));
  a.mode = mode == "linear" ? ResizeMode::Linear : ResizeMode::Nearest;
}

/// Resize-11+: coordinate_transformation_mode and nearest_mode into `a`; unsupported values fail naming the node.
void resize_transform(NodeContext& c, ResizeAttrs& a) {
  const std::string coord = c.attr_string("coordinate_transformation_mode", "half_pixel");
  const std::pair<const char*, ResizeCoord> coords[] = {{"half_pixel", ResizeCoord::HalfPixel},
      {"pytorch_half_pixel", ResizeCoord::PytorchHalfPixel}, {"align_corners", ResizeCoord::AlignCorners},
      {"asymmetric", ResizeCoord::Asymmetric}};
  const auto* ct = std::find_if(std::begin(coords), std::end(coords), [&](const auto& p) { return coord == p.first; });
  if (ct == std::end(coords))
    c.unsupported(fmt::format("coordinate_transformation_mode '{}' is not supported (half_pixel, pytorch_half_pixel, "
                              "align_corners, asymmetric)", coord));
  a.coord = ct->second;
  const std::string nearest = c.attr_string("nearest_mode", "round_prefer_floor");
  const std::pair<const char*, ResizeNearest> modes[] = {{"round_prefer_floor", ResizeNearest::RoundPreferFloor},
      {"round_prefer_ceil", ResizeNearest::RoundPreferCeil}, {"floor", ResizeNearest::Floor},
      {"ceil", ResizeNearest::Ceil}};
  const auto* nt = std::find_if(std::begin(modes), std::end(modes), [&](const auto& p) { return nearest == p.first; });
  if (nt == std::end(modes)) c.unsupported(fmt::format("nearest_mode '{}' is not supported", nearest));
  a.nearest = nt->second;
}

/// dst {H, W} and the transform's scales of `a` from 4 scales (dst = floor(src * scale)) or 4 sizes (scale =
/// size / src) of [N, C, H, W] `x`: exactly one of them non-empty. Fails naming the node for a wrong count, N or C
/// resized, an empty, negative or out-of-range output.
void resize_dims(NodeContext& c, const Dims& x, const std::vector<float>& scales, const std::vector<std::int64_t>& sizes,
                 ResizeAttrs& a) {
  const bool has_sizes = !sizes.empty();
  if ((has_sizes ? sizes.size() : scales.size()) != 4)
    c.fail(fmt::format("scales / sizes must have 4 entries (N, C, H, W) for input {}", dims_str(x)));
  if (has_sizes ? (sizes[0] != x[0] || sizes[1] != x[1]) : (scales[0] != 1.f || scales[1] != 1.f))
    c.unsupported(fmt::format("resizing N or C of {} is not supported (only H and W)", dims_str(x)));
  for (std::size_t i = 0; i < 2; ++i) {
    const double in = double(x[i + 2]);
    a.scale[i] = has_sizes ? double(sizes[i + 2]) / in : double(scales[i + 2]);
    const double scaled = std::floor(in * a.scale[i]);
    if (!has_sizes && !(scaled >= 0 && scaled < 2147483648.0))  // also NaN / inf: no cast out of range
      c.fail(fmt::format("scales give an output axis of {} elements (not in [0, 2^31)) from {}", scaled, dims_str(x)));
    a.size[i] = has_sizes ? sizes[i + 2] : static_cast<std::int64_t>(scaled);
    if (!(a.scale[i] > 0) || a.size[i] <= 0)
      c.fail(fmt::format("scales / sizes give an empty or negative output ({} from {})",
                         has_sizes ? fmt::format("{}", fmt::join(sizes, ", ")) : fmt::format("{}", fmt::join(scales, ", ")),
                         dims_str(x)));
  }
}

/// Resize-10 / Upsample: `asymmetric` coordinates, `floor` for nearest, by `scales`.
void add_legacy_resize(NodeContext& c, const std::vector<float>& scales) {
  const Dims x = nchw_input(c);
  ResizeAttrs a;
  resize_mode(c, a);
  a.coord = ResizeCoord::Asymmetric;
  a.nearest = ResizeNearest::Floor;
  resize_dims(c, x, scales, {}, a);
  c.set_output(0, c.add(OpKind::Resize, a, {c.activation(0)}));
}

/// Resize: opset 11+ inputs X, roi (ignored: only tf_crop_and_resize reads it), scales, sizes (exactly one of
/// scales / sizes non-empty, a load-time constant); modes nearest and linear; coordinate_transformation_mode
/// half_pixel (default), pytorch_half_pixel, align_corners, asymmetric; nearest_mode round_prefer_floor (default),
/// round_prefer_ceil, floor, ceil. Opset 10: inputs X, scales; mode only.
void convert_resize(NodeContext& c) {
  if (c.opset() < 11) return add_legacy_resize(c, c.constant(1, "scales").as_floats());
  const Dims x = nchw_input(c);
  ResizeAttrs a;
  resize_mode(c, a);
  resize_transform(c, a);
  if (c.attr_int("exclude_outside", 0) != 0) c.unsupported("exclude_outside = 1 is not supported");
  const bool has_scales = c.has_input(2) && c.constant(2, "scales").size() > 0;
  const bool has_sizes = c.has_input(3) && c.constant(3, "sizes").size() > 0;
  if (has_scales == has_sizes) c.fail("exactly one of scales and sizes must be given (non-empty)");
  resize_dims(c, x, has_scales ? c.constant(2, "scales").as_floats() : std::vector<float>{},
              has_sizes ? c.constant(3, "sizes").as_ints() : std::vector<std::int64_t>{}, a);
  c.set_output(0, c.add(OpKind::Resize, a, {c.activation(0)}));
}

/// Upsample (deprecated since opset 10): scales as the `scales` attribute (opsets 7-8) or input 1 (opset 9).
void convert_upsample(NodeContext& c) {
  if (c.opset() >= 10) c.unsupported("Upsample is deprecated from opset 10 (use Resize)");
  if (c.opset() == 9) {
    if (c.has_attr("scales")) c.fail("opset 9 Upsample takes its scales as input 1, not as an attribute");
    return add_legacy_resize(c, c.constant(1, "scales").as_floats());
  }
  if (!c.has_attr("scales")) c.fail("attribute 'scales' is required (Upsample before opset 9)");
  add_legacy_resize(c, c.attr_floats("scales", {}));
}

}  // namespace

const std::vector<Converter>& resize_converters() {
  static const std::vector<Converter> kConverters{
      {"Resize", {"coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "mode",
                  "nearest_mode"}, convert_resize},
      {"Upsample", {"mode", "scales"}, convert_upsample},
  };
  return kConverters;
}

}  // namespace rs::onnx_detail
