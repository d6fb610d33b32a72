#include "model/Metrics.hpp"

#include <algorithm>
#include <cmath>

#include "model/Agenda.hpp"
#include "model/Population.hpp"
#include "model/Trust.hpp"

namespace p3sim {

double equity(std::vector<double> v) {
  if (v.size() < 2) return 1.0;
  std::sort(v.begin(), v.end());
  double total = 0, weighted = 0;
  const double n = static_cast<double>(v.size());
  for (std::size_t k = 0; k < v.size(); ++k) {
    total += v[k];
    weighted += (2.0 * (static_cast<double>(k) + 1.0) - n - 1.0) * v[k];
  }
  if (total <= 0) return 1.0;
  return 1.0 - weighted / (n * total);
}

void record_step(const Scenario& sc, const PartnershipState& s, const Population* population, RunResult& r) {
  const int t = s.step;
  const std::vector<int> members = s.members();
  const double m = static_cast<double>(members.size());
  double effort = 0, friction = 0, spread = 0, zero = 0, punishment = 0;
  for (int i : members) {
    effort += s.effort(i);
    zero += s.effort(i) == 0.0 ? 1.0 : 0.0;
    punishment += s.punishment_given(i);
    friction += s.friction(i);
    spread += position_distance(s.goal.row(i).transpose(), s.agenda);
  }
  r.at_series(kSOutcome, t) = s.outcome;
  r.at_series(kSAdopters, t) = population ? static_cast<double>(population->adopters()) : 0.0;
  r.at_series(kSMembers, t) = m;
  r.at_series(kSEffort, t) = m > 0 ? effort / m : 0.0;
  r.at_series(kSTrust, t) = mean_member_trust(s, false);
  r.at_series(kSCrossTrust, t) = mean_member_trust(s, true);
  r.at_series(kSAgendaSpread, t) = m > 0 ? spread / m : 0.0;
  r.at_series(kSFriction, t) = m > 0 ? friction / m : 0.0;
  r.at_series(kSMisunderstandings, t) = s.misunderstandings;
  r.at_series(kSOverhead, t) = s.overhead_paid;
  r.at_series(kSCumulativeCost, t) = s.cumulative_cost;
  // Every relapse so far, not only the units relapsed now (relapsed units may adopt again).
  r.at_series(kSReplantedVoluntary, t) =
      population ? static_cast<double>(population->cumulative_voluntary_relapses()) : 0.0;
  r.at_series(kSReplantedForced, t) = population ? static_cast<double>(population->cumulative_forced_relapses()) : 0.0;
  // Before execution nobody decides: no member counts as giving nothing.
  r.at_series(kSZeroEffort, t) = m > 0 && s.executing() ? zero / m : 0.0;
  r.at_series(kSPunishment, t) = punishment;
  for (int sector = 0; sector < sc.sector_count(); ++sector) {
    double count = 0, sector_effort = 0;
    for (int i : members)
      if (s.sector(i) == sector) {
        count += 1;
        sector_effort += s.effort(i);
      }
    r.at_sector(0, t, sector) = count;
    r.at_sector(1, t, sector) = count > 0 ? sector_effort / count : 0.0;
  }
}

void record_final(const Scenario& sc, const PartnershipState& s, const Population* population, RunResult& r) {
  (void)sc;
  auto& f = r.final_metrics;
  const std::vector<int> members = s.members();
  f[kFGoalReached] = s.goal_step >= 0 ? 1.0 : 0.0;
  f[kFTimeToGoal] = s.goal_step;
  f[kFOutcome] = s.outcome;
  f[kFAdopters] = population ? static_cast<double>(population->adopters()) : 0.0;
  f[kFRelapsed] = population ? static_cast<double>(population->relapsed()) : 0.0;
  f[kFReplantedVoluntary] = population ? static_cast<double>(population->cumulative_voluntary_relapses()) : 0.0;
  f[kFReplantedForced] = population ? static_cast<double>(population->cumulative_forced_relapses()) : 0.0;
  f[kFRetention] = s.max_members > 0 ? static_cast<double>(members.size()) / s.max_members : 0.0;
  for (int c = 0; c < 6; ++c) f[kFExitsHierarchy + c] = s.exits_by_cause[static_cast<std::size_t>(c)];
  f[kFCostTotal] = s.cumulative_cost;
  // -1 marks "no outcome to divide by"; NaN never appears in output.
  f[kFCostPerOutcome] = s.outcome > 0 ? s.cumulative_cost / s.outcome : -1.0;
  f[kFMeanTrust] = mean_member_trust(s, false);
  f[kFCrossTrust] = mean_member_trust(s, true);
  std::vector<double> ratios;
  for (int i = 0; i < s.n; ++i)
    if (s.joined_step(i) >= 0 && s.cost_total(i) > 0) ratios.push_back(s.value_total(i) / s.cost_total(i));
  f[kFEquity] = equity(ratios);
  double mean = 0, sq = 0;
  for (int i : members) mean += s.alpha(i);
  mean = members.empty() ? 0.0 : mean / static_cast<double>(members.size());
  for (int i : members) sq += (s.alpha(i) - mean) * (s.alpha(i) - mean);
  // -1: undefined (no members at the end; fewer than two for the spread), as for cost_per_outcome.
  f[kFAcceptability] = members.empty() ? -1.0 : mean;
  f[kFAcceptabilitySd] = members.size() > 1 ? std::sqrt(sq / static_cast<double>(members.size() - 1)) : -1.0;

  for (int i = 0; i < s.n; ++i) {
    r.at_org(kOMember, i) = s.member[static_cast<std::size_t>(i)];
    r.at_org(kOJoinedStep, i) = s.joined_step(i);
    r.at_org(kOExitStep, i) = s.exit_step(i);
    r.at_org(kOExitCause, i) = s.exit_cause(i);
    r.at_org(kOMeanEffort, i) = s.effort_steps(i) > 0 ? s.effort_sum(i) / s.effort_steps(i) : 0.0;
    r.at_org(kOAlignment, i) = s.alpha(i);
    r.at_org(kOBelief, i) = s.belief(i);
    r.at_org(kOChampion, i) = s.champion(i);
    for (int d = 0; d < s.dims; ++d) {
      r.at_org_vector(0, i, d) = s.stated(i, d);
      r.at_org_vector(1, i, d) = s.goal(i, d);
    }
  }
}

}  // namespace p3sim
