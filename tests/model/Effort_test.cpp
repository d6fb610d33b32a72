// Effort: conditional cooperation, friction and sanctions.
#include <array>
#include <cmath>

#include <gtest/gtest.h>

#include "../support/ScenarioFixture.hpp"
#include "model/Effort.hpp"

namespace p3sim {
namespace {

TEST(Effort, IntendedEffortFollowsTheRule) {
  const CooperationRule conditional{0.1, 0.9, 1.0};
  EXPECT_NEAR(intended_effort(0.8, conditional, 0.0, 0.5, 0.1), 0.8 * (0.1 + 0.45) - 0.1, 1e-12);
  EXPECT_DOUBLE_EQ(intended_effort(1.0, {0.9, 1.0, 1.0}, 0.5, 1.0, 0.0), 1.0);  // clamped above
  EXPECT_DOUBLE_EQ(intended_effort(0.5, {0.1, 0.0, 1.0}, 0.0, 1.0, 0.9), 0.0);  // clamped below
  // Reciprocity: a conditional cooperator offers more when it believes others deliver.
  EXPECT_GT(intended_effort(0.9, conditional, 0, 0.9, 0), intended_effort(0.9, conditional, 0, 0.3, 0));
  // Sanction pressure adds to the response.
  EXPECT_NEAR(intended_effort(1.0, conditional, 0.2, 0.5, 0.0), 0.1 + 0.45 + 0.2, 1e-12);
}

TEST(Effort, ContributionTypesOfTheLaboratoryCanBeExpressed) {
  // A conditional cooperator with a negative intercept gives nothing until it believes others give
  // enough (a threshold), then matches a little below.
  const CooperationRule threshold{-0.1, 0.9, 1.0};
  EXPECT_EQ(intended_effort(1.0, threshold, 0.0, 0.1, 0.0), 0.0);
  EXPECT_NEAR(intended_effort(1.0, threshold, 0.0, 0.5, 0.0), 0.35, 1e-12);
  // Hump-shaped: rises with belief up to the peak, falls beyond it.
  const CooperationRule hump{0.0, 1.0, 0.5};
  EXPECT_NEAR(contribution_response(hump, 0.3), 0.3, 1e-12);
  EXPECT_NEAR(contribution_response(hump, 0.5), 0.5, 1e-12);
  EXPECT_NEAR(contribution_response(hump, 0.8), 0.2, 1e-12);
  EXPECT_NEAR(contribution_response(hump, 1.0), 0.0, 1e-12);
  // Free riders of the default types give nothing, whatever they believe.
  const Scenario sc = test::load(test::base_scenario());
  const CooperationRule& free_rider = sc.effort.types[static_cast<std::size_t>(CooperationType::FreeRider)];
  for (double belief : {0.0, 0.5, 1.0}) EXPECT_EQ(intended_effort(1.0, free_rider, 0.0, belief, 0.0), 0.0);
  const CooperationRule& named_hump = sc.effort.types[static_cast<std::size_t>(CooperationType::HumpShaped)];
  EXPECT_EQ(named_hump.peak, 0.5);
}

TEST(Effort, DiscreteContributionsAreWholeTokens) {
  EXPECT_EQ(to_levels(0.37, 0), 0.37);
  EXPECT_DOUBLE_EQ(to_levels(0.37, 20), 0.35);
  EXPECT_DOUBLE_EQ(to_levels(0.38, 20), 0.4);
  EXPECT_EQ(to_levels(0.01, 20), 0.0);
  EXPECT_EQ(to_levels(1.0, 20), 1.0);
  auto doc = test::base_scenario();
  doc["effort"] = {{"levels", 10}};
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 3, 30);
  while (sim.current_step() < 30) {
    sim.step();
    for (int i = 0; i < sc.organization_count(); ++i) {
      const double tokens = sim.state().effort(i) * 10;
      EXPECT_NEAR(tokens, std::round(tokens), 1e-9) << "organization " << i << " at step " << sim.current_step();
    }
  }
}

// Six players of the given cooperation types in network governance, reliable and patient (nobody
// leaves), with formal sanctions of the given strength.
nlohmann::ordered_json network_game(const std::array<const char*, 6>& types, double sanctions, double transparency) {
  auto doc = test::base_scenario();
  doc.erase("population");
  doc["goal"] = {{"target", 1000.0}};
  doc["governance"] = {
      {"mode", "network"}, {"lead", "ministry"}, {"sanctions", sanctions}, {"transparency", transparency}};
  for (std::size_t i = 0; i < doc["organizations"].size(); ++i) {
    doc["organizations"][i]["cooperation"] = types[i];
    doc["organizations"][i]["reliability"] = 1.0;
    doc["organizations"][i]["champion"] = 1.0;
    doc["organizations"][i]["patience"] = 1000;
  }
  doc["champions"] = {{"c_min", 0.0}};
  return doc;
}

// Conditional cooperators and free riders, with and without sanctions.
nlohmann::ordered_json mixed(double sanctions) {
  return network_game({"conditional", "free_rider", "conditional", "free_rider", "conditional", "free_rider"},
                      sanctions, 0.9);
}

double effort_of_conditionals(const Scenario& sc, int from, int to) {
  double sum = 0;
  int count = 0;
  for (int seed = 1; seed <= 10; ++seed) {
    Simulation sim(sc, derive_run_seed(9, static_cast<std::uint64_t>(seed)));
    while (sim.current_step() < to) {
      sim.step();
      if (sim.current_step() >= from)
        for (int i : {0, 2, 4}) sum += sim.state().effort(i), ++count;
    }
  }
  return sum / count;
}

TEST(Effort, FreeRidersMakeCooperationDecayWithoutSanctionsButNotWithThem) {
  const Scenario without = test::load(mixed(0.0)), with = test::load(mixed(0.5));
  const double early_without = effort_of_conditionals(without, 7, 10);
  const double late_without = effort_of_conditionals(without, 30, 36);
  const double late_with = effort_of_conditionals(with, 30, 36);
  EXPECT_LT(late_without, early_without - 0.05);  // decay without sanctions
  EXPECT_GT(late_with, late_without + 0.1);        // sanctions hold it up
}

TEST(Effort, HierarchyAboveWhatAMemberAcceptsIsFriction) {
  auto doc = test::base_scenario();
  doc["organizations"][4]["hierarchy_preference"] = 0.1;
  doc["governance"]["hierarchy"] = 0.7;
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 1, 10);
  sim.run();
  if (sim.state().is_member(4)) {
    EXPECT_NEAR(sim.state().friction_hierarchy(4), sc.effort.phi_h * 0.6, 1e-12);
  }
  EXPECT_NEAR(sim.state().friction_hierarchy(0), sc.effort.phi_h * std::max(0.0, 0.7 - sc.organizations[0].hierarchy_preference), 1e-12);
}

