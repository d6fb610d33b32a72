// Resolution of defaults and the load pipeline: sector profiles, presets, the appended backbone,
// lead default, capability order, --set overrides and their error labels.
#include "scenario/ScenarioLoader.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenario/GovernancePresets.hpp"
#include "scenario/ScenarioSchema.hpp"
#include "scenario/SectorProfiles.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;

const std::string kData = P3SIM_TEST_DATA;

// Three organizations, one per built-in sector; capabilities deliberately not in alphabetical order.
ojson base() {
  return ojson::parse(R"({
    "name": "base",
    "capabilities": {"technical": {}, "funding": {"weight": 3}, "local_knowledge": {"weight": 0}},
    "organizations": [
      {"name": "Ministry", "sector": "government", "capabilities": {"funding": 2}},
      {"name": "Company", "sector": "business", "disclosure": 0.9, "cooperation": "free_rider"},
      {"name": "Union", "sector": "civil_society", "incentives": {"impact": 3, "visibility": 1}}
    ],
    "goal": {"target": 10}
  })");
}

int index_of(const Scenario& s, const std::string& name) {
  for (int i = 0; i < s.organization_count(); ++i) {
    if (s.organizations[static_cast<std::size_t>(i)].name == name) return i;
  }
  return -1;
}

// The schema's default at a path of property names; the model's defaults are tuned in the schema,
// and these tests check that they arrive, whatever their values.
double schema_default(std::initializer_list<const char*> path) {
  const nlohmann::json* node = &scenario_schema();
  for (const char* key : path) node = &(*node)["properties"][key];
  return (*node)["default"].get<double>();
}

TEST(ScenarioLoader, ReloadingAnAcceptedScenarioBuildsTheSameScenario) {
  ScenarioEdits edits;
  edits.sets = {"/governance/mode=\"backbone\"", "/organizations/*/disclosure=0.3", "/trust/gain=0.4"};
  edits.pitfalls = {"hidden_incentives", "funding_cut"};
  const Scenario checked = load_scenario(base(), "base", edits);
  const Scenario again = reload_scenario(base(), edits);
  EXPECT_EQ(again.resolved, checked.resolved);
  EXPECT_EQ(again.organization_count(), checked.organization_count());
  EXPECT_EQ(again.governance.mode, GovernanceMode::Backbone);
  EXPECT_DOUBLE_EQ(again.trust.gain, 0.4);
}

TEST(ScenarioLoader, SchemaDefaultsAreApplied) {
  const Scenario s = load_scenario(base(), "base.json");
  EXPECT_EQ(s.steps, static_cast<int>(schema_default({"steps"})));
  EXPECT_EQ(s.dimensions(), 2);
  EXPECT_EQ(s.agenda.dimensions[0], "dimension_1");
  EXPECT_DOUBLE_EQ(s.agenda.epsilon, schema_default({"agenda", "epsilon"}));
  EXPECT_DOUBLE_EQ(s.trust.gain, schema_default({"trust", "gain"}));
  EXPECT_DOUBLE_EQ(s.trust.loss, schema_default({"trust", "loss"}));
  EXPECT_DOUBLE_EQ(s.production.outsider_legitimacy, schema_default({"production", "outsider_legitimacy"}));
  EXPECT_DOUBLE_EQ(s.effort.types[2].intercept, schema_default({"cooperation_types", "unconditional", "intercept"}));
  EXPECT_DOUBLE_EQ(s.effort.phi_h, schema_default({"effort", "phi_h"}));
  EXPECT_DOUBLE_EQ(s.lifecycle.prospects[kRevenue], schema_default({"lifecycle", "prospects", "revenue"}));
  EXPECT_FALSE(s.population.enabled);
  EXPECT_EQ(s.goal.metric, GoalMetric::Outcome);
  EXPECT_TRUE(s.shocks.empty());
  // The resolved document states every default explicitly.
  EXPECT_EQ(s.resolved["agenda"]["mu"], schema_default({"agenda", "mu"}));
  EXPECT_EQ(s.resolved["goal"]["metric"], "outcome");
  EXPECT_EQ(s.resolved["organizations"][0]["bridge"], false);
}

