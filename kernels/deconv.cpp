// PLACEHOLDER: replaced by the op family's implementation.
#include "kernels/families.h"
namespace rs {
std::unique_ptr<Kernel> create_deconv(const Graph&, const Node& n, const std::vector<dnnl::memory::desc>&, const KernelEnv&) { throw KernelError(node_label(n) + ": not implemented yet"); }
HostTensor ref_deconv(const Graph&, const Node& n, const std::vector<const HostTensor*>&) { throw KernelError(node_label(n) + ": not implemented yet"); }
}
