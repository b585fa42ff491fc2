#include "profiler/experiments/experiment_verdict.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "graph/units.h"

namespace rs {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Holds: return "holds";
    case Verdict::DoesNotHold: return "does not hold";
    case Verdict::Inconclusive: return "inconclusive";
  }
  return "?";
}

const char* direction_symbol(Direction d) { return d == Direction::Less ? "<" : ">"; }

Verdict judge(const Interval& a, Direction claim, const Interval& b) {
  if (!a.valid() || !b.valid()) return Verdict::Inconclusive;
  const bool a_below = a.hi < b.lo, a_above = a.lo > b.hi;
  if (!a_below && !a_above) return Verdict::Inconclusive;
  const bool claimed = claim == Direction::Less ? a_below : a_above;
  return claimed ? Verdict::Holds : Verdict::DoesNotHold;
}

Verdict combine(const std::vector<Verdict>& vs) {
  if (vs.empty()) return Verdict::Inconclusive;
  if (std::all_of(vs.begin(), vs.end(), [](Verdict v) { return v == Verdict::Holds; })) return Verdict::Holds;
  if (std::all_of(vs.begin(), vs.end(), [](Verdict v) { return v == Verdict::DoesNotHold; }))
    return Verdict::DoesNotHold;
  return Verdict::Inconclusive;
}

Verdict judge_threshold(double x, double holds_at, double fails_below) {
  if (!(fails_below <= holds_at))
    throw std::invalid_argument(
        fmt::format("judge_threshold: fails_below {} must be <= holds_at {}", fails_below, holds_at));
  if (std::isnan(x)) return Verdict::Inconclusive;
  if (x >= holds_at) return Verdict::Holds;
  if (x < fails_below) return Verdict::DoesNotHold;
  return Verdict::Inconclusive;
}

std::string format_in_unit(double x, const std::string& unit) {
  if (unit == "s") return format_seconds(x);
  if (unit == "B") return format_bytes(x);
  if (!std::isfinite(x)) return "n/a";
  return fmt::format("{:.3g}{}", x, unit.empty() ? "" : " " + unit);
}

std::string Comparison::text() const {
  return fmt::format("{} [{}, {}] {} {} [{}, {}]: {}", a_label, format_in_unit(a.lo, unit), format_in_unit(a.hi, unit),
                     direction_symbol(claim), b_label, format_in_unit(b.lo, unit), format_in_unit(b.hi, unit),
                     verdict_name(verdict));
}

Comparison compare(std::string a_label, const Interval& a, Direction claim, std::string b_label, const Interval& b,
                   std::string unit) {
  Comparison c;
  c.a_label = std::move(a_label);
  c.b_label = std::move(b_label);
  c.a = a;
  c.b = b;
  c.claim = claim;
  c.unit = std::move(unit);
  c.verdict = judge(a, claim, b);
  return c;
}

}  // namespace rs
