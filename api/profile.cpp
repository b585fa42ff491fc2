// roofscope::profile (`roofscope profile`): per-op predicted vs actual time and the loss split.
#include <iostream>

#include <fmt/format.h>

#include "api/common.h"
#include "api/profile.h"
#include "api/provenance.h"
#include "api/tuning.h"
#include "graph/files.h"
#include "graph/passes.h"
#include "profiler/machine/calibrate.h"
#include "profiler/report/profile_report.h"
#include "profiler/roofline/profile.h"

namespace rs::api {

namespace {

std::string ghz(double x) { return x > 0 ? fmt::format("{:.2f} GHz", x) : "n/a"; }

/// The kernels chosen as run would choose them: --tune off or a valid cache go straight to the arms; a fresh
/// tuning (with its end-to-end race) compiles once more here, and the arms reuse its choices.
rs::TuneOptions arm_tuning(const roofscope::Tune& tune, const rs::Graph& g, const std::string& model, int threads) {
  const rs::api::TunePlan plan = rs::api::plan_tuning(tune, g, model, threads);
  rs::TuneOptions t = plan.options;
  t.enabled = false;
  if (plan.options.enabled && plan.options.cached.empty())
    t.cached = rs::api::compile_with_tuning(plan, g, rs::ExecOptions{})->choices();
  return t;
}

}  // namespace

Profiled profile_once(const roofscope::ModelSource& model, const roofscope::ProfileOptions& a) {
  check_measure_args(a.measure);
  if (a.threads.no_bind)
    throw std::invalid_argument("profile always measures pinned threads (and, for the OS column, unpinned ones); "
                                "drop --no-bind");
  const BindingReport bind = apply_threads(a.threads);
  rs::CalibrateOptions co;
  co.max_threads = bind.threads;
  co.quick = true;
  co.machine_file = a.machine_file;
  co.mem_bw_gb_per_s = a.mem_bw_gbs;
  Profiled out{machine_profile_for(co), {}};
  Graph g = load_model_to_run(model);
  optimize(g, !model.no_fuse);
  rs::ProfileOptions po;
  po.iters = a.measure.iters;
  po.warmup = a.measure.warmup;
  po.min_time_s = a.measure.min_time_s;
  po.shields_off_arm = !a.no_ab;
  po.tuning = arm_tuning(a.tune, g, model.model, bind.threads);
  {
    Progress progress("profiling " + model.model);
    po.progress = [&](int done, int total) { progress.update(done, total); };
    out.profile = profile_model(model.model, g, out.machine, bind.threads, po);
  }
  const Roofs& r = out.profile.roofs;
  fmt::print(stderr, "roofscope: machine profile {}; clock {} at calibration, {} now\n", r.provenance.describe(),
             ghz(r.clock_calibration_ghz), ghz(r.clock_now_ghz));
  return out;
}

}  // namespace rs::api

namespace roofscope {

std::string profile(const ModelSource& model, const ProfileOptions& a, const std::string& format) {
  using namespace rs;
  using namespace rs::api;
  const Format f = parse_format(format);
  require_at_least("--top", a.top, 0);
  const ProfileSort sort = parse_profile_sort(a.sort);
  const TableView view = table_view(a.columns, profile_columns());
  check_totals(a.csv_totals, f);
  for (const std::string* out : {&a.plot, &a.html, &a.trace})  // before the work; no file is left half-written
    if (!out->empty()) check_writable(*out);
  const Profiled run = profile_once(model, a);
  const ModelProfile& p = run.profile;
  ProfileReporter report(p, run.machine, profile_order(p, sort, static_cast<std::size_t>(a.top)));
  report.set_csv_totals(a.csv_totals);
  report.set_view(view);
  if (!a.plot.empty()) write_file(a.plot, report.render(Format::Svg), "the roofline plot");
  if (!a.html.empty()) write_file(a.html, report.render(Format::Html), "the HTML report");
  if (!a.trace.empty()) write_file(a.trace, report.render(Format::Trace), "the trace");
  return render_output(report, f, &run.machine);
}

}  // namespace roofscope
