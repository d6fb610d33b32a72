// Design: grid order and counts, sampled designs' stratification and spread, Sobol' values and
// scrambling, determinism, and the errors the sweep validator relies on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "sweep/Design.hpp"
#include "sweep/SobolSequence.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;
using Kind = ParameterSpec::Kind;

ParameterSpec categorical(std::string pointer, std::vector<ojson> values) {
  ParameterSpec p;
  p.pointer = std::move(pointer);
  p.kind = Kind::Categorical;
  p.values = std::move(values);
  return p;
}
ParameterSpec stepped(std::string pointer, double min, double max, int steps) {
  ParameterSpec p;
  p.pointer = std::move(pointer);
  p.kind = Kind::Stepped;
  p.min = min;
  p.max = max;
  p.steps = steps;
  return p;
}
ParameterSpec continuous(std::string pointer, double min, double max) {
  ParameterSpec p;
  p.pointer = std::move(pointer);
  p.kind = Kind::Continuous;
  p.min = min;
  p.max = max;
  return p;
}
DesignSpec sampled(DesignType type, std::int64_t samples) { return DesignSpec{type, samples}; }

// Unit-cube coordinate of a continuous parameter's value.
double unit_of(const ojson& v, const ParameterSpec& p) { return (v.get<double>() - p.min) / (p.max - p.min); }

// Continuous parameters on [0, 1], so that values are the unit-cube coordinates themselves.
std::vector<ParameterSpec> unit_parameters(int n) {
  std::vector<ParameterSpec> ps;
  for (int d = 0; d < n; ++d) ps.push_back(continuous("/x" + std::to_string(d), 0.0, 1.0));
  return ps;
}

TEST(Design, GridCountsEveryCombinationWithTheFirstParameterSlowest) {
  const std::vector<ParameterSpec> ps = {categorical("/governance/mode", {"backbone", "constellation"}),
                                         stepped("/organizations/*/disclosure", 0, 1, 3)};
  Engine rng(1);
  EXPECT_EQ(design_point_count(ps, DesignSpec{}), 6);
  const auto points = design_points(ps, DesignSpec{}, rng);
  const std::vector<DesignPoint> expected = {{"backbone", 0.0},      {"backbone", 0.5},      {"backbone", 1.0},
                                             {"constellation", 0.0}, {"constellation", 0.5}, {"constellation", 1.0}};
  EXPECT_EQ(points, expected);
}

TEST(Design, GridWithoutParametersHasOneEmptyPoint) {
  Engine rng(1);
  EXPECT_EQ(design_point_count({}, DesignSpec{}), 1);
  EXPECT_EQ(design_points({}, DesignSpec{}, rng), std::vector<DesignPoint>{DesignPoint{}});
}

TEST(Design, SteppedValuesAreEvenlySpacedAndIncludeBothEnds) {
  const auto levels = parameter_levels(stepped("/p", 0.1, 0.7, 7));
  ASSERT_EQ(levels.size(), 7u);
  EXPECT_EQ(levels.front().get<double>(), 0.1);
  EXPECT_EQ(levels.back().get<double>(), 0.7);
  for (std::size_t i = 0; i < levels.size(); ++i) EXPECT_NEAR(levels[i].get<double>(), 0.1 + 0.1 * i, 1e-15);
  EXPECT_EQ(parameter_levels(stepped("/p", 0, 1, 5)), (std::vector<ojson>{0.0, 0.25, 0.5, 0.75, 1.0}));
  EXPECT_EQ(parameter_levels(stepped("/p", 2, 9, 1)), std::vector<ojson>{2.0});
}

TEST(Design, GridRefusesAContinuousParameterNamingIt) {
  const std::vector<ParameterSpec> ps = {categorical("/governance/mode", {"backbone"}),
                                         continuous("/organizations/*/disclosure", 0, 1)};
  Engine rng(1);
  const char* message =
      "parameter /organizations/*/disclosure: a continuous range has no finite list of values, so it cannot be "
      "swept on a grid; give \"steps\" or use a sampled design (lhs, sobol, random)";
  try {
    design_point_count(ps, DesignSpec{});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), message);
  }
  EXPECT_THROW(design_points(ps, DesignSpec{}, rng), std::invalid_argument);
  // The same parameter is fine in a sampled design.
  EXPECT_EQ(design_point_count(ps, sampled(DesignType::LatinHypercube, 10)), 10);
}

