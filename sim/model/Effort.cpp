#include "model/Effort.hpp"

#include <algorithm>

#include <boost/random/uniform_01.hpp>

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

double intended_effort(double alpha, double intercept, double sanction, double slope, double belief,
                       double friction) {
  return std::clamp(alpha * (intercept + sanction + slope * belief) - friction, 0.0, 1.0);
}

void decide(const Scenario& sc, PartnershipState& s, Engine& rng) {
  boost::random::uniform_01<double> uniform;
  s.effort.setZero();
  s.delivered.setZero();
  if (!s.executing()) return;
  for (int i = 0; i < s.n; ++i) {
    if (!s.is_member(i)) continue;
    const double f = friction(sc, s, i);
    s.effort(i) = intended_effort(s.alpha(i), s.coop_intercept(i), s.sanction(i), s.coop_slope(i), s.belief(i), f);
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

}  // namespace p3sim
