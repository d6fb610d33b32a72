// The presets are the table of MODEL.md section 7; switching mode at run time takes the preset.
#include "scenario/GovernancePresets.hpp"

#include <gtest/gtest.h>

namespace p3sim {
namespace {

TEST(GovernancePresets, TableValues) {
  const GovernanceColumns b = governance_columns(GovernanceMode::Backbone);
  EXPECT_DOUBLE_EQ(b.hierarchy, 0.45);
  EXPECT_DOUBLE_EQ(b.transparency, 0.9);
  EXPECT_DOUBLE_EQ(b.credit_share, 0.3);
  const GovernanceColumns h = governance_columns(GovernanceMode::Hierarchy);
  EXPECT_DOUBLE_EQ(h.hierarchy, 0.9);
  EXPECT_DOUBLE_EQ(h.sanctions, 0.5);
  EXPECT_DOUBLE_EQ(h.credit_share, 0.6);
  const GovernanceColumns i = governance_columns(GovernanceMode::Isolated);
  EXPECT_DOUBLE_EQ(i.coordination, 0.0);
  EXPECT_DOUBLE_EQ(i.transparency, 0.1);
  EXPECT_DOUBLE_EQ(governance_columns(GovernanceMode::Constellation).overhead, 0.02);
  EXPECT_DOUBLE_EQ(governance_columns(GovernanceMode::Network).transparency, 0.75);
}

TEST(GovernancePresets, ImposedHierarchyIncreasesFromNetworkToHierarchy) {
  EXPECT_LT(governance_columns(GovernanceMode::Network).hierarchy,
            governance_columns(GovernanceMode::Constellation).hierarchy);
  EXPECT_LT(governance_columns(GovernanceMode::Constellation).hierarchy,
            governance_columns(GovernanceMode::Backbone).hierarchy);
  EXPECT_LT(governance_columns(GovernanceMode::Backbone).hierarchy,
            governance_columns(GovernanceMode::Hierarchy).hierarchy);
}

TEST(GovernancePresets, SwitchingModeKeepsLeadAndReplacesColumns) {
  GovernanceParams p = governance_preset(GovernanceMode::Backbone);
  p.lead = 2;
  p.transparency = 0.1;
  apply_governance_preset(p, GovernanceMode::Network);
  EXPECT_EQ(p.mode, GovernanceMode::Network);
  EXPECT_EQ(p.lead, 2);
  EXPECT_DOUBLE_EQ(p.transparency, 0.75);
}

TEST(GovernancePresets, ModeNamesRoundTrip) {
  for (GovernanceMode m : {GovernanceMode::Isolated, GovernanceMode::Constellation, GovernanceMode::Backbone,
                           GovernanceMode::Hierarchy, GovernanceMode::Network}) {
    EXPECT_EQ(governance_mode_from_string(to_string(m)), m);
  }
  EXPECT_EQ(governance_mode_from_string("star"), std::nullopt);
}

}  // namespace
}  // namespace p3sim
