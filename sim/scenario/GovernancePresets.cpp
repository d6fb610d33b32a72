#include "scenario/GovernancePresets.hpp"

namespace p3sim {

GovernanceColumns governance_columns(GovernanceMode mode) {
  // Order: hierarchy, coordination, transparency, communication, overhead, sanctions, credit_share.
  switch (mode) {
    case GovernanceMode::Isolated: return {0.0, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0};
    case GovernanceMode::Constellation: return {0.15, 0.5, 0.4, 0.5, 0.02, 0.2, 0.0};
    case GovernanceMode::Backbone: return {0.45, 0.8, 0.9, 0.8, 0.08, 0.25, 0.3};
    case GovernanceMode::Hierarchy: return {0.9, 0.85, 0.5, 0.4, 0.06, 0.5, 0.6};
    case GovernanceMode::Network: return {0.1, 0.6, 0.75, 0.6, 0.03, 0.3, 0.0};
  }
  return {};
}

double column_value(const GovernanceColumns& c, int index) {
  switch (index) {
    case 0: return c.hierarchy;
    case 1: return c.coordination;
    case 2: return c.transparency;
    case 3: return c.communication;
    case 4: return c.overhead;
    case 5: return c.sanctions;
    case 6: return c.credit_share;
    default: return 0.0;
  }
}

GovernanceParams governance_preset(GovernanceMode mode) {
  GovernanceParams params;
  apply_governance_preset(params, mode);
  return params;
}

void apply_governance_preset(GovernanceParams& params, GovernanceMode mode) {
  const GovernanceColumns c = governance_columns(mode);
  params.mode = mode;
  params.hierarchy = c.hierarchy;
  params.coordination = c.coordination;
  params.transparency = c.transparency;
  params.communication = c.communication;
  params.overhead = c.overhead;
  params.sanctions = c.sanctions;
  params.credit_share = c.credit_share;
}

std::optional<GovernanceMode> governance_mode_from_string(std::string_view name) {
  constexpr GovernanceMode modes[] = {GovernanceMode::Isolated, GovernanceMode::Constellation,
                                      GovernanceMode::Backbone, GovernanceMode::Hierarchy, GovernanceMode::Network};
  for (GovernanceMode m : modes) {
    if (name == to_string(m)) return m;
  }
  return std::nullopt;
}

}  // namespace p3sim
