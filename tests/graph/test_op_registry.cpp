// The op registry: every OpKind has one complete row (name, attribute type, shape, cost, colour), walked 0..kCount.
#include <cctype>
#include <cstring>
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "graph/op_registry.h"
#include "graph/shape.h"

namespace rs {
namespace {

OpKind kind_at(int i) { return static_cast<OpKind>(i); }

bool is_rrggbb(const char* c) {
  if (c == nullptr || std::strlen(c) != 7 || c[0] != '#') return false;
  for (int i = 1; i < 7; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(c[i])) || std::isupper(static_cast<unsigned char>(c[i]))) return false;
  return true;
}

/// How many of the alternatives of Attrs the kind's attrs_match accepts.
template <std::size_t... I>
int matching_alternatives(const OpKindInfo& info, std::index_sequence<I...>) {
  return (0 + ... + (info.attrs_match(Attrs{std::in_place_index<I>}) ? 1 : 0));
}

TEST(OpRegistry, EveryKindHasOneCompleteRow) {
  std::set<std::string> names, colours;
  for (int i = 0; i < kNumOpKinds; ++i) {
    SCOPED_TRACE("OpKind " + std::to_string(i));
    const OpKindInfo& info = op_info(kind_at(i));
    EXPECT_EQ(static_cast<int>(info.kind), i) << "row " << i << " is another kind's";
    ASSERT_NE(info.name, nullptr);
    EXPECT_GT(std::strlen(info.name), 0u);
    EXPECT_STREQ(op_kind_name(kind_at(i)), info.name);
    EXPECT_TRUE(names.insert(info.name).second) << "name " << info.name << " used twice";
    EXPECT_TRUE(is_rrggbb(info.chart_colour)) << info.name << ": colour must be #rrggbb (lower case)";
    if (info.chart_colour) {
      EXPECT_TRUE(colours.insert(info.chart_colour).second) << info.name << ": colour used twice";
    }
    ASSERT_NE(info.attrs_match, nullptr);
    EXPECT_NE(info.shape, nullptr);
    EXPECT_NE(info.cost, nullptr);
    EXPECT_EQ(matching_alternatives(info, std::make_index_sequence<std::variant_size_v<Attrs>>{}), 1)
        << info.name << " must accept exactly one attribute type";
  }
}

TEST(OpRegistry, WeightedKindsAreTheConvFamily) {
  for (int i = 0; i < kNumOpKinds; ++i) {
    const OpKind k = kind_at(i);
    EXPECT_EQ(op_info(k).weighted, k == OpKind::Conv || k == OpKind::Deconv || k == OpKind::FullyConnected)
        << op_kind_name(k);
  }
}

TEST(OpRegistry, KindOutsideTheEnum) {
  EXPECT_THROW(op_info(OpKind::kCount), std::out_of_range);
  EXPECT_THROW(op_info(kind_at(-1)), std::out_of_range);
  EXPECT_STREQ(op_kind_name(OpKind::kCount), "?");
}

TEST(OpRegistry, AttributesOfAnotherKindAreRejected) {
  Graph g;
  const int x = g.add_input("x", {1, 8, 4, 4});
  g.add_node("pool", OpKind::MaxPool, EltwiseAttrs{}, {x});
  try {
    infer_shapes(g);
    FAIL() << "expected GraphError";
  } catch (const GraphError& e) {
    EXPECT_STREQ(e.what(), "node 'pool' (MaxPool): attributes do not match the op kind");
  }
}

}  // namespace
}  // namespace rs