TEST(Effort, TheLeadOfAUnifiedHierarchyFeelsNoHierarchyFriction) {
  auto doc = test::base_scenario();
  doc["governance"] = {{"mode", "hierarchy"}, {"lead", "ngo"}};  // a civil-society lead, h 0.2 < H 0.9
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 1, 10);
  sim.run();
  const int ngo = 4, farmers = 5;
  ASSERT_EQ(sc.organizations[ngo].name, "ngo");
  EXPECT_EQ(sim.state().friction_hierarchy(ngo), 0.0) << "it imposes the hierarchy";
  EXPECT_NEAR(sim.state().friction_hierarchy(farmers),
              sc.effort.phi_h * std::max(0.0, sc.governance.hierarchy - sc.organizations[farmers].hierarchy_preference),
              1e-12);
  EXPECT_GT(sim.state().friction_hierarchy(farmers), 0.0);
}

// Conditional cooperators, a free rider and a hump-shaped contributor who all see every
// contribution, with costly peer punishment at the given rate and no formal sanctions.
nlohmann::ordered_json game(double punishment_rate) {
  auto doc = network_game({"conditional", "free_rider", "conditional", "hump_shaped", "conditional", "conditional"},
                          0.0, 1.0);
  doc["punishment"] = {{"rate", punishment_rate}};
  return doc;
}

