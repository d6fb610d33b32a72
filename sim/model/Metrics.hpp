#pragma once
// Metrics of MODEL.md section 11: per-step series and per-run final values.
#include "model/PartnershipState.hpp"

namespace p3sim {

class Population;

/// Records the series of step `state.step` into `result` (step 0 is the initial state).
void record_step(const Scenario& scenario, const PartnershipState& state, const Population* population,
                 RunResult& result);

/// Fills the final metrics and the per-organization final state.
void record_final(const Scenario& scenario, const PartnershipState& state, const Population* population,
                  RunResult& result);

/// 1 - Gini coefficient of non-negative values (1 = perfectly equal); 1 for fewer than two values
/// or when all are zero.
double equity(std::vector<double> values);

}  // namespace p3sim
