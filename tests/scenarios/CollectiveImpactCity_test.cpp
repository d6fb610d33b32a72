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

/// The replicates of one variant, run once and read by every assertion about it.
using Runs = std::vector<RunResult>;
Runs replicates(const std::vector<std::string>& sets = {}, const std::vector<std::string>& pitfalls = {}) {
  const Scenario sc = load_bundled(sets, pitfalls);
  Runs runs;
  for (int r = 1; r <= kReplicates; ++r) runs.push_back(run_once(sc, derive_run_seed(7, static_cast<std::uint64_t>(r))));
  return runs;
}

const Runs& backbone() {
  static const Runs runs = replicates();
  return runs;
}

double mean_final(const Runs& runs, FinalIndex m) {
  double sum = 0;
  for (const RunResult& r : runs) sum += test::final_metric(r, m);
  return sum / static_cast<double>(runs.size());
}

/// Mean number of events of `kind` per run.
double mean_events(const Runs& runs, EventKind kind) {
  double n = 0;
  for (const RunResult& r : runs)
    for (const Event& e : r.events) n += e.kind == kind ? 1.0 : 0.0;
  return n / static_cast<double>(runs.size());
}

TEST(CollectiveImpactCityScenario, BackboneRaisesReadinessAboveTheNoPartnershipLevel) {
  const double none = mean_final(replicates({"/production/productivity=0"}), kFAdopters);
  // Readiness stays near its 44% start (1,760 children) without the partnership's output.
  EXPECT_NEAR(none, 1760.0, 120.0);
  EXPECT_GT(mean_final(backbone(), kFAdopters), none + 250.0);
  EXPECT_GE(mean_final(backbone(), kFGoalReached), 0.5);  // 0.7-1.0 over blocks of 10 replicates
  EXPECT_GT(mean_final(backbone(), kFRetention), 0.9);
}

TEST(CollectiveImpactCityScenario, UnfundedBackboneCostsReadinessAndTrust) {
  const Runs unfunded = replicates({}, {"unfunded_backbone"});
  EXPECT_LT(mean_final(unfunded, kFAdopters), mean_final(backbone(), kFAdopters) - 150.0);
  EXPECT_LT(mean_final(unfunded, kFMeanTrust), mean_final(backbone(), kFMeanTrust) - 0.05);
  EXPECT_LT(mean_final(unfunded, kFGoalReached), mean_final(backbone(), kFGoalReached) - 0.5);
}

TEST(CollectiveImpactCityScenario, NoSharedMeasurementCostsReadinessAndTrust) {
  const Runs fog = replicates({}, {"no_shared_measurement"});
  EXPECT_LT(mean_final(fog, kFAdopters), mean_final(backbone(), kFAdopters) - 100.0);
  EXPECT_LT(mean_final(fog, kFMeanTrust), mean_final(backbone(), kFMeanTrust) - 0.05);
  // Members leave for distrust.
  EXPECT_LT(mean_final(fog, kFRetention), mean_final(backbone(), kFRetention) - 0.03);
}

TEST(CollectiveImpactCityScenario, BackboneHoldsTogetherWhereAConstellationFragments) {
  const Runs constellation = replicates({"/governance/mode=constellation"});
  EXPECT_GT(mean_events(constellation, EventKind::GroupFormed), 5.0);
  EXPECT_GT(mean_events(constellation, EventKind::GroupDissolved), 5.0);
  EXPECT_EQ(mean_events(backbone(), EventKind::GroupFormed), 0.0);
  EXPECT_GT(mean_final(backbone(), kFAdopters), mean_final(constellation, kFAdopters) + 200.0);
  EXPECT_GT(mean_final(backbone(), kFRetention), mean_final(constellation, kFRetention) + 0.3);
}

}  // namespace
}  // namespace p3sim
