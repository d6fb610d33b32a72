// Strict JSON reading: positions, pointers of syntax errors, duplicate keys, file order.
#include "scenario/JsonReader.hpp"

#include <gtest/gtest.h>

namespace p3sim {
namespace {

TEST(JsonReader, LineColumnIsOneBased) {
  EXPECT_EQ(line_column("abc", 0), std::make_pair(1, 1));
  EXPECT_EQ(line_column("ab\ncd", 3), std::make_pair(2, 1));
  EXPECT_EQ(line_column("ab\ncd", 4), std::make_pair(2, 2));
  EXPECT_EQ(line_column("ab\n", 3), std::make_pair(2, 1));  // end of text
}

TEST(JsonReader, KeepsFileOrder) {
  const JsonReadResult r = parse_json_text(R"({"z": 1, "a": {"y": 2, "b": 3}})", "t");
  ASSERT_TRUE(r.parsed);
  EXPECT_EQ(r.value.dump(), R"({"z":1,"a":{"y":2,"b":3}})");
}

TEST(JsonReader, SyntaxErrorCarriesPointerAndPosition) {
  const JsonReadResult r = parse_json_text("{\"a\": [1,\n  {\"b\": tru}]}", "t.json");
  EXPECT_FALSE(r.parsed);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].id, "syntax");
  EXPECT_EQ(r.errors[0].pointer, "/a/1/b");
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_EQ(r.errors[0].found, "the bare word tru");
}

TEST(JsonReader, OverflowIsNonFinite) {
  const JsonReadResult r = parse_json_text(R"({"x": [0, -1e999]})", "t");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].id, "non_finite");
  EXPECT_EQ(r.errors[0].pointer, "/x/1");
  EXPECT_EQ(r.errors[0].column, 11);
}

TEST(JsonReader, DuplicateKeysAreReportedAndReadingGoesOn) {
  const JsonReadResult r = parse_json_text(R"({"a": 1, "b": {"c": 1, "c": 2}, "a": 3})", "t");
  EXPECT_TRUE(r.parsed);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].pointer, "/b/c");
  EXPECT_EQ(r.errors[1].pointer, "/a");
}

TEST(JsonReader, NestingPastTheLimitIsRefusedWhereItStarts) {
  const std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(parse_json_text(ok, "t").parsed);
  // 100,000 levels: copying or printing such a document would overflow the stack.
  const std::string deep = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  const JsonReadResult r = parse_json_text(deep, "t");
  EXPECT_FALSE(r.parsed);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].id, "too_deep");
  EXPECT_EQ(r.errors[0].pointer.substr(0, 5), "/a/0/");
}

TEST(JsonReader, ManyKeysKeepTheirOrderAndALaterDuplicateWins) {
  std::string text = "{";
  for (int i = 0; i < 5000; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\": " + std::to_string(i);
  text += ", \"k7\": \"again\"}";
  const JsonReadResult r = parse_json_text(text, "t");
  ASSERT_TRUE(r.parsed);
  ASSERT_EQ(r.value.size(), 5000u);
  EXPECT_EQ(r.value.begin().key(), "k0");
  EXPECT_EQ(r.value["k4999"], 4999);
  EXPECT_EQ(r.value["k7"], "again");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].id, "duplicate_key");
}

TEST(JsonReader, EscapesPointerTokens) { EXPECT_EQ(pointer_token("a/b~c"), "a~1b~0c"); }

TEST(JsonReader, MissingFileIsIo) {
  const JsonReadResult r = read_json_file("/nonexistent/dir/x.json");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].id, "io");
}

}  // namespace
}  // namespace p3sim
