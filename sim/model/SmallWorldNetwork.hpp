#pragma once
// SmallWorldNetwork: the contact network of the target population (MODEL.md section 8).
//
// A Watts-Strogatz small-world graph stored in compressed sparse row (CSR) form: node u's neighbours
// are adjacency()[offsets()[u] .. offsets()[u+1]), sorted ascending. The graph is undirected (every
// edge appears in both endpoints' rows), has no self-loops and no duplicate edges. CSR keeps the
// population step cache-friendly and its memory O(units * degree) with no per-node allocations, which
// is what lets the population scale to 10^6-10^7 units.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "random/RandomStreams.hpp"

namespace p3sim {

/// An undirected Watts-Strogatz graph in CSR form. Immutable after construction.
class SmallWorldNetwork {
 public:
  /// Node index type; node ids are 0 .. size()-1.
  using Node = std::uint32_t;

  /// An empty graph (no nodes).
  SmallWorldNetwork() = default;

  /// Builds a Watts-Strogatz graph.
  ///
  /// Start from a ring lattice where every node links to its degree/2 nearest neighbours on each
  /// side; then, lattice edge by lattice edge (all distance-1 edges in node order, then distance 2,
  /// ...), with probability `rewire` replace the far endpoint by a node drawn uniformly among all
  /// nodes, redrawing while the draw would create a self-loop or an edge that already exists. A node
  /// already linked to every other node keeps its edge unrewired. Rewiring preserves the edge count
  /// exactly, so the mean degree stays 2*(degree/2).
  ///
  /// Small or odd inputs degrade instead of failing: an odd `degree` uses degree/2 neighbours per side
  /// (integer division, i.e. mean degree degree-1); when degree >= units-1 the result is the complete
  /// graph on `units` nodes (mean degree units-1) with no rewiring, since no other simple graph has
  /// that many edges; units 0 and 1 give graphs without edges.
  ///
  /// Memory: about 4*units*degree + 8*units bytes for the result, plus a transient 2*units*degree + 4*units
  /// bytes (and a small hash set for the rewired edges) while building. Time: O(units * degree).
  ///
  /// @param units   number of nodes, 0 .. 2^32-1
  /// @param degree  intended mean degree (even), >= 0
  /// @param rewire  per-edge rewiring probability in [0, 1] (0 = ring lattice, 1 = random graph)
  /// @param rng     engine to draw from; the graph is a pure function of (units, degree, rewire) and
  ///                the engine state, and the engine is advanced
  /// @throws std::invalid_argument if units or degree is out of range or rewire is not in [0, 1]
  SmallWorldNetwork(std::int64_t units, int degree, double rewire, Engine& rng);

  /// Number of nodes.
  std::size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }

  /// Number of undirected edges (half the sum of degrees).
  std::size_t edge_count() const { return adjacency_.size() / 2; }

  /// Degree of node u; u must be < size() (unchecked).
  std::uint32_t degree(Node u) const { return static_cast<std::uint32_t>(offsets_[u + 1] - offsets_[u]); }

  /// Neighbours of node u in ascending order; u must be < size() (unchecked).
  std::span<const Node> neighbours(Node u) const {
    return {adjacency_.data() + offsets_[u], adjacency_.data() + offsets_[u + 1]};
  }

  /// CSR row offsets: size()+1 entries, offsets()[0] == 0, nondecreasing (empty for an empty graph).
  const std::vector<std::uint64_t>& offsets() const { return offsets_; }

  /// CSR column indices: the concatenated neighbour rows, 2*edge_count() entries.
  const std::vector<Node>& adjacency() const { return adjacency_; }

  /// Bytes held by the graph's arrays (capacity, not just size).
  std::size_t memory_bytes() const {
    return offsets_.capacity() * sizeof(std::uint64_t) + adjacency_.capacity() * sizeof(Node);
  }

 private:
  std::vector<std::uint64_t> offsets_;
  std::vector<Node> adjacency_;
};

}  // namespace p3sim
