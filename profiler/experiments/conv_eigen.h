// Two convolutions without oneDNN, for `roofscope experiment software-impl` (seed 001 §III.3: the same op in three
// implementations against the same roof): im2col + one Eigen GEMM per image, and direct naive loops. Standalone
// functions on plain NCHW f32 buffers, not registry kernels. Dense convolution (groups = 1) only.
//   src [N, C_in, H, W], weights [C_out, C_in, KH, KW] (OIHW), bias [C_out] (optional) -> dst [N, C_out, OH, OW],
//   dst[n][oc][oh][ow] = bias[oc] + sum_{ic,y,x} src[n][ic][oh*sh - pad_t + y*dh][ow*sw - pad_l + x*dw] *
//   weights[oc][ic][y][x], taps in the padding skipped (ConvGeometry in kernels/post_ops.h gives the geometry).
#pragma once
#include <cstddef>
#include <vector>

#include "kernels/post_ops.h"

namespace rs {

/// im2col + GEMM: per image, col [C_in*KH*KW, OH*OW] (0 where a tap falls in the padding), then
/// dst_n [C_out, OH*OW] = weights [C_out, C_in*KH*KW] x col with Eigen (row-major maps, no copies of weights or dst).
/// Eigen's GEMM and the im2col loop use the OpenMP threads (omp_get_max_threads()). The column buffer is allocated
/// once, at construction; run() allocates nothing.
class Im2colGemmConv {
 public:
  /// Throws std::invalid_argument when groups != 1 or a dimension is not positive.
  explicit Im2colGemmConv(const ConvGeometry& geometry);
  /// src: N*C_in*H*W floats, weights: C_out*C_in*KH*KW, bias: C_out or null, dst: N*C_out*OH*OW (written).
  void run(const float* src, const float* weights, const float* bias, float* dst);
  /// Size of the column buffer, bytes (C_in*KH*KW * OH*OW * 4).
  std::size_t col_bytes() const { return col_.size() * sizeof(float); }

 private:
  void im2col(const float* src_n);
  ConvGeometry g_;
  std::vector<float> col_;
};

/// Direct convolution as textbook loops (f32 accumulation, no blocking, no explicit SIMD), the (image, output
/// channel) pairs spread over the OpenMP threads. Same buffers as Im2colGemmConv::run. Throws std::invalid_argument
/// when groups != 1.
void conv2d_naive(const ConvGeometry& geometry, const float* src, const float* weights, const float* bias,
                  float* dst);

}  // namespace rs
