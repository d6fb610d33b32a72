// The patch language: wildcards, where-conditions, each operation, and --set parsing.
#include "scenario/JsonPatch.hpp"
#include "scenario/JsonReader.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenario/ValidationError.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;

ojson doc() {
  return ojson::parse(R"({
    "organizations": [
      {"name": "A", "local": true, "champion": 0.5, "patience": 5},
      {"name": "B", "local": false, "champion": 0.8, "patience": 3}
    ],
    "trust": {"priors": {"x": {"x": 0.6, "y": 0.4}, "y": {"x": 0.2, "y": 0.6}}},
    "shocks": [{"kind": "a"}, {"kind": "b"}, {"kind": "c"}]
  })");
}

PatchOp op(const char* text) { return patch_op_from_json(ojson::parse(text), "test", ""); }

std::string id_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.errors().at(0).id;
  }
  return "";
}

TEST(JsonPatch, SplitPointerUnescapes) {
  EXPECT_EQ(split_pointer("/a~1b/c~0d/*"), (std::vector<std::string>{"a/b", "c~d", "*"}));
  EXPECT_TRUE(split_pointer("").empty());
  EXPECT_THROW(split_pointer("a/b"), std::invalid_argument);
  EXPECT_THROW(split_pointer("/a~2"), std::invalid_argument);
}

TEST(JsonPatch, PointersDeeperThanAnyDocumentAreRefused) {
  std::string ok, deep;
  for (std::size_t i = 0; i < kMaxJsonDepth; ++i) ok += "/a";
  EXPECT_EQ(split_pointer(ok).size(), kMaxJsonDepth);
  for (int i = 0; i < 18000; ++i) deep += "/*";  // walked recursively, this overflowed the stack
  EXPECT_THROW(split_pointer(deep), std::invalid_argument);
}

TEST(JsonPatch, SetWithWildcardAndWhere) {
  ojson d = doc();
  apply_patch_op(d, op(R"({"op": "set", "path": "/organizations/*/candidate", "value": false, "where": {"local": true}})"),
                 "t");
  EXPECT_EQ(d["organizations"][0]["candidate"], false);
  EXPECT_FALSE(d["organizations"][1].contains("candidate"));
}

TEST(JsonPatch, AnIndexWithALeadingZeroIsNotAnIndex) {
  ojson d = doc();
  EXPECT_THROW(apply_patch_op(d, op(R"({"op": "set", "path": "/organizations/01/candidate", "value": false})"), "t"),
               InputError);
  apply_patch_op(d, op(R"({"op": "set", "path": "/organizations/0/candidate", "value": false})"), "t");
  EXPECT_EQ(d["organizations"][0]["candidate"], false);
}

TEST(JsonPatch, ScaleEveryPairAndKeepIntegersIntegral) {
  ojson d = doc();
  apply_patch_op(d, op(R"({"op": "scale", "path": "/trust/priors/*/*", "value": 0.5})"), "t");
  EXPECT_DOUBLE_EQ(d["trust"]["priors"]["x"]["y"].get<double>(), 0.2);
  EXPECT_DOUBLE_EQ(d["trust"]["priors"]["y"]["x"].get<double>(), 0.1);
  apply_patch_op(d, op(R"({"op": "scale", "path": "/organizations/*/patience", "value": 0.5})"), "t");
  EXPECT_TRUE(d["organizations"][0]["patience"].is_number_integer());
  EXPECT_EQ(d["organizations"][0]["patience"], 3);  // 2.5 rounds away from zero
  EXPECT_EQ(d["organizations"][1]["patience"], 2);
}

TEST(JsonPatch, ANumberFieldWrittenAsAnIntegerScalesToAFraction) {
  // The built-in no_shared_measurement pitfall on a scenario with "transparency": 1 once gave 0
  // (the literal 1 was taken for an integer field): the schema decides, not the literal.
  ojson d = ojson::parse(R"({"governance": {"transparency": 1}, "steps": 10})");
  apply_patch_op(d, op(R"({"op": "scale", "path": "/governance/transparency", "value": 0.3})"), "t");
  EXPECT_DOUBLE_EQ(d["governance"]["transparency"].get<double>(), 0.3);
  apply_patch_op(d, op(R"({"op": "scale", "path": "/steps", "value": 0.25})"), "t");
  EXPECT_TRUE(d["steps"].is_number_integer());
  EXPECT_EQ(d["steps"], 3);
}

TEST(JsonPatch, AppendCreatesTheArray) {
  ojson d = doc();
  apply_patch_op(d, op(R"({"op": "append", "path": "/shocks", "value": {"kind": "d"}})"), "t");
  EXPECT_EQ(d["shocks"].size(), 4u);
  apply_patch_op(d, op(R"({"op": "append", "path": "/pitfalls_seen", "value": 1})"), "t");
  EXPECT_EQ(d["pitfalls_seen"], ojson::array({1}));
}

TEST(JsonPatch, RemoveWildcardRemovesEveryElement) {
  ojson d = doc();
  apply_patch_op(d, op(R"({"op": "remove", "path": "/shocks/*"})"), "t");
  EXPECT_TRUE(d["shocks"].empty());
  apply_patch_op(d, op(R"({"op": "remove", "path": "/organizations/*/champion"})"), "t");
  EXPECT_FALSE(d["organizations"][1].contains("champion"));
  apply_patch_op(d, op(R"({"op": "remove", "path": "/not/there"})"), "t");  // missing: no-op
}

