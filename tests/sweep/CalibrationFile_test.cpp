// Calibration files: what a valid file gives, and that bad files fail with every error, each with
// its id and JSON Pointer.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "sweep/CalibrationFile.hpp"

namespace p3sim {
namespace {

using nlohmann::ordered_json;

const std::string kScenarios = std::string(P3SIM_SOURCE_DIR) + "/scenarios";

ordered_json valid() {
  return ordered_json::parse(R"({
    "scenario": "tiny_partnership.json",
    "steps": 24,
    "seed": 4,
    "parameters": {
      "/population/b_neighbors": {"distribution": "uniform", "low": 0.02, "high": 0.3},
      "/governance/mode": {"distribution": "categorical", "levels": ["backbone", "network"]}
    },
    "targets": [
      {"series": "adopters", "steps": [12, 24], "values": [300, 700], "sd": [50, 80]},
      {"name": "members_left", "final": "retention", "value": 0.9, "weight": 2}
    ],
    "abc": {"particles": 50, "replications": 2}
  })");
}

std::vector<ValidationError> errors_of(const ordered_json& doc) {
  try {
    (void)load_calibration(doc, "cal.json", kScenarios);
  } catch (const InputError& e) {
    return e.errors();
  }
  return {};
}

bool has(const std::vector<ValidationError>& errors, const std::string& id, const std::string& pointer) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const ValidationError& e) { return e.id == id && e.pointer == pointer; });
}

TEST(CalibrationFile, ValidFileGivesParametersComponentsAndSettings) {
  const CalibrationSpec spec = load_calibration(valid(), "cal.json", kScenarios);
  ASSERT_EQ(spec.parameters.size(), 2u);
  EXPECT_EQ(spec.parameters[0].pointer, "/population/b_neighbors");  // file order
  EXPECT_TRUE(spec.parameters[1].prior.categorical());
  ASSERT_EQ(spec.targets.size(), 3u);  // a series over two steps gives two components
  EXPECT_EQ(spec.targets[0].name, "adopters@12");
  EXPECT_EQ(spec.targets[1].sd, 80);
  EXPECT_EQ(spec.targets[0].weight, 0.5);  // the target's weight shared by its steps
  EXPECT_EQ(spec.targets[2].name, "members_left");
  EXPECT_TRUE(spec.targets[2].final);
  EXPECT_EQ(spec.targets[2].weight, 2);
  EXPECT_EQ(spec.abc.particles, 50);
  EXPECT_EQ(spec.abc.replications, 2);
  EXPECT_EQ(spec.abc.generations, 8);  // default
  const ScenarioEdits e = spec.edits({0.1, 1});
  EXPECT_EQ(e.sets, (std::vector<std::string>{"/steps=24", "/population/b_neighbors=0.1", "/governance/mode=\"network\""}));
  // Every default is explicit in the stored text.
  const auto stored = ordered_json::parse(spec.json_text());
  EXPECT_EQ(stored["abc"]["quantile"], 0.5);
  EXPECT_EQ(stored["distance"], "euclidean");
}

TEST(CalibrationFile, EveryErrorIsReportedWithItsPointer) {
  ordered_json doc = valid();
  doc["parameters"]["/population/b_neighbors"] = {{"distribution", "normal"}, {"mean", 0.1}, {"low", 0}, {"high", 1}};
  doc["parameters"]["/population/units"] = {{"distribution", "uniform"}, {"low", 100}, {"high", 200}};
  doc["targets"][1]["final"] = "time_to_goal";
  doc["targets"].push_back({{"series", "adopters"}, {"step", 99}, {"value", 1}});
  doc["targets"].push_back({{"series", "adopters"}, {"final", "outcome"}, {"value", 1}});
  doc["targets"].push_back({{"series", "adopters"}, {"steps", {1, 2}}, {"values", {1}}});
  const auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "required", "/parameters/~1population~1b_neighbors/sd")) << errors.size();
  EXPECT_TRUE(has(errors, "integer_parameter", "/parameters/~1population~1units"));
  EXPECT_TRUE(has(errors, "sentinel_metric", "/targets/1/final"));
  EXPECT_TRUE(has(errors, "target_kind", "/targets/3"));
  EXPECT_TRUE(has(errors, "size", "/targets/4/values"));
}

TEST(CalibrationFile, SchemaErrorsComeFirstAndAllAtOnce) {
  ordered_json doc = valid();
  doc["abc"]["particles"] = 1;
  doc["abc"]["quantile"] = 1.5;
  doc["targets"][0]["series"] = "adoptrs";
  doc["parameters"]["/population/b_neighbors"]["distribution"] = "beta";
  const auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "range", "/abc/particles"));
  EXPECT_TRUE(has(errors, "range", "/abc/quantile"));
  EXPECT_TRUE(has(errors, "enum", "/targets/0/series"));
  EXPECT_TRUE(has(errors, "enum", "/parameters/~1population~1b_neighbors/distribution"));
}

TEST(CalibrationFile, PriorSupportAndHorizonAreCheckedAgainstTheScenario) {
  ordered_json doc = valid();
  doc["parameters"]["/population/b_neighbors"]["high"] = 500;  // above the schema's maximum of 100
  doc["parameters"]["/governance/mode"]["levels"] = {"backbone", "anarchy"};
  doc["targets"][0]["steps"] = {12, 30};  // the runs have 24 steps
  const auto errors = errors_of(doc);
  EXPECT_TRUE(has(errors, "range", "/population/b_neighbors")) << errors.size();
  EXPECT_TRUE(has(errors, "enum", "/governance/mode"));
  EXPECT_TRUE(has(errors, "range", "/targets/0"));
  // Errors inside the scenario name the parameter value that caused them.
  const auto bad = std::find_if(errors.begin(), errors.end(), [](const ValidationError& e) { return e.pointer == "/governance/mode"; });
  ASSERT_NE(bad, errors.end());
  EXPECT_NE(bad->file.find("anarchy"), std::string::npos) << bad->file;
}

TEST(CalibrationFile, DuplicateTargetNamesAreRefused) {
  ordered_json doc = valid();
  doc["targets"].push_back({{"final", "retention"}, {"value", 0.5}, {"name", "members_left"}});
  EXPECT_TRUE(has(errors_of(doc), "duplicate_name", "/targets/2"));
}

TEST(CalibrationFile, RecognizedBeforeSweeps) {
  EXPECT_TRUE(is_calibration_document(valid()));
  EXPECT_FALSE(is_calibration_document(ordered_json::parse(R"({"scenario": "x.json", "parameters": {}})")));
}

}  // namespace
}  // namespace p3sim

namespace p3sim {
namespace {

TEST(CalibrationFile, EveryCornerOfTheBoxIsCheckedSoParticlesInsideNeedNoValidation) {
  EXPECT_TRUE(load_calibration(valid(), "cal.json", kScenarios).corners_checked);
  // 70 x 70 = 4,900 corners: too many; each parameter is checked alone, particles are validated.
  ordered_json doc = valid();
  ordered_json levels = ordered_json::array();
  for (int i = 0; i < 70; ++i) levels.push_back(0.01 + 0.001 * i);
  doc["parameters"] = {{"/population/b_neighbors", {{"distribution", "categorical"}, {"levels", levels}}},
                       {"/population/b_market", {{"distribution", "categorical"}, {"levels", levels}}}};
  EXPECT_FALSE(load_calibration(doc, "cal.json", kScenarios).corners_checked);
}

}  // namespace
}  // namespace p3sim
