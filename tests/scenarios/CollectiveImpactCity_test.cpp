// Bundled scenario collective_impact_city: a cradle-to-career Collective Impact initiative with a
// backbone team. The behaviours its note promises: the partnership raises kindergarten readiness
// above the no-partnership level, an unfunded backbone and missing shared measurement cost results
// and trust, and the backbone holds the initiative together where a constellation fragments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/ScenarioFixture.hpp"

namespace p3sim {
namespace {

constexpr int kReplicates = 10;

Scenario load_bundled(const std::vector<std::string>& sets = {}, const std::vector<std::string>& pitfalls = {}) {
  return load_scenario_file(std::string(P3SIM_SOURCE_DIR) + "/scenarios/collective_impact_city.json",
                            ScenarioEdits{sets, pitfalls});
}

/// Means of the final metrics the note talks about, over the same replicates.
struct Means {
  double adopters = 0, trust = 0, retention = 0, goal_reached = 0, groups_formed = 0, groups_dissolved = 0;
};

Means run_means(const Scenario& sc) {
  Means m;
  for (int r = 1; r <= kReplicates; ++r) {
    const RunResult res = run_once(sc, derive_run_seed(7, static_cast<std::uint64_t>(r)));
    m.adopters += test::final_metric(res, kFAdopters) / kReplicates;
    m.trust += test::final_metric(res, kFMeanTrust) / kReplicates;
    m.retention += test::final_metric(res, kFRetention) / kReplicates;
    m.goal_reached += test::final_metric(res, kFGoalReached) / kReplicates;
    for (const Event& e : res.events) {
      if (e.kind == EventKind::GroupFormed) m.groups_formed += 1.0 / kReplicates;
      if (e.kind == EventKind::GroupDissolved) m.groups_dissolved += 1.0 / kReplicates;
    }
  }
  return m;
}

class CollectiveImpactCityScenario : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { baseline_ = new Means(run_means(load_bundled())); }
  static void TearDownTestSuite() { delete baseline_; baseline_ = nullptr; }
  static const Means& baseline() { return *baseline_; }

 private:
  static inline Means* baseline_ = nullptr;
};

TEST_F(CollectiveImpactCityScenario, BackboneRaisesReadinessAboveTheNoPartnershipLevel) {
  const Means none = run_means(load_bundled({"/production/productivity=0"}));
  // Readiness stays near its 44% start (1,760 children) without the partnership's output.
  EXPECT_NEAR(none.adopters, 1760.0, 120.0);
  EXPECT_GT(baseline().adopters, none.adopters + 250.0);
  EXPECT_GE(baseline().goal_reached, 0.5);  // 0.7-1.0 over blocks of 10 replicates
  EXPECT_GT(baseline().retention, 0.9);
}

TEST_F(CollectiveImpactCityScenario, UnfundedBackboneCostsReadinessAndTrust) {
  const Means unfunded = run_means(load_bundled({}, {"unfunded_backbone"}));
  EXPECT_LT(unfunded.adopters, baseline().adopters - 150.0);
  EXPECT_LT(unfunded.trust, baseline().trust - 0.05);
  EXPECT_LT(unfunded.goal_reached, baseline().goal_reached - 0.5);
}

TEST_F(CollectiveImpactCityScenario, NoSharedMeasurementCostsReadinessAndTrust) {
  const Means fog = run_means(load_bundled({}, {"no_shared_measurement"}));
  EXPECT_LT(fog.adopters, baseline().adopters - 100.0);
  EXPECT_LT(fog.trust, baseline().trust - 0.05);
  EXPECT_LT(fog.retention, baseline().retention - 0.03);  // members leave for distrust
}

TEST_F(CollectiveImpactCityScenario, BackboneHoldsTogetherWhereAConstellationFragments) {
  const Means constellation = run_means(load_bundled({"/governance/mode=constellation"}));
  EXPECT_GT(constellation.groups_formed, 5.0);
  EXPECT_GT(constellation.groups_dissolved, 5.0);
  EXPECT_EQ(baseline().groups_formed, 0.0);
  EXPECT_GT(baseline().adopters, constellation.adopters + 200.0);
  EXPECT_GT(baseline().retention, constellation.retention + 0.3);
}

}  // namespace
}  // namespace p3sim
