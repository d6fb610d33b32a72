// Behaviour of the Watts-Strogatz network: a valid simple undirected CSR graph at every size, the
// lattice structure at rewire 0, and the small-world signature (clustering falls as rewiring grows).
#include "model/SmallWorldNetwork.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include <gtest/gtest.h>

namespace p3sim {
namespace {

using Node = SmallWorldNetwork::Node;

bool linked(const SmallWorldNetwork& g, Node u, Node v) {
  const auto row = g.neighbours(u);
  return std::binary_search(row.begin(), row.end(), v);
}

// Offsets well formed, rows strictly increasing (no duplicates), no self-loops, every edge in both rows.
void expect_simple_undirected(const SmallWorldNetwork& g) {
  const auto& off = g.offsets();
  const std::size_t n = g.size();
  if (n == 0) {
    EXPECT_TRUE(g.adjacency().empty());
    return;
  }
  ASSERT_EQ(off.size(), n + 1);
  ASSERT_EQ(off.front(), 0u);
  ASSERT_EQ(off.back(), g.adjacency().size());
  ASSERT_EQ(g.adjacency().size() % 2, 0u);
  for (Node u = 0; u < n; ++u) {
    ASSERT_LE(off[u], off[u + 1]);
    const auto row = g.neighbours(u);
    for (std::size_t i = 0; i < row.size(); ++i) {
      ASSERT_LT(row[i], n);
      ASSERT_NE(row[i], u) << "self-loop at " << u;
      if (i > 0) {
        ASSERT_LT(row[i - 1], row[i]) << "duplicate or unsorted row " << u;
      }
      ASSERT_TRUE(linked(g, row[i], u)) << "edge " << u << "-" << row[i] << " not symmetric";
    }
  }
}

// Mean local clustering coefficient (0 for nodes of degree < 2).
double clustering(const SmallWorldNetwork& g) {
  double total = 0;
  for (Node u = 0; u < g.size(); ++u) {
    const auto row = g.neighbours(u);
    const double k = static_cast<double>(row.size());
    if (row.size() < 2) continue;
    std::size_t triangles = 0;
    for (std::size_t i = 0; i < row.size(); ++i)
      for (std::size_t j = i + 1; j < row.size(); ++j) triangles += linked(g, row[i], row[j]);
    total += static_cast<double>(triangles) / (k * (k - 1) / 2);
  }
  return total / static_cast<double>(g.size());
}

std::uint64_t ring_distance(Node u, Node v, std::uint64_t n) {
  const std::uint64_t d = u > v ? u - v : v - u;
  return std::min(d, n - d);
}

TEST(SmallWorldNetwork, RingLatticeAtZeroRewire) {
  Engine rng(1);
  const SmallWorldNetwork g(1000, 6, 0.0, rng);
  expect_simple_undirected(g);
  EXPECT_EQ(g.size(), 1000u);
  EXPECT_EQ(g.edge_count(), 3000u);  // n * k / 2
  for (Node u = 0; u < g.size(); ++u) {
    ASSERT_EQ(g.degree(u), 6u);
    for (Node v : g.neighbours(u)) ASSERT_LE(ring_distance(u, v, 1000), 3u);
  }
  // Lattice clustering 3(k-2)/(4(k-1)) = 0.6 for k = 6.
  EXPECT_NEAR(clustering(g), 0.6, 1e-12);
}

TEST(SmallWorldNetwork, RewiringKeepsEdgeCountAndRewiresTheRequestedShare) {
  for (double beta : {0.05, 0.3, 1.0}) {
    Engine rng(7);
    const SmallWorldNetwork g(20000, 6, beta, rng);
    expect_simple_undirected(g);
    // Each rewiring moves one end of one edge, so the edge count and mean degree are exact.
    EXPECT_EQ(g.edge_count(), 60000u) << beta;
    // Edges longer than the lattice reach were rewired; a rewired edge lands inside the reach with
    // probability about k/n, so the long-edge share estimates beta.
    std::size_t long_edges = 0;
    for (Node u = 0; u < g.size(); ++u)
      for (Node v : g.neighbours(u)) long_edges += u < v && ring_distance(u, v, g.size()) > 3;
    EXPECT_NEAR(static_cast<double>(long_edges) / 60000.0, beta, 0.01) << beta;
  }
}

TEST(SmallWorldNetwork, ClusteringFallsAsRewiringGrows) {
  double previous = 1.0;
  for (double beta : {0.0, 0.01, 0.1, 0.3, 1.0}) {
    Engine rng(3);
    const double c = clustering(SmallWorldNetwork(5000, 6, beta, rng));
    EXPECT_LT(c, previous) << beta;
    previous = c;
  }
  Engine rng(3);
  // Watts-Strogatz: C(beta) ~ C(0) * (1 - beta)^3 while the path length has already collapsed.
  EXPECT_NEAR(clustering(SmallWorldNetwork(5000, 6, 0.1, rng)), 0.6 * 0.9 * 0.9 * 0.9, 0.03);
  Engine rng2(3);
  EXPECT_LT(clustering(SmallWorldNetwork(5000, 6, 1.0, rng2)), 0.01);  // random graph: about k/n
}

TEST(SmallWorldNetwork, SameEngineStateGivesSameGraph) {
  Engine a(42), b(42), c(43);
  const SmallWorldNetwork ga(5000, 6, 0.2, a), gb(5000, 6, 0.2, b), gc(5000, 6, 0.2, c);
  EXPECT_EQ(ga.offsets(), gb.offsets());
  EXPECT_EQ(ga.adjacency(), gb.adjacency());
  EXPECT_NE(ga.adjacency(), gc.adjacency());
  EXPECT_EQ(a(), b());  // and the engines advanced alike
}

TEST(SmallWorldNetwork, TinyGraphsDegradeToCompleteGraphs) {
  for (std::int64_t n : {0, 1, 2, 3, 5, 7}) {
    Engine rng(5);
    const SmallWorldNetwork g(n, 6, 0.5, rng);
    expect_simple_undirected(g);
    EXPECT_EQ(g.size(), static_cast<std::size_t>(n));
    // k = 6 >= n - 1: every pair is linked.
    const std::size_t complete = n < 2 ? 0 : static_cast<std::size_t>(n * (n - 1) / 2);
    EXPECT_EQ(g.edge_count(), complete) << n;
  }
}

TEST(SmallWorldNetwork, DenseSmallGraphsRewireWithoutHanging) {
  // n = k + 2 leaves each node one non-neighbour, so rewiring often finds every other node taken.
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    Engine rng(seed);
    const SmallWorldNetwork g(8, 6, 1.0, rng);
    expect_simple_undirected(g);
    EXPECT_EQ(g.edge_count(), 24u);
  }
}

TEST(SmallWorldNetwork, OddAndZeroDegree) {
  Engine rng(9);
  const SmallWorldNetwork odd(100, 5, 0.0, rng);  // 5 / 2 = 2 per side
  expect_simple_undirected(odd);
  EXPECT_EQ(odd.edge_count(), 200u);
  const SmallWorldNetwork none(100, 0, 0.5, rng);
  expect_simple_undirected(none);
  EXPECT_EQ(none.edge_count(), 0u);
  EXPECT_EQ(none.degree(99), 0u);
}

TEST(SmallWorldNetwork, RejectsOutOfRangeArguments) {
  Engine rng(1);
  EXPECT_THROW(SmallWorldNetwork(-1, 6, 0.1, rng), std::invalid_argument);
  EXPECT_THROW(SmallWorldNetwork(std::int64_t{1} << 33, 6, 0.1, rng), std::invalid_argument);
  EXPECT_THROW(SmallWorldNetwork(10, -2, 0.1, rng), std::invalid_argument);
  EXPECT_THROW(SmallWorldNetwork(10, 2, 1.5, rng), std::invalid_argument);
  EXPECT_THROW(SmallWorldNetwork(10, 2, -0.1, rng), std::invalid_argument);
  EXPECT_THROW(SmallWorldNetwork(10, 2, std::nan(""), rng), std::invalid_argument);
}

TEST(SmallWorldNetwork, MemoryIsLinearInUnitsTimesDegree) {
  Engine rng(11);
  const SmallWorldNetwork g(100000, 6, 0.1, rng);
  // 8 bytes of offset per node plus 4 bytes per directed edge, with little slack.
  EXPECT_LE(g.memory_bytes(), 100001u * 8 + 600000u * 4 + 1024);
}

}  // namespace
}  // namespace p3sim
