// Generated ResNet / MobileNet-v2 variants (models/variants.h).
#include "models/variants.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include <fmt/format.h>

#include "models/families.h"

namespace rs {

namespace {

using Family = VariantSpec::Family;

/// torchvision's _make_divisible(v * width, 8).
std::int64_t divisible8(double v) {
  std::int64_t r = std::max<std::int64_t>(8, static_cast<std::int64_t>(v + 4) / 8 * 8);
  if (10 * static_cast<double>(r) < 9 * v) r += 8;
  return r;
}

/// One ResNet block of `s` at `planes` (before expansion): conv(s) + BN (+ ReLU), + identity or 1x1 downsample, ReLU.
int resnet_block(GraphBuilder& b, int x, const VariantSpec& s, std::int64_t planes, std::int64_t stride,
                 const std::string& p) {
  const bool deep = s.family == Family::ResNetBottleneck;
  const std::int64_t out_c = deep ? 4 * planes : planes;
  int y = x;
  if (deep) y = b.conv_bn_act(y, planes, 1, 1, 1, Act::Relu, {p + ".conv1", p + ".bn1", p + ".relu1"});
  y = b.conv_bn_act(y, planes, s.kernel, stride, 1, Act::Relu, {p + ".conv2", p + ".bn2", p + ".relu2"});
  y = b.conv_bn_act(y, out_c, deep ? 1 : s.kernel, 1, 1, Act::None, {p + ".conv3", p + ".bn3", ""});
  int skip = x;
  if (stride != 1 || b.channels(x) != out_c)
    skip = b.conv_bn_act(x, out_c, 1, stride, 1, Act::None, {p + ".down.conv", p + ".down.bn", ""});
  return b.act(b.add(y, skip, p + ".add"), Act::Relu, p + ".out");
}

Graph resnet_variant(const VariantSpec& s, int batch) {
  GraphBuilder b(s.name(), 0);
  int x = b.input("input", {batch, 3, s.size, s.size});
  const std::int64_t stem = std::max<std::int64_t>(8, std::llround(64 * s.width));
  x = b.conv_bn_act(x, stem, 7, 2, 1, Act::Relu, {"stem.conv", "stem.bn", "stem.relu"});
  x = b.maxpool(x, 3, 2, 1, false, "stem.pool");
  for (int stage = 0; stage < 4; ++stage)
    for (int i = 0; i < s.depth[static_cast<std::size_t>(stage)]; ++i) {
      const std::int64_t planes = std::max<std::int64_t>(8, std::llround((64 << stage) * s.width));
      x = resnet_block(b, x, s, planes, stage > 0 && i == 0 ? 2 : 1, fmt::format("s{}.b{}", stage + 1, i));
    }
  x = models::pool_flatten(b, x, "avgpool");
  return b.finish(b.fc(x, 1000, "fc"));
}

/// MobileNet-v2 inverted residual with kernel k: [1x1 expand] -> kxk depthwise (stride) -> 1x1 project, + x.
int inverted_residual(GraphBuilder& b, int x, std::int64_t out_c, std::int64_t stride, std::int64_t t, int k,
                      const std::string& p) {
  const std::int64_t hidden = b.channels(x) * t;
  int y = x;
  if (t != 1) y = b.conv_bn_act(y, hidden, 1, 1, 1, Act::Relu6, seq_names(p + ".expand"));
  y = b.conv_bn_act(y, hidden, k, stride, hidden, Act::Relu6, seq_names(p + ".dw"));
  y = b.conv_bn_act(y, out_c, 1, 1, 1, Act::None, seq_names(p + ".project"));
  return stride == 1 && b.channels(x) == out_c ? b.add(x, y, p + ".add") : y;
}

Graph mobilenet_variant(const VariantSpec& s, int batch) {
  static const std::array<std::array<int, 2>, 7> kStages{{{16, 1}, {24, 2}, {32, 2}, {64, 2}, {96, 1}, {160, 2},
                                                          {320, 1}}};  // output channels, first stride
  GraphBuilder b(s.name(), 0);
  int x = b.input("input", {batch, 3, s.size, s.size});
  x = b.conv_bn_act(x, divisible8(32 * s.width), 3, 2, 1, Act::Relu6, seq_names("stem"));
  for (std::size_t st = 0; st < kStages.size(); ++st)
    for (int i = 0; i < s.depth[st]; ++i)
      x = inverted_residual(b, x, divisible8(kStages[st][0] * s.width), i == 0 ? kStages[st][1] : 1,
                            st == 0 ? 1 : s.expansion, s.kernel, fmt::format("s{}.b{}", st + 1, i));
  x = b.conv_bn_act(x, divisible8(1280 * std::max(1.0, s.width)), 1, 1, 1, Act::Relu6, seq_names("head"));
  x = models::pool_flatten(b, x, "avgpool");
  return b.finish(b.fc(x, 1000, "classifier"));
}

template <typename T, std::size_t N>
T pick(std::mt19937_64& rng, const std::array<T, N>& choices) {
  return choices[static_cast<std::size_t>(rng() % N)];
}

// The ranges of every field (sample_variants() draws from them, neighbour_variants() steps along them).
const std::array<int, 5> kSizes{96, 128, 160, 192, 224};
const std::array<int, 7> kMbv2BaseDepth{1, 2, 3, 4, 3, 3, 1};
const std::array<double, 5> kMbv2Widths{0.35, 0.5, 0.75, 1.0, 1.4};
const std::array<int, 4> kMbv2Expansions{2, 3, 4, 6};
const std::array<int, 3> kMbv2Kernels{3, 5, 7};
const std::array<double, 3> kMbv2DepthScales{0.5, 1.0, 1.5};
const std::array<double, 4> kResNetWidths{0.25, 0.5, 0.75, 1.0};
const std::array<int, 2> kResNetKernels{3, 5};

int resnet_most_blocks(Family f) { return f == Family::ResNetBottleneck ? 4 : 3; }

std::array<int, 7> mbv2_depth(double scale) {
  std::array<int, 7> d{};
  for (std::size_t i = 0; i < 7; ++i) d[i] = std::max(1, static_cast<int>(std::lround(kMbv2BaseDepth[i] * scale)));
  return d;
}

VariantSpec draw(Family f, std::mt19937_64& rng, int max_size) {
  VariantSpec s;
  s.family = f;
  s.size = std::min(max_size, pick(rng, kSizes));
  if (f == Family::MobileNetV2) {
    s.width = pick(rng, kMbv2Widths);
    s.expansion = pick(rng, kMbv2Expansions);
    s.kernel = pick(rng, kMbv2Kernels);
    s.depth = mbv2_depth(pick(rng, kMbv2DepthScales));
    return s;
  }
  s.width = pick(rng, kResNetWidths);
  s.kernel = pick(rng, kResNetKernels);
  const int most = resnet_most_blocks(f);
  for (std::size_t i = 0; i < 4; ++i) s.depth[i] = 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(most));
  return s;
}

/// Copies of `s` with `field` set to each value of `range` but its own.
template <typename T, std::size_t N>
void vary(const VariantSpec& s, T VariantSpec::*field, const std::array<T, N>& range, std::vector<VariantSpec>& out) {
  for (const T& v : range)
    if (v != s.*field) {
      VariantSpec n = s;
      n.*field = v;
      out.push_back(n);
    }
}

/// Every spec one step away from `s`: another input size, width, kernel, expansion, or one stage a block deeper or
/// shallower (MobileNet-v2: another depth scale).
std::vector<VariantSpec> one_step_away(const VariantSpec& s, int max_size) {
  std::vector<VariantSpec> out;
  const auto with_depth = [&](const std::array<int, 7>& depth) {
    out.push_back(s);
    out.back().depth = depth;
  };
  for (int z : kSizes)
    if (z != s.size && z <= max_size) {
      out.push_back(s);
      out.back().size = z;
    }
  if (s.family == Family::MobileNetV2) {
    vary(s, &VariantSpec::width, kMbv2Widths, out);
    vary(s, &VariantSpec::kernel, kMbv2Kernels, out);
    vary(s, &VariantSpec::expansion, kMbv2Expansions, out);
    for (double d : kMbv2DepthScales)
      if (mbv2_depth(d) != s.depth) with_depth(mbv2_depth(d));
    return out;
  }
  vary(s, &VariantSpec::width, kResNetWidths, out);
  vary(s, &VariantSpec::kernel, kResNetKernels, out);
  for (std::size_t i = 0; i < 4; ++i)
    for (int step : {-1, 1})
      if (const int d = s.depth[i] + step; d >= 1 && d <= resnet_most_blocks(s.family)) {
        std::array<int, 7> depth = s.depth;
        depth[i] = d;
        with_depth(depth);
      }
  return out;
}

}  // namespace

