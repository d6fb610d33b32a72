#include "model/Effort.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_01.hpp>

#include "model/Trust.hpp"

namespace p3sim {

double friction(const Scenario& sc, PartnershipState& s, int i) {
  const auto& ep = sc.effort;
  // The lead of a unified hierarchy is the one imposing it: no hierarchy friction for it.
  const bool commands = s.gov.mode == GovernanceMode::Hierarchy && i == s.gov.lead;
  s.friction_hierarchy(i) = commands ? 0.0 : ep.phi_h * std::max(0.0, s.gov.hierarchy - s.hierarchy_pref(i));
  s.friction_credit(i) = ep.phi_c * s.credit_gap(i);
  s.friction_overhead(i) = s.gov.overhead;
  s.friction(i) = s.friction_hierarchy(i) + s.friction_credit(i) + s.friction_overhead(i);
  return s.friction(i);
}

double contribution_response(const CooperationRule& rule, double belief) {
  const double rising = std::min(belief, rule.peak);
  const double falling = std::max(0.0, belief - rule.peak);
  return rule.intercept + rule.slope * (rising - falling);
}

double intended_effort(double alpha, const CooperationRule& rule, double sanction, double belief, double friction,
                       double deterrence, double tolerance) {
  double response = contribution_response(rule, belief);
  if (deterrence > 0) response = std::max(response, deterrence * (belief - tolerance));
  return std::clamp(alpha * (response + sanction) - friction, 0.0, 1.0);
}

double deterrence(const Scenario& sc, const PartnershipState& s, int i) {
  const PunishmentParams& pp = sc.punishment;
  if (!pp.enabled() || s.punishment_seen(i) <= 0) return 0.0;
  int others = 0;
  for (int j = 0; j < s.n; ++j) others += j != i && s.is_member(j) && observes_directly(s, j, i);
  // Expected loss per unit of shortfall if every partner that sees i punishes as it has been seen to.
  const double expected_loss = s.punishment_seen(i) * pp.impact * pp.rate * s.transparency * others;
  return pp.anticipation * std::min(1.0, expected_loss);
}

double to_levels(double effort, int levels) {
  if (levels <= 0) return effort;
  return std::round(effort * levels) / levels;
}

void decide(const Scenario& sc, PartnershipState& s, Engine& rng) {
  boost::random::uniform_01<double> uniform;
  s.effort.setZero();
  s.delivered.setZero();
  if (!s.executing()) return;
  for (int i = 0; i < s.n; ++i) {
    if (!s.is_member(i)) continue;
    const double f = friction(sc, s, i);
    const CooperationRule rule{s.coop_intercept(i), s.coop_slope(i), s.coop_peak(i)};
    const double effort = intended_effort(s.alpha(i), rule, s.sanction(i), s.belief(i), f, deterrence(sc, s, i),
                                          sc.punishment.tolerance);
    s.effort(i) = to_levels(effort, sc.effort.levels);
    const bool delivered = uniform(rng) < s.reliability(i);
    s.delivered(i) = delivered ? s.effort(i) : 0.0;
    s.effort_sum(i) += s.effort(i);
    s.effort_steps(i) += 1;
  }
}

void apply_sanctions(const Scenario& sc, PartnershipState& s, Engine& rng) {
  if (!s.executing()) return;
  boost::random::uniform_01<double> uniform;
  for (int i = 0; i < s.n; ++i) {
    if (!s.is_member(i)) continue;
    const bool can_be_sanctioned =
        s.gov.sanctions > 0 && (s.gov.mode != GovernanceMode::Constellation || s.group_of(i) >= 0);
    const bool caught = can_be_sanctioned && s.delivered(i) < sc.effort.sanction_norm &&
                        uniform(rng) < s.transparency;
    if (caught)
      s.sanction(i) = std::min(1.0, s.sanction(i) + s.gov.sanctions);
    else
      s.sanction(i) *= 1.0 - sc.effort.sanction_decay;
  }
}

void apply_punishment(const Scenario& sc, PartnershipState& s, Engine& rng) {
  const PunishmentParams& pp = sc.punishment;
  if (!pp.enabled()) return;
  s.punishment_given.setZero();
  s.punishment_received.setZero();
  if (!s.executing()) return;
  double total = 0;
  int members = 0;
  for (int j = 0; j < s.n; ++j) {
    if (!s.is_member(j)) continue;
    total += s.delivered(j);
    ++members;
  }
  if (members < 2) return;
  boost::random::uniform_01<double> uniform;
  // Every pair (i, j) in index order draws once whether i saw j's contribution, so that the draws
  // do not depend on who punishes.
  for (int i = 0; i < s.n; ++i) {
    if (!s.is_member(i)) continue;
    for (int j = 0; j < s.n; ++j) {
      if (j == i || !s.is_member(j)) continue;
      const bool seen = observes_directly(s, i, j) && uniform(rng) < s.transparency;
      if (!seen || s.delivered(i) <= s.delivered(j)) continue;
      const double norm = (total - s.delivered(j)) / (members - 1);  // the others' mean
      const double shortfall = norm - s.delivered(j) - pp.tolerance;
      if (shortfall <= 0) continue;
      const double points = pp.rate * shortfall;
      s.punishment_given(i) += points;
      s.punishment_received(j) += points;
    }
  }
  // Costs in champion units, like the cost of effort: punishing and being punished are both losses.
  for (int i = 0; i < s.n; ++i) {
    if (!s.is_member(i)) continue;
    const double loss = pp.cost * s.punishment_given(i) + pp.impact * s.punishment_received(i);
    const double cost = sc.champions.cost_scale * loss * s.pledge(i);
    s.cost(i) += cost;
    s.cost_total(i) += cost;
    // The punished learn: pressure grows with the loss suffered and decays at sanction_decay
    // (apply_sanctions runs first and decays it when no formal sanction came).
    s.sanction(i) = std::min(1.0, s.sanction(i) + pp.response * pp.impact * s.punishment_received(i));
  }
  // Whoever saw a partner punished (or was punished) now expects shortfalls to be punished; the
  // expectation fades at sanction_decay while no punishment is seen.
  for (int i = 0; i < s.n; ++i) {
    if (!s.is_member(i)) continue;
    bool seen = s.punishment_received(i) > 0;
    for (int j = 0; j < s.n && !seen; ++j) seen = j != i && s.punishment_received(j) > 0 && observes_directly(s, i, j);
    s.punishment_seen(i) = seen ? 1.0 : s.punishment_seen(i) * (1.0 - sc.effort.sanction_decay);
  }
}

}  // namespace p3sim
