// .npy (NumPy format spec: numpy.org/doc/stable/reference/generated/numpy.lib.format.html) and image input.
#include "api/tensor_io.h"

#include "api/common.h"

#include "graph/files.h"

#include <stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <memory>
#include <numeric>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace rs::api {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;

[[noreturn]] void fail(const std::string& path, const std::string& what) { throw TensorIoError(path + ": " + what); }

std::string read_all(const std::string& path) {
  try {
    return read_regular_file(path, std::uint64_t{1} << 32, "a .npy tensor");  // 4 GiB: a billion floats
  } catch (const FileReadError& e) {
    throw TensorIoError(e.what());
  }
}

/// The value text of `key` in the header dict ("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }").
std::string header_field(const std::string& path, const std::string& header, const std::string& key) {
  const std::size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) fail(path, fmt::format("npy header has no '{}' (header: {})", key, header));
  std::size_t v = header.find(':', k);
  if (v == std::string::npos) fail(path, "malformed npy header: " + header);
  ++v;
  while (v < header.size() && header[v] == ' ') ++v;
  const std::size_t end = header[v] == '(' ? header.find(')', v) + 1 : header.find_first_of(",}", v);
  if (end == std::string::npos || end == 0) fail(path, "malformed npy header: " + header);
  return header.substr(v, end - v);
}

Dims parse_shape(const std::string& path, const std::string& tuple) {
  if (tuple.size() < 2 || tuple.front() != '(' || tuple.back() != ')') fail(path, "malformed npy shape " + tuple);
  Dims dims;
  std::stringstream s(tuple.substr(1, tuple.size() - 2));
  std::string item;
  while (std::getline(s, item, ',')) {
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    if (item.empty()) continue;
    if (!std::all_of(item.begin(), item.end(), ::isdigit)) fail(path, "malformed npy shape " + tuple);
    dims.push_back(std::stoll(item));
  }
  if (dims.empty()) fail(path, "a 0-d (scalar) array is not a tensor input");
  return dims;
}

/// An 8-bit RGB image, rows of width * 3 bytes.
struct Rgb8 {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;
};

/// PIL's ImagingResample with the BILINEAR filter (Pillow src/libImaging/Resample.c), which torchvision's Resize
/// calls: per output pixel a triangle filter over support = max(in / out, 1) input pixels (antialiasing when
/// shrinking), weights normalized and held in 22-bit fixed point, result rounded and clipped to 8 bits; horizontal
/// pass first, then vertical, through an 8-bit intermediate image. (stb_image_resize's triangle filter aborts on an
/// assert for some ratios: nothings/stb#1449.)
class BilinearResampler {
 public:
  BilinearResampler(int in, int out) {
    const double scale = static_cast<double>(in) / out, filterscale = std::max(scale, 1.0), support = filterscale;
    for (int xx = 0; xx < out; ++xx) {
      const double center = (xx + 0.5) * scale;
      const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
      const int xmax = std::min(static_cast<int>(center + support + 0.5), in);
      std::vector<double> w;
      double sum = 0;
      for (int x = xmin; x < xmax; ++x) {
        const double t = std::fabs((x - center + 0.5) / filterscale);
        w.push_back(t < 1.0 ? 1.0 - t : 0.0);
        sum += w.back();
      }
      first_.push_back(xmin);
      weights_.emplace_back();
      for (double v : w) {
        const double k = (sum != 0 ? v / sum : 0) * (1 << kBits);
        weights_.back().push_back(static_cast<std::int32_t>(k < 0 ? k - 0.5 : k + 0.5));
      }
    }
  }
  /// Output sample xx from input samples at src[first * stride], src[(first + 1) * stride], ...
  std::uint8_t sample(int xx, const std::uint8_t* src, std::size_t stride) const {
    std::int64_t acc = std::int64_t{1} << (kBits - 1);
    const auto& w = weights_[static_cast<std::size_t>(xx)];
    const std::uint8_t* p = src + static_cast<std::size_t>(first_[static_cast<std::size_t>(xx)]) * stride;
    for (std::size_t i = 0; i < w.size(); ++i) acc += p[i * stride] * static_cast<std::int64_t>(w[i]);
    return static_cast<std::uint8_t>(std::clamp<std::int64_t>(acc >> kBits, 0, 255));
  }

 private:
  static constexpr int kBits = 32 - 8 - 2;  // Pillow's PRECISION_BITS
  std::vector<int> first_;
  std::vector<std::vector<std::int32_t>> weights_;
};

Rgb8 resize_bilinear(const Rgb8& in, int width, int height) {
  const BilinearResampler horizontal(in.width, width), vertical(in.height, height);
  Rgb8 tmp{width, in.height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * in.height * 3)};
  for (int y = 0; y < in.height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c)
        tmp.pixels[(static_cast<std::size_t>(y) * width + x) * 3 + c] =
            horizontal.sample(x, &in.pixels[static_cast<std::size_t>(y) * in.width * 3 + c], 3);
  Rgb8 out{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height * 3)};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 3; ++c)
        out.pixels[(static_cast<std::size_t>(y) * width + x) * 3 + c] =
            vertical.sample(y, &tmp.pixels[static_cast<std::size_t>(x) * 3 + c], static_cast<std::size_t>(width) * 3);
  return out;
}

}  // namespace

