#pragma once
// Production (MODEL.md section 8): delivered capabilities, CES output, coordination and
// legitimacy, credit, and what reaches the population.
#include <vector>

#include "model/PartnershipState.hpp"

namespace p3sim {

/// CES aggregate of need-normalized capability levels x_c with weights w_c (normalized here) and
/// exponent r: (sum w x^r)^(1/r); r = 0 is Cobb-Douglas; r < 0 gives 0 when any weighted x is 0.
double ces(const std::vector<double>& x, const std::vector<double>& weights, double r);

/// Coordination efficiency 1 - (1 - coordination) * (1 - 1/n_active); 0 when nobody is active.
double coordination_efficiency(double coordination, int active);

/// The produce phase: dQ from delivered capabilities of members (per working group in a
/// constellation, per organization when isolated), cumulative output, contribution and credit
/// shares, per-member value and cost for champions, costs and overhead, and the support and market
/// access that reach the population.
void produce(const Scenario& scenario, PartnershipState& state);

}  // namespace p3sim
