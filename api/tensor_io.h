// Tensors in and out of the CLI and the API: NumPy .npy files (float32, C order) and images (PNG/JPEG via Debian's libstb-dev)
// with ImageNet preprocessing, plus the top-K of a classifier's output.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/kernel.h"

namespace rs::api {

/// Error reading or writing a tensor file; the message starts with the path.
class TensorIoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads a .npy file (format 1.0-3.0) holding little-endian float32 ('<f4') in C order, any rank >= 1.
/// Throws TensorIoError for a missing file, a bad magic or header, another dtype, fortran_order, or data shorter
/// or longer than the shape says.
HostTensor read_npy(const std::string& path);

/// Writes t as a .npy file (format 1.0, '<f4', C order; header padded to 64 bytes as NumPy does) with write_file()
/// (atomic, "roofscope: wrote PATH" on stderr); throws std::runtime_error when it cannot.
void write_npy(const std::string& path, const HostTensor& t);

/// torchvision's ImageNet evaluation transform, on an image file stb_image reads (PNG, JPEG, BMP, ...):
/// RGB; resize so the shorter side is `resize` px (aspect kept, longer side floor(resize * long / short)) with
/// PIL's bilinear resampling (antialiased when shrinking, 8-bit intermediate: what torchvision's Resize does on a
/// PIL image); centre crop `crop` x `crop` (offset round((size - crop) / 2), half to even); x / 255, then
/// (x - mean) / std per channel with mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).
/// Returns [1, 3, crop, crop] float32 NCHW. Throws TensorIoError when the file cannot be decoded or is smaller than
/// the crop after resizing.
HostTensor load_imagenet_image(const std::string& path, int resize = 256, int crop = 224);

/// One entry of a top-K list.
struct TopEntry {
  std::int64_t index = 0;  ///< class index along the last axis
  float score = 0.f;       ///< the output value (e.g. a logit)
  float prob = 0.f;        ///< softmax over that row of the output, in [0, 1]
};

/// Top-k classes of each row of `output` viewed as [dims[0], numel / dims[0]], highest score first (ties: lower
/// index first). k is clamped to the row length.
std::vector<std::vector<TopEntry>> top_k(const HostTensor& output, int k);

}  // namespace rs::api
