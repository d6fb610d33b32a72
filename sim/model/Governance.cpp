#include "model/Governance.hpp"

#include <algorithm>
#include <limits>

#include "model/Agenda.hpp"
#include "model/Shuffle.hpp"
#include "scenario/GovernancePresets.hpp"

namespace p3sim {

void apply_backbone_capacity(PartnershipState& s) {
  s.coordination = s.gov.coordination;
  s.transparency = s.gov.transparency;
  if (s.gov.mode != GovernanceMode::Backbone) return;
  int members = 0;
  for (int i = 0; i < s.n; ++i) members += s.member[static_cast<std::size_t>(i)];
  if (members == 0) return;
  const double capacity = std::min(1.0, s.gov.backbone_capacity / members);
  const double factor = 1.0 - s.gov.bottleneck * (1.0 - capacity);
  s.coordination *= factor;
  s.transparency *= factor;
}

void switch_governance(PartnershipState& s, std::optional<GovernanceMode> new_mode, std::optional<double> hierarchy) {
  if (!new_mode || *new_mode == s.gov.mode) {
    if (hierarchy) s.gov.hierarchy = *hierarchy;
    apply_backbone_capacity(s);
    return;
  }
  const GovernanceMode mode = *new_mode;
  const GovernanceParams preset = governance_preset(mode);
  s.gov.mode = mode;
  s.gov.hierarchy = preset.hierarchy;
  s.gov.coordination = preset.coordination;
  s.gov.transparency = preset.transparency;
  s.gov.communication = preset.communication;
  s.gov.overhead = preset.overhead;
  s.gov.sanctions = preset.sanctions;
  s.gov.credit_share = preset.credit_share;
  if (hierarchy) s.gov.hierarchy = *hierarchy;
  if (mode != GovernanceMode::Constellation) {
    s.groups.clear();
    s.group_of.setConstant(-1);
  }
  apply_backbone_capacity(s);
}

void assign_credit(PartnershipState& s) {
  s.credit_share = s.contribution_share;
  int taker = -1;
  if (s.gov.mode == GovernanceMode::Backbone) taker = s.gov.backbone;
  if (s.gov.mode == GovernanceMode::Hierarchy) taker = s.lead;
  if (taker >= 0 && s.is_member(taker)) {
    const double cs = s.gov.credit_share;
    for (int i = 0; i < s.n; ++i) s.credit_share(i) = (1.0 - cs) * s.contribution_share(i);
    s.credit_share(taker) += cs;
  }
  for (int i = 0; i < s.n; ++i) {
    const double c = s.contribution_share(i);
    s.credit_gap(i) = c > 0 ? s.incentives(i, kVisibility) * std::max(0.0, 1.0 - s.credit_share(i) / c) : 0.0;
  }
}

void leave_working_group(PartnershipState& s, int org) {
  const int g = s.group_of(org);
  if (g < 0) return;
  auto& members = s.groups[static_cast<std::size_t>(g)].members;
  members.erase(std::remove(members.begin(), members.end(), org), members.end());
  s.group_of(org) = -1;
}

namespace {

void dissolve(PartnershipState& s, std::size_t g, Cause cause) {
  s.emit(EventKind::GroupDissolved, -1, cause, static_cast<double>(g));
  for (int i : s.groups[g].members) s.group_of(i) = -1;
  s.groups.erase(s.groups.begin() + static_cast<std::ptrdiff_t>(g));
  for (std::size_t k = g; k < s.groups.size(); ++k)
    for (int i : s.groups[k].members) s.group_of(i) = static_cast<int>(k);
}

// How much adding `candidate` helps a group: capabilities the group lacks, minus distance of
// stated positions.
double affinity(const PartnershipState& s, const std::vector<int>& group, int candidate) {
  double missing = 0;
  for (int c = 0; c < s.caps; ++c) {
    double have = 0;
    for (int i : group) have += s.capabilities(i, c);
    if (have <= 0 && s.capabilities(candidate, c) > 0) missing += 1.0;
  }
  double distance = 0;
  for (int i : group) distance += position_distance(s.stated.row(i).transpose(), s.stated.row(candidate).transpose());
  distance /= static_cast<double>(group.size());
  return missing / std::max(1, s.caps) - distance;
}

}  // namespace

void organize_working_groups(const Scenario& sc, PartnershipState& s, Engine& rng) {
  if (s.gov.mode != GovernanceMode::Constellation || !s.executing()) return;
  // Dissolution: cohesion is the group's mean alpha * B.
  for (std::size_t g = s.groups.size(); g-- > 0;) {
    const auto& members = s.groups[g].members;
    double cohesion = 0;
    for (int i : members) cohesion += s.alpha(i) * s.belief(i);
    cohesion = members.empty() ? 0.0 : cohesion / static_cast<double>(members.size());
    if (members.size() < 2 || cohesion < s.gov.group_threshold) dissolve(s, g, Cause::LowCohesion);
  }
  // Formation, at the start of execution and then every rotation period.
  if (s.step >= s.next_group_formation) {
    std::vector<int> free;
    for (int i : s.members())
      if (s.group_of(i) < 0) free.push_back(i);
    shuffle(free, rng);
    const std::size_t size = static_cast<std::size_t>(s.gov.group_size);
    while (free.size() >= 2) {
      std::vector<int> group{free.back()};
      free.pop_back();
      while (group.size() < size && !free.empty()) {
        std::size_t best = 0;
        double best_score = -std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < free.size(); ++k) {
          const double score = affinity(s, group, free[k]);
          if (score > best_score) best_score = score, best = k;
        }
        group.push_back(free[best]);
        free.erase(free.begin() + static_cast<std::ptrdiff_t>(best));
      }
      const int index = static_cast<int>(s.groups.size());
      for (int i : group) s.group_of(i) = index;
      s.groups.push_back(WorkingGroup{group, Eigen::VectorXd::Zero(s.dims), s.step});
      s.emit(EventKind::GroupFormed, -1, Cause::Formed, static_cast<double>(group.size()));
    }
    // Rotate the lead role to the next member in index order.
    const std::vector<int> members = s.members();
    if (!members.empty() && s.step > s.execute_from) {
      auto next = std::upper_bound(members.begin(), members.end(), s.lead);
      s.lead = next == members.end() ? members.front() : *next;
    }
    s.next_group_formation = s.step + s.gov.rotation;
    update_agenda(sc, s);
  }
}

}  // namespace p3sim
