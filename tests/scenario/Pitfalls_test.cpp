// Each built-in pitfall changes what its description says; scenario-defined pitfalls take
// precedence; unknown names suggest the closest one.
#include "scenario/Pitfalls.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenario/ScenarioLoader.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;

ojson base() {
  return ojson::parse(R"({
    "name": "base",
    "capabilities": {"funding": {}, "local_knowledge": {}},
    "organizations": [
      {"name": "Ministry", "sector": "government", "capabilities": {"funding": 2}},
      {"name": "Company", "sector": "business", "bridge": true},
      {"name": "Union", "sector": "civil_society", "capabilities": {"local_knowledge": 1}}
    ],
    "goal": {"target": 10}
  })");
}

Scenario with(const std::string& pitfall) {
  ScenarioEdits edits;
  edits.pitfalls = {pitfall};
  return load_scenario(base(), "base.json", edits);
}

const Scenario& plain() {
  static const Scenario s = load_scenario(base(), "base.json");
  return s;
}

TEST(Pitfalls, BuiltinsAreTheThirteenOfTheModelWithDescriptions) {
  const std::set<std::string> expected = {"hidden_incentives", "imposed_hierarchy", "no_shared_measurement",
                                          "no_local_partner",  "short_cut",         "weak_champions",
                                          "missing_voices",    "cultural_gap",      "credit_hogging",
                                          "unfunded_backbone", "funding_cut",       "pledge_gap",
                                          "mutual_suspicion"};
  std::set<std::string> names;
  for (const Pitfall& p : builtin_pitfalls()) {
    names.insert(p.name);
    EXPECT_FALSE(p.description.empty()) << p.name;
    EXPECT_EQ(p.description.back(), '.') << p.name;
    EXPECT_FALSE(p.patch.empty()) << p.name;
  }
  EXPECT_EQ(names, expected);
}

TEST(Pitfalls, HiddenIncentives) {
  const Scenario s = with("hidden_incentives");
  for (const Organization& o : s.organizations) EXPECT_DOUBLE_EQ(o.disclosure, 0.05);
  EXPECT_DOUBLE_EQ(s.agenda.disclosure_gain, 0.0);
}

TEST(Pitfalls, ImposedHierarchy) {
  const Scenario s = with("imposed_hierarchy");
  EXPECT_DOUBLE_EQ(s.governance.hierarchy, 0.9);
  EXPECT_DOUBLE_EQ(s.governance.sanctions, 0.5);
}

TEST(Pitfalls, NoSharedMeasurement) {
  EXPECT_DOUBLE_EQ(with("no_shared_measurement").governance.transparency, plain().governance.transparency * 0.3);
}

TEST(Pitfalls, NoLocalPartner) {
  ASSERT_TRUE(plain().organizations[2].local);
  for (const Organization& o : with("no_local_partner").organizations) EXPECT_FALSE(o.local);
}

TEST(Pitfalls, ShortCut) {
  EXPECT_FALSE(plain().lifecycle.skip_interim);
  EXPECT_TRUE(with("short_cut").lifecycle.skip_interim);
}

TEST(Pitfalls, WeakChampions) {
  const Scenario s = with("weak_champions");
  for (std::size_t i = 0; i < s.organizations.size(); ++i) {
    EXPECT_DOUBLE_EQ(s.organizations[i].champion, plain().organizations[i].champion * 0.35);
  }
}

TEST(Pitfalls, MissingVoicesUninvitesOnlyLocalOrganizations) {
  const Scenario s = with("missing_voices");
  EXPECT_TRUE(s.organizations[0].candidate);
  EXPECT_TRUE(s.organizations[1].candidate);
  EXPECT_FALSE(s.organizations[2].candidate);  // Union: civil society is local
  EXPECT_TRUE(s.organizations[3].candidate);   // the appended backbone is not local
}

TEST(Pitfalls, CulturalGap) {
  const Scenario s = with("cultural_gap");
  ASSERT_TRUE(plain().organizations[1].bridge);
  for (const Organization& o : s.organizations) EXPECT_FALSE(o.bridge);
  EXPECT_DOUBLE_EQ(s.agenda.misunderstanding_rate, 0.9);
}

TEST(Pitfalls, CreditHogging) { EXPECT_DOUBLE_EQ(with("credit_hogging").governance.credit_share, 0.8); }

TEST(Pitfalls, UnfundedBackbone) { EXPECT_DOUBLE_EQ(with("unfunded_backbone").governance.backbone_capacity, 1.0); }

TEST(Pitfalls, FundingCutAppendsAShock) {
  const Scenario s = with("funding_cut");
  ASSERT_EQ(s.shocks.size(), 1u);
  EXPECT_EQ(s.shocks[0].kind, ShockKind::FundingCut);
  EXPECT_EQ(s.shocks[0].step, 12);
  EXPECT_DOUBLE_EQ(s.shocks[0].fraction, 0.6);
}

TEST(Pitfalls, PledgeGap) {
  const Scenario s = with("pledge_gap");
  for (std::size_t i = 0; i < s.organizations.size(); ++i) {
    EXPECT_DOUBLE_EQ(s.organizations[i].reliability, plain().organizations[i].reliability * 0.6);
  }
}

TEST(Pitfalls, MutualSuspicionHalvesEveryPrior) {
  const Scenario s = with("mutual_suspicion");
  for (int a = 0; a < s.sector_count(); ++a) {
    for (int b = 0; b < s.sector_count(); ++b) {
      EXPECT_DOUBLE_EQ(s.trust.priors[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)],
                       plain().trust.priors[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] * 0.5);
    }
  }
}

TEST(Pitfalls, ScenarioDefinedPitfallTakesPrecedence) {
  ojson doc = base();
  doc["pitfalls"] = {{"short_cut", {{"description", "Only a shorter interim."},
                                    {"patch", {{{"op", "set"}, {"path", "/lifecycle/interim_steps"}, {"value", 1}}}}}}};
  ScenarioEdits edits;
  edits.pitfalls = {"short_cut"};
  const Scenario s = load_scenario(doc, "doc.json", edits);
  EXPECT_FALSE(s.lifecycle.skip_interim);
  EXPECT_EQ(s.lifecycle.interim_steps, 1);
  EXPECT_EQ(find_pitfall(s.resolved.get<ojson>(), "short_cut").description, "Only a shorter interim.");
}

TEST(Pitfalls, UnknownPitfallSuggestsTheClosest) {
  try {
    with("short_cuts");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].format(),
              "--pitfall: (document): error[unknown_pitfall]: expected the name of a built-in pitfall or one defined "
              "under /pitfalls, found \"short_cuts\" (did you mean \"short_cut\"?)");
  }
}

TEST(Pitfalls, NamesListScenarioDefinedOnesAfterBuiltins) {
  ojson doc = base();
  doc["pitfalls"] = {{"mine", {{"description", "x."}, {"patch", ojson::array()}}}};
  const auto names = pitfall_names(doc);
  EXPECT_EQ(names.size(), builtin_pitfalls().size() + 1);
  EXPECT_EQ(names.back(), "mine");
}

}  // namespace
}  // namespace p3sim