TEST(ScenarioLoader, OrganizationsInheritTheirSectorProfile) {
  const Scenario s = load_scenario(base(), "base.json");
  const Organization& ministry = s.organizations[0];
  const Sector government = builtin_sector("government", 2);
  EXPECT_DOUBLE_EQ(ministry.disclosure, government.disclosure);
  EXPECT_DOUBLE_EQ(ministry.reliability, government.reliability);
  EXPECT_EQ(ministry.patience, 6);
  EXPECT_EQ(ministry.goal, std::vector<double>({0.5, 0.5}));  // the sector's mandate
  EXPECT_DOUBLE_EQ(ministry.incentives[kMandate], 0.5);
  EXPECT_FALSE(ministry.cooperation.has_value());  // drawn from the sector mix at run time
  const Organization& company = s.organizations[1];
  EXPECT_DOUBLE_EQ(company.disclosure, 0.9);  // given, not inherited
  ASSERT_TRUE(company.cooperation.has_value());
  EXPECT_EQ(*company.cooperation, CooperationType::FreeRider);
  EXPECT_TRUE(s.organizations[2].local);
}

TEST(ScenarioLoader, WeightsAreNormalizedAndIncentivesReplaceTheProfile) {
  const Scenario s = load_scenario(base(), "base.json");
  const Organization& u = s.organizations[2];
  EXPECT_DOUBLE_EQ(u.incentives[kImpact], 0.75);
  EXPECT_DOUBLE_EQ(u.incentives[kVisibility], 0.25);
  EXPECT_DOUBLE_EQ(u.incentives[kMandate], 0.0);  // not merged with civil society's 0.1
  double mix = 0;
  for (double x : s.sectors[1].cooperation_mix) mix += x;
  EXPECT_DOUBLE_EQ(mix, 1.0);
  EXPECT_DOUBLE_EQ(s.capabilities[1].weight, 0.75);  // funding: 3 of 4
}

TEST(ScenarioLoader, CapabilitiesKeepFileOrder) {
  const Scenario s = load_scenario(base(), "base.json");
  ASSERT_EQ(s.capability_count(), 3);
  EXPECT_EQ(s.capabilities[0].name, "technical");
  EXPECT_EQ(s.capabilities[1].name, "funding");
  EXPECT_EQ(s.capabilities[2].name, "local_knowledge");
  EXPECT_EQ(s.organizations[0].capabilities, std::vector<double>({0.0, 2.0, 0.0}));
  // A key-sorted document cannot carry the order: alphabetical then.
  const Scenario sorted = load_scenario(nlohmann::json(base()), "base.json");
  EXPECT_EQ(sorted.capabilities[0].name, "funding");
}

TEST(ScenarioLoader, BackboneModeAppendsANeutralBackbone) {
  const Scenario s = load_scenario(base(), "base.json");
  EXPECT_EQ(s.governance.mode, GovernanceMode::Backbone);
  ASSERT_EQ(s.organization_count(), 4);
  const Organization& bb = s.organizations[3];
  EXPECT_EQ(bb.name, "backbone");
  EXPECT_EQ(s.sectors[static_cast<std::size_t>(bb.sector)].name, "civil_society");
  EXPECT_EQ(bb.capabilities, std::vector<double>({0.0, 0.0, 0.0}));
  ASSERT_TRUE(bb.cooperation.has_value());
  EXPECT_EQ(*bb.cooperation, CooperationType::Unconditional);
  EXPECT_FALSE(bb.local);
  EXPECT_EQ(s.governance.backbone, 3);
  EXPECT_EQ(s.governance.lead, 0);  // the first organization
  EXPECT_EQ(s.resolved["governance"]["backbone"], "backbone");
}

TEST(ScenarioLoader, BackboneNameAvoidsClashesAndFollowsBackboneSector) {
  ojson doc = base();
  doc["organizations"][1]["name"] = "backbone";
  doc["governance"] = {{"backbone_sector", "government"}, {"lead", "Union"}};
  const Scenario s = load_scenario(doc, "doc.json");
  EXPECT_EQ(s.organizations.back().name, "backbone_2");
  EXPECT_EQ(s.sectors[static_cast<std::size_t>(s.organizations.back().sector)].name, "government");
  EXPECT_EQ(s.governance.lead, 2);
}

TEST(ScenarioLoader, NamedBackboneIsNotDuplicated) {
  const Scenario s = load_scenario_file(kData + "/pass/mode_backbone_named.json");
  EXPECT_EQ(s.organization_count(), 3);
  EXPECT_EQ(s.organizations[static_cast<std::size_t>(s.governance.backbone)].name, "Delivery Unit");
  EXPECT_EQ(s.organizations[static_cast<std::size_t>(s.governance.lead)].name, "Foundation");
}

