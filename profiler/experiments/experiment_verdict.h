// The verdicts of `roofscope experiment`: the rule deciding a claim from two confidence intervals of the median
// (runtime/stats.h computes them), how several verdicts combine, and the comparisons the reports show.
#pragma once
#include <string>
#include <vector>

#include "runtime/stats.h"

namespace rs {

/// The outcome of testing one claim.
enum class Verdict { Holds, DoesNotHold, Inconclusive };
/// "holds" | "does not hold" | "inconclusive".
const char* verdict_name(Verdict verdict);

/// The direction a claim asserts between two quantities a and b.
enum class Direction { Less, Greater };
/// "<" | ">".
const char* direction_symbol(Direction direction);

/// The verdict on the claim "a (direction) b" from the two intervals: Holds when they are disjoint in the claimed
/// order (Less: a.hi < b.lo), DoesNotHold when disjoint in the opposite order, Inconclusive when they overlap or
/// touch, or either is not valid(). With two 95% intervals, disjointness is a conservative test (a difference of
/// medians is declared at a level well above 95%), so "inconclusive" is the honest answer on a noisy machine.
Verdict judge(const Interval& a, Direction claim, const Interval& b);

/// Verdict of a claim made of several comparisons that must all hold: Holds when every one holds, DoesNotHold when
/// every one does not hold, otherwise (mixed, or empty) Inconclusive.
Verdict combine(const std::vector<Verdict>& verdicts);

/// Verdict of a claim "x is at least `holds_at`" for a statistic without an interval (e.g. a fit's R^2): Holds when
/// x >= holds_at, DoesNotHold when x < fails_below, Inconclusive in between or when x is NaN.
/// Throws std::invalid_argument unless fails_below <= holds_at.
Verdict judge_threshold(double x, double holds_at, double fails_below);

/// `x` in `unit` for people: "s" and "B" through graph/units.h ("12.3 ms", "3 MiB"), else 3 significant digits and
/// the unit ("1.21 ps/FLOP"); "n/a" for NaN/inf.
std::string format_in_unit(double x, const std::string& unit);

/// One tested comparison, as shown in the reports: "a (claim) b" with both intervals in `unit` (machine formats keep
/// the numbers in that unit: seconds for times).
struct Comparison {
  std::string a_label, b_label;  ///< e.g. "t(dw) x 64", "t(dense)"
  Interval a, b;
  Direction claim = Direction::Less;
  std::string unit;              ///< e.g. "s", "ps/FLOP", "" (unitless)
  Verdict verdict = Verdict::Inconclusive;
  /// "t(dw) x 64 [1.21 ms, 1.40 ms] < t(dense) [930 µs, 1.02 ms]: does not hold".
  std::string text() const;
};
/// Builds the comparison and judges it.
Comparison compare(std::string a_label, const Interval& a, Direction claim, std::string b_label, const Interval& b,
                   std::string unit);

}  // namespace rs
