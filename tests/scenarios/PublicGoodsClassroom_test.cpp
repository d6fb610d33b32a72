// Bundled scenario public_goods_classroom: the behaviours its note promises, over fixed seeds.
// Four players in a repeated public-goods game; one step is one contribution round.
#include <gtest/gtest.h>

#include <cmath>
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

/// Mean effort in contribution round k (1 = the first).
double round_effort(const RunResult& r, int k) {
  const int first = first_round(r);
  return first < 0 ? 0.0 : r.at_series(kSEffort, first + k - 1);
}
double first_round_effort(const RunResult& r) { return round_effort(r, 1); }
double round10_effort(const RunResult& r) { return round_effort(r, 10); }
double round20_effort(const RunResult& r) { return round_effort(r, 20); }
double round20_zero_share(const RunResult& r) {
  const int first = first_round(r);
  return first < 0 ? 0.0 : r.at_series(kSZeroEffort, first + 19);
}

double free_rider_effort(const RunResult& r) { return r.org_fields[static_cast<std::size_t>(kOMeanEffort) * r.orgs + kFreeRider]; }

double outcome(const RunResult& r) { return test::final_metric(r, kFOutcome); }
double goal_reached(const RunResult& r) { return test::final_metric(r, kFGoalReached); }

TEST(PublicGoodsClassroom, RoundsStartAfterTheAgreementAndEveryPlayerStays) {
  const RunResult r = run_once(classroom(), derive_run_seed(7, 1));
  EXPECT_EQ(first_round(r), 4);
  EXPECT_EQ(r.at_series(kSMembers, r.steps), 4.0);
  EXPECT_EQ(test::final_metric(r, kFRetention), 1.0);
  for (int k = 1; k <= 20; ++k) {  // contributions are whole tokens of 1/20
    const double tokens = round_effort(r, k) * 4 * 20;  // four players
    EXPECT_NEAR(tokens, std::round(tokens), 1e-9) << "round " << k;
  }
}

TEST(PublicGoodsClassroom, WithoutPunishmentContributionsUnravelToNothing) {
  const Scenario s = classroom({}, {"no_sanctions"});
  EXPECT_NEAR(test::mean_over_seeds(s, kReplicates, first_round_effort), 0.35, 0.04);  // the note: about 0.35
  EXPECT_LT(test::mean_over_seeds(s, kReplicates, round10_effort), 0.04);              // about 0.01
  EXPECT_EQ(test::mean_over_seeds(s, kReplicates, round20_effort), 0.0);
  EXPECT_EQ(test::mean_over_seeds(s, kReplicates, round20_zero_share), 1.0);           // everybody gives nothing
  EXPECT_EQ(test::mean_over_seeds(s, kReplicates, free_rider_effort), 0.0);
  EXPECT_NEAR(test::mean_over_seeds(s, kReplicates, outcome), 1.4, 0.3);
  EXPECT_EQ(test::mean_over_seeds(s, kReplicates, goal_reached), 0.0);
}

TEST(PublicGoodsClassroom, WithPunishmentContributionsRiseAndHold) {
  const Scenario with = classroom();
  EXPECT_NEAR(test::mean_over_seeds(with, kReplicates, first_round_effort), 0.35, 0.04);
  EXPECT_NEAR(test::mean_over_seeds(with, kReplicates, round10_effort), 0.56, 0.04);
  EXPECT_NEAR(test::mean_over_seeds(with, kReplicates, round20_effort), 0.51, 0.05);
  EXPECT_NEAR(test::mean_over_seeds(with, kReplicates, free_rider_effort), 0.54, 0.05);
  EXPECT_NEAR(test::mean_over_seeds(with, kReplicates, outcome), 10.7, 0.4);
  EXPECT_GE(test::mean_over_seeds(with, kReplicates, goal_reached), 0.9);
}

TEST(PublicGoodsClassroom, ImperfectConditionalCooperatorsUnravelWithoutAFreeRider) {
  // The same game without punishment, the free rider replaced by a conditional cooperator.
  const Scenario all_conditional = classroom({kFreeRiderCooperation}, {"no_sanctions"});
  EXPECT_NEAR(test::mean_over_seeds(all_conditional, kReplicates, first_round_effort), 0.47, 0.04);
  EXPECT_NEAR(test::mean_over_seeds(all_conditional, kReplicates, round10_effort), 0.20, 0.04);
  EXPECT_EQ(test::mean_over_seeds(all_conditional, kReplicates, round20_effort), 0.0);
}

TEST(PublicGoodsClassroom, NoSharedMeasurementLetsShortfallsGoUnpunished) {
  const Scenario fog = classroom({}, {"no_shared_measurement"});
  EXPECT_NEAR(test::mean_over_seeds(fog, kReplicates, round10_effort), 0.34, 0.05);
  EXPECT_NEAR(test::mean_over_seeds(fog, kReplicates, round20_effort), 0.23, 0.05);
  EXPECT_NEAR(test::mean_over_seeds(fog, kReplicates, outcome), 6.5, 0.5);
  EXPECT_EQ(test::mean_over_seeds(fog, kReplicates, goal_reached), 0.0);
}

TEST(PublicGoodsClassroom, MutualSuspicionIsSelfFulfilling) {
  const Scenario suspicious = classroom({}, {"mutual_suspicion"});
  EXPECT_NEAR(test::mean_over_seeds(suspicious, kReplicates, first_round_effort), 0.18, 0.04);
  EXPECT_NEAR(test::mean_over_seeds(suspicious, kReplicates, round20_effort), 0.28, 0.05);
}

}  // namespace
}  // namespace p3sim
