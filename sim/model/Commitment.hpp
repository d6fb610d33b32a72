#pragma once
// Champions, exits and their causes (MODEL.md section 10). Entries happen by invitation in the
// lifecycle (solicit, interim, scale) and by member_entry shocks.
#include <array>

#include "model/PartnershipState.hpp"

namespace p3sim {

/// Pressures behind an exit, in the order of the exit causes (hierarchy, misalignment, distrust,
/// no_results, credit, shock): hierarchy friction, 1 - alpha, alpha times the fall of B since the pledge, net cost over value
/// relative to the cost scale, credit friction, and recent shock severity.
std::array<double, 6> exit_pressures(const Scenario& scenario, const PartnershipState& state, int i);

/// The cause of an exit: the largest pressure (ties go to the earlier cause).
Cause exit_cause(const std::array<double, 6>& pressures);

/// Removes member i with the given cause, records it and emits the exit event.
void leave(PartnershipState& state, int i, Cause cause, double value);

/// The commit phase: champion support moves with net value (c += eta (value - cost) - decay);
/// members leave when support falls below c_min or when alpha * B - f stays below exit_threshold
/// for `patience` steps; a departed lead is replaced by the member with most resources.
void commit(const Scenario& scenario, PartnershipState& state);

}  // namespace p3sim
