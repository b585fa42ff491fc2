// PLACEHOLDER: replaced by the op family's implementation.
#include "kernels/families.h"
namespace rs {
std::unique_ptr<Kernel> create_fc(const Graph&, const Node& n, const std::vector<dnnl::memory::desc>&, const KernelEnv&) { throw KernelError(node_label(n) + ": not implemented yet"); }
HostTensor ref_fc(const Graph&, const Node& n, const std::vector<const HostTensor*>&) { throw KernelError(node_label(n) + ": not implemented yet"); }
}
