// Bundled scenario civil_military_hierarchy: a disaster response run as a unified command.
// The behaviours its note promises: humanitarian members leave the unified command for hierarchy
// friction, public-commitment (network) coordination keeps them, and the response depends on them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/ScenarioFixture.hpp"

namespace p3sim {
namespace {

constexpr int kReplicates = 12;

Scenario load_bundled(const std::vector<std::string>& sets = {}, const std::vector<std::string>& pitfalls = {}) {
  return load_scenario_file(std::string(P3SIM_SOURCE_DIR) + "/scenarios/civil_military_hierarchy.json",
                            ScenarioEdits{sets, pitfalls});
}

double mean_final(const Scenario& sc, FinalIndex m) {
  return test::mean_over_seeds(sc, kReplicates, [m](const RunResult& r) { return test::final_metric(r, m); });
}

/// Exit events with cause hierarchy, split by whether the member belongs to the military sector.
struct HierarchyExits {
  int military = 0;
  int others = 0;
};

HierarchyExits hierarchy_exits(const Scenario& sc) {
  HierarchyExits n;
  for (int r = 1; r <= kReplicates; ++r) {
    const RunResult res = run_once(sc, derive_run_seed(7, static_cast<std::uint64_t>(r)));
    for (const Event& e : res.events) {
      if (e.kind != EventKind::Exit || e.cause != Cause::Hierarchy) continue;
      const Organization& org = sc.organizations[static_cast<std::size_t>(e.org)];
      (sc.sectors[static_cast<std::size_t>(org.sector)].name == "military" ? n.military : n.others) += 1;
    }
  }
  return n;
}

TEST(CivilMilitaryHierarchyScenario, UnifiedCommandLosesMoreMembersToHierarchyThanNetwork) {
  const Scenario hierarchy = load_bundled();
  const Scenario network = load_bundled({"/governance/mode=network"});
  EXPECT_EQ(hierarchy.governance.mode, GovernanceMode::Hierarchy);
  const double h = mean_final(hierarchy, kFExitsHierarchy);
  const double n = mean_final(network, kFExitsHierarchy);
  EXPECT_GT(h, 2.0);  // several humanitarian members per run (about 3.5)
  EXPECT_LT(n, 0.25);
  EXPECT_GT(h - n, 2.0);
  EXPECT_LT(mean_final(hierarchy, kFRetention), 0.5);
  EXPECT_GT(mean_final(network, kFRetention), 0.9);
}

TEST(CivilMilitaryHierarchyScenario, HierarchyExitsAreCivilianNotMilitary) {
  const HierarchyExits exits = hierarchy_exits(load_bundled());
  EXPECT_EQ(exits.military, 0);
  EXPECT_GE(exits.others, 2 * kReplicates);
}

TEST(CivilMilitaryHierarchyScenario, NetworkCoordinationReachesMoreHouseholds) {
  const double hierarchy = mean_final(load_bundled(), kFAdopters);
  const double network = mean_final(load_bundled({"/governance/mode=network"}), kFAdopters);
  EXPECT_GT(network, 1.5 * hierarchy);
  EXPECT_GT(mean_final(load_bundled({"/governance/mode=network"}), kFGoalReached), 0.6);
  EXPECT_EQ(mean_final(load_bundled(), kFGoalReached), 0.0);
}

TEST(CivilMilitaryHierarchyScenario, AdoptionComesFromThePartnershipAndItsLocalMembers) {
  const double network = mean_final(load_bundled({"/governance/mode=network"}), kFAdopters);
  const double no_output = mean_final(load_bundled({"/governance/mode=network", "/production/productivity=0"}), kFAdopters);
  const double no_locals = mean_final(load_bundled({"/governance/mode=network"}, {"missing_voices"}), kFAdopters);
  EXPECT_GT(network, 3.0 * no_output);
  EXPECT_LT(no_locals, 0.5 * network);
}

}  // namespace
}  // namespace p3sim
