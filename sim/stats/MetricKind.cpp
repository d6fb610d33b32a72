// MetricKind: the kind of each final metric (docs/estimators.md, "What kind of number").
#include "stats/MetricKind.hpp"

#include <limits>
#include <stdexcept>

#include "result/RunResult.hpp"

namespace p3sim {

MetricKind metric_kind(int index) {
  switch (index) {
    case kFGoalReached: return MetricKind::Share;
    case kFTimeToGoal: return MetricKind::Time;
    case kFRetention:
    case kFMeanTrust:
    case kFCrossTrust:
    case kFEquity: return MetricKind::Bounded;
    // Undefined (-1) when the partnership has no members at the end (acceptability) or fewer than
    // two (its spread): a dissolved partnership accepts nothing, it is not an acceptability of 0.
    case kFAcceptability:
    case kFAcceptabilitySd:
    case kFCostPerOutcome: return MetricKind::Conditional;
    default:
      if (index < 0 || index >= kFinalCount) throw std::out_of_range("metric_kind: no final metric " + std::to_string(index));
      return MetricKind::Amount;
  }
}

double metric_upper_bound(int index) {
  if (metric_kind(index) == MetricKind::Bounded || index == kFAcceptability) return 1.0;
  return std::numeric_limits<double>::infinity();
}

std::string_view kind_name(MetricKind kind) {
  switch (kind) {
    case MetricKind::Share: return "share";
    case MetricKind::Time: return "time";
    case MetricKind::Bounded: return "bounded";
    case MetricKind::Amount: return "amount";
    case MetricKind::Conditional: return "conditional";
  }
  return "amount";
}

}  // namespace p3sim
