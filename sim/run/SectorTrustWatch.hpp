#pragma once
// SectorTrustWatch: notices when trust between two sectors collapses during a run, for the story.
//
// After each step it takes, for every pair of different sectors with members on both sides, the
// mean mutual trust (T_ij + T_ji) / 2 over member pairs across the two sectors. A pair's trust
// "collapses" when it falls below kCollapseBelow after having stood at or above kArmedFrom since
// the pair last collapsed (or since the start): a fall from a working relationship to suspicion,
// not the slow drift of a pair that never trusted much. The watch reads the state; it draws no
// random numbers and changes nothing, so a watched run is the same run.
#include <string>
#include <utility>
#include <vector>

#include "model/PartnershipState.hpp"
#include "scenario/Scenario.hpp"

namespace p3sim {

class SectorTrustWatch {
 public:
  static constexpr double kArmedFrom = 0.45;     ///< trust that counts as a working relationship
  static constexpr double kCollapseBelow = 0.3;  ///< trust that counts as collapsed
  static constexpr int kLowSteps = 3;            ///< steps below kCollapseBelow that make a collapse

  explicit SectorTrustWatch(const Scenario& scenario);

  /// Looks at the state after a step (call once per step, in order).
  void observe(const PartnershipState& state);

  /// One story line per collapse: (month of the fall, "trust between the business and civil
  /// society sectors collapsed (0.52 -> 0.27) while they delivered 0.61 of their pledges"), in
  /// month order.
  const std::vector<std::pair<int, std::string>>& collapses() const { return collapses_; }

 private:
  struct PairWatch {
    int a = 0, b = 0;       ///< sector indices, a < b
    bool armed = false;     ///< stood at or above kArmedFrom since the last collapse
    double peak = 0;        ///< highest level since armed
    int low_since = -1;     ///< first step of the current run of steps below kCollapseBelow, or -1
    int low_steps = 0;      ///< steps in that run
    double lowest = 1;      ///< lowest level in that run
    double delivered = 0;   ///< sum over that run of the mean delivery of the two sides' members
  };
  const Scenario& scenario_;
  std::vector<PairWatch> pairs_;
  std::vector<std::pair<int, std::string>> collapses_;
};

/// The story lines of narrate() with `extra` (month, text) lines merged in month order (after the
/// event lines of the same month), each as "month N: text".
std::vector<std::string> merge_story(std::vector<std::string> lines, const std::vector<std::pair<int, std::string>>& extra);

}  // namespace p3sim
