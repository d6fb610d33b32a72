#include "model/Lifecycle.hpp"

#include <algorithm>

#include <boost/random/normal_distribution.hpp>

#include "model/Agenda.hpp"
#include "model/Governance.hpp"
#include "model/Shuffle.hpp"
#include "model/Trust.hpp"

namespace p3sim {

Phase scheduled_phase(const LifecycleParams& lc, int step) {
  if (step <= 0) return Phase::NotStarted;
  if (step == 1) return Phase::Scope;
  int end = 1 + lc.solicit_steps;
  if (step <= end) return Phase::Solicit;
  if (!lc.skip_interim) {
    end += lc.interim_steps;
    if (step <= end) return Phase::Interim;
  }
  if (step == end + 1) return Phase::Agree;
  return Phase::Execute;
}

double joining_value(const Scenario& sc, const PartnershipState& s, int i) {
  double prospect = 0;
  for (int ch = 0; ch < kChannels; ++ch) prospect += s.incentives(i, ch) * sc.lifecycle.prospects[ch];
  const double fit = (1.0 - position_distance(s.goal.row(i).transpose(), s.agenda)) *
                     0.5 * (1.0 + s.trust(i, s.lead));
  return prospect * fit;
}

double pledge_fraction(const Scenario& sc, const PartnershipState& s, int i) {
  const auto& lc = sc.lifecycle;
  return std::clamp(lc.pledge_min + (lc.pledge_max - lc.pledge_min) * s.alpha(i) * s.belief(i), 0.0, 1.0);
}

namespace {

void join(PartnershipState& s, int i, Cause cause) {
  s.member[static_cast<std::size_t>(i)] = 1;
  s.joined_step(i) = s.step;
  s.low_steps(i) = 0;
  s.emit(EventKind::Join, i, cause, 0.0);
}

bool available(const PartnershipState& s, int i, const Scenario& sc) {
  return !s.is_member(i) && !s.exited[static_cast<std::size_t>(i)] && s.candidate[static_cast<std::size_t>(i)] &&
         sc.organizations[static_cast<std::size_t>(i)].available_from <= s.step;
}

// Capability types that no member holds.
std::vector<int> missing_capabilities(const PartnershipState& s) {
  std::vector<int> missing;
  for (int c = 0; c < s.caps; ++c) {
    double held = 0;
    for (int i = 0; i < s.n; ++i)
      if (s.is_member(i)) held += s.capabilities(i, c);
    if (held <= 0) missing.push_back(c);
  }
  return missing;
}

void invite_all(const Scenario& sc, PartnershipState& s, Engine& rng, const std::vector<int>& only_caps) {
  std::vector<int> order;
  for (int i = 0; i < s.n; ++i) {
    if (!available(s, i, sc)) continue;
    bool holds = only_caps.empty();
    for (int c : only_caps) holds = holds || s.capabilities(i, c) > 0;
    if (holds) order.push_back(i);
  }
  shuffle(order, rng);
  for (int i : order) invite(sc, s, i, rng);
}

void enter(PartnershipState& s, Phase phase, Cause cause) {
  s.phase = phase;
  s.emit(EventKind::Phase, -1, cause, 0.0);
}

}  // namespace

bool invite(const Scenario& sc, PartnershipState& s, int i, Engine& rng) {
  boost::random::normal_distribution<double> noise(0.0, 1.0);
  const double draw = sc.lifecycle.join_noise * noise(rng);
  if (joining_value(sc, s, i) + draw <= s.participation_cost(i)) return false;
  join(s, i, Cause::Invited);
  if (s.executing()) {
    update_beliefs(s);
    s.pledge(i) = pledge_fraction(sc, s, i);
    s.belief_reference(i) = s.belief(i);
  }
  return true;
}

void advance_lifecycle(const Scenario& sc, PartnershipState& s, Engine& rng) {
  s.meeting = false;
  if (s.gov.mode == GovernanceMode::Isolated) {
    if (s.phase != Phase::Execute) {
      s.phase = Phase::Execute;
      s.execute_from = s.step;
    }
    for (int i = 0; i < s.n; ++i)
      if (available(s, i, sc)) {
        join(s, i, Cause::None);
        s.pledge(i) = 1.0;  // alone, an organization commits all it has to its own project
        s.belief(i) = 1.0;  // acting alone, it relies on nobody
        s.belief_reference(i) = 1.0;
      }
    return;
  }
  const Phase scheduled = s.scaled ? Phase::Scale : scheduled_phase(sc.lifecycle, s.step);
  const bool entering = scheduled != s.phase && !(s.phase == Phase::Scale);
  if (entering) {
    switch (scheduled) {
      case Phase::Scope:
        enter(s, Phase::Scope, Cause::Scope);
        join(s, s.lead, Cause::Scope);
        refresh_stated_positions(s);
        s.agenda = s.stated.row(s.lead).transpose();  // the lead names the problem
        break;
      case Phase::Solicit: {
        enter(s, Phase::Solicit, Cause::Solicit);
        invite_all(sc, s, rng, {});
        s.meeting = true;  // first meeting
        for (int c : missing_capabilities(s)) s.emit(EventKind::Phase, -1, Cause::MissingVoice, c);
        break;
      }
      case Phase::Interim: enter(s, Phase::Interim, Cause::Interim); break;
      case Phase::Agree:
        enter(s, Phase::Agree, Cause::Agree);
        s.meeting = true;  // second meeting; pledges close it
        break;
      case Phase::Execute: {
        enter(s, Phase::Execute, Cause::Execute);
        s.execute_from = s.step;
        s.next_group_formation = s.step;
        update_beliefs(s);
        for (int i = 0; i < s.n; ++i)
          if (s.is_member(i)) {
            s.pledge(i) = pledge_fraction(sc, s, i);
            s.belief_reference(i) = s.belief(i);
          }
        break;
      }
      default: break;
    }
  }
  if (s.phase == Phase::Interim) {
    // Bilateral talks between the lead and each member: disclosure and lead-member trust grow.
    for (int i = 0; i < s.n; ++i) {
      if (!s.is_member(i) || i == s.lead) continue;
      s.disclosure(i) = std::min(1.0, s.disclosure(i) + sc.agenda.disclosure_gain);
      s.trust(i, s.lead) += sc.trust.interim_gain * (1.0 - s.trust(i, s.lead));
      s.trust(s.lead, i) += sc.trust.interim_gain * (1.0 - s.trust(s.lead, i));
    }
    const std::vector<int> missing = missing_capabilities(s);
    if (!missing.empty()) invite_all(sc, s, rng, missing);
  }
  // Scaling: each time progress passes the threshold of the working goal, invite the candidates
  // not yet at the table and raise the working goal (so scaling can happen again).
  if (s.executing() && s.outcome >= sc.lifecycle.scale_threshold * s.working_target) {
    s.scaled = true;
    enter(s, Phase::Scale, Cause::Scale);
    s.working_target *= sc.lifecycle.scale_goal_factor;
    invite_all(sc, s, rng, {});
  }
  apply_backbone_capacity(s);
}

}  // namespace p3sim
