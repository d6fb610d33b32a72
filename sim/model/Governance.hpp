#pragma once
// Governance (MODEL.md section 7): effective coordination and transparency under backbone capacity,
// credit rules, and constellation working groups.
#include "model/PartnershipState.hpp"
#include "random/RandomStreams.hpp"

namespace p3sim {

/// Coordination and transparency after the backbone's capacity: with more members than the
/// backbone can serve, both lose up to `bottleneck` of their value in proportion to the shortfall.
void apply_backbone_capacity(PartnershipState& state);

/// Policy reversal at run time. A new mode takes every column from that mode's preset (the
/// scenario's overrides were for the old mode); a given hierarchy then overrides H. Without a new
/// mode only H changes. Switching into backbone mode mid-run leaves the partnership without a
/// backbone organization (no facilitation, no credit taken) unless the scenario named one.
void switch_governance(PartnershipState& state, std::optional<GovernanceMode> mode, std::optional<double> hierarchy);

/// Credit shares from contribution shares by the mode's rule: by contribution (constellation,
/// network), own output only (isolated), a share to the backbone (backbone) or to the lead
/// (hierarchy) with the rest by contribution. Also the visibility-weighted credit gap of each member.
void assign_credit(PartnershipState& state);

/// Constellation only: dissolves groups whose mean alpha*B is below the threshold, forms new groups
/// from ungrouped members (by capability complementarity and stated-position proximity), and rotates
/// the lead role. Emits group_formed / group_dissolved events.
void organize_working_groups(const Scenario& scenario, PartnershipState& state, Engine& rng);

/// Removes a member from its working group (on exit). A group left with one member dissolves at
/// the next communicate phase (cause low_cohesion).
void leave_working_group(PartnershipState& state, int org);

}  // namespace p3sim
