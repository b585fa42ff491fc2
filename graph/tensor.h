// Tensor descriptors, separate from storage (see STYLE.md §4).
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace rs {

/// Element type. Only f32 for now; sizes in bytes via dtype_size_bytes().
enum class DType { f32 };

/// Size of one element in bytes (f32: 4).
std::size_t dtype_size_bytes(DType dtype);
const char* dtype_name(DType dtype);

/// Dimensions, outermost first, in elements (e.g. [N, C, H, W]). A dim of 0 is invalid after shape inference.
using Dims = std::vector<std::int64_t>;

/// Logical layout of a graph value. The graph is always written in plain layouts (row-major in the order of dims:
/// NCHW for 4-D, NC for 2-D, OIHW for conv weights); the physical layout a kernel picks (e.g. nChw8c) lives in the
/// runtime, not here.
enum class Layout { plain };

/// A tensor's shape and element type, no storage. dims: elements per axis; dtype: element type.
struct TensorDesc {
  Dims dims;
  DType dtype = DType::f32;
  Layout layout = Layout::plain;

  /// Number of elements (product of dims; 1 for rank 0).
  std::int64_t numel() const;
  /// numel() * dtype_size_bytes(dtype), in bytes.
  std::int64_t bytes() const;
  std::size_t rank() const { return dims.size(); }
};

/// a * b, or false in *ok (and 0 returned) when the product overflows int64: the one checked multiply for dims,
/// element, byte and FLOP counts.
std::int64_t checked_mul(std::int64_t a, std::int64_t b, bool* ok);
/// The product of `factors` (dims, element, byte, MAC and FLOP counts). Throws std::overflow_error "<what> overflows
/// int64: 2305843009213693953 x 4" when it does not fit.
std::int64_t checked_product(std::initializer_list<std::int64_t> factors, const char* what);
/// a + b; throws std::overflow_error "<what> overflows int64: a + b" when it does not fit.
std::int64_t checked_sum(std::int64_t a, std::int64_t b, const char* what);
/// Product of dims (1 for an empty vector). Throws std::overflow_error naming the dims when it overflows int64.
std::int64_t numel(const Dims& dims);
/// "[1, 64, 56, 56]"; beyond 16 values the first 14, "...", the last 2 and the count.
std::string dims_str(const Dims& dims);
/// True when `b` equals `a` or broadcasts to it as the IR's Binary does: the same rank, each dim equal to a's or 1
/// (the residual Add, the SE-block Mul [N, C, 1, 1]). A numel-1 scalar of another rank does not count here.
bool broadcasts_to(const Dims& b, const Dims& a);

}  // namespace rs
