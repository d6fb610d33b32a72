// Governance: imposed hierarchy, backbone capacity, working groups, credit.
#include <gtest/gtest.h>

#include "../support/ScenarioFixture.hpp"
#include "model/Governance.hpp"

namespace p3sim {
namespace {

using test::final_metric;

nlohmann::ordered_json hierarchy_averse() {
  auto doc = test::base_scenario();
  for (auto& o : doc["organizations"]) o["hierarchy_preference"] = 0.1;
  return doc;
}

TEST(Governance, ImposedHierarchyDrivesOutMembersForHierarchyFriction) {
  const Scenario hierarchy = test::load(hierarchy_averse(), {"/governance/mode=\"hierarchy\""});
  const Scenario constellation = test::load(hierarchy_averse(), {"/governance/mode=\"constellation\""});
  auto exits = [](const RunResult& r) { return final_metric(r, kFExitsHierarchy); };
  const double under_hierarchy = test::mean_over_seeds(hierarchy, 20, exits);
  const double under_constellation = test::mean_over_seeds(constellation, 20, exits);
  EXPECT_GE(under_hierarchy, 1.0);  // at least one member per run leaves for this reason
  EXPECT_GT(under_hierarchy, under_constellation + 1.0);
  // And hierarchy friction is the leading cause of exits under hierarchy.
  auto other = [](const RunResult& r) {
    return final_metric(r, kFExitsMisalignment) + final_metric(r, kFExitsDistrust) +
           final_metric(r, kFExitsNoResults) + final_metric(r, kFExitsCredit) + final_metric(r, kFExitsShock);
  };
  EXPECT_GT(under_hierarchy, test::mean_over_seeds(hierarchy, 20, other));
}

TEST(Governance, BackboneUnderCapacityLowersCoordinationAndTransparency) {
  const Scenario ample = test::load(test::base_scenario());
  const Scenario starved = test::load(test::base_scenario(), {"/governance/backbone_capacity=1"});
  Simulation a(ample, 1, 12), b(starved, 1, 12);
  a.run();
  b.run();
  EXPECT_GT(a.state().coordination, b.state().coordination + 0.2);
  EXPECT_GT(a.state().transparency, b.state().transparency + 0.2);
  auto outcome = [](const RunResult& r) { return final_metric(r, kFOutcome); };
  EXPECT_GT(test::mean_over_seeds(ample, 10, outcome), test::mean_over_seeds(starved, 10, outcome));
}

TEST(Governance, ConstellationFormsWorkingGroupsAndDissolvesIncohesiveOnes) {
  auto doc = test::base_scenario();
  doc["governance"] = {{"mode", "constellation"}, {"lead", "ministry"}, {"group_size", 3}};
  const RunResult r = run_once(test::load(doc), 11);
  int formed = 0;
  for (const Event& e : r.events) formed += e.kind == EventKind::GroupFormed;
  EXPECT_GE(formed, 2);
  // A threshold above any reachable cohesion dissolves every group.
  doc["governance"]["group_threshold"] = 1.0;
  const RunResult strict = run_once(test::load(doc), 11);
  int dissolved = 0;
  for (const Event& e : strict.events) dissolved += e.kind == EventKind::GroupDissolved;
  EXPECT_GE(dissolved, 2);
}

TEST(Governance, CreditHoggingOpensACreditGapForContributors) {
  PartnershipState s;
  s.n = 3;
  s.member = {1, 1, 1};
  s.lead = 0;
  s.gov.mode = GovernanceMode::Hierarchy;
  s.gov.credit_share = 0.8;
  s.contribution_share = Eigen::Vector3d(0.2, 0.4, 0.4);
  s.credit_share = Eigen::Vector3d::Zero();
  s.credit_gap = Eigen::Vector3d::Zero();
  s.incentives = Eigen::MatrixXd::Constant(3, kChannels, 0.25);
  assign_credit(s);
  EXPECT_NEAR(s.credit_share(0), 0.8 + 0.2 * 0.2, 1e-12);
  EXPECT_NEAR(s.credit_share(1), 0.2 * 0.4, 1e-12);
  EXPECT_NEAR(s.credit_gap(1), 0.25 * (1 - 0.2), 1e-12);
  EXPECT_DOUBLE_EQ(s.credit_gap(0), 0.0);
  s.gov.mode = GovernanceMode::Network;  // by contribution: no gap at all
  assign_credit(s);
  EXPECT_DOUBLE_EQ(s.credit_gap.sum(), 0.0);
}

}  // namespace
}  // namespace p3sim