TEST(Design, MalformedParametersAndSampleCountsAreRefusedWithTheirPointer) {
  const auto message = [](const std::vector<ParameterSpec>& ps, DesignSpec d) -> std::string {
    try {
      design_point_count(ps, d);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "no exception";
  };
  EXPECT_EQ(message({categorical("/a", {})}, DesignSpec{}),
            "parameter /a: a categorical parameter needs at least one value");
  EXPECT_EQ(message({stepped("/b", 0, 1, 0)}, DesignSpec{}), "parameter /b: steps must be at least 1, got 0");
  EXPECT_EQ(message({stepped("/c", 2, 1.5, 3)}, DesignSpec{}), "parameter /c: min (2.0) is greater than max (1.5)");
  EXPECT_EQ(message({continuous("/d", 0, INFINITY)}, sampled(DesignType::Random, 4)),
            "parameter /d: min and max must be finite numbers less than 1.8e308 apart");
  EXPECT_EQ(message({continuous("/e", 0, 1)}, sampled(DesignType::Sobol, 0)), "design: samples must be at least 1, got 0");
  EXPECT_EQ(message({continuous("/e", 0, 1)}, sampled(DesignType::Sobol, (std::int64_t{1} << 32) + 1)),
            "design: a sobol design takes at most 4294967296 samples, got 4294967297");
}

TEST(Design, AbsurdGridsAreCountedWithoutOverflow) {
  std::vector<ParameterSpec> ps;
  for (int d = 0; d < 18; ++d) ps.push_back(stepped("/p" + std::to_string(d), 0, 1, 10));
  EXPECT_EQ(design_point_count(ps, DesignSpec{}), 1'000'000'000'000'000'000);  // 10^18 still fits
  for (int d = 18; d < 40; ++d) ps.push_back(stepped("/p" + std::to_string(d), 0, 1, 10));
  try {
    design_point_count(ps, DesignSpec{});
    FAIL() << "no exception";
  } catch (const std::overflow_error& e) {
    EXPECT_STREQ(e.what(),
                 "design: the grid has more than 9223372036854775807 points (the product of the parameters' value "
                 "counts)");
  }
}

TEST(Design, ExplicitPointsTakeTheIthValueOfEveryList) {
  Engine rng(1);
  const std::vector<ParameterSpec> ps{categorical("/governance/mode", {"backbone", "network", "backbone"}),
                                      categorical("/trust/gain", {0.1, 0.2, 0.3})};
  const DesignSpec points{DesignType::Points, 0};
  EXPECT_EQ(design_point_count(ps, points), 3);
  const auto design = design_points(ps, points, rng);
  ASSERT_EQ(design.size(), 3u);
  EXPECT_EQ(design[1], (DesignPoint{"network", 0.2}));
  EXPECT_EQ(design[2], (DesignPoint{"backbone", 0.3}));  // repeated values are fine: points are not levels
}

TEST(Design, ExplicitPointsRefuseRangesUnequalListsAndNoParameters) {
  const DesignSpec points{DesignType::Points, 0};
  auto message = [&](const std::vector<ParameterSpec>& ps) {
    try {
      (void)design_point_count(ps, points);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message({categorical("/a", {1, 2}), stepped("/b", 0, 1, 2)}),
            "parameter /b: a points design takes a list of values, one per point, not a range");
  EXPECT_EQ(message({categorical("/a", {1, 2}), categorical("/b", {1, 2, 3})}),
            "parameter /b: 3 values where /a has 2; a points design needs one value per point");
  EXPECT_EQ(message({}), "design: a points design needs at least one parameter (a list of values per point)");
}

TEST(Design, DesignTypeNamesRoundTrip) {
  for (DesignType t :
       {DesignType::Grid, DesignType::LatinHypercube, DesignType::Sobol, DesignType::Random, DesignType::Points})
    EXPECT_EQ(design_type_from_name(design_type_name(t)), t);
  EXPECT_EQ(design_type_name(DesignType::LatinHypercube), std::string("lhs"));
  EXPECT_EQ(design_type_from_name("latin"), std::nullopt);
}

TEST(Design, LatinHypercubeHasExactlyOnePointPerStratumInEveryDimension) {
  for (const std::int64_t n : {1, 7, 100, 1000}) {
    const auto ps = unit_parameters(5);
    Engine rng(static_cast<std::uint64_t>(n));
    const auto points = design_points(ps, sampled(DesignType::LatinHypercube, n), rng);
    ASSERT_EQ(static_cast<std::int64_t>(points.size()), n);
    for (std::size_t d = 0; d < ps.size(); ++d) {
      std::vector<int> hits(static_cast<std::size_t>(n), 0);
      for (const auto& p : points) {
        const double u = unit_of(p[d], ps[d]);
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        ++hits[static_cast<std::size_t>(std::floor(u * static_cast<double>(n)))];
      }
      EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; })) << "n " << n << " dim " << d;
    }
  }
}

