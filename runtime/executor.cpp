#include "runtime/executor.h"

#include <chrono>
#include <climits>
#include <cstring>

#include <fmt/format.h>

#include "graph/op_registry.h"
#include "graph/units.h"
#include "kernels/dnnl_util.h"
#include "runtime/topology.h"

namespace rs {

namespace {
using Clock = std::chrono::steady_clock;
constexpr std::int64_t kAlign = 64;

dnnl::memory::desc scratch_desc(std::size_t bytes) {
  return dnnl::memory::desc({static_cast<dnnl::memory::dim>(bytes)}, dnnl::memory::data_type::u8,
                            dnnl::memory::format_tag::a);
}
}  // namespace

Executor::Executor(Graph graph, ExecOptions options)
    : graph_(std::move(graph)), options_(options), stream_(env_.engine) {
  compile();
  plan_and_bind();
}

Executor::~Executor() = default;

int Executor::add_buffer(const dnnl::memory::desc& desc, const std::string& name, bool planned) {
  Buffer b;
  b.desc = desc;
  b.bytes = static_cast<std::int64_t>(desc.get_size());
  if (planned) {
    b.record = static_cast<int>(records_.size());
    records_.push_back({name, INT_MAX, -1, b.bytes, -1});
  }
  buffers_.push_back(b);
  return static_cast<int>(buffers_.size()) - 1;
}

void Executor::use(int buffer, int step) {
  const int r = buffers_[static_cast<std::size_t>(buffer)].record;
  if (r < 0) return;
  auto& rec = records_[static_cast<std::size_t>(r)];
  rec.first_step = std::min(rec.first_step, step);
  rec.last_step = std::max(rec.last_step, step);
}

void Executor::add_step(ExecStep step, Binding binding) {
  const int idx = static_cast<int>(steps_.size());
  if (const std::size_t s = binding.kernel->scratchpad_bytes(); s > 0)
    binding.scratch = add_buffer(scratch_desc(s), step.name + ".scratchpad", true);
  step.impl = binding.kernel->impl_info();
  for (int b : binding.src) use(b, idx);
  for (int b : binding.dst) use(b, idx);
  if (binding.scratch >= 0) use(binding.scratch, idx);
  steps_.push_back(std::move(step));
  bindings_.push_back(std::move(binding));
}

int Executor::buffer_in_layout(int value_id, const dnnl::memory::desc& want) {
  auto& bufs = value_buffers_[static_cast<std::size_t>(value_id)];
  for (int b : bufs)
    if (buffers_[static_cast<std::size_t>(b)].desc == want) return b;
  const Value& v = graph_.value(value_id);
  const bool user_facing = v.is_output && is_plain(want);
  const int dst = add_buffer(want, "reorder:" + v.name, !user_facing);
  bufs.push_back(dst);
  add_reorder(bufs.front(), dst, "reorder:" + v.name, v);
  return dst;
}

int Executor::add_reorder(int src, int dst, const std::string& name, const Value& v) {
  const auto& src_desc = buffers_[static_cast<std::size_t>(src)].desc;
  const auto& want = buffers_[static_cast<std::size_t>(dst)].desc;
  ExecStep st;
  st.name = name;
  st.kind = OpKind::Reorder;
  st.label = "Reorder";
  st.cost = reorder_cost(static_cast<std::int64_t>(src_desc.get_size()), static_cast<std::int64_t>(want.get_size()));
  st.src_dims = {v.desc.dims};
  st.dst_dims = v.desc.dims;
  st.src_layouts = {layout_name(src_desc)};
  st.dst_layout = layout_name(want);
  add_step(std::move(st), {create_reorder_kernel(src_desc, want, env_), {src}, {dst}, -1});
  return dst;
}

bool Executor::can_take_over(int value_id, int node_id) const {
  const Value& v = graph_.value(value_id);
  const bool output = graph_.value(graph_.node(node_id).outputs.at(0)).is_output;  // the user's buffer: no alias
  return !output && !v.is_input && !v.is_output && !v.is_constant() && !v.consumers.empty() &&
         v.consumers.back() == node_id;
}

int Executor::inplace_dst(int node_id, int residual, const dnnl::memory::desc& desc, bool* taken_over) {
  const Value& ov = graph_.value(graph_.node(node_id).outputs.at(0));
  const bool user_facing = ov.is_output && is_plain(desc);
  *taken_over = false;
  if (can_take_over(residual, node_id)) {
    const int target = buffer_in_layout(residual, desc);
    const int target_record = buffers_[static_cast<std::size_t>(target)].record;
    if (target_record >= 0) {
      const int dst = add_buffer(desc, ov.name, true);
      buffers_[static_cast<std::size_t>(dst)].alias = target;
      records_[static_cast<std::size_t>(buffers_[static_cast<std::size_t>(dst)].record)].alias_of = target_record;
      *taken_over = true;
      return dst;
    }
  }
  const int dst = add_buffer(desc, ov.name, !user_facing);
  const Value& rv = graph_.value(residual);
  add_reorder(value_buffers_[static_cast<std::size_t>(residual)].front(), dst, "copy:" + rv.name, rv);
  return dst;
}

void Executor::compile() {
  graph_.link();
  graph_.validate();
  value_buffers_.assign(graph_.values.size(), {});
  for (int v : graph_.inputs) {
    const int b = add_buffer(plain_desc(graph_.value(v).desc.dims), graph_.value(v).name, false);
    value_buffers_[static_cast<std::size_t>(v)] = {b};
    input_buffers_.push_back(b);
  }
  Tuner tuner(env_, stream_, options_.tuning);
  for (int id : graph_.live_nodes()) {
    const Node& node = graph_.node(id);
    const std::vector<int> acts = activation_inputs(graph_, node);
    const int out = node.outputs.at(0);
    const Value& ov = graph_.value(out);
    std::vector<dnnl::memory::desc> have;
    std::vector<bool> takeover;
    for (int v : acts) {
      have.push_back(buffers_[static_cast<std::size_t>(value_buffers_[static_cast<std::size_t>(v)].front())].desc);
      takeover.push_back(can_take_over(v, id));
    }
    ExecStep st;
    auto kernel = tuner.choose(node.name, kernel_candidates(graph_, node, have, env_), have, takeover, &st.choice);
    const auto& dst_desc = kernel->dst_descs().at(0);
    const int ip = kernel->inplace_src();
    const int dst = ip >= 0 ? inplace_dst(id, acts.at(static_cast<std::size_t>(ip)), dst_desc, &st.in_place)
                            : add_buffer(dst_desc, ov.name, !(ov.is_output && is_plain(dst_desc)));
    Binding b;
    for (std::size_t i = 0; i < acts.size(); ++i) {
      b.src.push_back(static_cast<int>(i) == ip ? dst : buffer_in_layout(acts[i], kernel->src_descs().at(i)));
      st.src_dims.push_back(graph_.value(acts[i]).desc.dims);
      st.src_layouts.push_back(layout_name(kernel->src_descs()[i]));
    }
    value_buffers_[static_cast<std::size_t>(out)] = {dst};
    b.dst = {dst};
    st.name = node.name;
    st.kind = node.kind;
    st.label = op_label(graph_, node);
    st.fused = node.fused;
    st.cost = op_cost(graph_, node);
    if (op_info(node.kind).weighted) st.weights_dims = graph_.value(node.inputs.at(1)).desc.dims;
    st.dst_dims = ov.desc.dims;
    st.dst_layout = layout_name(dst_desc);
    b.kernel = std::move(kernel);
    add_step(std::move(st), std::move(b));
  }
  tuning_misses_ = tuner.cache_misses();
  for (int v : graph_.outputs) output_buffers_.push_back(buffer_in_layout(v, plain_desc(graph_.value(v).desc.dims)));
}

std::map<std::string, StepChoice> Executor::choices() const {
  std::map<std::string, StepChoice> out;
  for (const auto& s : steps_)
    if (s.choice.candidates > 1) out[s.name] = s.choice;
  return out;
}

void Executor::check_planned_memory(const MemoryPlan& plan) const {
  std::int64_t io = 0, weights = 0;
  for (const auto& b : buffers_)
    if (b.record < 0) io = checked_sum(io, b.bytes, "the memory needed");
  for (const auto& v : graph_.values)
    if (v.is_constant() && !v.consumers.empty()) weights = checked_sum(weights, v.desc.bytes(), "the memory needed");
  const std::int64_t tensors = options_.pool ? plan.arena_bytes : plan.lower_bound_bytes;
  const std::int64_t need = checked_sum(checked_sum(tensors, io, "the memory needed"), weights, "the memory needed");
  std::string source;
  const std::int64_t budget = memory_budget_bytes(&source);
  if (need > budget)
    throw std::runtime_error(fmt::format("the planned memory {} ({} {}, inputs+outputs {}, weights {}) exceeds the memory "
                                         "budget {} ({})", format_bytes(double(need)), options_.pool ? "arena" : "tensors live at once",
                                         format_bytes(double(tensors)), format_bytes(double(io)),
                                         format_bytes(double(weights)), format_bytes(double(budget)), source));
}

void Executor::plan_and_bind() {
  for (auto& rec : records_)
    if (rec.last_step < 0) rec.first_step = rec.last_step = 0;  // produced but never read: still written once
  std::vector<UsageRecord> planned = records_;
  const MemoryPlan plan = plan_memory(planned, kAlign);
  memory_.lower_bound_bytes = plan.lower_bound_bytes;
  memory_.naive_bytes = plan.naive_bytes;
  memory_.buffers = static_cast<int>(records_.size());
  check_planned_memory(plan);
  if (options_.pool) {
    records_ = planned;
    memory_.arena_bytes = plan.arena_bytes;
    arena_ = Mapping(static_cast<std::size_t>(plan.arena_bytes));
    std::memset(arena_.data(), 0, arena_.size());  // pre-fault
  }
  for (auto& b : buffers_) {
    if (b.record < 0) {
      b.ptr = io_.emplace_back(static_cast<std::size_t>(b.bytes)).data();
      std::memset(b.ptr, 0, static_cast<std::size_t>(b.bytes));  // pre-fault
      memory_.io_bytes += b.bytes;
    } else if (options_.pool) {
      b.ptr = static_cast<char*>(arena_.data()) + records_[static_cast<std::size_t>(b.record)].offset;
    }
  }
  for (const auto& v : graph_.values)
    if (v.is_constant() && !v.consumers.empty()) memory_.weights_bytes += v.desc.bytes();
  if (options_.pool) bind_all();
}

void Executor::bind_all() {
  auto ptrs = [&](const std::vector<int>& ids) {
    std::vector<void*> p;
    for (int id : ids) p.push_back(buffers_[static_cast<std::size_t>(id)].ptr);
    return p;
  };
  for (auto& b : bindings_)
    b.kernel->bind(ptrs(b.src), ptrs(b.dst), b.scratch >= 0 ? buffers_[static_cast<std::size_t>(b.scratch)].ptr : nullptr);
}

void Executor::map_fresh(std::vector<Mapping>& fresh) {
  fresh.reserve(buffers_.size());
  for (auto& b : buffers_) {  // an in-place buffer follows its target (created before it)
    if (b.record < 0) continue;
    if (b.alias >= 0) {
      b.ptr = buffers_[static_cast<std::size_t>(b.alias)].ptr;
    } else {
      b.ptr = fresh.emplace_back(static_cast<std::size_t>(b.bytes)).data();
    }
  }
  bind_all();
}

void Executor::set_input(std::size_t i, const HostTensor& t) {
  if (i >= input_buffers_.size())
    throw std::invalid_argument(fmt::format("input {} does not exist (the graph has {})", i, input_buffers_.size()));
  const Value& v = graph_.value(graph_.inputs[i]);
  if (t.dims != v.desc.dims)
    throw std::invalid_argument(fmt::format("input '{}' must be {}, got {}", v.name, dims_str(v.desc.dims), dims_str(t.dims)));
  std::memcpy(buffers_[static_cast<std::size_t>(input_buffers_[i])].ptr, t.data.data(), t.data.size() * sizeof(float));
}

HostTensor Executor::output(std::size_t i) const {
  const Value& v = graph_.value(graph_.outputs.at(i));
  HostTensor t{v.desc.dims, std::vector<float>(static_cast<std::size_t>(v.desc.numel()))};
  std::memcpy(t.data.data(), buffers_[static_cast<std::size_t>(output_buffers_.at(i))].ptr, t.data.size() * sizeof(float));
  return t;
}

double Executor::run(std::vector<double>* step_time_s, const StepHook& after_step) {
  const auto t0 = Clock::now();
  std::vector<Mapping> fresh;  // --no-pool: this run's tensors, unmapped below or while an exception unwinds
  if (!options_.pool) map_fresh(fresh);
  Clock::duration hooks{0};
  if (step_time_s) {
    step_time_s->assign(bindings_.size(), 0.0);
    auto prev = Clock::now();
    for (std::size_t i = 0; i < bindings_.size(); ++i) {
      bindings_[i].kernel->execute(stream_);
      stream_.wait();
      const auto now = Clock::now();
      (*step_time_s)[i] = std::chrono::duration<double>(now - prev).count();
      prev = now;
      if (after_step) {
        after_step(i);
        prev = Clock::now();
        hooks += prev - now;
      }
    }
  } else {
    for (auto& b : bindings_) b.kernel->execute(stream_);
    stream_.wait();
  }
  if (!options_.pool) {  // unmapped inside the timed run, as an allocator returning memory to the OS would
    fresh.clear();
    for (auto& b : buffers_)
      if (b.record >= 0) b.ptr = nullptr;
  }
  return std::chrono::duration<double>(Clock::now() - t0 - hooks).count();
}

}  // namespace rs
