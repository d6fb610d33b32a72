#pragma once
// Governance presets: the default columns of each governance mode (MODEL.md section 7).
//
// A scenario names a mode and inherits the mode's columns unless it gives them itself; the
// simulation switches mode at run time (policy_reversal shock) by taking the new mode's preset.
#include <optional>
#include <string_view>

#include "scenario/Scenario.hpp"

namespace p3sim {

/// The seven numeric columns of the governance table, each in [0,1].
struct GovernanceColumns {
  double hierarchy = 0;      ///< imposed hierarchy H
  double coordination = 0;   ///< coordination (eta_g's input)
  double transparency = 0;   ///< transparency of deliveries
  double communication = 0;  ///< communication quality
  double overhead = 0;       ///< overhead, fraction of each member's pledge
  double sanctions = 0;      ///< strength of sanctions on under-delivery (0 = none)
  double credit_share = 0;   ///< share of credit taken by the lead or backbone (0 = by contribution)
};

/// Names of the columns as they appear under /governance, in GovernanceColumns order.
inline constexpr const char* kGovernanceColumnNames[] = {"hierarchy", "coordination", "transparency", "communication",
                                                         "overhead",  "sanctions",    "credit_share"};

/// The preset columns of `mode`.
GovernanceColumns governance_columns(GovernanceMode mode);

/// Column `index` (0..6, kGovernanceColumnNames order) of `columns`.
double column_value(const GovernanceColumns& columns, int index);

/// GovernanceParams with `mode` and its preset columns; every other field keeps its default
/// (lead 0, no backbone).
GovernanceParams governance_preset(GovernanceMode mode);

/// Switches `params` to `mode` at run time: sets the mode and overwrites the seven columns with the
/// mode's preset (scenario overrides of the old mode's columns do not carry over, because a policy
/// reversal replaces the whole structure); lead, backbone and mode-specific parameters are kept.
void apply_governance_preset(GovernanceParams& params, GovernanceMode mode);

/// The mode named `name` ("isolated", "constellation", "backbone", "hierarchy", "network"), if any.
std::optional<GovernanceMode> governance_mode_from_string(std::string_view name);

}  // namespace p3sim
