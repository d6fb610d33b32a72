// SectorTrustWatch: story lines when trust between two sectors collapses.
#include "run/SectorTrustWatch.hpp"

#include <gtest/gtest.h>

#include "../support/ScenarioFixture.hpp"

namespace p3sim {
namespace {

// The fixture's organizations: 0-1 government, 2-3 business, 4-5 civil society.
class SectorTrustWatchTest : public ::testing::Test {
 protected:
  SectorTrustWatchTest() : scenario_(test::load(test::base_scenario())), sim_(scenario_, 1) {
    state_ = sim_.state();
    for (int i = 0; i < 6; ++i) state_.member[static_cast<std::size_t>(i)] = 1;
    state_.trust.setConstant(0.6);
    state_.delivered.setConstant(0.6);
  }
  /// Sets trust both ways between every government and business organization.
  void government_business(double level) {
    for (int g : {0, 1}) {
      for (int b : {2, 3}) state_.trust(g, b) = state_.trust(b, g) = level;
    }
  }
  void observe(SectorTrustWatch& watch, int step) {
    state_.step = step;
    watch.observe(state_);
  }
  Scenario scenario_;
  Simulation sim_;
  PartnershipState state_;
};

TEST_F(SectorTrustWatchTest, ReportsAFallFromWorkingTrustToSuspicionOncePerFall) {
  SectorTrustWatch watch(scenario_);
  observe(watch, 1);
  government_business(0.5);
  observe(watch, 2);
  EXPECT_TRUE(watch.collapses().empty());
  government_business(0.2);
  observe(watch, 3);
  observe(watch, 4);
  EXPECT_TRUE(watch.collapses().empty()) << "not yet: below for two steps only";
  observe(watch, 5);
  ASSERT_EQ(watch.collapses().size(), 1u);
  EXPECT_EQ(watch.collapses()[0].first, 3) << "dated at the fall";
  EXPECT_EQ(watch.collapses()[0].second,
            "trust between the government and business sectors collapsed (0.60 -> 0.20) while they delivered 0.60 "
            "of their pledges");
  observe(watch, 6);  // still low: the same fall, not a new one
  EXPECT_EQ(watch.collapses().size(), 1u);
  government_business(0.5);  // recovers to a working relationship, then falls again
  observe(watch, 7);
  government_business(0.25);
  for (int step = 8; step <= 10; ++step) observe(watch, step);
  ASSERT_EQ(watch.collapses().size(), 2u);
  EXPECT_EQ(watch.collapses()[1].first, 8);
  EXPECT_EQ(watch.collapses()[1].second,
            "trust between the government and business sectors collapsed (0.50 -> 0.25) while they delivered 0.60 "
            "of their pledges");
}

TEST_F(SectorTrustWatchTest, ADipAfterAMissedDeliveryIsNoCollapse) {
  // Trust loses faster than it gains: one month without delivery halves it, and it recovers when
  // deliveries come back. Two months below the collapse level are a dip, not a collapse.
  SectorTrustWatch watch(scenario_);
  observe(watch, 1);
  government_business(0.25);
  observe(watch, 2);
  observe(watch, 3);
  government_business(0.4);
  observe(watch, 4);
  government_business(0.28);
  observe(watch, 5);
  observe(watch, 6);
  EXPECT_TRUE(watch.collapses().empty());
}

TEST_F(SectorTrustWatchTest, TheLineSaysWhatTheTwoSidesDelivered) {
  SectorTrustWatch watch(scenario_);
  observe(watch, 1);
  government_business(0.1);
  state_.delivered.setConstant(0.0);  // nobody delivers at all: distrust follows the deliveries
  for (int step = 2; step <= 4; ++step) observe(watch, step);
  ASSERT_FALSE(watch.collapses().empty());
  EXPECT_NE(watch.collapses()[0].second.find("while they delivered 0.00 of their pledges"), std::string::npos);
}

TEST_F(SectorTrustWatchTest, IgnoresPairsThatNeverTrustedAndSectorsWithoutMembers) {
  government_business(0.35);  // never at a working level
  SectorTrustWatch watch(scenario_);
  observe(watch, 1);
  government_business(0.1);
  observe(watch, 2);
  EXPECT_TRUE(watch.collapses().empty());
  // Civil society leaves; trust toward it no longer counts.
  state_.member[4] = state_.member[5] = 0;
  for (int i = 0; i < 4; ++i) {
    for (int c : {4, 5}) state_.trust(i, c) = state_.trust(c, i) = 0.0;
  }
  observe(watch, 3);
  EXPECT_TRUE(watch.collapses().empty());
}

TEST(SectorTrustWatch, WatchingDoesNotChangeTheRun) {
  const Scenario sc = test::load(test::base_scenario());
  Simulation sim(sc, 5);
  SectorTrustWatch watch(sc);
  while (sim.current_step() < sim.total_steps()) {
    sim.step();
    watch.observe(sim.state());
  }
  EXPECT_EQ(sim.run().final_metrics, run_once(sc, 5).final_metrics);
}

TEST(SectorTrustWatch, MergesCollapsesIntoTheStoryInMonthOrder) {
  const std::vector<std::string> story = {"month 1: phase scope (x)", "month 7: A left (y)", "month 9: B joined"};
  const std::vector<std::pair<int, std::string>> extra = {{7, "trust collapsed"}, {12, "late"}};
  EXPECT_EQ(merge_story(story, extra),
            (std::vector<std::string>{"month 1: phase scope (x)", "month 7: A left (y)", "month 7: trust collapsed",
                                      "month 9: B joined", "month 12: late"}));
}

}  // namespace
}  // namespace p3sim
