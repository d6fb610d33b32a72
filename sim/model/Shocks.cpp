#include "model/Shocks.hpp"

#include <algorithm>

#include <boost/random/uniform_01.hpp>

#include "model/Governance.hpp"
#include "model/Lifecycle.hpp"

namespace p3sim {
namespace {

bool hits(const Shock& shock, const PartnershipState& s, int i) {
  if (shock.organization >= 0) return i == shock.organization;
  if (shock.sector >= 0) return s.sector(i) == shock.sector;
  return true;
}

Cause cause_of(ShockKind kind) {
  switch (kind) {
    case ShockKind::FundingCut: return Cause::FundingCut;
    case ShockKind::LeadershipTurnover: return Cause::LeadershipTurnover;
    case ShockKind::PolicyReversal: return Cause::PolicyReversal;
    case ShockKind::SecurityIncident: return Cause::SecurityIncident;
    case ShockKind::MarketShock: return Cause::MarketShock;
    case ShockKind::MemberEntry: return Cause::MemberEntry;
  }
  return Cause::Shock;
}

}  // namespace

void apply_shock(const Scenario& sc, PartnershipState& s, const Shock& shock, Engine& rng) {
  const Cause cause = cause_of(shock.kind);
  const double f = shock.fraction;
  switch (shock.kind) {
    case ShockKind::FundingCut:
      for (int i = 0; i < s.n; ++i) {
        if (!hits(shock, s, i)) continue;
        bool cut = false;
        for (int c = 0; c < s.caps; ++c) {
          if (shock.capability >= 0 && c != shock.capability) continue;
          if (s.capabilities(i, c) <= 0) continue;
          s.resources(i) -= f * s.capabilities(i, c) / sc.capabilities[static_cast<std::size_t>(c)].need;
          s.capabilities(i, c) *= 1.0 - f;
          cut = true;
        }
        if (!cut) continue;
        s.shock_pressure(i) = std::max(s.shock_pressure(i), f);
        s.emit(EventKind::Shock, i, cause, f);
      }
      break;
    case ShockKind::LeadershipTurnover:
      for (int i = 0; i < s.n; ++i) {
        if (!hits(shock, s, i) || !s.is_member(i)) continue;
        // A new head starts with the sector's default support scaled down by the severity, and
        // with the disclosure the organization started with.
        s.champion(i) = std::min(s.champion(i), sc.sectors[static_cast<std::size_t>(s.sector(i))].champion * (1.0 - f));
        s.disclosure(i) = s.initial_disclosure(i);
        s.shift.row(i).setZero();
        s.shock_pressure(i) = std::max(s.shock_pressure(i), f);
        s.emit(EventKind::Shock, i, cause, f);
      }
      break;
    case ShockKind::PolicyReversal:
      switch_governance(s, shock.mode, shock.hierarchy);
      s.emit(EventKind::Shock, -1, cause, s.gov.hierarchy);
      break;
    case ShockKind::SecurityIncident:
      for (int j = 0; j < s.n; ++j) {
        if (!s.local[static_cast<std::size_t>(j)] || !hits(shock, s, j)) continue;
        for (int i = 0; i < s.n; ++i)
          if (i != j) s.trust(i, j) *= 1.0 - f;
        s.shock_pressure(j) = std::max(s.shock_pressure(j), f);
      }
      s.support_level *= 1.0 - f;
      s.support_recovery = shock.recovery;
      s.emit(EventKind::Shock, -1, cause, f);
      break;
    case ShockKind::MarketShock:
      s.market_level *= 1.0 - f;
      s.market_recovery = shock.recovery;
      for (int i = 0; i < s.n; ++i)
        if (s.is_member(i) && hits(shock, s, i) && s.incentives(i, kRevenue) > 0)
          s.shock_pressure(i) = std::max(s.shock_pressure(i), f * s.incentives(i, kRevenue));
      s.emit(EventKind::Shock, -1, cause, f);
      break;
    case ShockKind::MemberEntry:
      for (int i = 0; i < s.n; ++i) {
        if (!hits(shock, s, i) || s.is_member(i) || s.exited[static_cast<std::size_t>(i)]) continue;
        s.emit(EventKind::Shock, i, cause, 0.0);
        invite(sc, s, i, rng);
      }
      break;
  }
}

void apply_shocks(const Scenario& sc, PartnershipState& s, Engine& rng) {
  boost::random::uniform_01<double> uniform;
  for (const Shock& shock : sc.shocks) {
    bool fires = false;
    if (shock.step >= 0) {
      fires = shock.step == s.step;
    } else {
      fires = uniform(rng) < shock.rate;  // drawn every step so other shocks' draws never shift
    }
    if (fires) apply_shock(sc, s, shock, rng);
  }
  s.support_level += s.support_recovery * (1.0 - s.support_level);
  s.market_level += s.market_recovery * (1.0 - s.market_level);
}

}  // namespace p3sim
