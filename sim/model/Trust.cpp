#include "model/Trust.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <boost/random/normal_distribution.hpp>

namespace p3sim {

void initialize_trust(const Scenario& scenario, PartnershipState& s, Engine& rng) {
  const int n = s.n;
  s.prior.resize(n, n);
  s.trust.resize(n, n);
  boost::random::normal_distribution<double> noise(0.0, scenario.trust.prior_noise);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) s.prior(i, j) = scenario.trust.priors[s.sector(i)][s.sector(j)];
  for (int i = 0; i < n; ++i)
    for (const auto& [j, delta] : scenario.organizations[i].prehistory)
      s.prior(i, j) = std::clamp(s.prior(i, j) + delta, 0.0, 1.0);
  // Draw in order of the larger index (all pairs among the first m organizations before any pair
  // involving organization m), so that adding organizations at the end, such as a neutral
  // backbone, leaves the draws of the existing pairs unchanged (common random numbers).
  auto draw = [&](int i, int j) {
    const double e = scenario.trust.prior_noise > 0 ? noise(rng) : 0.0;
    s.trust(i, j) = std::clamp(s.prior(i, j) + e, 0.0, 1.0);
  };
  for (int m = 0; m < n; ++m) {
    s.trust(m, m) = 1.0;
    for (int i = 0; i < m; ++i) {
      draw(i, m);
      draw(m, i);
    }
  }
  s.belief = Eigen::VectorXd::Constant(n, 0.0);
  for (int i = 0; i < n; ++i) s.belief(i) = n > 1 ? (s.trust.row(i).sum() - 1.0) / (n - 1) : 1.0;
}

bool observes_directly(const PartnershipState& s, int i, int j) {
  if (!s.is_member(i) || !s.is_member(j)) return false;
  switch (s.gov.mode) {
    case GovernanceMode::Isolated: return false;
    case GovernanceMode::Constellation:
      // Outside the backbone-free constellation, working groups are the only shared structure;
      // the lead sees everyone because it convenes the constellation.
      return (s.group_of(i) >= 0 && s.group_of(i) == s.group_of(j)) || i == s.lead || j == s.lead;
    case GovernanceMode::Backbone:
    case GovernanceMode::Hierarchy:
    case GovernanceMode::Network: return true;
  }
  return false;
}

double updated_trust(double trust, double observation, double gain, double loss) {
  const double rate = observation >= trust ? gain : loss;
  return trust + rate * (observation - trust);
}

void update_beliefs(PartnershipState& s) {
  if (s.gov.mode == GovernanceMode::Isolated) {
    // Acting alone, an organization depends on nobody: its belief is certainty.
    for (int i = 0; i < s.n; ++i)
      if (s.is_member(i)) s.belief(i) = 1.0;
    return;
  }
  for (int i = 0; i < s.n; ++i) {
    if (!s.is_member(i)) continue;
    double weighted = 0, weights = 0;
    for (int j = 0; j < s.n; ++j) {
      if (j == i || !s.is_member(j)) continue;
      // Pledge weight; members that pledge nothing still count a little, so that a new
      // partnership (no pledges yet) has beliefs.
      const double w = s.pledge(j) * s.resources(j) + 1e-3;
      weighted += w * s.trust(i, j);
      weights += w;
    }
    // A member left alone at the table relies on nobody, as in isolated action: its belief is
    // certainty, not the last view it held of partners who are gone.
    s.belief(i) = weights > 0 ? weighted / weights : 1.0;
  }
}

namespace {

// Effective transparency for truster i: shared measurement only helps as far as i trusts the
// backbone that runs it.
double transparency_for(const PartnershipState& s, int i) {
  if (s.gov.mode == GovernanceMode::Backbone && s.gov.backbone >= 0 && s.gov.backbone != i)
    return s.transparency * (0.5 + 0.5 * s.trust(i, s.gov.backbone));
  return s.transparency;
}

bool misunderstood(const PartnershipState& s, int i, int j) {
  for (const auto& [a, b] : s.misunderstood)
    if ((a == i && b == j) || (a == j && b == i)) return true;
  return false;
}

}  // namespace

void observe(const Scenario& scenario, PartnershipState& s, Engine& rng) {
  const auto& tp = scenario.trust;
  const int n = s.n;
  if (s.executing() && s.gov.mode != GovernanceMode::Isolated) {
    boost::random::normal_distribution<double> standard(0.0, 1.0);
    Eigen::MatrixXd next = s.trust;
    // Direct observation, row by row in index order: each draw belongs to a fixed (i, j).
    for (int i = 0; i < n; ++i) {
      if (!s.is_member(i)) continue;
      const double sigma = tp.sigma_obs * (1.0 - transparency_for(s, i));
      for (int j = 0; j < n; ++j) {
        if (j == i || !observes_directly(s, i, j)) continue;
        double o = s.delivered(j) + sigma * standard(rng);
        o = std::clamp(o, 0.0, 1.0);
        if (!s.misunderstood.empty() && misunderstood(s, i, j)) o = std::max(0.0, o - scenario.agenda.misread);
        next(i, j) = updated_trust(s.trust(i, j), o, tp.gain, tp.loss);
      }
    }
    // Reputation for member pairs without direct observation: the trust-weighted view of i's
    // directly observed partners k about j.
    // k runs over K_i = the members i observes directly (k != i), in index order. j is not in K_i,
    // so k != j holds and the denominator is the same for every j: computed once per i. Sums
    // keep index order, so results are those of the plain triple loop, at O(n^2 |K_i|) not O(n^3).
    if (tp.gossip > 0) {
      std::vector<int> observed;
      std::vector<double> weight;
      for (int i = 0; i < n; ++i) {
        if (!s.is_member(i)) continue;
        observed.clear();
        weight.clear();
        double den = 0;
        for (int k = 0; k < n; ++k) {
          if (k == i || !observes_directly(s, i, k)) continue;
          observed.push_back(k);
          weight.push_back(s.trust(i, k));
          den += s.trust(i, k);
        }
        if (!(den > 0) || observed.size() + 1 == static_cast<std::size_t>(n)) continue;
        for (int j = 0; j < n; ++j) {
          if (j == i || !s.is_member(j) || observes_directly(s, i, j)) continue;
          double num = 0;
          for (std::size_t m = 0; m < observed.size(); ++m) num += weight[m] * s.trust(observed[m], j);
          next(i, j) += tp.gossip * (num / den - s.trust(i, j));
        }
      }
    }
    s.trust = next;
  }
  // Pairs involving a non-member drift back toward their prior.
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      if (i == j || (s.is_member(i) && s.is_member(j))) continue;
      s.trust(i, j) += tp.decay * (s.prior(i, j) - s.trust(i, j));
    }
  update_beliefs(s);
}

double mean_member_trust(const PartnershipState& s, bool cross_sector) {
  double sum = 0, all_sum = 0;
  long count = 0, all_count = 0;
  for (int i = 0; i < s.n; ++i)
    for (int j = 0; j < s.n; ++j) {
      if (i == j || (cross_sector && s.sector(i) == s.sector(j))) continue;
      all_sum += s.trust(i, j);
      ++all_count;
      if (s.is_member(i) && s.is_member(j)) {
        sum += s.trust(i, j);
        ++count;
      }
    }
  if (count > 0) return sum / count;
  return all_count > 0 ? all_sum / all_count : 0.0;
}

}  // namespace p3sim
