#include "scenario/Utf8.hpp"

#include <gtest/gtest.h>

namespace p3sim {
namespace {

// "é" is two bytes (C3 A9), "€" three (E2 82 AC).
const std::string kMixed = "caf\xC3\xA9 \xE2\x82\xAC";  // "café €": 6 characters, 9 bytes

TEST(Utf8, LengthCountsCharactersNotBytes) {
  EXPECT_EQ(utf8::length(""), 0u);
  EXPECT_EQ(utf8::length("abc"), 3u);
  EXPECT_EQ(kMixed.size(), 9u);
  EXPECT_EQ(utf8::length(kMixed), 6u);
}

TEST(Utf8, BoundaryStepsBackToTheStartOfACharacter) {
  EXPECT_EQ(utf8::boundary(kMixed, 3), 3u);  // the first byte of "é"
  EXPECT_EQ(utf8::boundary(kMixed, 4), 3u);  // inside "é"
  EXPECT_EQ(utf8::boundary(kMixed, 7), 6u);  // inside "€"
  EXPECT_EQ(utf8::boundary(kMixed, 8), 6u);
  EXPECT_EQ(utf8::boundary(kMixed, 8, 7), 7u);  // never below the floor
  EXPECT_EQ(utf8::boundary(kMixed, 50), kMixed.size());
}

TEST(Utf8, TruncateKeepsWholeCharactersAndMarksTheCut) {
  EXPECT_EQ(utf8::truncate(kMixed, 9), kMixed);
  EXPECT_EQ(utf8::truncate(kMixed, 8), "caf\xC3\xA9...");  // "€" does not fit with "..."
  EXPECT_EQ(utf8::truncate(kMixed, 7), "caf...");         // nor does "é"
  EXPECT_EQ(utf8::truncate(kMixed, 3), "...");
  for (std::size_t max = 3; max < kMixed.size(); ++max) {
    const std::string cut = utf8::truncate(kMixed, max);
    EXPECT_LE(cut.size(), max);
    ASSERT_EQ(cut.substr(cut.size() - 3), "...");
    const std::size_t kept = cut.size() - 3;
    EXPECT_EQ(cut.substr(0, kept), kMixed.substr(0, kept));
    EXPECT_FALSE(utf8::is_continuation(static_cast<unsigned char>(kMixed[kept]))) << "cut inside a character at " << max;
  }
}

}  // namespace
}  // namespace p3sim
