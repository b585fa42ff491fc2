// .npy and image input (api/tensor_io), top-K, and the CLI flags that use them (run --input/--image/--output/
// --topk, info/run on ONNX files): round trips are exact; bad files give one clear error line and exit 1.
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <map>

#include <gtest/gtest.h>

#include "onnx_test_util.h"
#include "api/tensor_io.h"

namespace rs::test {
namespace {

using api::read_npy;
using api::TensorIoError;
using api::write_npy;

#define EXPECT_CONTAINS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

class NpyRoundTrip : public ::testing::TestWithParam<Dims> {};

TEST_P(NpyRoundTrip, Exact) {
  HostTensor t{GetParam(), std::vector<float>(static_cast<std::size_t>(numel(GetParam())))};
  for (std::size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<float>(i) * 0.37f - 5.f;
  const std::string path = temp_path("roundtrip.npy");
  write_npy(path, t);
  EXPECT_EQ(read_bytes(path).size() % 64, t.data.size() * 4 % 64);  // header padded to 64 bytes, as NumPy
  const HostTensor back = read_npy(path);
  EXPECT_EQ(back.dims, t.dims);
  EXPECT_EQ(back.data, t.data);
}

INSTANTIATE_TEST_SUITE_P(Shapes, NpyRoundTrip,
                         ::testing::Values(Dims{7}, Dims{2, 5}, Dims{1, 3, 4, 5}, Dims{2, 1, 3, 1, 2}));

TEST(Npy, ReadsNumpyFiles) {
  const HostTensor x = read_npy(cache_file("resnet18.input.npy"));  // written by numpy.save
  EXPECT_EQ(x.dims, (Dims{1, 3, 224, 224}));
}

/// A .npy file with `header` (the dict text) and `data_bytes` bytes of payload.
std::string npy_bytes(const std::string& header, std::size_t data_bytes) {
  std::string h = header;
  h.append((64 - (10 + h.size() + 1) % 64) % 64, ' ');
  h += '\n';
  std::string s("\x93NUMPY\x01\x00", 8);
  s += static_cast<char>(h.size() & 0xff);
  s += static_cast<char>(h.size() >> 8);
  return s + h + std::string(data_bytes, '\0');
}

struct BadNpy {
  const char* name;
  std::string bytes;
  const char* message;
};
void PrintTo(const BadNpy& b, std::ostream* os) { *os << b.name; }

class RejectsBadNpy : public ::testing::TestWithParam<BadNpy> {};

TEST_P(RejectsBadNpy, WithClearError) {
  const std::string path = temp_path(std::string(GetParam().name) + ".npy");
  write_bytes(path, GetParam().bytes);
  try {
    read_npy(path);
    FAIL() << "accepted";
  } catch (const TensorIoError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
    EXPECT_CONTAINS(e.what(), GetParam().message);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, RejectsBadNpy,
    ::testing::Values(
        BadNpy{"Float64", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 48),
               "dtype '<f8' is not supported: float32"},
        BadNpy{"BigEndian", npy_bytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", 24), "'>f4'"},
        BadNpy{"FortranOrder", npy_bytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24),
               "fortran_order arrays are not supported"},
        BadNpy{"TruncatedData", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 4, 4), }", 100),
               "holds 100 bytes of data, shape [1, 3, 4, 4] needs 192"},
        BadNpy{"TruncatedHeader", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 0).substr(0, 30),
               "truncated npy header"},
        BadNpy{"NoMagic", std::string("just text, not numpy\n"), "not a .npy file"},
        BadNpy{"Empty", std::string(), "not a .npy file"},
        BadNpy{"NoShape", npy_bytes("{'descr': '<f4', 'fortran_order': False, }", 0), "npy header has no 'shape'"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Image, PngMatchesTorchvisionPreprocessing) {
  // Same decoded pixels (PNG is lossless) and Pillow's resampling arithmetic: equal up to f32 rounding of the
  // normalization (torchvision divides in another order): relative L2 <= 1e-6.
  const HostTensor want = read_npy(cache_file("sample.imagenet.npy"));
  const HostTensor png = api::load_imagenet_image(cache_file("sample.png"));
  EXPECT_EQ(png.dims, (Dims{1, 3, 224, 224}));
  const double err = rel_l2(png, want);
  RecordProperty("rel_l2_png_vs_torchvision", ::testing::PrintToString(err));
  EXPECT_LE(err, 1e-6);
}

TEST(Image, JpegMatchesTorchvisionPreprocessing) {
  // stb_image and libjpeg-turbo (PIL) differ in IDCT and chroma upsampling by about one 8-bit step per pixel:
  // relative L2 <= 1e-2 (the JPEG itself is 5e-2 away from the PNG).
  const double err = rel_l2(api::load_imagenet_image(cache_file("sample.jpg")), read_npy(cache_file("sample.jpg.imagenet.npy")));
  RecordProperty("rel_l2_jpeg_vs_torchvision", ::testing::PrintToString(err));
  EXPECT_LE(err, 1e-2);
}

TEST(Image, UniformColourNormalizesExactly) {
  const int w = 300, h = 260;
  std::vector<unsigned char> rgb(static_cast<std::size_t>(w * h * 3));
  for (std::size_t i = 0; i < rgb.size(); i += 3) {
    rgb[i] = 255;
    rgb[i + 1] = 128;
    rgb[i + 2] = 0;
  }
  const std::string path = temp_path("uniform.png");
  ASSERT_TRUE(stbi_write_png(path.c_str(), w, h, 3, rgb.data(), w * 3));
  const HostTensor t = api::load_imagenet_image(path);
  const float want[3] = {(1.f - 0.485f) / 0.229f, (128 / 255.f - 0.456f) / 0.224f, (0.f - 0.406f) / 0.225f};
  for (std::size_t c = 0; c < 3; ++c)
    for (std::size_t i = 0; i < 224 * 224; i += 997) EXPECT_NEAR(t.data[c * 224 * 224 + i], want[c], 1e-6) << c;
}

TEST(Image, RejectsNonImages) {
  EXPECT_THROW(api::load_imagenet_image(cache_file("resnet18.input.npy")), TensorIoError);
  EXPECT_THROW(api::load_imagenet_image("/nonexistent.png"), TensorIoError);
}

TEST(TopK, OrdersScoresAndNormalizesSoftmax) {
  const HostTensor y{{2, 4}, {0.f, 3.f, 1.f, 3.f, -1.f, -2.f, 5.f, 0.f}};
  const auto top = api::top_k(y, 3);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0][0].index, 1);  // tie with class 3: lower index first
  EXPECT_EQ(top[0][1].index, 3);
  EXPECT_EQ(top[0][2].index, 2);
  EXPECT_EQ(top[1][0].index, 2);
  const double z = std::exp(0.) + 2 * std::exp(3.) + std::exp(1.);
  EXPECT_NEAR(top[0][0].prob, std::exp(3.) / z, 1e-6);
  EXPECT_EQ(api::top_k(y, 10)[0].size(), 4u);  // clamped to the row
}

