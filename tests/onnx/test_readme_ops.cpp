// The README's list of supported ONNX op_types is the importer's table (onnx_supported_ops()), not prose: this test
// fails when they disagree and prints the line to paste between the README's <!-- onnx-ops --> markers.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "graph/onnx/import.h"

namespace rs::test {
namespace {

TEST(ReadmeOps, ListEqualsTheImporterTable) {
  std::ifstream in(std::string(ROOFSCOPE_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str(), open = "<!-- onnx-ops -->", close = "<!-- /onnx-ops -->";
  const auto b = readme.find(open), e = readme.find(close);
  ASSERT_NE(b, std::string::npos) << "README.md has no " << open << " marker";
  ASSERT_NE(e, std::string::npos) << "README.md has no " << close << " marker";
  std::string want;
  for (const auto& op : onnx_supported_ops()) want += (want.empty() ? "" : ", ") + op;
  EXPECT_EQ(readme.substr(b + open.size(), e - b - open.size()), want)
      << "paste into README.md: " << open << want << close;
}

}  // namespace
}  // namespace rs::test
