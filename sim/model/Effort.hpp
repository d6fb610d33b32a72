#pragma once
// Effort decision by conditional cooperation, friction and sanctions (MODEL.md section 6).
#include "model/PartnershipState.hpp"
#include "random/RandomStreams.hpp"

namespace p3sim {

/// Friction of member i: phi_h * max(0, H - h_i) + phi_c * credit_gap_i + overhead share.
/// Fills the three components in `state` and returns their sum.
double friction(const Scenario& scenario, PartnershipState& state, int i);

/// A cooperation type's response to belief B: a + s * min(B, peak) - s * max(0, B - peak).
double contribution_response(const CooperationRule& rule, double belief);

/// Intended effort: clamp(alpha * (response(B) + sanction) - f, 0, 1), where a member deterred by
/// expected punishment (deterrence > 0) gives at least deterrence * (B - tolerance): it avoids
/// falling short of what it expects the others to give.
double intended_effort(double alpha, const CooperationRule& rule, double sanction, double belief, double friction,
                       double deterrence = 0, double tolerance = 0);

/// How far member i expects a shortfall to be punished, in [0, anticipation]: its confidence that
/// shortfalls get punished times the expected loss per unit of shortfall (impact x rate x
/// transparency x partners that see it), capped at 1. 0 without peer punishment.
double deterrence(const Scenario& scenario, const PartnershipState& state, int i);

/// Effort rounded to the nearest multiple of 1/levels (levels 0: unchanged).
double to_levels(double effort, int levels);

/// The decide phase: every member chooses its effort; it is delivered with probability rho_i
/// (otherwise nothing is delivered this step). Only while the partnership executes.
void decide(const Scenario& scenario, PartnershipState& state, Engine& rng);

/// Sanctions after observation: a member that delivered less than sanction_norm is caught with
/// probability equal to the transparency and its sanction pressure rises by the mode's sanction
/// strength (peer sanctions in a constellation only inside a working group); otherwise the
/// pressure decays.
void apply_sanctions(const Scenario& scenario, PartnershipState& state, Engine& rng);

/// Costly peer punishment (scenario.punishment; nothing when its rate is 0). Member i punishes
/// partner j when it saw j's contribution (directly observed, with probability the transparency),
/// gave more than j, and j fell short of the mean of the others' contributions by more than the
/// tolerance: rate * shortfall points. Each point costs the punisher `cost` and the punished
/// `impact` (added to this step's cost), and the punished gain response * impact sanction pressure
/// per point. A member that saw punishment given becomes sure shortfalls are punished
/// (punishment_seen 1), a confidence that fades at sanction_decay. Runs after apply_sanctions.
void apply_punishment(const Scenario& scenario, PartnershipState& state, Engine& rng);

}  // namespace p3sim
