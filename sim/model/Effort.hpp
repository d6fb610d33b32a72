#pragma once
// Effort decision by conditional cooperation, friction and sanctions (MODEL.md section 6).
#include "model/PartnershipState.hpp"
#include "random/RandomStreams.hpp"

namespace p3sim {

/// Friction of member i: phi_h * max(0, H - h_i) + phi_c * credit_gap_i + overhead share.
/// Fills the three components in `state` and returns their sum.
double friction(const Scenario& scenario, PartnershipState& state, int i);

/// Intended effort: clamp(alpha * (a + sanction + s * B) - f, 0, 1).
double intended_effort(double alpha, double intercept, double sanction, double slope, double belief,
                       double friction);

/// The decide phase: every member chooses its effort; it is delivered with probability rho_i
/// (otherwise nothing is delivered this step). Only while the partnership executes.
void decide(const Scenario& scenario, PartnershipState& state, Engine& rng);

/// Sanctions after observation: a member that delivered less than sanction_norm is caught with
/// probability equal to the transparency and its sanction pressure rises by the mode's sanction
/// strength (peer sanctions in a constellation only inside a working group); otherwise the
/// pressure decays.
void apply_sanctions(const Scenario& scenario, PartnershipState& state, Engine& rng);

}  // namespace p3sim
