#pragma once
// Progress while a sweep's design points are checked (every point is loaded whole: about a
// millisecond each, minutes for 100,000 points), shared by `sweep` and `validate`.
#include <cstdint>
#include <functional>
#include <optional>

#include "sweep/Progress.hpp"
#include "sweep/SweepPlan.hpp"

namespace p3sim::cli {

/// Reports "N/M design points checked" on stderr as sweeps report runs (a bar on a terminal, a
/// line every few seconds otherwise); prints nothing for a planning too short to report.
class PlanningProgress {
 public:
  /// `poll`, if given, is called before each report (a sweep throws Stopped from it on Ctrl-C).
  explicit PlanningProgress(bool enabled, std::function<void()> poll = {});
  /// What to pass to SweepPlan / validate_sweep.
  SweepPlan::Observer observer();
  /// Ends the report (a bar's line) if anything was shown.
  void finish();

 private:
  bool enabled_;
  std::function<void()> poll_;
  std::optional<Progress> progress_;
};

}  // namespace p3sim::cli