TEST(ScenarioLoader, GovernanceColumnsComeFromThePresetUnlessGiven) {
  ojson doc = base();
  doc["governance"] = {{"mode", "hierarchy"}, {"transparency", 0.2}};
  const Scenario s = load_scenario(doc, "doc.json");
  const GovernanceColumns preset = governance_columns(GovernanceMode::Hierarchy);
  EXPECT_DOUBLE_EQ(s.governance.hierarchy, preset.hierarchy);
  EXPECT_DOUBLE_EQ(s.governance.credit_share, preset.credit_share);
  EXPECT_DOUBLE_EQ(s.governance.transparency, 0.2);
  EXPECT_EQ(s.governance.backbone, -1);
  EXPECT_EQ(s.organization_count(), 3);  // no backbone outside backbone mode
}

TEST(ScenarioLoader, SectorOverridesAndTrustPriors) {
  ojson doc = base();
  doc["sectors"] = {{"business", {{"reliability", 0.5}, {"mandate", {0.9, 0.1}}}}};
  doc["trust"] = {{"priors", {{"civil_society", {{"business", 0.1}}}}}, {"default_prior", 0.33}};
  const Scenario s = load_scenario(doc, "doc.json");
  ASSERT_EQ(s.sector_count(), 3);
  EXPECT_EQ(s.sectors[1].name, "business");
  EXPECT_DOUBLE_EQ(s.sectors[1].reliability, 0.5);
  EXPECT_DOUBLE_EQ(s.sectors[1].disclosure, 0.3);  // not overridden
  EXPECT_DOUBLE_EQ(s.organizations[1].reliability, 0.5);
  EXPECT_EQ(s.organizations[1].goal, std::vector<double>({0.9, 0.1}));
  EXPECT_DOUBLE_EQ(s.trust.priors[2][1], 0.1);   // given
  EXPECT_DOUBLE_EQ(s.trust.priors[0][1], 0.45);  // built-in government -> business
  EXPECT_DOUBLE_EQ(s.trust.priors[1][1], 0.6);   // same sector
}

TEST(ScenarioLoader, DeclaredSectorGetsDefaultPriorExceptWithinItself) {
  const Scenario s = load_scenario_file(kData + "/pass/custom_sector.json");
  ASSERT_EQ(s.sector_count(), 4);
  EXPECT_EQ(s.sectors[3].name, "multilateral");
  EXPECT_DOUBLE_EQ(s.trust.priors[3][0], 0.55);  // given
  EXPECT_DOUBLE_EQ(s.trust.priors[0][3], 0.35);  // default_prior
  EXPECT_DOUBLE_EQ(s.trust.priors[3][3], 0.6);
  EXPECT_EQ(s.organizations[0].goal, std::vector<double>({0.7}));
  EXPECT_EQ(s.organizations[1].goal, std::vector<double>({0.3}));  // overridden government mandate
}

TEST(ScenarioLoader, PopulationGoalDefaultsToAdopters) {
  const Scenario s = load_scenario_file(kData + "/pass/population_forced.json");
  EXPECT_TRUE(s.population.enabled);
  EXPECT_EQ(s.population.units, 10000);
  EXPECT_TRUE(s.population.forced);
  EXPECT_EQ(s.population.forced_start, 6);
  EXPECT_EQ(s.goal.metric, GoalMetric::Adopters);
}

TEST(ScenarioLoader, ShocksResolveNamesAndFundingCapability) {
  const Scenario s = load_scenario_file(kData + "/pass/shocks.json");
  ASSERT_EQ(s.shocks.size(), 8u);
  EXPECT_EQ(s.shocks[0].kind, ShockKind::FundingCut);
  EXPECT_EQ(s.shocks[0].step, 12);
  EXPECT_EQ(s.shocks[0].sector, 0);
  EXPECT_EQ(s.shocks[0].capability, 0);  // "funding" by default
  EXPECT_EQ(s.shocks[1].step, -1);
  EXPECT_DOUBLE_EQ(s.shocks[1].rate, 0.02);
  EXPECT_EQ(s.shocks[1].organization, 1);
  ASSERT_TRUE(s.shocks[2].mode.has_value());
  EXPECT_EQ(*s.shocks[2].mode, GovernanceMode::Hierarchy);
  EXPECT_FALSE(s.shocks[3].mode.has_value());
  EXPECT_DOUBLE_EQ(*s.shocks[3].hierarchy, 0.2);
  EXPECT_DOUBLE_EQ(s.shocks[4].recovery, 0.05);
  EXPECT_DOUBLE_EQ(s.shocks[5].recovery, scenario_schema()["$defs"]["shock"]["properties"]["recovery"]["default"]);
  EXPECT_EQ(s.shocks[7].capability, 1);
}

