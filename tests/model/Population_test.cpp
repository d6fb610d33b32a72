// Behaviour of the target population (MODEL.md section 8): each mechanism is set up in isolation and
// its direction and size checked against the stated transition probabilities, plus the bookkeeping
// invariants (state counts, incrementally kept neighbour counts) and reproducibility.
#include "model/Population.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace p3sim {
namespace {

using Drivers = Population::Drivers;

// Parameters with every mechanism switched off; tests switch on what they examine.
PopulationParams quiet(std::int64_t units, int degree = 6) {
  PopulationParams p;
  p.enabled = true;
  p.units = units;
  p.degree = degree;
  p.rewire = 0.1;
  p.initial_adopters = 0;
  p.b_support = 0;
  p.b_neighbors = 0;
  p.b_market = 0;
  p.relapse = 0;
  p.readopt = 0.5;
  p.support_memory = 0.2;
  p.forced = false;
  p.forced_rate = 0;
  p.forced_relapse = 0;
  return p;
}

// Recounts everything from the per-unit states and compares with the incremental bookkeeping.
void expect_consistent(const Population& pop) {
  std::int64_t base = 0, voluntary = 0, forced = 0, relapsed = 0;
  for (std::size_t u = 0; u < static_cast<std::size_t>(pop.units()); ++u) {
    switch (pop.state(u)) {
      case UnitState::Baseline: ++base; break;
      case UnitState::Adopted: ++voluntary; break;
      case UnitState::ForcedAdopted: ++forced; break;
      case UnitState::Relapsed: ++relapsed; break;
    }
    std::uint32_t adopted_neighbours = 0;
    for (auto v : pop.network().neighbours(static_cast<SmallWorldNetwork::Node>(u)))
      adopted_neighbours += (static_cast<unsigned>(pop.state(v)) & 1u) != 0;
    ASSERT_EQ(pop.adopted_neighbours(u), adopted_neighbours) << "unit " << u;
  }
  EXPECT_EQ(pop.adopters(), voluntary + forced);
  EXPECT_EQ(pop.forced_adopters(), forced);
  EXPECT_EQ(pop.relapsed(), relapsed);
  EXPECT_EQ(pop.baseline(), base);
  EXPECT_EQ(pop.adopters() + pop.relapsed() + pop.baseline(), pop.units());
  EXPECT_GE(pop.cumulative_adoptions(), 0);
  EXPECT_GE(pop.cumulative_relapses(), 0);
  // Everyone ever adopted either still is, or relapsed at least once.
  EXPECT_EQ(pop.initial_adopters() + pop.cumulative_adoptions() - pop.cumulative_relapses(), pop.adopters());
  EXPECT_FALSE(std::isnan(pop.sustained_support()));
}

double share(std::int64_t part, std::int64_t whole) { return static_cast<double>(part) / static_cast<double>(whole); }

TEST(Population, SeedsExactlyTheInitialShare) {
  PopulationParams p = quiet(10000);
  p.initial_adopters = 0.137;
  Engine setup(1);
  const Population pop(p, setup);
  EXPECT_EQ(pop.units(), 10000);
  EXPECT_EQ(pop.adopters(), 1370);
  EXPECT_EQ(pop.initial_adopters(), 1370);
  EXPECT_EQ(pop.cumulative_adoptions(), 0);
  EXPECT_EQ(pop.sustained_support(), 0.0);
  expect_consistent(pop);
}

TEST(Population, NoSupportNoMarketNoNeighbourTermMeansNoAdoption) {
  PopulationParams p = quiet(5000);
  p.b_support = 1;
  p.b_market = 1;
  p.b_neighbors = 1;  // no adopters, so the neighbour term is zero anyway
  Engine setup(2), rng(3);
  Population pop(p, setup);
  for (int t = 0; t < 100; ++t) pop.step({0.0, 0.0, false}, rng);
  EXPECT_EQ(pop.adopters(), 0);
  EXPECT_EQ(pop.cumulative_adoptions(), 0);
  expect_consistent(pop);
}

TEST(Population, AdoptionProbabilityMatchesTheHazard) {
  // Isolated units (degree 0): p = 1 - exp(-(b_s * support + b_m * market)).
  PopulationParams p = quiet(200000, 0);
  p.b_support = 0.5;
  p.b_market = 0.25;
  Engine setup(4), rng(5);
  Population pop(p, setup);
  pop.step({1.0, 0.4, false}, rng);
  const double expected = 1 - std::exp(-(0.5 * 1.0 + 0.25 * 0.4));
  // Binomial standard error ~0.0011; allow 4 of them.
  EXPECT_NEAR(share(pop.adopters(), pop.units()), expected, 0.0045);
  expect_consistent(pop);
}

TEST(Population, AdoptionRisesWithSupport) {
  PopulationParams p = quiet(20000);
  p.b_support = 0.08;
  p.b_neighbors = 0.1;
  p.b_market = 0.03;
  p.relapse = 0.03;
  std::vector<std::int64_t> adopters;
  for (double support : {0.0, 0.25, 0.5, 1.0, 2.0}) {
    Engine setup(6), rng(7);
    Population pop(p, setup);
    // A short horizon, before saturation hides the effect.
    for (int t = 0; t < 3; ++t) pop.step({support, 0.2, false}, rng);
    adopters.push_back(pop.adopters());
  }
  for (std::size_t i = 1; i < adopters.size(); ++i) EXPECT_GT(adopters[i], adopters[i - 1]) << i;
  // Four times the support, a large effect and not noise: the hazard rises from 0.046 to 0.166 per
  // step, so three-step adoption from 13% to 39% of units (plus a little contagion).
  EXPECT_NEAR(share(adopters[2], 20000), 1 - std::exp(-3 * 0.046), 0.02);
  EXPECT_NEAR(share(adopters.back(), 20000), 1 - std::exp(-3 * 0.166), 0.03);
  EXPECT_GT(adopters.back(), 2.5 * static_cast<double>(adopters[2]));
}

TEST(Population, NeighboursSpeedAdoption) {
  PopulationParams p = quiet(20000);
  p.initial_adopters = 0.05;
  p.b_support = 0.02;
  std::int64_t without = 0, with = 0;
  for (double b_neighbors : {0.0, 1.0}) {
    p.b_neighbors = b_neighbors;
    Engine setup(8), rng(9);
    Population pop(p, setup);
    for (int t = 0; t < 24; ++t) pop.step({1.0, 0.0, false}, rng);
    expect_consistent(pop);
    (b_neighbors == 0 ? without : with) = pop.adopters();
  }
  // Without neighbours: 1 - exp(-0.02 * 24) = 38% of the rest adopt; contagion adds a lot.
  EXPECT_NEAR(share(without, 20000), 0.05 + 0.95 * (1 - std::exp(-0.48)), 0.015);
  EXPECT_GT(with, without + 2000);
}

TEST(Population, NeighbourShareUsesDegree) {
  // Ring (rewire 0, degree 2): a unit between two adopters has share 1, next to one adopter 1/2.
  PopulationParams p = quiet(200000, 2);
  p.rewire = 0;
  p.initial_adopters = 0.5;
  p.b_neighbors = 1.0;
  Engine setup(10), rng(11);
  Population pop(p, setup);
  std::vector<std::uint32_t> before(static_cast<std::size_t>(pop.units()));
  std::vector<UnitState> state_before(before.size());
  for (std::size_t u = 0; u < before.size(); ++u) {
    before[u] = pop.adopted_neighbours(u);
    state_before[u] = pop.state(u);
  }
  pop.step({0.0, 0.0, false}, rng);
  std::int64_t at[3] = {0, 0, 0}, adopted_at[3] = {0, 0, 0};
  for (std::size_t u = 0; u < before.size(); ++u) {
    if (state_before[u] != UnitState::Baseline) continue;
    ++at[before[u]];
    adopted_at[before[u]] += pop.state(u) == UnitState::Adopted;
  }
  EXPECT_EQ(adopted_at[0], 0);
  EXPECT_NEAR(share(adopted_at[1], at[1]), 1 - std::exp(-0.5), 0.01);
  EXPECT_NEAR(share(adopted_at[2], at[2]), 1 - std::exp(-1.0), 0.01);
}

TEST(Population, HighDegreeUnitsFollowTheSameHazard) {
  // Degrees 100 (tabulated neighbour factors) and 300 (beyond the table, computed directly): the
  // number of adoptions in one step matches the sum of 1 - exp(-(b_s * S + b_n * share)) over the
  // baseline units.
  for (int degree : {100, 300}) {
    PopulationParams p = quiet(6000, degree);
    p.initial_adopters = 0.3;
    p.b_support = 0.1;
    p.b_neighbors = 1.5;
    Engine setup(40), rng(41);
    Population pop(p, setup);
    double expected = 0, variance = 0;
    for (std::size_t u = 0; u < 6000; ++u) {
      if (pop.state(u) != UnitState::Baseline) continue;
      const double d = pop.network().degree(static_cast<SmallWorldNetwork::Node>(u));
      const double prob = 1 - std::exp(-(0.1 * 1.0 + 1.5 * pop.adopted_neighbours(u) / d));
      expected += prob;
      variance += prob * (1 - prob);
    }
    const std::int64_t before = pop.adopters();
    pop.step({1.0, 0.0, false}, rng);
    EXPECT_NEAR(static_cast<double>(pop.adopters() - before), expected, 4 * std::sqrt(variance)) << degree;
    expect_consistent(pop);
  }
}

TEST(Population, VoluntaryRelapseFallsWithSustainedSupportAndMarket) {
  PopulationParams p = quiet(200000, 0);
  p.initial_adopters = 1;
  p.relapse = 0.5;
  p.support_memory = 1;  // S_bar = this step's support
  for (double support : {0.0, 0.6, 2.0}) {
    Engine setup(12), rng(13);
    Population pop(p, setup);
    pop.step({support, 0.4, false}, rng);
    const double x = std::min(1.0, (support + 0.4) / 2);
    EXPECT_NEAR(share(pop.relapsed(), pop.units()), 0.5 * (1 - x), 0.0045) << support;
    EXPECT_EQ(pop.cumulative_voluntary_relapses(), pop.relapsed());
    EXPECT_DOUBLE_EQ(pop.sustained_support(), support);
  }
}

TEST(Population, SupportedAndUnsupportedRelapseHazardsAreSetApart) {
  // Voluntary: relapse 0.2 without support, 0.01 under full support; forced: 0.5 and 0.1. The
  // hazard moves linearly between the two as protection x goes from 0 to 1.
  for (double support : {0.0, 1.0, 2.0}) {
    for (bool forced : {false, true}) {
      PopulationParams p = quiet(200000, 0);
      p.relapse = 0.2;
      p.relapse_supported = 0.01;
      p.forced_relapse = 0.5;
      p.forced_relapse_supported = 0.1;
      p.support_memory = 1;
      p.forced = forced;
      p.forced_rate = 1;
      p.initial_adopters = forced ? 0 : 1;
      Engine setup(22), rng(23);
      Population pop(p, setup);
      if (forced) {
        pop.step({0.0, 0.0, true}, rng);  // everybody forced; no relapse in the step of conversion
        ASSERT_EQ(pop.forced_adopters(), pop.units());
      }
      pop.step({support, 0.0, false}, rng);
      const double x = std::min(1.0, support / 2);
      const double expected = forced ? 0.5 * (1 - x) + 0.1 * x : 0.2 * (1 - x) + 0.01 * x;
      EXPECT_NEAR(share(pop.relapsed(), pop.units()), expected, 0.0045) << support << (forced ? " forced" : "");
    }
  }
}

TEST(Population, SustainedSupportIsAnExponentialMovingAverage) {
  PopulationParams p = quiet(10);
  p.support_memory = 0.2;
  Engine setup(14), rng(15);
  Population pop(p, setup);
  pop.step({1.0, 0.0, false}, rng);
  EXPECT_DOUBLE_EQ(pop.sustained_support(), 0.2);
  pop.step({1.0, 0.0, false}, rng);
  EXPECT_DOUBLE_EQ(pop.sustained_support(), 0.36);
  pop.step({0.0, 0.0, false}, rng);
  EXPECT_DOUBLE_EQ(pop.sustained_support(), 0.288);
}

TEST(Population, RelapsedUnitsReadoptAtTheScaledHazard) {
  PopulationParams p = quiet(200000, 0);
  p.initial_adopters = 1;
  p.relapse = 1;  // with no support and no market everyone relapses in step 1
  p.b_support = 1;
  p.readopt = 0.5;
  Engine setup(16), rng(17);
  Population pop(p, setup);
  pop.step({0.0, 0.0, false}, rng);
  ASSERT_EQ(pop.relapsed(), pop.units());
  p.relapse = 0;
  pop.step({1.0, 0.0, false}, rng);
  // 1 - exp(-readopt * b_support * support); the readopters may relapse only next step.
  EXPECT_NEAR(share(pop.adopters(), pop.units()), 1 - std::exp(-0.5), 0.0045);
  expect_consistent(pop);
}

TEST(Population, ForcedConversionRunsOnlyWhenEnabledAndActive) {
  PopulationParams p = quiet(200000, 0);
  p.forced_rate = 0.3;
  for (bool enabled : {false, true}) {
    for (bool active : {false, true}) {
      p.forced = enabled;
      Engine setup(18), rng(19);
      Population pop(p, setup);
      pop.step({0.0, 0.0, active}, rng);
      if (enabled && active) {
        EXPECT_NEAR(share(pop.forced_adopters(), pop.units()), 0.3, 0.0045);
        EXPECT_EQ(pop.cumulative_forced(), pop.forced_adopters());
        EXPECT_EQ(pop.adopters(), pop.forced_adopters());
      } else {
        EXPECT_EQ(pop.adopters(), 0);
      }
    }
  }
}

TEST(Population, ForcedRelapseProbability) {
  PopulationParams p = quiet(200000, 0);
  p.forced = true;
  p.forced_rate = 1;
  p.forced_relapse = 0.4;
  p.forced_relapse_supported = 0.2;  // what a scenario resolves by default: half of forced_relapse
  p.support_memory = 1;
  Engine setup(20), rng(21);
  Population pop(p, setup);
  pop.step({0.0, 0.0, true}, rng);
  ASSERT_EQ(pop.forced_adopters(), pop.units());
  pop.step({1.0, 0.0, false}, rng);  // x = (1 + 0) / 2
  EXPECT_NEAR(share(pop.relapsed(), pop.units()), 0.4 * (1 - 0.5 * 0.5), 0.0045);
  EXPECT_EQ(pop.cumulative_forced_relapses(), pop.relapsed());
  EXPECT_EQ(pop.cumulative_voluntary_relapses(), 0);
}

TEST(Population, ForcedPathConvertsFasterButRelapsesFarMore) {
  // One scenario with both paths: moderate support and market, forced conversion from step 0.
  PopulationParams p;  // scenario defaults for the behavioural rates
  p.enabled = true;
  p.units = 50000;
  p.initial_adopters = 0;
  Engine setup0(22), rng0(23);
  Population voluntary(p, setup0);
  p.forced = true;
  Engine setup1(22), rng1(23);
  Population both(p, setup1);
  double forced_exposure = 0, voluntary_exposure = 0;  // adopted unit-steps on each path
  for (int t = 0; t < 36; ++t) {
    forced_exposure += static_cast<double>(both.forced_adopters());
    voluntary_exposure += static_cast<double>(both.adopters() - both.forced_adopters());
    voluntary.step({0.5, 0.4, true}, rng0);
    both.step({0.5, 0.4, true}, rng1);
    if (t == 5) {
      // Conversion speed: after six steps forced conversion has reached far more units.
      EXPECT_GT(both.cumulative_adoptions(), 2 * voluntary.cumulative_adoptions());
    }
  }
  expect_consistent(both);
  ASSERT_GT(both.cumulative_forced(), 1000);
  const std::int64_t voluntary_adoptions = both.cumulative_adoptions() - both.cumulative_forced();
  ASSERT_GT(voluntary_adoptions, 1000);
  // Relapses per converted unit: nearly every forced conversion relapses within three years, against
  // a minority of voluntary adoptions (which include forced units re-adopting voluntarily).
  const double forced_rate = share(both.cumulative_forced_relapses(), both.cumulative_forced());
  const double voluntary_rate = share(both.cumulative_voluntary_relapses(), voluntary_adoptions);
  EXPECT_GT(forced_rate, 0.9);
  EXPECT_GT(forced_rate, 3 * voluntary_rate) << forced_rate << " vs " << voluntary_rate;
  // Per adopted unit-step the gap is larger still: 0.25 * (1 - x/2) against 0.03 * (1 - x) with
  // x = (S_bar + M) / 2 approaching 0.45, about 11 times.
  const double forced_hazard = static_cast<double>(both.cumulative_forced_relapses()) / forced_exposure;
  const double voluntary_hazard = static_cast<double>(both.cumulative_voluntary_relapses()) / voluntary_exposure;
  EXPECT_GT(forced_hazard, 8 * voluntary_hazard) << forced_hazard << " vs " << voluntary_hazard;
}

TEST(Population, CountsStayConsistentEveryStep) {
  PopulationParams p;  // defaults, all mechanisms on
  p.enabled = true;
  p.units = 3000;
  p.initial_adopters = 0.02;
  p.forced = true;
  p.relapse = 0.2;
  Engine setup(24), rng(25);
  Population pop(p, setup);
  expect_consistent(pop);
  for (int t = 0; t < 60; ++t) {
    // Varying, occasionally odd drivers: negative and large values must not break the bookkeeping.
    const double support = (t % 7) * 0.4 - (t % 13 == 0 ? 1.0 : 0.0);
    pop.step({support, (t % 5) * 0.3, t % 3 == 0}, rng);
    expect_consistent(pop);
    ASSERT_FALSE(HasFatalFailure()) << "step " << t;
  }
  EXPECT_GT(pop.cumulative_relapses(), 0);
  EXPECT_GT(pop.cumulative_forced(), 0);
}

TEST(Population, SameSeedsSameTrajectory) {
  PopulationParams p;
  p.enabled = true;
  p.units = 20000;
  p.initial_adopters = 0.01;
  p.forced = true;
  auto run = [&](std::uint64_t seed) {
    Engine setup(seed), rng(seed + 1);
    Population pop(p, setup);
    std::vector<std::int64_t> trajectory;
    for (int t = 0; t < 30; ++t) {
      pop.step({0.3 + 0.01 * t, 0.3, t >= 10}, rng);
      trajectory.insert(trajectory.end(), {pop.adopters(), pop.forced_adopters(), pop.relapsed(),
                                           pop.cumulative_adoptions(), pop.cumulative_relapses()});
    }
    for (std::size_t u = 0; u < static_cast<std::size_t>(pop.units()); ++u)
      trajectory.push_back(static_cast<std::int64_t>(pop.state(u)));
    return trajectory;
  };
  EXPECT_EQ(run(26), run(26));
  EXPECT_NE(run(26), run(28));
}

TEST(Population, OneDrawPerUnitCouplesRunsUnitByUnit) {
  // Common random numbers: on isolated units, more support can only add adopters, unit by unit.
  PopulationParams p = quiet(5000, 0);
  p.b_support = 0.2;
  Engine setup0(30), rng0(31), setup1(30), rng1(31);
  Population low(p, setup0), high(p, setup1);
  for (int t = 0; t < 5; ++t) {
    low.step({0.5, 0, false}, rng0);
    high.step({1.0, 0, false}, rng1);
  }
  for (std::size_t u = 0; u < 5000; ++u)
    if (low.state(u) == UnitState::Adopted) {
      ASSERT_EQ(high.state(u), UnitState::Adopted) << u;
    }
  EXPECT_EQ(rng0(), rng1());  // both consumed exactly 5 * units draws
}

TEST(Population, TinyPopulationsWork) {
  for (std::int64_t units : {0, 1, 2, 3}) {
    PopulationParams p;
    p.enabled = true;
    p.units = units;
    p.initial_adopters = 1;
    p.forced = true;
    Engine setup(32), rng(33);
    Population pop(p, setup);
    for (int t = 0; t < 50; ++t) {
      pop.step({0.5, 0.3, true}, rng);
      expect_consistent(pop);
    }
    EXPECT_EQ(pop.units(), units);
  }
}

TEST(Population, RejectsInvalidParametersAndDrivers) {
  Engine setup(34);
  auto bad = [&](auto edit) {
    PopulationParams p = quiet(10);
    edit(p);
    EXPECT_THROW(Population(p, setup), std::invalid_argument);
  };
  bad([](PopulationParams& p) { p.units = -1; });
  bad([](PopulationParams& p) { p.rewire = 2; });
  bad([](PopulationParams& p) { p.initial_adopters = 1.5; });
  bad([](PopulationParams& p) { p.relapse = std::nan(""); });
  bad([](PopulationParams& p) { p.b_support = -1; });
  bad([](PopulationParams& p) { p.readopt = std::numeric_limits<double>::infinity(); });
  bad([](PopulationParams& p) { p.forced_rate = 1.1; });

  Population pop(quiet(10), setup);
  Engine rng(35);
  EXPECT_THROW(pop.step({std::nan(""), 0, false}, rng), std::invalid_argument);
  EXPECT_THROW(pop.step({0, std::numeric_limits<double>::infinity(), false}, rng), std::invalid_argument);
  EXPECT_EQ(pop.sustained_support(), 0.0);  // a rejected step changes nothing
}

TEST(Population, MemoryIsLinearInUnits) {
  PopulationParams p = quiet(100000);
  Engine setup(36);
  const Population pop(p, setup);
  // CSR (8 + 4 * 6 bytes per unit) + state, count and change buffer (1 + 4 + 4) + small tables.
  EXPECT_LE(pop.memory_bytes(), 100000u * 41 + 64 * 1024);
  EXPECT_GE(pop.memory_bytes(), pop.network().memory_bytes());
}

}  // namespace
}  // namespace p3sim
