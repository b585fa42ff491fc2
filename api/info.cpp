// roofscope::info (`roofscope info`) and roofscope::models: the static per-layer table.
#include <fmt/format.h>

#include "api/common.h"
#include "api/provenance.h"
#include "graph/cost.h"
#include "graph/passes.h"
#include "models/zoo.h"
#include "profiler/report/report.h"

namespace rs::api {

namespace {

/// The compact set leaves out params and MACs (2 x FLOPs; both in the totals, --wide, CSV and JSON).
std::vector<Column> info_columns() {
  using K = ColumnKind;
  return {{"name", "name", K::Text, 0, true},
          {"op", "op", K::Text, 0, true},
          {"output_shape", "output shape", K::Shape, 0, true},
          {"params", "params", K::Count, 0, false},
          {"macs", "MACs", K::Count, 0, false},
          {"flops", "FLOPs", K::Flops, 0, true},
          {"bytes", "bytes", K::Bytes, 0, true},
          {"intensity_flop_per_byte", "AI", K::FlopPerByte, 0, true}};
}

Table info_table(const Graph& g) {
  Table t(info_columns());
  OpCost total;
  for (int id : g.live_nodes()) {
    const Node& n = g.node(id);
    const OpCost c = op_cost(g, n);
    total += c;
    t.add_row({n.name, op_label(g, n), shape_text(g.value(n.outputs[0]).desc.dims), c.params, c.macs, c.flops, c.bytes,
               c.intensity()});
  }
  t.set_totals({std::string("total"), fmt::format("{} ops", g.live_nodes().size()), std::string(), total.params,
                total.macs, total.flops, total.bytes, total.intensity()});
  return t;
}

/// `info`'s outputs: the table with a heading line (table, md), the bare CSV, or the table's JSON with the model.
class InfoReporter : public Reporter {
 public:
  InfoReporter(const std::string& model, bool fused, const Graph& g, const PassReport& passes, bool csv_totals,
               TableView view)
      : model_(model), fused_(fused), g_(g), passes_(passes), t_(info_table(g)), width_(view.width) {
    t_.set_csv_totals(csv_totals);
    t_.set_view(std::move(view));
  }
  std::vector<Format> formats() const override { return t_.formats(); }
  std::string render(Format f) const override {
    if (f == Format::Json) {
      nlohmann::json j = t_.to_json();
      j["model"] = model_;
      j["input_dims"] = g_.value(g_.inputs.at(0)).desc.dims;
      j["fused"] = fused_;
      return j.dump(2) + "\n";
    }
    if (f != Format::Table && f != Format::Md) return t_.render(f);
    const std::string heading =
        fmt::format("{} — input {}{}\n\n", model_, dims_str(g_.value(g_.inputs.at(0)).desc.dims),
                    fused_ ? ", optimized (" + passes_.describe() + ")" : std::string(", as written"));
    const int width = width_ > 0 ? width_ : terminal_width();
    return (f == Format::Md ? heading : wrap_lines(heading, static_cast<std::size_t>(width), 2)) + t_.render(f);
  }

 private:
  std::string model_;
  bool fused_;
  const Graph& g_;
  PassReport passes_;
  Table t_;
  int width_;
};

}  // namespace

}  // namespace rs::api

namespace roofscope {

std::vector<std::string> models() {
  std::vector<std::string> names;
  for (const rs::ZooEntry& e : rs::zoo()) names.push_back(e.name);
  return names;
}

std::string info(const ModelSource& model, bool fused, const std::string& format, bool csv_totals,
                 const Columns& columns) {
  const rs::Format f = rs::parse_format(format);
  rs::TableView view = rs::api::table_view(columns, rs::api::info_columns());
  rs::api::check_totals(csv_totals, f);
  rs::Graph g = rs::api::load_model(model);
  rs::PassReport passes;
  if (fused) passes = rs::optimize(g, true);
  return rs::api::render_output(rs::api::InfoReporter(model.model, fused, g, passes, csv_totals, std::move(view)), f, nullptr);
}

}  // namespace roofscope
