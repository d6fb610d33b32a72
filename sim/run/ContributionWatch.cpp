#include "run/ContributionWatch.hpp"

#include <cmath>
#include <cstdio>

namespace p3sim {
namespace {

std::string amount(double delivered, int levels) {
  char buf[32];
  if (levels > 0) std::snprintf(buf, sizeof buf, "%.0f", std::round(delivered * levels));
  else if (delivered == 0) std::snprintf(buf, sizeof buf, "0");
  else std::snprintf(buf, sizeof buf, "%.2f", delivered);
  return buf;
}

}  // namespace

ContributionWatch::ContributionWatch(const Scenario& scenario)
    : scenario_(scenario), active_(!scenario.population.enabled) {}

void ContributionWatch::observe(const PartnershipState& s) {
  if (!active_ || !s.executing()) return;
  const std::vector<int> members = s.members();
  if (members.empty()) return;
  const int levels = scenario_.effort.levels;
  std::string line = "contributions: ";
  double total = 0;
  for (std::size_t k = 0; k < members.size(); ++k) {
    const int i = members[k];
    total += s.delivered(i);
    line += (k ? ", " : "") + scenario_.organizations[static_cast<std::size_t>(i)].name + " " +
            amount(s.delivered(i), levels);
  }
  const double mean = total / static_cast<double>(members.size());
  if (levels > 0) {
    char tail[64];
    std::snprintf(tail, sizeof tail, " of %d tokens (mean %.1f)", levels, mean * levels);
    line += tail;
  } else {
    line += " of their pledges (mean " + amount(mean, 0) + ")";
  }
  lines_.emplace_back(s.step, std::move(line));
}

}  // namespace p3sim
