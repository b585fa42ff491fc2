// `roofscope info MODEL`: the static per-layer table (shapes, params, MACs, FLOPs, bytes, arithmetic intensity).
#include <fmt/format.h>

#include "graph/cost.h"
#include "tools/cli.h"
#include "tools/common.h"

namespace rs::cli {

namespace {

struct InfoArgs {
  ModelArgs model;
  bool fused = false;
  std::string format;
};

Table info_table(const Graph& g) {
  Table t({{"name", "name"},
           {"op", "op"},
           {"output_shape", "output shape"},
           {"params", "params", ColumnKind::Count},
           {"macs", "MACs", ColumnKind::Count},
           {"flops", "FLOPs", ColumnKind::Count},
           {"bytes", "bytes", ColumnKind::Bytes},
           {"intensity_flop_per_byte", "AI FLOP/B", ColumnKind::Real, 2}});
  OpCost total;
  for (int id : g.live_nodes()) {
    const Node& n = g.node(id);
    const OpCost c = op_cost(g, n);
    total += c;
    t.add_row({n.name, op_label(g, n), dims_str(g.value(n.outputs[0]).desc.dims), c.params, c.macs, c.flops, c.bytes,
               c.intensity()});
  }
  t.set_totals({std::string("total"), fmt::format("{} ops", g.live_nodes().size()), std::string(), total.params,
                total.macs, total.flops, total.bytes, total.intensity()});
  return t;
}

/// `info`'s outputs: the table with a heading line (table, md), the bare CSV, or the table's JSON with the model.
class InfoReporter : public Reporter {
 public:
  InfoReporter(const InfoArgs& a, const Graph& g, const PassReport& passes) : a_(a), g_(g), passes_(passes), t_(info_table(g)) {}
  std::vector<Format> formats() const override { return t_.formats(); }
  std::string render(Format f) const override {
    if (f == Format::Json) {
      nlohmann::json j = t_.to_json();
      j["model"] = a_.model.model;
      j["input_dims"] = g_.value(g_.inputs.at(0)).desc.dims;
      j["fused"] = a_.fused;
      return j.dump(2) + "\n";
    }
    if (f != Format::Table && f != Format::Md) return t_.render(f);
    return fmt::format("{} — input {}{}\n\n", a_.model.model, dims_str(g_.value(g_.inputs.at(0)).desc.dims),
                       a_.fused ? fmt::format(", optimized ({} BatchNorm folded, {} SiLU fused, {} post-ops fused)",
                                              passes_.bn_folded, passes_.silu_fused, passes_.post_ops_fused)
                                : ", as written") +
           t_.render(f);
  }

 private:
  const InfoArgs& a_;
  const Graph& g_;
  PassReport passes_;
  Table t_;
};

void run_info(const InfoArgs& a) {
  Graph g = load_model(a.model);
  PassReport passes;
  if (a.fused) passes = optimize(g, true);
  fmt::print("{}", InfoReporter(a, g, passes).render(parse_format(a.format)));
}

}  // namespace

void add_info_command(CLI::App& root) {
  static InfoArgs args;
  auto* app = root.add_subcommand("info", "Static per-layer table: output shape, params, MACs, FLOPs, bytes moved "
                                          "(ideal no-cache model) and arithmetic intensity");
  add_model_options(app, args.model, false);
  app->add_flag("--fused", args.fused, "Show the graph after BatchNorm folding and post-op fusion (as `run` executes it)");
  add_format_option(app, args.format, "table|csv|json|md", "table");
  app->callback([] { run_info(args); });
}

}  // namespace rs::cli