TEST(Design, LatinHypercubePermutesDimensionsIndependently) {
  // If the strata were not shuffled per dimension, all coordinates of a point would share a stratum.
  const auto ps = unit_parameters(2);
  Engine rng(3);
  const auto points = design_points(ps, sampled(DesignType::LatinHypercube, 200), rng);
  int same_stratum = 0;
  for (const auto& p : points)
    same_stratum += std::floor(p[0].get<double>() * 200) == std::floor(p[1].get<double>() * 200) ? 1 : 0;
  EXPECT_LT(same_stratum, 10);
}

TEST(SobolSequence, UnscrambledPointsAreTheKnownSobolValues) {
  SobolSequence one(1);
  const std::vector<double> first = {0.0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125};
  for (double x : first) EXPECT_EQ(one.next(), std::vector<double>{x});

  SobolSequence two(2);
  const std::vector<std::vector<double>> expected = {{0.0, 0.0},     {0.5, 0.5},     {0.75, 0.25},
                                                     {0.25, 0.75},   {0.375, 0.375}, {0.875, 0.875},
                                                     {0.625, 0.125}, {0.125, 0.625}};
  for (const auto& x : expected) EXPECT_EQ(two.next(), x);
  EXPECT_EQ(two.index(), 8u);
  EXPECT_FALSE(two.scrambled());
}

TEST(SobolSequence, RefusesDimensionsOutsideBoostsTableAndWrongPointSizes) {
  EXPECT_THROW(SobolSequence(0), std::invalid_argument);
  EXPECT_THROW(SobolSequence(SobolSequence::kMaxDimensions + 1), std::invalid_argument);
  SobolSequence s(SobolSequence::kMaxDimensions);
  std::vector<double> wrong(2);
  EXPECT_THROW(s.next(wrong), std::invalid_argument);
}

TEST(SobolSequence, ScrambledPointsKeepTheNetStructure) {
  // The first 2^m points of dimensions 1-2 form a (0,m,2)-net: every dyadic box of area 2^-m holds
  // exactly one point. Owen scrambling must keep that while moving the points off the dyadic grid.
  constexpr int m = 8;
  constexpr int n = 1 << m;
  Engine rng(11);
  SobolSequence s(2, rng);
  EXPECT_TRUE(s.scrambled());
  std::vector<std::vector<double>> pts;
  for (int i = 0; i < n; ++i) pts.push_back(s.next());
  for (int k = 0; k <= m; ++k) {
    std::vector<int> hits(n, 0);
    for (const auto& p : pts) {
      ASSERT_GE(p[0], 0.0);
      ASSERT_LT(p[0], 1.0);
      ASSERT_GE(p[1], 0.0);
      ASSERT_LT(p[1], 1.0);
      const int a = static_cast<int>(std::floor(p[0] * (1 << k)));
      const int b = static_cast<int>(std::floor(p[1] * (1 << (m - k))));
      ++hits[static_cast<std::size_t>(a * (1 << (m - k)) + b)];
    }
    EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; })) << "boxes 2^-" << k;
  }
  // No coordinate stays on a multiple of 2^-m, where the unscrambled points all sit.
  for (const auto& p : pts)
    for (double x : p) EXPECT_NE(x * n, std::floor(x * n));
}

TEST(Design, SobolPointsAreInRangeAndWellSpread) {
  const auto ps = unit_parameters(6);
  Engine rng(5);
  const auto points = design_points(ps, sampled(DesignType::Sobol, 256), rng);
  ASSERT_EQ(points.size(), 256u);
  for (std::size_t d = 0; d < ps.size(); ++d) {
    int lower = 0;
    for (const auto& p : points) {
      const double u = p[d].get<double>();
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      lower += u < 0.5 ? 1 : 0;
    }
    EXPECT_EQ(lower, 128) << "dim " << d;  // a net: exactly half, not just about half
  }
  Engine rng2(6);
  const auto many = design_points(ps, sampled(DesignType::Sobol, 1024), rng2);
  for (std::size_t d = 0; d < ps.size(); ++d) {
    double sum = 0;
    for (const auto& p : many) sum += p[d].get<double>();
    EXPECT_NEAR(sum / 1024, 0.5, 0.02) << "dim " << d;
  }
}

