#pragma once
// Trust and beliefs (MODEL.md section 3).
#include "model/PartnershipState.hpp"
#include "random/RandomStreams.hpp"

namespace p3sim {

/// Sets the prior matrix (sector-pair prior plus prehistory) and the initial trust: the prior plus
/// N(0, prior_noise), clipped to [0,1]. Draws from `rng` (the set-up stream).
void initialize_trust(const Scenario& scenario, PartnershipState& state, Engine& rng);

/// Whether i observes j's deliveries directly this step: both members, and they share the
/// backbone, the command structure, the public commitments (network) or a working group.
bool observes_directly(const PartnershipState& state, int i, int j);

/// The observe phase: noisy observation of delivered effort (minus `misread` after a
/// misunderstanding), asymmetric update toward it, gossip for members that do not observe each
/// other, decay toward the prior for pairs involving non-members; then beliefs. Only during
/// execution; before it, only beliefs are refreshed.
void observe(const Scenario& scenario, PartnershipState& state, Engine& rng);

/// Moves trust toward an observation: rate `gain` when the observation is at least the current
/// trust, `loss` otherwise. Returns the new trust (not clipped: both inputs are in [0,1]).
double updated_trust(double trust, double observation, double gain, double loss);

/// B_i for every organization: pledge-weighted mean of T_ij over i's current partners; an
/// organization without partners keeps its previous belief; in isolated mode B_i = 1.
void update_beliefs(PartnershipState& state);

/// Mean trust over ordered member pairs (cross_sector: only pairs of different sectors). With fewer
/// than two such members, the mean over all organization pairs of that kind (the prior landscape).
double mean_member_trust(const PartnershipState& state, bool cross_sector);

}  // namespace p3sim
