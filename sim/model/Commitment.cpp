#include "model/Commitment.hpp"

#include <algorithm>

#include "model/Governance.hpp"

namespace p3sim {

std::array<double, 6> exit_pressures(const Scenario& sc, const PartnershipState& s, int i) {
  const double net_loss = sc.champions.cost_scale > 0
                              ? std::max(0.0, s.cost(i) - s.value(i)) / sc.champions.cost_scale
                              : 0.0;
  const double lost_trust = std::max(0.0, s.belief_reference(i) - s.belief(i));  // 0 when isolated (B = 1)
  return {s.friction_hierarchy(i), 1.0 - s.alpha(i), s.alpha(i) * lost_trust, net_loss,
          s.friction_credit(i),    s.shock_pressure(i)};
}

Cause exit_cause(const std::array<double, 6>& p) {
  const auto largest = std::max_element(p.begin(), p.end());
  return static_cast<Cause>(static_cast<int>(Cause::Hierarchy) + (largest - p.begin()));
}

void leave(PartnershipState& s, int i, Cause cause, double value) {
  s.member[static_cast<std::size_t>(i)] = 0;
  s.exited[static_cast<std::size_t>(i)] = 1;
  s.exit_step(i) = s.step;
  s.exit_cause(i) = static_cast<int>(cause);
  s.exits_by_cause[static_cast<std::size_t>(static_cast<int>(cause) - static_cast<int>(Cause::Hierarchy))] += 1;
  leave_working_group(s, i);
  s.emit(EventKind::Exit, i, cause, value);
}

void commit(const Scenario& sc, PartnershipState& s) {
  const auto& cp = sc.champions;
  const bool started = s.phase != Phase::NotStarted && s.phase != Phase::Scope;
  for (int i = 0; i < s.n; ++i) {
    if (!s.is_member(i) || !started) continue;
    // Before execution there is no output yet: support only erodes.
    s.champion(i) = std::clamp(s.champion(i) + cp.eta * (s.value(i) - s.cost(i)) - cp.decay, 0.0, 1.0);
    bool low = false;
    if (s.executing()) {
      const double stay = s.alpha(i) * s.belief(i) - s.friction(i);
      low = stay < cp.exit_threshold;
      s.low_steps(i) = low ? s.low_steps(i) + 1 : 0;
    }
    // The lead of a unified hierarchy runs the programme under a mandate from above (a ministry's
    // or a command's own programme): it does not walk out of it. Its support still erodes and is
    // recorded; the partners it commands may leave.
    const bool mandated = s.gov.mode == GovernanceMode::Hierarchy && i == s.lead;
    if (!mandated && (s.champion(i) < cp.c_min || s.low_steps(i) >= s.patience(i))) {
      leave(s, i, exit_cause(exit_pressures(sc, s, i)), s.champion(i));
    }
  }
  // A partnership without its lead hands the role to the member with most resources.
  if (!s.is_member(s.lead)) {
    int best = -1;
    for (int i = 0; i < s.n; ++i)
      if (s.is_member(i) && (best < 0 || s.resources(i) > s.resources(best))) best = i;
    if (best >= 0) s.lead = best;
  }
  s.shock_pressure *= 0.7;  // a shock explains exits for a few steps after it
  int members = 0;
  for (int i = 0; i < s.n; ++i) members += s.member[static_cast<std::size_t>(i)];
  s.max_members = std::max(s.max_members, members);
}

}  // namespace p3sim