std::string VariantSpec::name() const {
  std::string d;
  const std::size_t stages = family == Family::MobileNetV2 ? 7 : 4;
  for (std::size_t i = 0; i < stages; ++i) d += std::to_string(depth[i]);
  if (family == Family::MobileNetV2) return fmt::format("mbv2-w{}-t{}-k{}-d{}-s{}", width, expansion, kernel, d, size);
  return fmt::format("resnet-{}-w{}-k{}-d{}-s{}", family == Family::ResNetBasic ? "basic" : "bottleneck", width, kernel,
                     d, size);
}

std::vector<VariantSpec> sample_variants(int count, std::uint64_t seed, int max_size) {
  std::mt19937_64 rng(seed);
  std::vector<VariantSpec> out;
  std::set<std::string> names;
  const Family order[] = {Family::ResNetBasic, Family::ResNetBottleneck, Family::MobileNetV2};
  for (int i = 0, tries = 0; static_cast<int>(out.size()) < count && tries < 100 * count + 100; ++tries) {
    VariantSpec s = draw(order[i % 3], rng, max_size);
    if (!names.insert(s.name()).second) continue;
    out.push_back(s);
    ++i;
  }
  return out;
}

std::vector<VariantSpec> neighbour_variants(const VariantSpec& spec, int count, std::uint64_t seed,
                                           const std::set<std::string>& exclude, int max_size) {
  std::vector<VariantSpec> all = one_step_away(spec, max_size);
  std::shuffle(all.begin(), all.end(), std::mt19937_64(seed));
  std::vector<VariantSpec> out;
  std::set<std::string> names = exclude;
  names.insert(spec.name());
  for (const VariantSpec& s : all)
    if (static_cast<int>(out.size()) < count && names.insert(s.name()).second) out.push_back(s);
  return out;
}

Graph build_variant(const VariantSpec& spec, int batch) {
  return spec.family == Family::MobileNetV2 ? mobilenet_variant(spec, batch) : resnet_variant(spec, batch);
}

}  // namespace rs
