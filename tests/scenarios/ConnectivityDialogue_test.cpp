// Bundled scenario connectivity_dialogue: the behaviours its note promises, over fixed seeds.
// Pledges made at high visibility, delivered unreliably; 3,000 unconnected communities.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/ScenarioFixture.hpp"

namespace p3sim {
namespace {

constexpr int kRuns = 10;

Scenario dialogue(const std::vector<std::string>& sets, const std::vector<std::string>& pitfalls = {}) {
  return load_scenario_file(std::string(P3SIM_SOURCE_DIR) + "/scenarios/connectivity_dialogue.json",
                            ScenarioEdits{sets, pitfalls});
}

double connected(const RunResult& r) { return test::final_metric(r, kFAdopters); }
double trust_at_month_12(const RunResult& r) { return r.at_series(kSTrust, 12); }
double retention(const RunResult& r) { return test::final_metric(r, kFRetention); }

TEST(ConnectivityDialogue, ThePartnershipConnectsCommunitiesBeyondTheBackground) {
  const Scenario base = dialogue({});
  const double with = test::mean_over_seeds(base, kRuns, connected);                                           // about 2,100
  const double without = test::mean_over_seeds(dialogue({"/organizations/*/candidate=false"}), kRuns, connected);  // about 730
  EXPECT_GT(with, without + 800);
  EXPECT_GE(test::mean_over_seeds(base, kRuns, [](const RunResult& r) { return test::final_metric(r, kFGoalReached); }), 0.8);
  EXPECT_GE(test::mean_over_seeds(base, kRuns, retention), 0.8);
}

TEST(ConnectivityDialogue, APledgeGapLowersTrustAndOutcome) {
  const Scenario base = dialogue({}), gap = dialogue({}, {"pledge_gap"});
  EXPECT_LT(test::mean_over_seeds(gap, kRuns, trust_at_month_12),
            test::mean_over_seeds(base, kRuns, trust_at_month_12) - 0.08);  // about 0.25 vs 0.41
  EXPECT_LT(test::mean_over_seeds(gap, kRuns, connected),
            test::mean_over_seeds(base, kRuns, connected) - 700);           // about 950 vs 2,150
}

TEST(ConnectivityDialogue, ABackboneHoldsThePledgersTogetherAConstellationDoesNot) {
  const Scenario backbone = dialogue({}), constellation = dialogue({"/governance/mode=constellation"});
  EXPECT_GT(test::mean_over_seeds(backbone, kRuns, connected),
            test::mean_over_seeds(constellation, kRuns, connected) + 500);  // about 2,150 vs 1,300
  EXPECT_GT(test::mean_over_seeds(backbone, kRuns, retention),
            test::mean_over_seeds(constellation, kRuns, retention) + 0.5);  // about 1.0 vs 0.1
}

TEST(ConnectivityDialogue, SharedMeasurementIsWhatTheBackboneAdds) {
  const Scenario base = dialogue({}), fog = dialogue({}, {"no_shared_measurement"});
  EXPECT_LT(test::mean_over_seeds(fog, kRuns, trust_at_month_12),
            test::mean_over_seeds(base, kRuns, trust_at_month_12) - 0.03);  // about 0.34 vs 0.41
  EXPECT_LT(test::mean_over_seeds(fog, kRuns, connected),
            test::mean_over_seeds(base, kRuns, connected) - 300);           // about 1,500 vs 2,150
}

TEST(ConnectivityDialogue, TheKigaliRoundBringsInANewPledger) {
  const RunResult r = run_once(dialogue({}), derive_run_seed(7, 1));
  bool entered = false;
  for (const Event& e : r.events)
    if (e.kind == EventKind::Shock && e.cause == Cause::MemberEntry && e.step == 21) entered = true;
  EXPECT_TRUE(entered);
}

}  // namespace
}  // namespace p3sim
