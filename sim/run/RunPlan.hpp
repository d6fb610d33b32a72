#pragma once
// RunPlan: one run of a sweep, as the ensemble executes it and the writer files it.
#include <cstdint>
#include <memory>

#include "scenario/Scenario.hpp"

namespace p3sim {

/// Which run this is and what it simulates. Cheap to copy: the scenario is shared by every
/// replicate of the design point (loaded and validated once, then trusted).
struct RunPlan {
  std::int64_t run = 0;        ///< row in the result file: replicate * points + point
  std::int64_t point = 0;      ///< design point (parameter values x pitfall set)
  std::int64_t replicate = 0;  ///< replicate index
  std::uint64_t seed = 0;      ///< derive_run_seed(master seed, replicate): equal across points
  std::shared_ptr<const Scenario> scenario;
};

}  // namespace p3sim
