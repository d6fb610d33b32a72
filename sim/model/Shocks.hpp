#pragma once
// Shocks (MODEL.md section 9): scheduled or random events that change the partnership's world.
#include "model/PartnershipState.hpp"
#include "random/RandomStreams.hpp"

namespace p3sim {

/// Applies one shock now: funding_cut removes `fraction` of a capability from the organizations
/// hit; leadership_turnover resets champion support and disclosure; policy_reversal changes the
/// governance mode or the imposed hierarchy; security_incident lowers trust toward local members
/// and population support; market_shock lowers market access; member_entry invites an
/// organization. Emits a shock event per organization hit (or one for the partnership).
void apply_shock(const Scenario& scenario, PartnershipState& state, const Shock& shock, Engine& rng);

/// The shocks phase: scheduled shocks of this step and random shocks (one Bernoulli draw each per
/// step, whatever happens), then recovery of support and market levels.
void apply_shocks(const Scenario& scenario, PartnershipState& state, Engine& rng);

}  // namespace p3sim
