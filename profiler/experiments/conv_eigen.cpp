#include "profiler/experiments/conv_eigen.h"

#include <stdexcept>

#include <Eigen/Core>
#include <fmt/format.h>

namespace rs {

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void check_dense(const ConvGeometry& g, const char* who) {
  if (g.groups != 1) throw std::invalid_argument(fmt::format("{}: groups must be 1 (got {})", who, g.groups));
  const std::int64_t dims[] = {g.batch, g.in_c, g.in_h, g.in_w, g.out_c, g.out_h, g.out_w, g.kh, g.kw, g.sh, g.sw,
                               g.dh, g.dw};
  for (std::int64_t d : dims)
    if (d < 1)
      throw std::invalid_argument(fmt::format("{}: every dimension, stride and dilation must be >= 1 (src [{}, {}, "
                                              "{}, {}], dst [{}, {}, {}, {}], kernel {}x{})",
                                              who, g.batch, g.in_c, g.in_h, g.in_w, g.batch, g.out_c, g.out_h,
                                              g.out_w, g.kh, g.kw));
}

}  // namespace

Im2colGemmConv::Im2colGemmConv(const ConvGeometry& geometry) : g_(geometry) {
  check_dense(g_, "im2col conv");
  col_.assign(static_cast<std::size_t>(g_.in_c * g_.kh * g_.kw * g_.out_h * g_.out_w), 0.f);
}

void Im2colGemmConv::im2col(const float* src_n) {
  const std::int64_t rows = g_.in_c * g_.kh * g_.kw, plane = g_.out_h * g_.out_w;
#pragma omp parallel for schedule(static)
  for (std::int64_t row = 0; row < rows; ++row) {
    const std::int64_t c = row / (g_.kh * g_.kw), y = row / g_.kw % g_.kh, x = row % g_.kw;
    const float* in = src_n + c * g_.in_h * g_.in_w;
    float* out = col_.data() + row * plane;
    for (std::int64_t oh = 0; oh < g_.out_h; ++oh) {
      const std::int64_t ih = oh * g_.sh - g_.pad_t + y * g_.dh;
      for (std::int64_t ow = 0; ow < g_.out_w; ++ow) {
        const std::int64_t iw = ow * g_.sw - g_.pad_l + x * g_.dw;
        const bool inside = ih >= 0 && ih < g_.in_h && iw >= 0 && iw < g_.in_w;
        out[oh * g_.out_w + ow] = inside ? in[ih * g_.in_w + iw] : 0.f;
      }
    }
  }
}

void Im2colGemmConv::run(const float* src, const float* weights, const float* bias, float* dst) {
  const std::int64_t k = g_.in_c * g_.kh * g_.kw, plane = g_.out_h * g_.out_w;
  const Eigen::Map<const RowMajor> w(weights, g_.out_c, k);
  const Eigen::Map<const RowMajor> col(col_.data(), k, plane);
  for (std::int64_t n = 0; n < g_.batch; ++n) {
    im2col(src + n * g_.in_c * g_.in_h * g_.in_w);
    Eigen::Map<RowMajor> out(dst + n * g_.out_c * plane, g_.out_c, plane);
    out.noalias() = w * col;
    if (bias != nullptr)
      for (std::int64_t oc = 0; oc < g_.out_c; ++oc) out.row(oc).array() += bias[oc];
  }
}

void conv2d_naive(const ConvGeometry& g, const float* src, const float* weights, const float* bias, float* dst) {
  check_dense(g, "naive conv");
#pragma omp parallel for collapse(2) schedule(static)
  for (std::int64_t n = 0; n < g.batch; ++n)
    for (std::int64_t oc = 0; oc < g.out_c; ++oc)
      for (std::int64_t oh = 0; oh < g.out_h; ++oh)
        for (std::int64_t ow = 0; ow < g.out_w; ++ow) {
          float acc = bias != nullptr ? bias[oc] : 0.f;
          for (std::int64_t ic = 0; ic < g.in_c; ++ic)
            for (std::int64_t y = 0; y < g.kh; ++y) {
              const std::int64_t ih = oh * g.sh - g.pad_t + y * g.dh;
              if (ih < 0 || ih >= g.in_h) continue;
              for (std::int64_t x = 0; x < g.kw; ++x) {
                const std::int64_t iw = ow * g.sw - g.pad_l + x * g.dw;
                if (iw < 0 || iw >= g.in_w) continue;
                acc += src[((n * g.in_c + ic) * g.in_h + ih) * g.in_w + iw] *
                       weights[((oc * g.in_c + ic) * g.kh + y) * g.kw + x];
              }
            }
          dst[((n * g.out_c + oc) * g.out_h + oh) * g.out_w + ow] = acc;
        }
}

}  // namespace rs
