#pragma once
// ContributionWatch: in a contribution game (a scenario without a target population, such as a
// public-goods classroom), what each player gave in every round, for the story. There the
// contributions are what happens: a free rider is visible only as the player who gives nothing.
// The watch reads the state; it draws no random numbers and changes nothing.
#include <string>
#include <utility>
#include <vector>

#include "model/PartnershipState.hpp"
#include "scenario/Scenario.hpp"

namespace p3sim {

class ContributionWatch {
 public:
  explicit ContributionWatch(const Scenario& scenario);

  /// True when the scenario is a contribution game (no population), so the watch writes lines.
  bool active() const { return active_; }

  /// Looks at the state after a step (call once per step, in order).
  void observe(const PartnershipState& state);

  /// One line per executing step: (month, "contributions: Ana 12, Ben 0, Cleo 9 of 20 tokens
  /// (mean 7)"), or shares of the pledge delivered when contributions are continuous.
  const std::vector<std::pair<int, std::string>>& lines() const { return lines_; }

 private:
  const Scenario& scenario_;
  bool active_ = false;
  std::vector<std::pair<int, std::string>> lines_;
};

}  // namespace p3sim