HostTensor read_npy(const std::string& path) {
  const std::string bytes = read_all(path);
  if (bytes.size() < kMagicLen + 4 || bytes.compare(0, kMagicLen, kMagic, kMagicLen) != 0)
    fail(path, "not a .npy file (no \\x93NUMPY magic)");
  const auto major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8;
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail(path, "truncated npy header");
    for (int i = 3; i >= 0; --i) header_len = header_len << 8 | static_cast<unsigned char>(bytes[8 + static_cast<std::size_t>(i)]);
    offset = 12;
  } else {
    fail(path, fmt::format("npy format version {} is not supported (1-3)", major));
  }
  if (bytes.size() < offset + header_len) fail(path, "truncated npy header");
  const std::string header = bytes.substr(offset, header_len);
  const std::string descr = header_field(path, header, "descr");
  if (descr != "'<f4'" && descr != "'float32'")
    fail(path, fmt::format("dtype {} is not supported: float32 ('<f4') only (x.astype(numpy.float32))", descr));
  if (header_field(path, header, "fortran_order") != "False")
    fail(path, "fortran_order arrays are not supported (save numpy.ascontiguousarray(x))");
  HostTensor t{parse_shape(path, header_field(path, header, "shape")), {}};
  const std::size_t n = static_cast<std::size_t>(numel(t.dims));
  const std::size_t data_bytes = bytes.size() - offset - header_len;
  if (data_bytes != n * sizeof(float))
    fail(path, fmt::format("holds {} bytes of data, shape {} needs {} (truncated?)", data_bytes, dims_str(t.dims),
                           n * sizeof(float)));
  t.data.resize(n);
  std::memcpy(t.data.data(), bytes.data() + offset + header_len, data_bytes);
  return t;
}

void write_npy(const std::string& path, const HostTensor& t) {
  std::string shape;
  for (auto d : t.dims) shape += (shape.empty() ? "" : ", ") + std::to_string(d);
  shape = "(" + shape + (t.dims.size() == 1 ? ",)" : ")");  // a 1-tuple keeps its comma: "(5,)"
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  const std::size_t total = kMagicLen + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string bytes(kMagic, kMagicLen);
  bytes += {1, 0};  // version 1.0
  bytes += {static_cast<char>(header.size() & 0xff), static_cast<char>(header.size() >> 8)};
  bytes += header;
  bytes.append(reinterpret_cast<const char*>(t.data.data()), t.data.size() * sizeof(float));
  write_file(path, bytes, "a .npy tensor");  // atomic, and said on stderr
}

HostTensor load_imagenet_image(const std::string& path, int resize, int crop) {
  int w = 0, h = 0, channels = 0;
  std::string bytes;
  try {
    bytes = read_regular_file(path, 256u << 20, "an image");
  } catch (const FileReadError& e) {
    throw TensorIoError(e.what());
  }
  const std::unique_ptr<unsigned char, void (*)(void*)> rgb(
      stbi_load_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), &w,
                            &h, &channels, 3),
      stbi_image_free);
  if (!rgb) fail(path, fmt::format("cannot decode the image ({}; PNG, JPEG, BMP, GIF, TGA are supported)",
                                   stbi_failure_reason()));
  const bool wide = w > h;
  const int short_side = wide ? h : w, long_side = wide ? w : h;
  const int new_long = static_cast<int>(static_cast<std::int64_t>(resize) * long_side / short_side);
  const int rw = wide ? new_long : resize, rh = wide ? resize : new_long;
  if (rw < crop || rh < crop) fail(path, fmt::format("resized to {}x{}, smaller than the crop {}", rw, rh, crop));
  Rgb8 image{w, h, std::vector<std::uint8_t>(rgb.get(), rgb.get() + static_cast<std::size_t>(w) * h * 3)};
  if (rw != w || rh != h) image = resize_bilinear(image, rw, rh);
  const std::vector<std::uint8_t>& resized = image.pixels;
  const int top = static_cast<int>(std::nearbyint((rh - crop) / 2.0));  // Python round(): half to even
  const int left = static_cast<int>(std::nearbyint((rw - crop) / 2.0));
  static const float kMean[3] = {0.485f, 0.456f, 0.406f}, kStd[3] = {0.229f, 0.224f, 0.225f};
  HostTensor t{{1, 3, crop, crop}, std::vector<float>(static_cast<std::size_t>(3 * crop * crop))};
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < crop; ++y)
      for (int x = 0; x < crop; ++x) {
        const unsigned char v = resized[(static_cast<std::size_t>(top + y) * rw + static_cast<std::size_t>(left + x)) * 3 + c];
        t.data[(static_cast<std::size_t>(c) * crop + y) * crop + x] = (v / 255.f - kMean[c]) / kStd[c];
      }
  return t;
}

std::vector<std::vector<TopEntry>> top_k(const HostTensor& output, int k) {
  const std::int64_t rows = output.dims.empty() ? 1 : output.dims[0];
  const std::int64_t cols = rows > 0 ? static_cast<std::int64_t>(output.data.size()) / rows : 0;
  std::vector<std::vector<TopEntry>> out;
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* row = output.data.data() + r * cols;
    const float mx = *std::max_element(row, row + cols);
    double sum = 0;
    for (std::int64_t i = 0; i < cols; ++i) sum += std::exp(double(row[i]) - mx);
    std::vector<std::int64_t> idx(static_cast<std::size_t>(cols));
    std::iota(idx.begin(), idx.end(), 0);
    const auto kk = static_cast<std::size_t>(std::clamp<std::int64_t>(k, 0, cols));
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(kk), idx.end(),
                      [&](std::int64_t a, std::int64_t b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
    std::vector<TopEntry> entries;
    for (std::size_t i = 0; i < kk; ++i)
      entries.push_back({idx[i], row[idx[i]], static_cast<float>(std::exp(double(row[idx[i]]) - mx) / sum)});
    out.push_back(std::move(entries));
  }
  return out;
}

}  // namespace rs::api
