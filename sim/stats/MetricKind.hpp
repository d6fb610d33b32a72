#pragma once
// MetricKind: what kind of number each final metric is, which decides its estimator
// (docs/estimators.md). The Python analysis package keeps the same table
// (p3sim_analysis/estimators.py, METRIC_KINDS); tests/python/test_stats_agree.py holds them equal.
#include <string_view>

namespace p3sim {

enum class MetricKind {
  Share,        ///< 0 or 1 per run: a proportion over runs (Wilson, Newcombe)
  Time,         ///< a step, or -1 for "never" within the horizon: right-censored (Kaplan-Meier, RMST)
  Bounded,      ///< in [0, 1]: t intervals cut to the range
  Amount,       ///< >= 0: t intervals cut to [0, inf)
  Conditional   ///< >= 0 where defined, -1 where undefined: estimated over the runs where defined
};

/// The kind of final metric `index` (an index into kFinalMetrics).
MetricKind metric_kind(int index);

/// The largest value final metric `index` can take where defined: 1 for the bounded metrics and
/// for acceptability (a mean alignment), infinity otherwise. Intervals are cut to it.
double metric_upper_bound(int index);

/// "share", "time", "bounded", "amount" or "conditional" (the `kind` field of --json outputs).
std::string_view kind_name(MetricKind kind);

/// The value that codes "never" (Time) or "undefined" (Conditional) in a run's final metrics.
inline constexpr double kSentinel = -1.0;

}  // namespace p3sim
