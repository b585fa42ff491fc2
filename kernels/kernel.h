// The one interface every op family implements (STYLE.md §2): created from a node and the physical layouts of its
// inputs, bound to buffers, executed many times. Nothing is allocated or created in execute().
#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "graph/graph.h"

namespace rs {

/// Error creating or running a kernel; the message names the node and op (dnnl::error is converted here).
class KernelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What kernels share: one CPU engine.
struct KernelEnv {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
};

/// Plain row-major host tensor, the currency of the reference implementations and of graph inputs/outputs.
struct HostTensor {
  Dims dims;
  std::vector<float> data;  ///< numel(dims) floats, row-major
};

/// A compiled op: oneDNN primitive(s) plus the memory objects they use.
/// Activation inputs are the non-constant values of Node::reads(), in that order (src first, then e.g. the residual
/// operand of a Binary post-op); constants (weights, bias, BN statistics) are consumed at creation and owned here,
/// already reordered to the layout the primitive wants.
class Kernel {
 public:
  virtual ~Kernel() = default;
  /// Physical layout the kernel reads each activation input in; the runtime inserts a Reorder where the producer's
  /// dst layout differs.
  const std::vector<dnnl::memory::desc>& src_descs() const { return src_descs_; }
  /// Physical layout of each output.
  const std::vector<dnnl::memory::desc>& dst_descs() const { return dst_descs_; }
  /// Bytes of user scratchpad the kernel needs while it executes (max over its primitives); 0 if none.
  std::size_t scratchpad_bytes() const { return scratchpad_bytes_; }
  /// oneDNN implementation name(s), e.g. "jit:avx2" (primitive_desc::impl_info_str(), joined by '+').
  const std::string& impl_info() const { return impl_info_; }
  /// Index of the src whose data the kernel accumulates into dst in place (a residual run as a oneDNN `sum`
  /// post-op: dst = conv(src) + dst), or -1. That src is never read through its own buffer: before execute(), dst
  /// must hold it, in src_descs()[i] == dst_descs()[0] (the runtime hands the residual's buffer over to dst, or
  /// copies the residual into dst).
  int inplace_src() const { return inplace_src_; }

  /// Points the kernel at its buffers: src[i] for src_descs()[i], dst[i] for dst_descs()[i], scratchpad of
  /// scratchpad_bytes() (may be null when 0). Creates memory objects on the first call, only swaps handles after.
  void bind(const std::vector<void*>& src, const std::vector<void*>& dst, void* scratchpad);
  /// Runs the primitive(s) on `stream` with the bound buffers (asynchronous; the runtime waits on the stream).
  void execute(dnnl::stream& stream);

 protected:
  /// Where a primitive argument's memory comes from.
  enum class Role { Src, Dst, Scratchpad, Owned };
  struct Arg {
    int dnnl_arg;            ///< e.g. DNNL_ARG_SRC, DNNL_ARG_DST, DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1
    Role role;
    int index = 0;           ///< Src/Dst: index into src_descs()/dst_descs()
    dnnl::memory::desc desc; ///< how this primitive sees the buffer (may differ from src/dst desc, e.g. Reshape)
    dnnl::memory owned;      ///< Role::Owned only: weights etc., already filled
  };
  /// A step computed on the host instead of by a primitive (a naive kernel where oneDNN has none with the op's
  /// semantics): called with the step's bound memory (args by dnnl_arg), after the stream has drained.
  using HostFn = std::function<void(const std::unordered_map<int, dnnl::memory>& bound)>;
  struct Step {
    dnnl::primitive primitive;
    std::vector<Arg> args;
    std::unordered_map<int, dnnl::memory> bound;  ///< filled by bind()
    HostFn host;                                  ///< set for add_host_step() steps (primitive is empty)
  };

