#pragma once
// Summary: per-metric, per-group estimates of a p3sim result file (`p3sim summarize`), each by the
// estimator of its metric's kind (docs/estimators.md).
//
// Only runs with status done count: pending runs of an interrupted sweep and failed runs have no
// metrics, and counting them as zeros would bias every mean.
#include <cstdint>
#include <string>
#include <vector>

#include "io/ResultReader.hpp"
#include "stats/Estimators.hpp"

namespace p3sim {

/// One group of runs sharing a value of the --by parameter (or all done runs when not grouping).
struct SummaryGroup {
  double value = 0;          ///< the parameter's value in the file (0 when not grouping)
  std::string label;         ///< human-readable value: the variant text (compare) or level name (sweep), else the number
  std::vector<MetricSummary> estimates;  ///< one per Summary::metrics entry, by the metric's kind
};

/// The summary of one file.
struct Summary {
  std::string by;                    ///< parameter name as recorded in the file; "" when not grouping
  std::vector<std::string> metrics;  ///< final metric names, in the order asked for
  std::vector<SummaryGroup> groups;  ///< sorted by value
  std::size_t runs_total = 0;        ///< rows of /runs
  std::size_t runs_done = 0;         ///< runs with status done (the only ones used)
  double horizon = 0;                ///< the runs' steps: where times that never came are censored
};

/// Summarizes `reader`'s file. `by` names a recorded parameter either as its JSON Pointer
/// ("/governance/mode") or its /params dataset name ("governance.mode"); "" means one group.
/// `metrics` are kFinalMetrics names; empty means all of them.
/// Throws InputError (exit code 2) for an unknown parameter or metric, listing the valid ones.
Summary summarize(const ResultReader& reader, const std::string& by, const std::vector<std::string>& metrics);

/// The JSON text stored in the sweep_json provenance attribute by `p3sim compare`: which variant
/// value each index of the varied parameter stands for. Parsed by summarize() for group labels.
std::string compare_variants_json(const std::string& pointer, const std::vector<std::string>& values,
                                  int replications, std::uint64_t master_seed);

}  // namespace p3sim
