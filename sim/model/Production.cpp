#include "model/Production.hpp"

#include <algorithm>
#include <cmath>

#include "model/Agenda.hpp"
#include "model/Governance.hpp"

namespace p3sim {

double ces(const std::vector<double>& x, const std::vector<double>& weights, double r) {
  double wsum = 0;
  for (double w : weights) wsum += w;
  if (wsum <= 0) return 0.0;
  if (std::abs(r) < 1e-9) {
    double log_sum = 0;
    for (std::size_t c = 0; c < x.size(); ++c) {
      if (weights[c] <= 0) continue;
      if (x[c] <= 0) return 0.0;
      log_sum += weights[c] / wsum * std::log(x[c]);
    }
    return std::exp(log_sum);
  }
  double sum = 0;
  for (std::size_t c = 0; c < x.size(); ++c) {
    if (weights[c] <= 0) continue;
    if (x[c] <= 0) {
      if (r < 0) return 0.0;  // a missing complement throttles everything
      continue;
    }
    sum += weights[c] / wsum * std::pow(x[c], r);
  }
  return sum > 0 ? std::pow(sum, 1.0 / r) : 0.0;
}

double coordination_efficiency(double coordination, int active) {
  if (active <= 0) return 0.0;
  return 1.0 - (1.0 - coordination) * (1.0 - 1.0 / active);
}

namespace {

// Output of one team (the partnership, a working group, or a lone organization), whose needs are
// `need_share` of the partnership's.
double team_output(const Scenario& sc, const PartnershipState& s, const std::vector<int>& team, double need_share,
                   double coordination) {
  std::vector<double> x(static_cast<std::size_t>(s.caps), 0.0), w(static_cast<std::size_t>(s.caps), 0.0);
  int active = 0;
  bool local = false;
  for (int i : team) {
    // A member with no capabilities (e.g. a neutral backbone) adds no work to coordinate.
    if (s.delivered(i) <= 0 || s.resources(i) <= 0) continue;
    ++active;
    local = local || s.local[static_cast<std::size_t>(i)];
    for (int c = 0; c < s.caps; ++c) x[static_cast<std::size_t>(c)] += s.delivered(i) * s.pledge(i) * s.capabilities(i, c);
  }
  for (int c = 0; c < s.caps; ++c) {
    const auto& cap = sc.capabilities[static_cast<std::size_t>(c)];
    x[static_cast<std::size_t>(c)] /= cap.need * need_share;
    w[static_cast<std::size_t>(c)] = cap.weight;
  }
  const double legitimacy = local ? 1.0 : sc.production.outsider_legitimacy;
  return need_share * sc.production.productivity * coordination_efficiency(coordination, active) * legitimacy *
         ces(x, w, sc.production.complementarity);
}

}  // namespace

void produce(const Scenario& sc, PartnershipState& s) {
  s.dq = 0;
  s.value.setZero();
  s.cost.setZero();
  s.contribution_share.setZero();
  s.own_output.setZero();
  s.overhead_paid = 0;
  s.support = 0;
  s.market = sc.population.market_base * s.market_level;
  if (!s.executing()) return;
  const std::vector<int> members = s.members();
  if (members.empty()) return;
  const double n_members = static_cast<double>(members.size());

  if (s.gov.mode == GovernanceMode::Isolated) {
    for (int i : members) {
      s.own_output(i) = team_output(sc, s, {i}, 1.0 / n_members, 0.0);
      s.dq += s.own_output(i);
    }
  } else if (s.gov.mode == GovernanceMode::Constellation) {
    std::vector<int> unaffiliated;
    for (int i : members)
      if (s.group_of(i) < 0) unaffiliated.push_back(i);
    for (const auto& g : s.groups)
      s.dq += team_output(sc, s, g.members, g.members.size() / n_members, s.coordination);
    // Members outside any group work uncoordinated.
    if (!unaffiliated.empty()) s.dq += team_output(sc, s, unaffiliated, unaffiliated.size() / n_members, 0.0);
  } else {
    s.dq = team_output(sc, s, members, 1.0, s.coordination);
  }
  s.output += s.dq;

  // Delivered capability, contribution shares (need- and weight-normalized) and costs.
  s.delivered_capability.setZero();
  double total_contribution = 0;
  for (int i : members) {
    double contribution = 0;
    for (int c = 0; c < s.caps; ++c) {
      const auto& cap = sc.capabilities[static_cast<std::size_t>(c)];
      const double amount = s.delivered(i) * s.pledge(i) * s.capabilities(i, c);
      s.delivered_capability(c) += amount;
      contribution += cap.weight * amount / cap.need;
    }
    s.contribution_share(i) = contribution;
    total_contribution += contribution;
    const double pledged_units = s.pledge(i) * s.capabilities.row(i).sum();
    const double overhead = s.gov.overhead * pledged_units;
    s.overhead_paid += overhead;
    s.cumulative_cost += s.delivered(i) * pledged_units + overhead;
  }
  if (total_contribution > 0) s.contribution_share /= total_contribution;
  assign_credit(s);

  // Value by channel (MODEL.md section 10), in units of output relative to full productivity.
  const double relative_output = sc.production.productivity > 0 ? s.dq / sc.production.productivity : 0.0;
  for (int i : members) {
    // Alone, an organization gets the value of its own output only, and all the credit for it.
    const bool alone = s.gov.mode == GovernanceMode::Isolated;
    const double credit = alone ? 1.0 : std::min(2.0, s.credit_share(i) * n_members);
    const double output = alone ? s.own_output(i) / std::max(1e-300, sc.production.productivity) : relative_output;
    const double mandate_fit = 1.0 - position_distance(s.mandate.row(i).transpose(), s.agenda);
    const double yield[kChannels] = {s.alpha(i) * output, s.market_level * credit * output, mandate_fit * output,
                                     credit * output};
    double v = 0;
    for (int ch = 0; ch < kChannels; ++ch) v += s.incentives(i, ch) * yield[ch];
    s.value(i) = sc.champions.value_scale * v;
    s.cost(i) = sc.champions.cost_scale * (s.delivered(i) + s.gov.overhead) * s.pledge(i);
    s.value_total(i) += s.value(i);
    s.cost_total(i) += s.cost(i);
  }

  // What reaches the population: support is the output dQ, carried by the capabilities whose
  // channel is payments, training or community trust (their weighted, need-capped delivery); market
  // access comes from the capabilities that bring buyers.
  double carried = 0, carrier_weight = 0, buyers = 0, buyer_weight = 0;
  for (int c = 0; c < s.caps; ++c) {
    const auto& cap = sc.capabilities[static_cast<std::size_t>(c)];
    const double met = std::min(1.0, s.delivered_capability(c) / cap.need);
    if (cap.channel == SupportChannel::Buyers) {
      buyers += cap.weight * met;
      buyer_weight += cap.weight;
    } else if (cap.channel != SupportChannel::None) {
      carried += cap.weight * met;
      carrier_weight += cap.weight;
    }
  }
  const double carriage = carrier_weight > 0 ? carried / carrier_weight : 1.0;
  s.support = s.support_level * s.dq * carriage;
  const double base = sc.population.market_base;
  if (buyer_weight > 0) s.market = (base + (1.0 - base) * buyers / buyer_weight) * s.market_level;
}

}  // namespace p3sim