TEST(Design, RandomPointsAreInRangeAndMapOntoTheirParameters) {
  const std::vector<ParameterSpec> ps = {continuous("/c", -3, 5), stepped("/s", 10, 20, 3),
                                         categorical("/k", {1, "two", ojson::object({{"three", 3}})})};
  Engine rng(9);
  const auto points = design_points(ps, sampled(DesignType::Random, 500), rng);
  ASSERT_EQ(points.size(), 500u);
  std::set<double> steps_seen;
  std::set<std::string> categories_seen;
  double sum = 0;
  for (const auto& p : points) {
    ASSERT_EQ(p.size(), 3u);
    const double c = p[0].get<double>();
    EXPECT_GE(c, -3.0);
    EXPECT_LE(c, 5.0);
    sum += c;
    steps_seen.insert(p[1].get<double>());
    categories_seen.insert(p[2].dump());
  }
  EXPECT_NEAR(sum / 500, 1.0, 0.4);
  EXPECT_EQ(steps_seen, (std::set<double>{10.0, 15.0, 20.0}));
  EXPECT_EQ(categories_seen, (std::set<std::string>{"1", "\"two\"", "{\"three\":3}"}));
}

TEST(Design, SampledDesignsCoverEveryCategoricalValue) {
  const std::vector<ParameterSpec> ps = {categorical("/mode", {"a", "b", "c", "d", "e"}), stepped("/s", 0, 1, 4)};
  for (DesignType t : {DesignType::LatinHypercube, DesignType::Sobol, DesignType::Random}) {
    Engine rng(21);
    std::map<std::string, int> count;
    std::set<double> steps_seen;
    for (const auto& p : design_points(ps, sampled(t, 200), rng)) {
      ++count[p[0].get<std::string>()];
      steps_seen.insert(p[1].get<double>());
    }
    EXPECT_EQ(count.size(), 5u) << design_type_name(t);
    EXPECT_EQ(steps_seen.size(), 4u) << design_type_name(t);
    if (t == DesignType::LatinHypercube) {  // 200 strata, 40 per value: each value gets its exact share
      for (const auto& [value, c] : count) EXPECT_EQ(c, 40) << value;
    }
  }
}

TEST(Design, SameEngineStateSamePointsDifferentSeedDifferentPoints) {
  const std::vector<ParameterSpec> ps = {continuous("/c", 0, 1), stepped("/s", 0, 10, 11),
                                         categorical("/k", {"x", "y", "z"})};
  for (DesignType t : {DesignType::LatinHypercube, DesignType::Sobol, DesignType::Random}) {
    Engine a(77), b(77), c(78);
    const auto pa = design_points(ps, sampled(t, 64), a);
    EXPECT_EQ(pa, design_points(ps, sampled(t, 64), b)) << design_type_name(t);
    EXPECT_NE(pa, design_points(ps, sampled(t, 64), c)) << design_type_name(t);
  }
}

TEST(Design, PointsAreTheSameOnEveryPlatform) {
  // Pinned values: Boost's engine and distributions are fully specified, so a change here means the
  // draws changed and sweeps would no longer reproduce from their seed.
  const std::vector<ParameterSpec> ps = unit_parameters(2);
  Engine lhs(2024), sob(2024), rnd(2024);
  const auto l = design_points(ps, sampled(DesignType::LatinHypercube, 3), lhs);
  const auto s = design_points(ps, sampled(DesignType::Sobol, 3), sob);
  const auto r = design_points(ps, sampled(DesignType::Random, 3), rnd);
  const auto dump = [](const std::vector<DesignPoint>& pts) {
    std::string out;
    for (const auto& p : pts)
      for (const auto& v : p) out += v.dump() + " ";
    return out;
  };
  EXPECT_EQ(dump(l), "0.08855238011217682 0.8556066166347086 0.7780990603194962 0.41115507844838334 0.335398100193894 "
                     "0.17807681593451088 ");
  EXPECT_EQ(dump(s), "0.4592450945986123 0.72724895361024 0.6738444685324897 0.4542728214300109 0.8461480004804396 "
                     "0.7942445401790873 ");
  EXPECT_EQ(dump(r), "0.612684545263525 0.7947160663269658 0.2656571403365305 0.3342971809584887 0.0061943005816819975 "
                     "0.14020653249152318 ");
}

}  // namespace
}  // namespace p3sim
