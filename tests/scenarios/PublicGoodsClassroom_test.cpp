// Bundled scenario public_goods_classroom: the behaviours its note promises, over fixed seeds.
// Four players in a repeated public-goods game; one step is one contribution round.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/ScenarioFixture.hpp"

namespace p3sim {
namespace {

constexpr int kReplicates = 12;
const std::string kFreeRiderCooperation = "/organizations/Player 4 (free rider)/cooperation=\"conditional\"";
constexpr int kFreeRider = 3;  // index of "Player 4 (free rider)"

Scenario classroom(const std::vector<std::string>& sets = {}, const std::vector<std::string>& pitfalls = {}) {
  ScenarioEdits edits;
  edits.sets = sets;
  edits.pitfalls = pitfalls;
  return load_scenario_file(std::string(P3SIM_SOURCE_DIR) + "/scenarios/public_goods_classroom.json", edits);
}

/// The first contribution round: the step of the execute phase event.
int first_round(const RunResult& r) {
  for (const Event& e : r.events)
    if (e.kind == EventKind::Phase && e.cause == Cause::Execute) return e.step;
  return -1;
}

/// Mean effort in the last round minus mean effort in the first round.
double effort_change(const RunResult& r) {
  const int first = first_round(r);
  if (first < 0) return 0.0;
  return r.at_series(kSEffort, r.steps) - r.at_series(kSEffort, first);
}

double free_rider_effort(const RunResult& r) { return r.org_fields[static_cast<std::size_t>(kOMeanEffort) * r.orgs + kFreeRider]; }

double outcome(const RunResult& r) { return test::final_metric(r, kFOutcome); }

TEST(PublicGoodsClassroom, RoundsStartAfterTheAgreementAndEveryPlayerStays) {
  const RunResult r = run_once(classroom(), derive_run_seed(7, 1));
  EXPECT_EQ(first_round(r), 4);
  EXPECT_EQ(r.at_series(kSMembers, r.steps), 4.0);
  EXPECT_EQ(test::final_metric(r, kFRetention), 1.0);
}

TEST(PublicGoodsClassroom, WithoutSanctionsContributionsDecayWhenAFreeRiderIsPresent) {
  const Scenario s = classroom({}, {"no_sanctions"});
  EXPECT_LT(test::mean_over_seeds(s, kReplicates, effort_change), -0.05);  // measured about -0.09
  EXPECT_LT(test::mean_over_seeds(s, kReplicates, free_rider_effort), 0.1);  // 0.05
  EXPECT_EQ(test::mean_over_seeds(s, kReplicates, [](const RunResult& r) { return test::final_metric(r, kFGoalReached); }), 0.0);
}

TEST(PublicGoodsClassroom, WithSanctionsAndTransparencyContributionsHoldUp) {
  const Scenario with = classroom(), without = classroom({}, {"no_sanctions"});
  EXPECT_GT(test::mean_over_seeds(with, kReplicates, effort_change), 0.08);            // about +0.17
  EXPECT_GT(test::mean_over_seeds(with, kReplicates, free_rider_effort), 0.35);        // about 0.51
  const double q_with = test::mean_over_seeds(with, kReplicates, outcome);             // about 13.5
  const double q_without = test::mean_over_seeds(without, kReplicates, outcome);       // about 9.2
  EXPECT_GT(q_with, q_without + 3.0);
  EXPECT_GE(test::mean_over_seeds(with, kReplicates, [](const RunResult& r) { return test::final_metric(r, kFGoalReached); }), 0.9);
}

TEST(PublicGoodsClassroom, TheFreeRiderCausesTheDecline) {
  // The same game without sanctions, with the free rider replaced by a conditional cooperator.
  const Scenario all_conditional = classroom({kFreeRiderCooperation}, {"no_sanctions"});
  const Scenario with_free_rider = classroom({}, {"no_sanctions"});
  EXPECT_GT(test::mean_over_seeds(all_conditional, kReplicates, effort_change), 0.05);  // about +0.15
  EXPECT_GT(test::mean_over_seeds(all_conditional, kReplicates, outcome),
            test::mean_over_seeds(with_free_rider, kReplicates, outcome) + 4.0);        // 15.3 vs 9.2
}

TEST(PublicGoodsClassroom, NoSharedMeasurementWeakensSanctions) {
  const Scenario base = classroom(), fog = classroom({}, {"no_shared_measurement"}),
                 none = classroom({}, {"no_sanctions"});
  const double fr_base = test::mean_over_seeds(base, kReplicates, free_rider_effort);  // about 0.51
  const double fr_fog = test::mean_over_seeds(fog, kReplicates, free_rider_effort);    // about 0.25-0.3
  const double fr_none = test::mean_over_seeds(none, kReplicates, free_rider_effort);  // 0.05
  EXPECT_GT(fr_base, fr_fog + 0.12);
  EXPECT_GT(fr_fog, fr_none + 0.1);
  const double q_base = test::mean_over_seeds(base, kReplicates, outcome);  // about 13.5
  const double q_fog = test::mean_over_seeds(fog, kReplicates, outcome);    // about 11.5
  const double q_none = test::mean_over_seeds(none, kReplicates, outcome);  // about 9.2
  EXPECT_GT(q_base, q_fog + 0.8);
  EXPECT_GT(q_fog, q_none + 1.0);
}

}  // namespace
}  // namespace p3sim
