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

double mean_final(const Scenario& sc, FinalIndex m) {
  return test::mean_over_seeds(sc, kReplicates, [m](const RunResult& r) { return test::final_metric(r, m); });
}

/// Mean number of events of `kind` per run.
double mean_events(const Scenario& sc, EventKind kind) {
  return test::mean_over_seeds(sc, kReplicates, [kind](const RunResult& r) {
    double n = 0;
    for (const Event& e : r.events) n += e.kind == kind ? 1.0 : 0.0;
    return n;
  });
}

TEST(CollectiveImpactCityScenario, BackboneRaisesReadinessAboveTheNoPartnershipLevel) {
  const Scenario backbone = load_bundled();
  const double none = mean_final(load_bundled({"/production/productivity=0"}), kFAdopters);
  // Readiness stays near its 44% start (1,760 children) without the partnership's output.
  EXPECT_NEAR(none, 1760.0, 120.0);
  EXPECT_GT(mean_final(backbone, kFAdopters), none + 250.0);
  EXPECT_GE(mean_final(backbone, kFGoalReached), 0.5);  // 0.7-1.0 over blocks of 10 replicates
  EXPECT_GT(mean_final(backbone, kFRetention), 0.9);
}

TEST(CollectiveImpactCityScenario, UnfundedBackboneCostsReadinessAndTrust) {
  const Scenario backbone = load_bundled(), unfunded = load_bundled({}, {"unfunded_backbone"});
  EXPECT_LT(mean_final(unfunded, kFAdopters), mean_final(backbone, kFAdopters) - 150.0);
  EXPECT_LT(mean_final(unfunded, kFMeanTrust), mean_final(backbone, kFMeanTrust) - 0.05);
  EXPECT_LT(mean_final(unfunded, kFGoalReached), mean_final(backbone, kFGoalReached) - 0.5);
}

TEST(CollectiveImpactCityScenario, NoSharedMeasurementCostsReadinessAndTrust) {
  const Scenario backbone = load_bundled(), fog = load_bundled({}, {"no_shared_measurement"});
  EXPECT_LT(mean_final(fog, kFAdopters), mean_final(backbone, kFAdopters) - 100.0);
  EXPECT_LT(mean_final(fog, kFMeanTrust), mean_final(backbone, kFMeanTrust) - 0.05);
  // Members leave for distrust.
  EXPECT_LT(mean_final(fog, kFRetention), mean_final(backbone, kFRetention) - 0.03);
}

TEST(CollectiveImpactCityScenario, BackboneHoldsTogetherWhereAConstellationFragments) {
  const Scenario backbone = load_bundled(), constellation = load_bundled({"/governance/mode=constellation"});
  EXPECT_GT(mean_events(constellation, EventKind::GroupFormed), 5.0);
  EXPECT_GT(mean_events(constellation, EventKind::GroupDissolved), 5.0);
  EXPECT_EQ(mean_events(backbone, EventKind::GroupFormed), 0.0);
  EXPECT_GT(mean_final(backbone, kFAdopters), mean_final(constellation, kFAdopters) + 200.0);
  EXPECT_GT(mean_final(backbone, kFRetention), mean_final(constellation, kFRetention) + 0.3);
}

}  // namespace
}  // namespace p3sim