TEST(JsonPatch, BadOperationsAreBadPatch) {
  EXPECT_EQ(id_of([] { op(R"({"op": "multiply", "path": "/x", "value": 2})"); }), "bad_patch");
  EXPECT_EQ(id_of([] { op(R"({"op": "scale", "path": "/x", "value": "2"})"); }), "bad_patch");
  EXPECT_EQ(id_of([] { op(R"({"op": "set", "path": "x", "value": 2})"); }), "bad_patch");
  EXPECT_EQ(id_of([] { op(R"({"op": "set", "path": "/x"})"); }), "bad_patch");
  EXPECT_EQ(id_of([] {
              ojson d = doc();
              apply_patch_op(d, op(R"({"op": "scale", "path": "/organizations/0/name", "value": 2})"), "t");
            }),
            "bad_patch");
  EXPECT_EQ(id_of([] {
              ojson d = doc();
              apply_patch_op(d, op(R"({"op": "set", "path": "/organizations/0/name/first", "value": 2})"), "t");
            }),
            "bad_patch");
}

TEST(JsonPatch, ParseSetOverride) {
  SetOverride o = parse_set_override("/governance/mode=hierarchy");
  EXPECT_EQ(o.path, "/governance/mode");
  EXPECT_EQ(o.value, "hierarchy");  // not JSON: taken as a string
  EXPECT_EQ(parse_set_override("/steps=48").value, 48);
  EXPECT_EQ(parse_set_override("/x=[0.2, 0.8]").value, ojson::array({0.2, 0.8}));
  EXPECT_EQ(parse_set_override("/name=\"a=b\"").value, "a=b");  // split at the first "="
  EXPECT_EQ(parse_set_override("/local=true").value, true);
  EXPECT_EQ(id_of([] { parse_set_override("/steps"); }), "bad_override");
  EXPECT_EQ(id_of([] { parse_set_override("steps=3"); }), "bad_override");
  EXPECT_EQ(id_of([] { parse_set_override("/steps=1e999"); }), "bad_override");
}

TEST(JsonPatch, SetOverrideByNameIndexWildcardAndAppend) {
  ojson d = doc();
  EXPECT_EQ(apply_set_override(d, parse_set_override("/organizations/B/champion=0.1")),
            std::vector<std::string>{"/organizations/1/champion"});
  EXPECT_EQ(d["organizations"][1]["champion"], 0.1);
  EXPECT_EQ(apply_set_override(d, parse_set_override("/organizations/*/local=false")).size(), 2u);
  EXPECT_EQ(d["organizations"][0]["local"], false);
  EXPECT_EQ(apply_set_override(d, parse_set_override("/organizations/-={\"name\": \"C\"}")),
            std::vector<std::string>{"/organizations/2"});
  EXPECT_EQ(d["organizations"][2]["name"], "C");
  apply_set_override(d, parse_set_override("/governance/lead=A"));
  EXPECT_EQ(d["governance"]["lead"], "A");
}

