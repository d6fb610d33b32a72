// Effort: conditional cooperation, friction and sanctions.
#include <gtest/gtest.h>

#include "../support/ScenarioFixture.hpp"
#include "model/Effort.hpp"

namespace p3sim {
namespace {

TEST(Effort, IntendedEffortFollowsTheRule) {
  EXPECT_NEAR(intended_effort(0.8, 0.1, 0.0, 0.9, 0.5, 0.1), 0.8 * (0.1 + 0.45) - 0.1, 1e-12);
  EXPECT_DOUBLE_EQ(intended_effort(1.0, 0.9, 0.5, 1.0, 1.0, 0.0), 1.0);  // clamped above
  EXPECT_DOUBLE_EQ(intended_effort(0.5, 0.1, 0.0, 0.0, 1.0, 0.9), 0.0);  // clamped below
  // Reciprocity: a conditional cooperator offers more when it believes others deliver.
  EXPECT_GT(intended_effort(0.9, 0.1, 0, 0.9, 0.9, 0), intended_effort(0.9, 0.1, 0, 0.9, 0.3, 0));
}

// Conditional cooperators and free riders in network governance, with and without sanctions.
nlohmann::ordered_json mixed(double sanctions) {
  auto doc = test::base_scenario();
  doc.erase("population");
  doc["goal"] = {{"target", 1000.0}};
  doc["governance"] = {{"mode", "network"}, {"lead", "ministry"}, {"sanctions", sanctions}, {"transparency", 0.9}};
  const char* types[] = {"conditional", "free_rider", "conditional", "free_rider", "conditional", "free_rider"};
  for (std::size_t i = 0; i < doc["organizations"].size(); ++i) {
    doc["organizations"][i]["cooperation"] = types[i];
    doc["organizations"][i]["reliability"] = 1.0;
    doc["organizations"][i]["champion"] = 1.0;
    doc["organizations"][i]["patience"] = 1000;
  }
  doc["champions"] = {{"c_min", 0.0}};
  return doc;
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

}  // namespace
}  // namespace p3sim
