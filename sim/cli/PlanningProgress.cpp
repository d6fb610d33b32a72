// Progress while a sweep's design points are checked (see PlanningProgress.hpp).
#include "cli/PlanningProgress.hpp"

#include <cstdio>
#include <utility>

#include <unistd.h>

namespace p3sim::cli {

PlanningProgress::PlanningProgress(bool enabled, std::function<void()> poll)
    : enabled_(enabled), poll_(std::move(poll)) {}

SweepPlan::Observer PlanningProgress::observer() {
  return [this](std::int64_t checked, std::int64_t total) {
    if (poll_) poll_();
    if (!progress_) {
      progress_.emplace(total, enabled_, isatty(STDERR_FILENO) != 0);
      progress_->set_unit("design points checked", "points/s");
    }
    progress_->update(checked);
  };
}

void PlanningProgress::finish() {
  if (progress_ && progress_->shown()) progress_->finish(progress_->total());
}

}  // namespace p3sim::cli
