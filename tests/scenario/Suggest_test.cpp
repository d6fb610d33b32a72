// Did-you-mean: edit distance and the closeness bound.
#include "scenario/Suggest.hpp"

#include <gtest/gtest.h>

namespace p3sim {
namespace {

TEST(Suggest, EditDistanceCountsSwapsAsOneAndIgnoresCase) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("civil_soceity", "civil_society"), 1u);  // adjacent swap
  EXPECT_EQ(edit_distance("Government", "government"), 0u);
}

TEST(Suggest, ClosestWithinBound) {
  const std::vector<std::string> modes = {"isolated", "constellation", "backbone", "hierarchy", "network"};
  EXPECT_EQ(closest_match("hierachy", modes), "hierarchy");
  EXPECT_EQ(closest_match("netwrok", modes), "network");
  EXPECT_EQ(closest_match("star", modes), std::nullopt);
  EXPECT_EQ(closest_match("constell", modes), "constellation");  // truncated
  EXPECT_EQ(closest_match("mu", {"id", "mu2"}), "mu2");
  EXPECT_EQ(closest_match("ab", {"xy"}), std::nullopt);
}

TEST(Suggest, DidYouMeanText) {
  EXPECT_EQ(did_you_mean("stpes", {"steps", "name"}), "did you mean \"steps\"?");
  EXPECT_EQ(did_you_mean("colour", {"steps", "name"}), "");
}

}  // namespace
}  // namespace p3sim
