// Names of the scenario enums, exactly as they are spelt in scenario files (the schema's enums), so
// that output files and messages use the words the user wrote.
#include "scenario/Scenario.hpp"

namespace p3sim {

const char* to_string(GovernanceMode mode) {
  switch (mode) {
    case GovernanceMode::Isolated: return "isolated";
    case GovernanceMode::Constellation: return "constellation";
    case GovernanceMode::Backbone: return "backbone";
    case GovernanceMode::Hierarchy: return "hierarchy";
    case GovernanceMode::Network: return "network";
  }
  return "unknown";
}

const char* to_string(ShockKind kind) {
  switch (kind) {
    case ShockKind::FundingCut: return "funding_cut";
    case ShockKind::LeadershipTurnover: return "leadership_turnover";
    case ShockKind::PolicyReversal: return "policy_reversal";
    case ShockKind::SecurityIncident: return "security_incident";
    case ShockKind::MarketShock: return "market_shock";
    case ShockKind::MemberEntry: return "member_entry";
  }
  return "unknown";
}

const char* to_string(CooperationType type) {
  switch (type) {
    case CooperationType::Conditional: return "conditional";
    case CooperationType::FreeRider: return "free_rider";
    case CooperationType::Unconditional: return "unconditional";
    case CooperationType::HumpShaped: return "hump_shaped";
    case CooperationType::Explicit: return "explicit";
  }
  return "unknown";
}

}  // namespace p3sim