  /// Adds a primitive to run, in order. Records its impl_info and scratchpad needs.
  void add_step(const dnnl::primitive& primitive, const dnnl::primitive_desc_base& pd, std::vector<Arg> args);
  /// Adds a host step named `impl` (e.g. "naive:resize"), run in order with the primitives; no scratchpad.
  void add_host_step(HostFn fn, const std::string& impl, std::vector<Arg> args, const dnnl::engine& engine);
  /// Shorthands for building Args.
  static Arg src_arg(int dnnl_arg, int index, const dnnl::memory::desc& desc) { return {dnnl_arg, Role::Src, index, desc, {}}; }
  static Arg dst_arg(int dnnl_arg, int index, const dnnl::memory::desc& desc) { return {dnnl_arg, Role::Dst, index, desc, {}}; }
  static Arg owned_arg(int dnnl_arg, const dnnl::memory& mem) { return {dnnl_arg, Role::Owned, 0, mem.get_desc(), mem}; }

  std::vector<dnnl::memory::desc> src_descs_;
  std::vector<dnnl::memory::desc> dst_descs_;
  std::vector<Step> steps_;
  std::size_t scratchpad_bytes_ = 0;
  std::string impl_info_;
  int inplace_src_ = -1;
  dnnl::engine engine_;
};

/// One way to compile a node (kernel_candidates()): a oneDNN implementation with its layouts, and for a residual
/// Add how it runs. Creating it JIT-compiles the primitive and reorders the weights.
struct KernelCandidate {
  /// Names the choice among the node's candidates, the same from run to run on one machine and oneDNN build, e.g.
  /// "sum direct brgconv:avx512_core nhwc>nhwc" (residual mode, algorithm, implementation, src > dst layout).
  std::string key;
  std::function<std::unique_ptr<Kernel>()> create;
};

/// Every way oneDNN offers to run a live node whose shapes are inferred (have: as for create_kernel()).
/// Conv, Deconv, FullyConnected: each non-reference implementation of the op descriptor (the
/// primitive_desc::next_impl() walk, convolution_direct and convolution_auto, deduplicated), and, when the node's
/// only Binary post-op is a same-shape Add of an activation (a residual), each way to run it: `sum` (oneDNN sum
/// post-op, dst accumulated in place, Kernel::inplace_src()), `binary` (binary post-op reading the residual) and
/// `unfused` (the conv, then an in-place binary primitive). Other kinds: one candidate. front() is what oneDNN picks
/// first (sum for a residual); create_kernel() creates it. Throws KernelError naming the node when there is none.
std::vector<KernelCandidate> kernel_candidates(const Graph& graph, const Node& node,
                                               const std::vector<dnnl::memory::desc>& have, const KernelEnv& env);

/// Activation inputs of a node: the non-constant values of node.reads(), in order.
std::vector<int> activation_inputs(const Graph& graph, const Node& node);

/// Creates the kernel for a live node whose shapes are inferred. `have` gives the physical layout in which each
/// activation input is produced upstream (plain for graph inputs). Throws KernelError naming the node on failure.
std::unique_ptr<Kernel> create_kernel(const Graph& graph, const Node& node, const std::vector<dnnl::memory::desc>& have,
                                      const KernelEnv& env);

/// A layout change from `src` to `dst` (same dims), as a real timed op (OpKind::Reorder).
std::unique_ptr<Kernel> create_reorder_kernel(const dnnl::memory::desc& src, const dnnl::memory::desc& dst,
                                              const KernelEnv& env);

/// Reference (naive loops; Eigen for GEMM) execution of one node on plain data, post-ops included.
/// reads: one tensor per entry of node.reads() (constants included), in that order. Returns the output.
/// Throws KernelError for kinds that have no reference (Reorder).
HostTensor reference_execute(const Graph& graph, const Node& node, const std::vector<const HostTensor*>& reads);

/// Weights in a reorderable memory: creates a memory of `want` on env.engine and reorders `data` (plain, dims of
/// `plain`) into it. Used by every kernel that owns constants.
dnnl::memory make_owned(const dnnl::memory::desc& plain, const std::vector<float>& data, const dnnl::memory::desc& want,
                        const KernelEnv& env);

}  // namespace rs