TEST(JsonPatch, SetOverrideErrors) {
  EXPECT_EQ(id_of([] {
              ojson d = doc();
              apply_set_override(d, parse_set_override("/organizations/Z/champion=0.1"));
            }),
            "bad_override");
  EXPECT_EQ(id_of([] {
              ojson d = doc();
              apply_set_override(d, parse_set_override("/sectors/*/local=true"));
            }),
            "bad_override");
  EXPECT_EQ(id_of([] {
              ojson d = doc();
              apply_set_override(d, parse_set_override("/organizations/7/local=true"));
            }),
            "bad_override");
  EXPECT_EQ(id_of([] {
              ojson d = doc();
              apply_set_override(d, parse_set_override("/organizations/0/name/x=1"));
            }),
            "bad_override");
}

TEST(JsonPatch, ASetOverrideReportsWhatItCreatedFromWhereItBegins) {
  // Errors about organization 2's missing keys belong to the override that created it (issue 20:
  // they were blamed on the scenario file).
  ojson d = doc();
  EXPECT_EQ(apply_set_override(d, parse_set_override("/organizations/2/name=C")),
            std::vector<std::string>{"/organizations/2"});
  EXPECT_EQ(apply_set_override(d, parse_set_override("/governance/lead=A")), std::vector<std::string>{"/governance"});
  EXPECT_EQ(apply_set_override(d, parse_set_override("/governance/lead=B")),
            std::vector<std::string>{"/governance/lead"});
}

TEST(JsonPatch, AppendingToAMissingListStartsTheList) {
  // "/shocks/-" on a scenario without shocks created {"-": ...}, so no shock could be appended.
  ojson d = doc();
  d.erase("shocks");
  EXPECT_EQ(apply_set_override(d, parse_set_override(R"(/shocks/-={"kind": "x"})")), std::vector<std::string>{"/shocks"});
  ASSERT_TRUE(d["shocks"].is_array());
  EXPECT_EQ(d["shocks"], ojson::parse(R"([{"kind": "x"}])"));
  apply_set_override(d, parse_set_override(R"(/shocks/-={"kind": "y"})"));
  EXPECT_EQ(d["shocks"].size(), 2u);
}

TEST(JsonPatch, AnOperationThatSelectsNothingIsAnError) {
  ojson d = doc();
  EXPECT_EQ(id_of([&] {
              apply_patch_op(d, op(R"({"op": "set", "path": "/organizations/*/local", "value": true, "where": {"name": "Z"}})"), "t");
            }),
            "no_match");
  d["shocks"] = ojson::array();
  EXPECT_EQ(id_of([&] { apply_patch_op(d, op(R"({"op": "scale", "path": "/shocks/*/fraction", "value": 2})"), "t"); }),
            "no_match");
  // A scenario's own pitfall: the error points at the operation in the file.
  const PatchOp written = patch_op_from_json(
      ojson::parse(R"({"op": "set", "path": "/organizations/*/local", "value": true, "where": {"name": "Z"}})"),
      "--pitfall p", "/pitfalls/p/patch/0");
  try {
    apply_patch_op(d, written, "--pitfall p");
    FAIL() << "selected nothing without an error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.errors().at(0).pointer, "/pitfalls/p/patch/0/where");
    EXPECT_EQ(e.errors().at(0).file, "--pitfall p");
  }
  const ojson before = d;
  apply_patch_op(d, op(R"({"op": "set", "path": "/organizations/*/local", "value": true, "where": {"name": "B"}})"), "t");
  EXPECT_NE(d, before);
}

}  // namespace
}  // namespace p3sim