TEST(Cli, RunsOnnxOnAnImageWithTopK) {
  const std::string out = temp_path("logits.npy");
  const CommandResult r = roofscope("run " + cache_file("resnet18.onnx") + " --image " + cache_file("sample.png") +
                                " --topk 5 --output " + out + " --iters 1 --warmup 0");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_CONTAINS(r.out, "top-5 of output 'output', image 0:");
  const HostTensor y = read_npy(out);
  ASSERT_EQ(y.dims, (Dims{1, 1000}));
  const auto top = api::top_k(y, 5);
  for (const auto& e : top.at(0)) EXPECT_CONTAINS(r.out, " " + std::to_string(e.index) + " ");
}

TEST(Cli, RunsOnnxOnAnNpyInputLikePyTorch) {
  const std::string out = temp_path("out.npy");
  const CommandResult r = roofscope("run " + cache_file("squeezenet1_1.onnx") + " --input " +
                                cache_file("squeezenet1_1.input.npy") + " --output " + out + " --iters 1 --warmup 0");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_LE(rel_l2(read_npy(out), read_npy(cache_file("squeezenet1_1.output.npy"))), 1e-4);
}

struct BadRun {
  const char* name;
  std::string args;
  const char* message;
};
void PrintTo(const BadRun& b, std::ostream* os) { *os << b.name; }

class CliRejects : public ::testing::TestWithParam<BadRun> {};

TEST_P(CliRejects, WithOneErrorLine) {
  std::string args = GetParam().args;
  for (const char* key : {"@resnet", "@einsum", "@npy", "@png"}) {
    const std::map<std::string, std::string> files{{"@resnet", "resnet18.onnx"}, {"@einsum", "unsupported_einsum.onnx"},
                                                   {"@npy", "mobilenet_v2.input.npy"}, {"@png", "sample.png"}};
    for (std::size_t p; (p = args.find(key)) != std::string::npos;)
      args.replace(p, std::string(key).size(), cache_file(files.at(key)));
  }
  const CommandResult r = roofscope(args);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_EQ(r.out.rfind("roofscope: error: ", 0), 0u) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_CONTAINS(r.out, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Args, CliRejects,
    ::testing::Values(
        BadRun{"UnsupportedOp", "info @einsum", "(op_type Einsum, opset 13): unsupported op; supported ops: Add,"},
        BadRun{"NotOnnx", "info @png.onnx", "png.onnx: does not exist"},
        BadRun{"NpyAsModel", "run @npy --iters 1", "unknown model"},
        BadRun{"WrongInputDims", "run @resnet --input-shape 1,3,112,112 --input @npy --iters 1",
               "gives a [1, 3, 224, 224] tensor, the model's input 'input' is [1, 3, 112, 112]"},
        BadRun{"ImageIsNotNpy", "run @resnet --input @png --iters 1", "not a .npy file"},
        BadRun{"InputShapeOnZoo", "info resnet18 --input-shape 1,3,224,224", "--input-shape applies to .onnx models"},
        BadRun{"NegativeTopK", "run @resnet --topk -1 --iters 1", "--topk must be >= 0 (got -1)"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Cli, InfoOnOnnxMatchesZooTotals) {
  const CommandResult onnx = roofscope("info " + cache_file("resnet18.onnx") + " --format csv --totals");
  const CommandResult zoo = roofscope("info resnet18 --format csv --totals");
  ASSERT_EQ(onnx.status, 0) << onnx.out;
  const auto last_line = [](const std::string& s) {
    const std::size_t end = s.find_last_not_of('\n');
    return s.substr(s.rfind('\n', end) + 1, end - s.rfind('\n', end));
  };
  EXPECT_EQ(last_line(onnx.out), last_line(zoo.out));  // the totals row
}

}  // namespace
}  // namespace rs::test
