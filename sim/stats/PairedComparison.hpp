#pragma once
// PairedComparison: replicates of several variants of one scenario under common random numbers,
// and the paired differences of each variant against the first (the baseline).
//
// Replicate r of every variant runs with derive_run_seed(master, r), so every variant sees the same
// random numbers for the same replicate; the per-replicate difference then cancels most of the
// run-to-run noise and its confidence interval is much narrower than that of two independent
// samples. Runs may be spread over threads, but every result is stored at its (replicate, variant)
// slot and aggregated in replicate order, so nothing depends on the thread count.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "result/RunResult.hpp"
#include "stats/Estimators.hpp"
#include "scenario/Scenario.hpp"

namespace p3sim {

/// What to compare and how long to keep replicating.
struct ComparisonSpec {
  /// The variants, baseline first (at least one). Must outlive the comparison.
  std::vector<const Scenario*> variants;
  /// Indices into kFinalMetrics of the metrics to report; metrics[primary] drives until_ci.
  std::vector<int> metrics;
  std::size_t primary = 0;
  std::uint64_t master_seed = 0;
  /// Replications to run first (>= 2: a confidence interval needs two values).
  int replications = 20;
  /// When > 0: keep adding replications until the half-width of the primary metric's paired
  /// difference interval (of the metric's kind, docs/estimators.md) is below this for every
  /// variant (or max_replications is reached).
  double until_ci = 0;
  /// Upper bound on replications under until_ci.
  int max_replications = 10000;
  /// Worker threads (>= 1). Does not change any result.
  int threads = 1;
};

/// Results for one metric of one variant.
struct VariantMetric {
  MetricSummary level;       ///< the variant's own estimate, by the metric's kind
  PairedSummary difference;  ///< variant - baseline over the replicates (empty for the baseline)
  double holm_p = std::numeric_limits<double>::quiet_NaN();  ///< difference.p, Holm-adjusted over the table
};

/// The outcome of a comparison.
struct ComparisonResult {
  int replications = 0;       ///< replications run per variant
  bool target_reached = true; ///< false when until_ci hit max_replications first
  /// The metrics (indices into kFinalMetrics), in the order of values[v] and stats[v].
  std::vector<int> metrics;
  /// The runs' steps: where a time that never came is censored.
  double horizon = 0;
  /// values[v][m][r]: metric metrics[m] of variant v in replicate r (NaN for a failed run).
  std::vector<std::vector<std::vector<double>>> values;
  /// stats[v][m] for variant v and metric spec.metrics[m].
  std::vector<std::vector<VariantMetric>> stats;
  /// Index (into stats[v]) of the primary metric.
  std::size_t primary = 0;
  /// The largest half-width of the primary metric's difference over the non-baseline variants
  /// (0 with a single variant).
  double primary_half_width() const;
};

/// Called once per run, in (replicate, variant) order, on the calling thread.
using RunSink = std::function<void(int variant, int replicate, const RunResult&)>;

/// Runs the comparison described by `spec`; `sink`, when set, receives every run (e.g. to write
/// it to HDF5). A run that throws is recorded as failed (NaN values, excluded from the pairs) and
/// passed to `sink` with status Failed. Throws std::invalid_argument for an inconsistent spec.
ComparisonResult run_comparison(const ComparisonSpec& spec, const RunSink& sink = {});

/// Recomputes result.stats from result.values (exposed for tests and for re-aggregation).
void aggregate_comparison(ComparisonResult& result);

}  // namespace p3sim
