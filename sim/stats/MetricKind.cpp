// MetricKind: the kind of each final metric (docs/estimators.md, "What kind of number").
#include "stats/MetricKind.hpp"

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
    case kFEquity:
    case kFAcceptability: return MetricKind::Bounded;
    case kFCostPerOutcome: return MetricKind::Conditional;
    default:
      if (index < 0 || index >= kFinalCount) throw std::out_of_range("metric_kind: no final metric " + std::to_string(index));
      return MetricKind::Amount;
  }
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
