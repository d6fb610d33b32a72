#pragma once
// The partnership lifecycle (MODEL.md section 5): scope, solicit, interim, agree, execute, scale.
#include "model/PartnershipState.hpp"
#include "random/RandomStreams.hpp"

namespace p3sim {

/// Phase scheduled for `step` (1-based) when nothing has been reached early: scope at step 1, then
/// solicit_steps of solicit, interim_steps of interim (none with skip_interim), one agree step,
/// then execute. Scale is entered by progress, not by schedule.
Phase scheduled_phase(const LifecycleParams& lifecycle, int step);

/// Expected value of joining for candidate i: the incentive-weighted prospects times the fit,
/// alpha against the current agenda times (1 + trust in the lead) / 2.
double joining_value(const Scenario& scenario, const PartnershipState& state, int i);

/// Invites organization i: it joins when its expected value (plus noise) exceeds its participation
/// cost. Emits a join event and, once the partnership executes, pledges at once. Returns whether
/// it joined.
bool invite(const Scenario& scenario, PartnershipState& state, int i, Engine& rng);

/// Pledged fraction for member i: pledge_min + (pledge_max - pledge_min) * alpha_i * B_i.
double pledge_fraction(const Scenario& scenario, const PartnershipState& state, int i);

/// The lifecycle phase: advances the phase, runs the work of the phase (invitations, missing-voice
/// flags, interim talks, pledges, scaling) and emits phase events. In isolated mode there is no
/// partnership: every available organization acts alone.
void advance_lifecycle(const Scenario& scenario, PartnershipState& state, Engine& rng);

}  // namespace p3sim
