// Bundled scenario partnering_hub: a hub that incubates people-public-private partnerships as
// constellation working groups. The behaviours its note promises: working groups form and dissolve
// (and some last), the constellation and network modes keep the partners whom a unified hierarchy
// drives out, the partnerships' output drives adoption, and mutual suspicion makes groups churn.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/ScenarioFixture.hpp"

namespace p3sim {
namespace {

constexpr int kReplicates = 10;

Scenario load_hub(const std::vector<std::string>& sets = {}, const std::vector<std::string>& pitfalls = {}) {
  return load_scenario_file(std::string(P3SIM_SOURCE_DIR) + "/scenarios/partnering_hub.json",
                            ScenarioEdits{sets, pitfalls});
}

/// Per-run means over the same replicates: final metrics and working-group events.
struct HubMeans {
  double adopters = 0, retention = 0, exits_hierarchy = 0, goal_reached = 0, formed = 0, dissolved = 0;
};

HubMeans hub_means(const Scenario& sc) {
  HubMeans m;
  const double w = 1.0 / kReplicates;
  for (int r = 1; r <= kReplicates; ++r) {
    const RunResult res = run_once(sc, derive_run_seed(7, static_cast<std::uint64_t>(r)));
    m.adopters += w * test::final_metric(res, kFAdopters);
    m.retention += w * test::final_metric(res, kFRetention);
    m.exits_hierarchy += w * test::final_metric(res, kFExitsHierarchy);
    m.goal_reached += w * test::final_metric(res, kFGoalReached);
    for (const Event& e : res.events) {
      m.formed += e.kind == EventKind::GroupFormed ? w : 0.0;
      m.dissolved += e.kind == EventKind::GroupDissolved ? w : 0.0;
    }
  }
  return m;
}

class PartneringHubScenario : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { constellation_ = new HubMeans(hub_means(load_hub())); }
  static void TearDownTestSuite() { delete constellation_; constellation_ = nullptr; }
  static const HubMeans& constellation() { return *constellation_; }

 private:
  static inline HubMeans* constellation_ = nullptr;
};

TEST_F(PartneringHubScenario, WorkingGroupsFormDissolveAndSomeLast) {
  EXPECT_EQ(load_hub().governance.mode, GovernanceMode::Constellation);
  EXPECT_GT(constellation().formed, 4.0);     // about 7-9 per run
  EXPECT_GT(constellation().dissolved, 2.0);  // about 5-7 per run
  EXPECT_GT(constellation().formed, constellation().dissolved + 0.5);
}

TEST_F(PartneringHubScenario, ConstellationAndNetworkKeepThePartnersAUnifiedHierarchyDrivesOut) {
  const HubMeans hierarchy = hub_means(load_hub({"/governance/mode=hierarchy"}));
  const HubMeans network = hub_means(load_hub({"/governance/mode=network"}));
  EXPECT_GT(hierarchy.exits_hierarchy, 5.0);
  EXPECT_LT(constellation().exits_hierarchy, 0.2);
  EXPECT_LT(network.exits_hierarchy, 0.2);
  EXPECT_LT(hierarchy.retention, 0.1);
  EXPECT_GT(constellation().retention, 0.6);
  EXPECT_GT(network.retention, 0.9);
  EXPECT_GT(constellation().adopters, hierarchy.adopters + 500.0);
  EXPECT_GT(network.adopters, constellation().adopters + 300.0);
}

TEST_F(PartneringHubScenario, AdoptionComesFromThePartnershipsOutput) {
  const HubMeans no_output = hub_means(load_hub({"/production/productivity=0"}));
  EXPECT_GT(constellation().adopters, no_output.adopters + 500.0);
  EXPECT_GE(constellation().goal_reached, 0.6);
  EXPECT_EQ(no_output.goal_reached, 0.0);
}

TEST_F(PartneringHubScenario, MutualSuspicionMakesWorkingGroupsChurn) {
  const HubMeans suspicious = hub_means(load_hub({}, {"mutual_suspicion"}));
  EXPECT_GT(suspicious.formed, 2.0 * constellation().formed);
  EXPECT_GT(suspicious.dissolved, 2.0 * constellation().dissolved);
  EXPECT_LT(suspicious.adopters, constellation().adopters - 300.0);
  EXPECT_LT(suspicious.retention, constellation().retention - 0.15);
}

}  // namespace
}  // namespace p3sim
