// Bundled scenario colombia_crop_substitution: the behaviours its note promises, over fixed seeds.
// PNIS, PASO Colombia, the UN Multi-Partner Trust Fund and local buyers; 4,955 units of 20 families.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../support/ScenarioFixture.hpp"

namespace p3sim {
namespace {

constexpr int kSeeds = 10;

Scenario colombia(const std::vector<std::string>& pitfalls = {}, const std::vector<std::string>& sets = {}) {
  return load_scenario_file(std::string(P3SIM_SOURCE_DIR) + "/scenarios/colombia_crop_substitution.json",
                            ScenarioEdits{sets, pitfalls});
}

/// Means over the fixed seeds of the quantities the note promises, from one run per seed.
struct Means {
  double adopters = 0, relapsed = 0, adopters_month_12 = 0, exits = 0, goal_reached = 0;
  double earliest_goal = 1e9;  // the earliest month a run reached the goal (runs that never did are left out)
};

Means means(const Scenario& scenario) {
  Means m;
  for (int k = 1; k <= kSeeds; ++k) {
    const RunResult r = run_once(scenario, derive_run_seed(7, static_cast<std::uint64_t>(k)));
    m.adopters += test::final_metric(r, kFAdopters) / kSeeds;
    m.relapsed += test::final_metric(r, kFRelapsed) / kSeeds;
    m.adopters_month_12 += r.at_series(kSAdopters, 12) / kSeeds;
    for (int x = kFExitsHierarchy; x <= kFExitsShock; ++x) m.exits += test::final_metric(r, static_cast<FinalIndex>(x)) / kSeeds;
    m.goal_reached += test::final_metric(r, kFGoalReached) / kSeeds;
    const double t = test::final_metric(r, kFTimeToGoal);  // -1: never, a code and not a month
    if (t >= 0) m.earliest_goal = std::min(m.earliest_goal, t);
  }
  return m;
}

TEST(ColombiaCropSubstitution, ThePartnershipReachesTheGoalAndCausesTheAdoption) {
  const Means base = means(colombia());
  const Means nobody = means(colombia({}, {"/organizations/*/candidate=false"}));
  EXPECT_GT(base.adopters, nobody.adopters + 2000);  // about 3,500-3,850 vs 850
  EXPECT_GE(base.goal_reached, 0.5);                  // 60-85% of runs
  // Not degenerate: the goal (3,716 units) takes most of the four years (median about month 45).
  EXPECT_GT(base.earliest_goal, 30.0);
}

TEST(ColombiaCropSubstitution, ForcedEradicationConvertsFasterButRelapsesMore) {
  const Means base = means(colombia()), forced = means(colombia({"forced_eradication"}));
  EXPECT_GT(forced.adopters_month_12, base.adopters_month_12 + 700);  // about 1,740-1,800 vs 740-810
  EXPECT_GT(forced.relapsed, base.relapsed * 5);                      // about 1,700-1,950 vs 195-230
}

TEST(ColombiaCropSubstitution, PaymentDelaysRaiseRelapseAndExits) {
  const Means base = means(colombia()), delays = means(colombia({"payment_delays"}));
  EXPECT_GT(delays.relapsed, base.relapsed * 1.1);  // 225-300 vs 195-230
  EXPECT_GT(delays.exits, base.exits + 0.6);         // 1-3 vs at most 1
  EXPECT_LT(delays.adopters, base.adopters - 150);
}

TEST(ColombiaCropSubstitution, AFundingCutRaisesRelapse) {
  const Means base = means(colombia()), cut = means(colombia({"funding_cut"}));
  EXPECT_GT(cut.relapsed, base.relapsed * 1.05);  // about a tenth more: 215-250 vs 195-230
  EXPECT_LT(cut.adopters, base.adopters - 60);     // about 3,250-3,600 vs 3,500-3,850
}

TEST(ColombiaCropSubstitution, WithoutLocalPartnersFewerFamiliesSubstitute) {
  const double base = means(colombia()).adopters;                          // about 3,500-3,850
  const double no_local = means(colombia({"no_local_partner"})).adopters;  // about 2,350-2,550
  const double missing = means(colombia({"missing_voices"})).adopters;     // about 1,340
  EXPECT_LT(no_local, base - 600);
  EXPECT_LT(missing, base - 1200);
}

TEST(ColombiaCropSubstitution, StaysWithinTheSweepBenchmarkBudget) {
  // The sweep benchmark needs 10,000 runs in under 60 s on 2 cores (about 2-3 ms per run at -O2).
  // Run time grows with units x steps, so the scenario keeps both small.
  const Scenario base = colombia();
  EXPECT_EQ(base.population.units, 4955);  // 99,097 PNIS families in groups of 20
  EXPECT_LE(base.population.units * base.steps, 250000);
  EXPECT_TRUE(base.population.forced);
}

}  // namespace
}  // namespace p3sim