TEST(Effort, PunishmentCostsThePunisherHurtsThePunishedAndRaisesWhatTheyGive) {
  const Scenario sc = test::load(game(0.5));
  Simulation sim(sc, derive_run_seed(4, 1), 40);
  const int free_rider = 1;
  double given_by_cooperators = 0, received_by_free_rider = 0, free_rider_effort = 0;
  int executing = 0;
  while (sim.current_step() < 40) {
    sim.step();
    const PartnershipState& s = sim.state();
    if (!s.executing()) continue;
    ++executing;
    int least = -1;
    for (int i = 0; i < s.n; ++i)
      if (s.is_member(i) && (least < 0 || s.delivered(i) < s.delivered(least))) least = i;
    EXPECT_EQ(s.punishment_given(least), 0.0) << "whoever gives least punishes nobody";
    for (int i : {0, 2, 4, 5}) given_by_cooperators += s.punishment_given(i);
    received_by_free_rider += s.punishment_received(free_rider);
    free_rider_effort += s.effort(free_rider);
    // Points given equal points received, and each point is paid for.
    EXPECT_NEAR(s.punishment_given.sum(), s.punishment_received.sum(), 1e-9);
    if (s.punishment_given(0) > 0) {
      EXPECT_GT(s.cost(0), 0.0);
    }
  }
  ASSERT_GT(executing, 10);
  EXPECT_GT(given_by_cooperators, 0.0);
  EXPECT_GT(received_by_free_rider, 0.0);
  EXPECT_GT(free_rider_effort / executing, 0.2) << "punished, and then deterred, the free rider gives";
}

TEST(Effort, WithoutPunishmentContributionsDecayAndWithItTheyHold) {
  auto mean_effort = [](const Scenario& sc, int from, int to) {
    double sum = 0;
    int count = 0;
    for (int seed = 1; seed <= 10; ++seed) {
      Simulation sim(sc, derive_run_seed(11, static_cast<std::uint64_t>(seed)));
      while (sim.current_step() < to) {
        sim.step();
        if (sim.current_step() >= from)
          for (int i = 0; i < sc.organization_count(); ++i) sum += sim.state().effort(i), ++count;
      }
    }
    return sum / count;
  };
  const Scenario without = test::load(game(0.0)), with = test::load(game(0.5));
  EXPECT_LT(mean_effort(without, 30, 36), mean_effort(without, 7, 10) - 0.05);
  EXPECT_GT(mean_effort(with, 30, 36), mean_effort(without, 30, 36) + 0.1);
}

TEST(Effort, DeterrenceNeedsPunishmentSeenAndAnticipation) {
  auto doc = game(0.5);
  const Scenario with = test::load(doc);
  doc["punishment"]["anticipation"] = 0.0;
  const Scenario without = test::load(doc);
  Simulation a(with, derive_run_seed(5, 1), 30), b(without, derive_run_seed(5, 1), 30);
  // Nobody has seen punishment before the first round: the free rider gives nothing in it.
  while (!a.state().executing()) a.step();
  EXPECT_EQ(a.state().effort(1), 0.0);
  a.run();
  b.run();
  double deterred = 0;
  for (int i = 0; i < with.organization_count(); ++i) {
    deterred += deterrence(with, a.state(), i);
    EXPECT_EQ(deterrence(without, b.state(), i), 0.0) << "anticipation 0: nobody is deterred";
  }
  EXPECT_GT(deterred, 0.0);
  EXPECT_GT(a.state().effort.sum(), b.state().effort.sum()) << "anticipated punishment holds contributions up";
}

}  // namespace
}  // namespace p3sim
