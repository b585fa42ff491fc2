// Human-readable view of a machine profile: theoretical vs measured roofs side by side with their ratio (the hardware
// loss of seed 001 §III.1), ridge points and warnings.
#pragma once
#include <string>

#include "profiler/machine/machine_profile.h"
#include "profiler/report/report.h"
#include "profiler/report/reporter.h"

namespace rs {

/// Multi-line table (ends with a newline), fitted to the view's width (the compute and memory tables show their
/// compact columns unless view.wide). Ratios above 100% are flagged "(!)" and explained in the warnings; figures
/// derived from unknown inputs print "n/a".
std::string format_machine_table(const MachineProfile& profile, const TableView& view = {});

/// `roofscope calibrate`'s outputs: table (format_machine_table) or json (the machine profile's JSON, as cached).
/// Holds a reference: `profile` must outlive it.
class MachineReporter : public Reporter {
 public:
  explicit MachineReporter(const MachineProfile& profile) : profile_(profile) {}
  std::vector<Format> formats() const override;
  std::string render(Format format) const override;
  /// The table's columns and width (--wide, $COLUMNS).
  void set_view(TableView view) { view_ = std::move(view); }

 private:
  const MachineProfile& profile_;
  TableView view_;
};

}  // namespace rs
