#include "run/SectorTrustWatch.hpp"

#include <algorithm>
#include <cstdio>

namespace p3sim {
namespace {

std::string sector_label(const Scenario& sc, int s) {
  std::string name = sc.sectors[static_cast<std::size_t>(s)].name;
  for (char& c : name) c = c == '_' ? ' ' : c;
  return name;
}

/// The month of a narrate() line ("month N: ..."), or -1.
int month_of(const std::string& line) {
  int month = -1;
  return std::sscanf(line.c_str(), "month %d:", &month) == 1 ? month : -1;
}

}  // namespace

SectorTrustWatch::SectorTrustWatch(const Scenario& scenario) : scenario_(scenario) {
  for (int a = 0; a < scenario.sector_count(); ++a) {
    for (int b = a + 1; b < scenario.sector_count(); ++b) pairs_.push_back({a, b, false, 0.0});
  }
}

void SectorTrustWatch::observe(const PartnershipState& state) {
  const int n = scenario_.organization_count();
  for (PairWatch& p : pairs_) {
    double sum = 0, delivered = 0;
    int count = 0, members = 0;
    for (int i = 0; i < n; ++i) {
      if (!state.is_member(i)) continue;
      const int sector = scenario_.organizations[static_cast<std::size_t>(i)].sector;
      if (sector == p.a || sector == p.b) delivered += state.delivered(i), ++members;
      if (sector != p.a) continue;
      for (int j = 0; j < n; ++j) {
        if (!state.is_member(j) || scenario_.organizations[static_cast<std::size_t>(j)].sector != p.b) continue;
        sum += 0.5 * (state.trust(i, j) + state.trust(j, i));
        ++count;
      }
    }
    if (count == 0) continue;  // one side has no members: nothing to trust or distrust
    const double level = sum / count;
    if (level >= kArmedFrom) {
      p.peak = p.armed ? std::max(p.peak, level) : level;
      p.armed = true;
    }
    if (!p.armed || level >= kCollapseBelow) {
      p.low_since = -1;
      p.low_steps = 0;
      continue;
    }
    if (p.low_since < 0) {
      p.low_since = state.step;
      p.lowest = level;
      p.delivered = 0;
    }
    ++p.low_steps;
    p.lowest = std::min(p.lowest, level);
    p.delivered += delivered / members;
    if (p.low_steps < kLowSteps) continue;
    char text[320];
    std::snprintf(text, sizeof text,
                  "trust between the %s and %s sectors collapsed (%.2f -> %.2f) while they delivered %.2f of "
                  "their pledges",
                  sector_label(scenario_, p.a).c_str(), sector_label(scenario_, p.b).c_str(), p.peak, p.lowest,
                  p.delivered / p.low_steps);
    // Reported once confirmed, dated at the fall: keep the lines in month order.
    const auto at = std::upper_bound(collapses_.begin(), collapses_.end(), p.low_since,
                                     [](int month, const auto& line) { return month < line.first; });
    collapses_.emplace(at, p.low_since, text);
    p.armed = false;
    p.low_since = -1;
    p.low_steps = 0;
  }
}

std::vector<std::string> merge_story(std::vector<std::string> lines, const std::vector<std::pair<int, std::string>>& extra) {
  std::vector<std::string> out;
  out.reserve(lines.size() + extra.size());
  std::size_t k = 0;
  for (const std::string& line : lines) {
    const int month = month_of(line);
    while (k < extra.size() && month >= 0 && extra[k].first < month) {
      out.push_back("month " + std::to_string(extra[k].first) + ": " + extra[k].second);
      ++k;
    }
    out.push_back(line);
  }
  for (; k < extra.size(); ++k) out.push_back("month " + std::to_string(extra[k].first) + ": " + extra[k].second);
  return out;
}

}  // namespace p3sim
