#pragma once
// Agenda: stated positions, bounded-confidence meetings, misunderstandings and true alignment
// (MODEL.md section 4).
#include "model/PartnershipState.hpp"
#include "random/RandomStreams.hpp"

namespace p3sim {

/// Normalized distance |a - b| / sqrt(D) in [0,1] between two positions.
double position_distance(const Eigen::Ref<const Eigen::VectorXd>& a, const Eigen::Ref<const Eigen::VectorXd>& b);

/// Recomputes every stated position p_i = d_i g_i + (1 - d_i) q_i + shift_i, clipped to [0,1].
void refresh_stated_positions(PartnershipState& state);

/// Probability that members i and j misunderstand each other in one encounter:
/// m0 * |x_i - x_j| / sqrt(2) * (1 - communication) * (1 - bridge_effect if a bridge is present).
double misunderstanding_probability(const Scenario& scenario, const PartnershipState& state, int i, int j,
                                    bool bridge_present);

/// One round of agenda dynamics among current members (Deffuant pairs in a shuffled order, or
/// Hegselmann-Krause), with misunderstandings. Backbone facilitation raises mu and epsilon.
void agenda_round(const Scenario& scenario, PartnershipState& state, Engine& rng);

/// Recomputes the partnership agenda A (and working-group agendas) from stated positions with the
/// weights of the governance mode, then every member's true alignment alpha_i.
void update_agenda(const Scenario& scenario, PartnershipState& state);

/// The communicate phase: meetings (meeting_rounds at the first and second meetings, otherwise
/// rounds_per_step), then agenda and alignment; emits a misunderstanding burst event when needed.
void communicate(const Scenario& scenario, PartnershipState& state, Engine& rng);

}  // namespace p3sim
