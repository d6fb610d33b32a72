// Trust: asymmetric updating, observation noise by transparency, gossip and priors.
#include <gtest/gtest.h>

#include "../support/ScenarioFixture.hpp"
#include "model/Trust.hpp"

namespace p3sim {
namespace {

TEST(Trust, BrokenPledgesLowerTrustFasterThanKeptPledgesRaiseIt) {
  // Same distance to travel (0.5), opposite directions, default gain 0.25 and loss 0.5.
  double up = 0.5, down = 0.5;
  for (int step = 0; step < 3; ++step) {
    up = updated_trust(up, 1.0, 0.25, 0.5);
    down = updated_trust(down, 0.0, 0.25, 0.5);
  }
  const double gained = up - 0.5, lost = 0.5 - down;
  EXPECT_GT(lost, gained);
  EXPECT_NEAR(gained, 0.5 * (1 - 0.75 * 0.75 * 0.75), 1e-12);
  EXPECT_NEAR(lost, 0.5 * (1 - 0.5 * 0.5 * 0.5), 1e-12);
}

TEST(Trust, PriorsFollowSectorPairs) {
  auto doc = test::base_scenario();
  doc["trust"]["priors"]["civil_society"]["business"] = 0.1;
  doc["trust"]["prior_noise"] = 0.0;
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 1, 0);
  const auto& s = sim.state();
  EXPECT_DOUBLE_EQ(s.trust(4, 2), 0.1);  // ngo -> agri_company
  EXPECT_DOUBLE_EQ(s.trust(2, 4), sc.trust.priors[1][2]);
}

TEST(Trust, PrehistoryShiftsInitialTrust) {
  auto doc = test::base_scenario();
  doc["trust"]["prior_noise"] = 0.0;
  doc["organizations"][4]["prehistory"] = {{"ministry", -0.3}};
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 1, 0);
  EXPECT_NEAR(sim.state().trust(4, 0), sc.trust.priors[2][0] - 0.3, 1e-12);
}

TEST(Trust, ReliableMembersEarnMoreTrustThanUnreliableOnes) {
  auto reliable = test::base_scenario();
  auto unreliable = test::base_scenario();
  reliable["organizations"][2]["reliability"] = 1.0;
  unreliable["organizations"][2]["reliability"] = 0.3;
  auto trust_in_company = [](const Scenario& sc) {
    double sum = 0;
    for (int seed = 1; seed <= 10; ++seed) {
      Simulation sim(sc, derive_run_seed(3, static_cast<std::uint64_t>(seed)));
      sim.run();
      const auto& s = sim.state();
      double row = 0;
      for (int i = 0; i < s.n; ++i)
        if (i != 2) row += s.trust(i, 2);
      sum += row / (s.n - 1);
    }
    return sum / 10;
  };
  EXPECT_GT(trust_in_company(test::load(reliable)), trust_in_company(test::load(unreliable)) + 0.1);
}

TEST(Trust, TransparencyMakesTrustTrackDeliveriesMoreClosely) {
  // With no noise, trust converges on delivered effort; noise adds spread across replicates.
  auto clear = test::base_scenario();
  clear["governance"]["transparency"] = 1.0;
  auto murky = test::base_scenario();
  murky["governance"]["transparency"] = 0.0;
  murky["trust"]["sigma_obs"] = 0.5;
  auto spread = [](const Scenario& sc) {
    std::vector<double> values;
    for (int seed = 1; seed <= 12; ++seed) {
      Simulation sim(sc, derive_run_seed(5, static_cast<std::uint64_t>(seed)), 20);
      sim.run();
      values.push_back(sim.state().trust(0, 4));
    }
    double mean = 0, sq = 0;
    for (double v : values) mean += v;
    mean /= values.size();
    for (double v : values) sq += (v - mean) * (v - mean);
    return std::sqrt(sq / values.size());
  };
  EXPECT_LT(spread(test::load(clear)), spread(test::load(murky)));
}

}  // namespace
}  // namespace p3sim
