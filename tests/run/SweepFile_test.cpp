// Sweep files: what a valid file gives, and that bad files fail with every error, each with its id
// and JSON Pointer.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "run/SweepFile.hpp"
#include "run/SweepSchema.hpp"

namespace p3sim {
namespace {

std::string data(const std::string& name) { return std::string(P3SIM_TEST_DATA) + "/sweeps/" + name; }

std::vector<ValidationError> load_errors(const std::string& name) {
  try {
    (void)load_sweep_file(data(name));
  } catch (const InputError& e) {
    return e.errors();
  }
  return {};
}

bool has(const std::vector<ValidationError>& errors, const std::string& id, const std::string& pointer) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const ValidationError& e) { return e.id == id && e.pointer == pointer; });
}

TEST(SweepFile, GridWithPitfallsReadsEveryField) {
  const SweepSpec spec = load_sweep_file(data("pass_grid_pitfalls.json"));
  EXPECT_EQ(spec.replications, 2);
  EXPECT_EQ(spec.seed, 7u);
  ASSERT_TRUE(spec.steps.has_value());
  EXPECT_EQ(*spec.steps, 6);
  EXPECT_EQ(spec.design.type, DesignType::Grid);
  ASSERT_EQ(spec.parameters.size(), 2u);
  EXPECT_EQ(spec.parameters[0].pointer, "/governance/mode");  // file order kept
  EXPECT_EQ(spec.parameters[0].kind, ParameterSpec::Kind::Categorical);
  EXPECT_EQ(spec.parameters[0].values.size(), 3u);
  EXPECT_EQ(spec.parameters[1].kind, ParameterSpec::Kind::Stepped);
  EXPECT_EQ(spec.parameters[1].steps, 2);
  ASSERT_EQ(spec.pitfall_sets.size(), 2u);
  EXPECT_TRUE(spec.pitfall_sets[0].empty());
  EXPECT_EQ(spec.pitfall_sets[1], std::vector<std::string>{"hidden_incentives"});
  EXPECT_EQ(spec.record.series, (std::vector<std::string>{"outcome", "trust"}));
  EXPECT_EQ(spec.record.every, 2);
  EXPECT_FALSE(spec.record.events);
  EXPECT_EQ(spec.scenario["name"], "tiny_partnership");  // path resolved against the sweep's folder
  EXPECT_TRUE(validate_sweep_file(data("pass_grid_pitfalls.json")).empty());
}

TEST(SweepFile, InlineScenarioAndSampledDesign) {
  const SweepSpec spec = load_sweep_file(data("pass_lhs_inline.json"));
  EXPECT_EQ(spec.design.type, DesignType::LatinHypercube);
  EXPECT_EQ(spec.design.samples, 4);
  EXPECT_EQ(spec.parameters.at(0).kind, ParameterSpec::Kind::Continuous);
  EXPECT_EQ(spec.pitfall_sets.size(), 1u);
  for (const auto& e : validate_sweep_file(data("pass_lhs_inline.json"))) ADD_FAILURE() << e.format();
}

TEST(SweepFile, UnknownKeySuggestsTheRightOne) {
  const auto errors = load_errors("fail_unknown_key.json");
  ASSERT_TRUE(has(errors, "unknown_key", "/replication"));
  const auto it = std::find_if(errors.begin(), errors.end(), [](const auto& e) { return e.id == "unknown_key"; });
  EXPECT_NE(it->hint.find("replications"), std::string::npos) << it->format();
}

TEST(SweepFile, EveryTypeAndRangeErrorAtOnce) {
  const auto errors = load_errors("fail_types.json");
  EXPECT_TRUE(has(errors, "range", "/replications"));
  EXPECT_TRUE(has(errors, "range", "/seed"));
  EXPECT_TRUE(has(errors, "range", "/record/every"));
  EXPECT_TRUE(has(errors, "enum", "/record/series/0"));
  EXPECT_GE(errors.size(), 5u);
}

TEST(SweepFile, ContinuousRangeNeedsASampledDesign) {
  EXPECT_TRUE(has(load_errors("fail_continuous_on_grid.json"), "continuous_on_grid",
                  "/parameters/~1organizations~1*~1disclosure"));
}

TEST(SweepFile, AbsurdRunCountsAreRefused) {
  EXPECT_TRUE(has(load_errors("fail_too_many_runs.json"), "too_many_runs", "/replications"));
}

TEST(SweepFile, MissingScenarioFile) {
  const auto errors = load_errors("fail_missing_scenario.json");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].id, "io");
}

TEST(SweepFile, ValidateChecksEveryLevelAgainstTheScenario) {
  const auto errors = validate_sweep_file(data("fail_bad_level.json"));
  ASSERT_FALSE(errors.empty());
  EXPECT_TRUE(std::any_of(errors.begin(), errors.end(), [](const ValidationError& e) {
    return e.pointer == "/governance/mode" && e.hint.find("hierarchy") != std::string::npos;
  })) << errors[0].format();
  EXPECT_TRUE(load_errors("fail_bad_level.json").empty());  // the sweep itself is well formed
}

TEST(SweepFile, ValidateChecksPitfallNames) {
  const auto errors = validate_sweep_file(data("fail_unknown_pitfall.json"));
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].id, "unknown_pitfall");
}

TEST(SweepFile, SweepDocumentsAreRecognized) {
  EXPECT_TRUE(is_sweep_document(nlohmann::ordered_json::parse(R"({"scenario": "x", "replications": 2})")));
  EXPECT_FALSE(is_sweep_document(nlohmann::ordered_json::parse(R"({"name": "x", "steps": 2})")));
}

TEST(SweepFile, SchemaDescribesEveryTopLevelKey) {
  for (const char* key : {"scenario", "replications", "seed", "steps", "design", "parameters", "pitfalls", "record"}) {
    ASSERT_TRUE(sweep_schema()["properties"].contains(key)) << key;
    EXPECT_TRUE(sweep_schema()["properties"][key].contains("description")) << key;
  }
}

}  // namespace
}  // namespace p3sim