TEST(ScenarioLoaderSet, OverridesApplyToTheRawDocument) {
  ScenarioEdits edits;
  edits.sets = {"/steps=12", "/organizations/*/champion=0.2", "/organizations/Company/disclosure=0.1",
                "/governance/mode=hierarchy"};
  const Scenario s = load_scenario(base(), "base.json", edits);
  EXPECT_EQ(s.steps, 12);
  for (const Organization& o : s.organizations) EXPECT_DOUBLE_EQ(o.champion, 0.2);
  EXPECT_DOUBLE_EQ(s.organizations[static_cast<std::size_t>(index_of(s, "Company"))].disclosure, 0.1);
  // A changed mode brings that mode's preset columns, and no backbone.
  EXPECT_EQ(s.governance.mode, GovernanceMode::Hierarchy);
  EXPECT_DOUBLE_EQ(s.governance.hierarchy, governance_columns(GovernanceMode::Hierarchy).hierarchy);
  EXPECT_EQ(index_of(s, "backbone"), -1);
}

TEST(ScenarioLoaderSet, CreatesMissingObjectsAndTakesJsonValues) {
  ScenarioEdits edits;
  edits.sets = {"/population/units=500", "/agenda/dimensions=[\"a\",\"b\",\"c\"]", "/organizations/0/goal=[0,0.5,1]",
                "/name=renamed"};
  ojson doc = base();
  doc["organizations"][1]["goal"] = {0.1, 0.2, 0.3};
  doc["organizations"][2]["goal"] = {0.1, 0.2, 0.3};
  const Scenario s = load_scenario(doc, "doc.json", edits);
  EXPECT_TRUE(s.population.enabled);
  EXPECT_EQ(s.population.units, 500);
  EXPECT_EQ(s.dimensions(), 3);
  EXPECT_EQ(s.organizations[0].goal, std::vector<double>({0.0, 0.5, 1.0}));
  EXPECT_EQ(s.name, "renamed");
}

TEST(ScenarioLoaderSet, InvalidOverriddenValuesNameTheOverride) {
  ScenarioEdits edits;
  edits.sets = {"/governance/mode=hierachy"};
  try {
    load_scenario(base(), "base.json", edits);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].format(),
              "--set /governance/mode=hierachy: /governance/mode: error[enum]: expected one of \"isolated\", "
              "\"constellation\", \"backbone\", \"hierarchy\", \"network\", found a string \"hierachy\" "
              "(did you mean \"hierarchy\"?)");
  }
}

TEST(ScenarioLoaderSet, BadOverridesAreAllReported) {
  ScenarioEdits edits;
  edits.sets = {"steps=3", "/organizations/Compny/disclosure=0.1", "/sectors/*/patience=2", "/steps"};
  try {
    load_scenario(base(), "base.json", edits);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.errors().size(), 4u);
    for (const auto& err : e.errors()) EXPECT_EQ(err.id, "bad_override");
    EXPECT_EQ(e.errors()[1].format(),
              "--set: /organizations/Compny: error[bad_override]: expected an organization index or name, found "
              "\"/organizations/Compny/disclosure=0.1\" (did you mean \"Company\"?)");
  }
}

TEST(ScenarioLoaderPitfall, ErrorsAfterAPitfallAreLabelled) {
  ojson doc = base();
  doc["pitfalls"] = {{"overdrive", {{"description", "Champions triple."},
                                    {"patch", {{{"op", "scale"}, {"path", "/organizations/*/champion"}, {"value", 3}}}}}}};
  ScenarioEdits edits;
  edits.pitfalls = {"overdrive"};
  try {
    load_scenario(doc, "doc.json", edits);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_FALSE(e.errors().empty());
    EXPECT_EQ(e.errors()[0].file, "after --pitfall overdrive");
    EXPECT_EQ(e.errors()[0].id, "range");
    EXPECT_EQ(e.errors()[0].pointer, "/organizations/0/champion");
  }
}

