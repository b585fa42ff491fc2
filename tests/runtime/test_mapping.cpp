// Owned anonymous mappings (runtime/mapping.h) and the executor's use of them: sizes, moves, the error naming the
// size, and no mapping left behind when an exception leaves a --no-pool run mid-way.
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include <gtest/gtest.h>

#include "graph/shape.h"
#include "runtime/executor.h"
#include "runtime/mapping.h"
#include "runtime/topology.h"

namespace rs {
namespace {

TEST(Mapping, MapsZeroedWritablePagesAndUnmapsOnDestruction) {
  const long before = Mapping::live();
  {
    Mapping m(10000);
    EXPECT_EQ(m.size(), 10000u);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(m.data()) % 4096, 0u);  // page-aligned
    EXPECT_EQ(static_cast<const char*>(m.data())[9999], 0);
    std::memset(m.data(), 1, m.size());
    EXPECT_EQ(Mapping::live(), before + 1);
    EXPECT_EQ(Mapping(0).size(), 1u);  // 0 bytes maps 1
  }
  EXPECT_EQ(Mapping::live(), before);
}

TEST(Mapping, MovesTransferOwnership) {
  const long before = Mapping::live();
  Mapping a(4096);
  void* p = a.data();
  Mapping b(std::move(a));
  EXPECT_EQ(a.data(), nullptr);
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(b.data(), p);
  Mapping c(100);
  c = std::move(b);  // c's own mapping is unmapped
  EXPECT_EQ(c.data(), p);
  EXPECT_EQ(Mapping::live(), before + 1);
  c = Mapping();
  EXPECT_EQ(Mapping::live(), before);
}

TEST(Mapping, RefusedMappingThrowsNamingTheSizeAndErrno) {
  const std::size_t huge = std::size_t{1} << 62;  // beyond any user address space
  try {
    Mapping m(huge);
    FAIL() << "expected MappingError";
  } catch (const std::bad_alloc& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("mmap of 4611686018427387904 bytes failed: "), std::string::npos) << what;
    EXPECT_GT(what.size(), std::string("mmap of 4611686018427387904 bytes failed: ").size()) << "no errno text";
  }
}

/// relu -> sigmoid -> tanh on [1, 8, 16, 16]: two intermediate tensors, planned (mapped per run without the pool).
Graph eltwise_chain() {
  Graph g;
  int x = g.add_input("x", {1, 8, 16, 16});
  x = g.add_node("relu", OpKind::Eltwise, EltwiseAttrs{EltwiseAlg::Relu, 0.f, 0.f}, {x});
  x = g.add_node("sigmoid", OpKind::Eltwise, EltwiseAttrs{EltwiseAlg::Sigmoid, 0.f, 0.f}, {x});
  g.mark_output(g.add_node("tanh", OpKind::Eltwise, EltwiseAttrs{EltwiseAlg::Tanh, 0.f, 0.f}, {x}));
  infer_shapes(g);
  return g;
}

TEST(Mapping, NoPoolRunUnmapsItsTensorsWhenAStepThrows) {
  bind_threads(1, true);
  ExecOptions o;
  o.pool = false;
  Executor exec(eltwise_chain(), o);
  const long before = Mapping::live();
  long during = 0;
  std::vector<double> times;
  auto throw_after_first = [&](std::size_t) {
    during = Mapping::live();
    throw std::runtime_error("hook");
  };
  EXPECT_THROW(exec.run(&times, throw_after_first), std::runtime_error);
  EXPECT_GT(during, before);            // the run had mapped its tensors
  EXPECT_EQ(Mapping::live(), before);   // and unmapped them while unwinding
  exec.run();                           // the executor still runs, and leaves nothing mapped
  EXPECT_EQ(Mapping::live(), before);
}

TEST(Mapping, ExecutorOwnsItsArenaAndTensorsForItsLifetime) {
  bind_threads(1, true);
  const long before = Mapping::live();
  {
    Executor pooled(eltwise_chain());
    EXPECT_EQ(Mapping::live(), before + 3);  // arena + input + output
    pooled.run();
    EXPECT_EQ(Mapping::live(), before + 3);
  }
  EXPECT_EQ(Mapping::live(), before);
}

}  // namespace
}  // namespace rs
