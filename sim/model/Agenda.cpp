#include "model/Agenda.hpp"

#include <algorithm>
#include <cmath>

#include <boost/random/uniform_01.hpp>

#include "model/Shuffle.hpp"

namespace p3sim {

double position_distance(const Eigen::Ref<const Eigen::VectorXd>& a, const Eigen::Ref<const Eigen::VectorXd>& b) {
  return (a - b).norm() / std::sqrt(static_cast<double>(a.size()));
}

void refresh_stated_positions(PartnershipState& s) {
  for (int i = 0; i < s.n; ++i) {
    const double d = s.disclosure(i);
    s.stated.row(i) =
        (d * s.goal.row(i) + (1.0 - d) * s.mandate.row(i) + s.shift.row(i)).cwiseMax(0.0).cwiseMin(1.0);
  }
}

double misunderstanding_probability(const Scenario& sc, const PartnershipState& s, int i, int j,
                                    bool bridge_present) {
  const double cultural = (s.culture.row(i) - s.culture.row(j)).norm() / std::sqrt(2.0);
  double p = sc.agenda.misunderstanding_rate * cultural * (1.0 - s.gov.communication);
  if (bridge_present) p *= 1.0 - sc.agenda.bridge_effect;
  return std::clamp(p, 0.0, 1.0);
}

namespace {

// Backbone facilitation: a trusted backbone widens the confidence bound and speeds convergence.
double facilitation(const PartnershipState& s, int i, int j) {
  if (s.gov.mode != GovernanceMode::Backbone || s.gov.backbone < 0) return 1.0;
  const double t = 0.5 * (s.trust(i, s.gov.backbone) + s.trust(j, s.gov.backbone));
  return 1.0 + s.gov.facilitation * t;
}

// Moves i's stated position toward `target`. A share `internalization` of the move becomes i's own
// goal; the meeting shift takes the rest, so that the stated position moves by exactly the step
// (stated = d g + (1 - d) q + shift).
void move_toward(PartnershipState& s, int i, const Eigen::VectorXd& target, double rate, double internalization) {
  const Eigen::VectorXd step = rate * (target - s.stated.row(i).transpose());
  if (internalization > 0) {
    const Eigen::VectorXd before = s.goal.row(i).transpose();
    s.goal.row(i) = (before + internalization * step).cwiseMax(0.0).cwiseMin(1.0).transpose();
    s.shift.row(i) -= s.disclosure(i) * (s.goal.row(i) - before.transpose());
  }
  s.shift.row(i) += step.transpose();
  s.stated.row(i) = (s.stated.row(i) + step.transpose()).cwiseMax(0.0).cwiseMin(1.0);
}

}  // namespace

void agenda_round(const Scenario& sc, PartnershipState& s, Engine& rng) {
  std::vector<int> members = s.members();
  if (members.size() < 2) return;
  bool bridge_present = false;
  for (int i : members) bridge_present = bridge_present || s.bridge[static_cast<std::size_t>(i)];
  boost::random::uniform_01<double> uniform;
  const auto& ap = sc.agenda;
  auto encounter_fails = [&](int i, int j) {
    if (uniform(rng) < misunderstanding_probability(sc, s, i, j, bridge_present)) {
      s.misunderstood.emplace_back(i, j);
      ++s.misunderstandings;
      return true;
    }
    return false;
  };
  // The meeting network: with ties, members meet only the partners they are tied to.
  const bool networked = !ap.meeting_ties.empty();
  if (ap.dynamics == AgendaDynamics::Deffuant) {
    auto meet = [&](int i, int j) {
      if (uniform(rng) >= s.gov.communication) return;  // the pair did not get to talk
      if (encounter_fails(i, j)) return;
      const double f = facilitation(s, i, j);
      const double eps = std::min(1.0, ap.epsilon * f), mu = std::min(0.5, ap.mu * f);
      const Eigen::VectorXd pi = s.stated.row(i).transpose(), pj = s.stated.row(j).transpose();
      if (position_distance(pi, pj) < eps) {
        move_toward(s, i, pj, mu, ap.internalization);
        move_toward(s, j, pi, mu, ap.internalization);
      }
    };
    if (!networked) {
      // A random perfect matching of the members (one left out when their number is odd).
      shuffle(members, rng);
      for (std::size_t k = 0; k + 1 < members.size(); k += 2) meet(members[k], members[k + 1]);
    } else {
      // A random maximal matching of the ties between members: the ties in random order, each
      // taken when neither end has met yet this round (Deffuant's random pairs, on a network).
      std::vector<std::pair<int, int>> open;
      for (const auto& [a, b] : ap.meeting_ties)
        if (s.is_member(a) && s.is_member(b)) open.emplace_back(a, b);
      shuffle(open, rng);
      std::vector<char> met(static_cast<std::size_t>(s.n), 0);
      for (const auto& [i, j] : open) {
        if (met[static_cast<std::size_t>(i)] || met[static_cast<std::size_t>(j)]) continue;
        met[static_cast<std::size_t>(i)] = met[static_cast<std::size_t>(j)] = 1;
        meet(i, j);
      }
    }
  } else {
    // Hegselmann-Krause: everyone moves toward the mean of those within the bound, simultaneously.
    // With perfect communication every pair talks and nobody misunderstands (the probability has
    // the factor 1 - comm), so no draw is made: the classic model draws nothing at all, where
    // drawing for every ordered pair cost n^2 draws a round for no effect. On a meeting network a
    // member averages over itself and the tied partners within the bound.
    const bool everyone_talks = s.gov.communication >= 1.0;
    const auto n = static_cast<std::size_t>(s.n);
    std::vector<char> tied;
    if (networked) {
      tied.assign(n * n, 0);
      for (const auto& [a, b] : ap.meeting_ties) {
        tied[static_cast<std::size_t>(a) * n + static_cast<std::size_t>(b)] = 1;
        tied[static_cast<std::size_t>(b) * n + static_cast<std::size_t>(a)] = 1;
      }
    }
    auto may_meet = [&](int i, int j) {
      return !networked || tied[static_cast<std::size_t>(i) * n + static_cast<std::size_t>(j)];
    };
    const Eigen::MatrixXd before = s.stated;
    for (int i : members) {
      Eigen::VectorXd sum = Eigen::VectorXd::Zero(s.dims);
      int count = 0;
      for (int j : members) {
        if (j != i && !may_meet(i, j)) continue;
        if (j != i && !everyone_talks) {
          if (uniform(rng) >= s.gov.communication || encounter_fails(i, j)) continue;
        }
        const double eps = std::min(1.0, ap.epsilon * facilitation(s, i, j));
        if (position_distance(before.row(i).transpose(), before.row(j).transpose()) < eps) {
          sum += before.row(j).transpose();
          ++count;
        }
      }
      // mu = 1 is the classic model (onto the mean); simultaneous moves cannot overshoot a partner.
      if (count > 1) move_toward(s, i, sum / count, std::min(1.0, ap.mu * facilitation(s, i, i)), ap.internalization);
    }
  }
}

void update_agenda(const Scenario& sc, PartnershipState& s) {
  (void)sc;
  const std::vector<int> members = s.members();
  if (s.gov.mode == GovernanceMode::Isolated || members.empty()) {
    // Acting alone, each organization follows its own goal.
    for (int i = 0; i < s.n; ++i) s.alpha(i) = 1.0;
    if (!members.empty()) {
      s.agenda.setZero();
      for (int i : members) s.agenda += s.goal.row(i).transpose();
      s.agenda /= static_cast<double>(members.size());
    }
    return;
  }
  Eigen::VectorXd weighted = Eigen::VectorXd::Zero(s.dims);
  double total = 0;
  for (int i : members) {
    const double w = s.gov.mode == GovernanceMode::Hierarchy ? s.resources(i) + 1e-9 : 1.0;
    weighted += w * s.stated.row(i).transpose();
    total += w;
  }
  s.agenda = weighted / total;
  if (s.gov.mode == GovernanceMode::Hierarchy) {
    const double lam = s.gov.lead_agenda_weight;
    s.agenda = lam * s.stated.row(s.lead).transpose() + (1.0 - lam) * s.agenda;
  }
  for (auto& g : s.groups) {
    g.agenda = Eigen::VectorXd::Zero(s.dims);
    for (int i : g.members) g.agenda += s.stated.row(i).transpose();
    g.agenda /= static_cast<double>(g.members.size());
  }
  for (int i = 0; i < s.n; ++i) {
    const int g = s.group_of(i);
    const Eigen::VectorXd& target = g >= 0 ? s.groups[static_cast<std::size_t>(g)].agenda : s.agenda;
    s.alpha(i) = 1.0 - position_distance(s.goal.row(i).transpose(), target);
  }
}

void communicate(const Scenario& sc, PartnershipState& s, Engine& rng) {
  s.misunderstood.clear();
  s.misunderstandings = 0;
  refresh_stated_positions(s);
  if (s.gov.mode != GovernanceMode::Isolated && s.phase != Phase::Scope && s.phase != Phase::NotStarted) {
    const int rounds = s.meeting ? sc.agenda.meeting_rounds : sc.agenda.rounds_per_step;
    for (int r = 0; r < rounds; ++r) agenda_round(sc, s, rng);
  }
  update_agenda(sc, s);
  if (s.misunderstandings >= sc.agenda.burst_threshold)
    s.emit(EventKind::MisunderstandingBurst, -1, Cause::None, s.misunderstandings);
}

}  // namespace p3sim