TEST(ScenarioLoaderPitfall, ResolvedDocumentRecordsPitfallsAndSets) {
  ScenarioEdits edits;
  edits.sets = {"/steps=20"};
  edits.pitfalls = {"short_cut", "funding_cut"};
  const Scenario s = load_scenario(base(), "base.json", edits);
  EXPECT_EQ(s.resolved["steps"], 20);
  EXPECT_EQ(s.resolved["lifecycle"]["skip_interim"], true);
  ASSERT_EQ(s.shocks.size(), 1u);
  EXPECT_EQ(s.shocks[0].capability, 1);  // the appended shock cuts "funding"
  EXPECT_DOUBLE_EQ(s.shocks[0].recovery, scenario_schema()["$defs"]["shock"]["properties"]["recovery"]["default"]);
}

TEST(ScenarioLoader, TinyDemoScenarioLoads) {
  const Scenario s = load_scenario_file(std::string(P3SIM_SOURCE_DIR) + "/scenarios/tiny_partnership.json");
  EXPECT_EQ(s.population.units, 2000);
  EXPECT_EQ(s.goal.metric, GoalMetric::Adopters);
  EXPECT_GE(s.organization_count(), 4);
}

// Issue 19: --set /population/units=100000 kept an absolute target, reached before the partnership did
// anything. A goal stated as a share follows the population.
TEST(ScenarioLoader, AGoalStatedAsAShareFollowsThePopulation) {
  ojson doc = base();
  doc["population"] = {{"units", 1000}};
  doc["goal"] = {{"share", 0.4}};
  EXPECT_DOUBLE_EQ(load_scenario(doc, "doc.json").goal.target, 400.0);
  ScenarioEdits bigger;
  bigger.sets = {"/population/units=100000"};
  const Scenario scaled = load_scenario(doc, "doc.json", bigger);
  EXPECT_DOUBLE_EQ(scaled.goal.target, 40000.0);
  EXPECT_EQ(scaled.goal.metric, GoalMetric::Adopters);
  EXPECT_DOUBLE_EQ(scaled.resolved["goal"]["share"].get<double>(), 0.4);  // kept: provenance says how
}

// Issue 19: relapse hazards set apart for supported, unsupported and forced units. Forced units
// under support relapse at half their unsupported rate unless the scenario says otherwise, and the
// resolved scenario shows the figure used.
TEST(ScenarioLoader, RelapseHazardsResolveAndCanBeSetApart) {
  ojson doc = base();
  doc["population"] = {{"units", 1000}, {"relapse", 0.05}, {"forced", {{"enabled", true}, {"relapse", 0.3}}}};
  const Scenario plain = load_scenario(doc, "doc.json");
  EXPECT_EQ(plain.population.relapse_supported, 0.0);
  EXPECT_DOUBLE_EQ(plain.population.forced_relapse_supported, 0.15);
  EXPECT_DOUBLE_EQ(plain.resolved["population"]["forced"]["relapse_supported"].get<double>(), 0.15);
  ScenarioEdits sets;
  sets.sets = {"/population/forced/relapse=0.5"};  // a --set moves the derived default with it
  EXPECT_DOUBLE_EQ(load_scenario(doc, "doc.json", sets).population.forced_relapse_supported, 0.25);
  doc["population"]["relapse_supported"] = 0.002;
  doc["population"]["forced"]["relapse_supported"] = 0.1;
  const Scenario apart = load_scenario(doc, "doc.json");
  EXPECT_DOUBLE_EQ(apart.population.relapse_supported, 0.002);
  EXPECT_DOUBLE_EQ(apart.population.forced_relapse_supported, 0.1);
}

TEST(ScenarioLoader, AGoalNeedsATargetOrAShareOfAPopulation) {
  const auto ids = [](const ojson& doc) {
    std::vector<std::string> out;
    try {
      (void)load_scenario(doc, "doc.json");
    } catch (const InputError& e) {
      for (const ValidationError& v : e.errors()) out.push_back(v.id + " " + v.pointer);
    }
    return out;
  };
  ojson none = base();
  none["goal"] = ojson::object();
  EXPECT_EQ(ids(none), std::vector<std::string>{"required /goal/target"});
  ojson outcome = base();  // no population: the goal is in outcome units
  outcome["goal"] = {{"share", 0.5}};
  EXPECT_EQ(ids(outcome), std::vector<std::string>{"goal_share /goal/share"});
  ojson both = base();
  both["population"] = {{"units", 1000}};
  both["goal"] = {{"share", 0.5}, {"target", 400}};
  EXPECT_EQ(ids(both), std::vector<std::string>{"goal_share /goal/share"});
  both["goal"]["target"] = 500;  // agreeing: what a resolved document holds
  EXPECT_TRUE(ids(both).empty());
}

}  // namespace
}  // namespace p3sim
