#include "model/SmallWorldNetwork.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <boost/random/uniform_int_distribution.hpp>

namespace p3sim {
namespace {

// A uniform double in [0, 1) from the top 53 bits of one engine output. Exact, portable (depends only
// on the engine's integer output) and cheaper than a 64-bit integer to double conversion.
inline double uniform_unit(Engine& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Insert-only open-addressing set of undirected edges, used for the edges created by rewiring.
// Lattice edges are not stored: their presence is computed from the ring arithmetic (see
// EdgeLookup), so this set only holds about rewire * units * degree/2 keys, far smaller than a set of
// all edges, and linear probing over a flat array stays in few cache lines.
class EdgeSet {
 public:
  explicit EdgeSet(std::uint64_t expected) {
    std::size_t capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    slots_.assign(capacity, kEmpty);
  }

  bool contains(std::uint32_t a, std::uint32_t b) const {
    const std::uint64_t k = key(a, b);
    for (std::size_t i = hash(k) & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == k) return true;
      if (slots_[i] == kEmpty) return false;
    }
  }

  void insert(std::uint32_t a, std::uint32_t b) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    place(key(a, b));
    ++size_;
  }

 private:
  // min < max for any real edge, so (max, max) with max = 2^32-1 can never be a key.
  static constexpr std::uint64_t kEmpty = std::numeric_limits<std::uint64_t>::max();

  static std::uint64_t key(std::uint32_t a, std::uint32_t b) {
    if (a > b) std::swap(a, b);
    return (static_cast<std::uint64_t>(a) << 32) | b;
  }
  // splitmix64 finaliser: keys from neighbouring nodes differ in few bits, so they need mixing.
  static std::size_t hash(std::uint64_t k) {
    k ^= k >> 30;
    k *= 0xbf58476d1ce4e5b9ULL;
    k ^= k >> 27;
    k *= 0x94d049bb133111ebULL;
    k ^= k >> 31;
    return static_cast<std::size_t>(k);
  }
  void place(std::uint64_t k) {
    std::size_t i = hash(k) & (slots_.size() - 1);
    while (slots_[i] != kEmpty) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = k;
  }
  void grow() {
    std::vector<std::uint64_t> old(slots_.size() * 2, kEmpty);
    old.swap(slots_);
    for (std::uint64_t k : old)
      if (k != kEmpty) place(k);
  }

  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
};

// Sorts one short CSR row; rows are about `degree` long, where insertion sort beats std::sort.
void sort_row(std::uint32_t* first, std::uint32_t* last) {
  if (last - first > 32) {
    std::sort(first, last);
    return;
  }
  for (std::uint32_t* i = first + 1; i < last; ++i) {
    const std::uint32_t v = *i;
    std::uint32_t* j = i;
    for (; j > first && *(j - 1) > v; --j) *j = *(j - 1);
    *j = v;
  }
}

}  // namespace

SmallWorldNetwork::SmallWorldNetwork(std::int64_t units, int degree, double rewire, Engine& rng) {
  if (units < 0 || static_cast<std::uint64_t>(units) > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("SmallWorldNetwork: units must be in [0, 2^32-1], got " + std::to_string(units));
  if (degree < 0)
    throw std::invalid_argument("SmallWorldNetwork: degree must be >= 0, got " + std::to_string(degree));
  if (!(rewire >= 0.0 && rewire <= 1.0))  // also rejects NaN
    throw std::invalid_argument("SmallWorldNetwork: rewire must be in [0, 1], got " + std::to_string(rewire));

  const auto n = static_cast<std::uint64_t>(units);
  const std::uint64_t half = static_cast<std::uint64_t>(degree) / 2;
  offsets_.assign(n + 1, 0);
  if (n == 0) return;

  // Too few nodes for a ring lattice without duplicate edges: the complete graph is the closest
  // simple graph, and it cannot be rewired.
  if (2 * half >= n - 1) {
    adjacency_.reserve(n * (n - 1));
    for (std::uint64_t u = 0; u < n; ++u) {
      for (std::uint64_t v = 0; v < n; ++v)
        if (v != u) adjacency_.push_back(static_cast<Node>(v));
      offsets_[u + 1] = adjacency_.size();
    }
    return;
  }

  // Lattice edge (u, u+d mod n), d = 1..half, has id (d-1)*n + u; target[id] is its current far end.
  // Here 2*half < n-1, so a pair of nodes is at ring distance <= half in at most one direction and
  // every lattice edge is distinct.
  std::vector<Node> target(half * n);
  for (std::uint64_t d = 1; d <= half; ++d)
    for (std::uint64_t u = 0; u < n; ++u) target[(d - 1) * n + u] = static_cast<Node>(u + d < n ? u + d : u + d - n);
  std::vector<std::uint32_t> deg(n, static_cast<std::uint32_t>(2 * half));

  // Duplicate avoidance: an edge {u, w} exists now if (a) it is a lattice edge that has not been
  // rewired away (its target still equals the lattice far end; a rewired edge never points back at its
  // original end, because that edge exists at the time of the draw), or (b) it was created by
  // rewiring (EdgeSet). Lattice edges are never re-added and rewired edges are never rewired again,
  // so these two checks are exact at every moment of the sweep.
  EdgeSet rewired(static_cast<std::uint64_t>(rewire * static_cast<double>(half * n)) + 16);
  auto exists = [&](std::uint64_t u, std::uint64_t w) {
    const std::uint64_t d = w >= u ? w - u : w + n - u;  // ring distance u -> w, in [1, n-1]
    if (d >= 1 && d <= half && target[(d - 1) * n + u] == w) return true;
    const std::uint64_t back = n - d;
    if (back >= 1 && back <= half && target[(back - 1) * n + w] == u) return true;
    return rewired.contains(static_cast<Node>(u), static_cast<Node>(w));
  };

  if (rewire > 0.0) {
    boost::random::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(n - 1));
    const bool always = rewire >= 1.0;  // no coin needed
    for (std::uint64_t d = 1; d <= half; ++d) {
      for (std::uint64_t u = 0; u < n; ++u) {
        if (!always && !(uniform_unit(rng) < rewire)) continue;
        if (deg[u] >= n - 1) continue;  // linked to everyone: no legal new end exists
        std::uint64_t w;
        do {
          w = pick(rng);
        } while (w == u || exists(u, w));
        const std::uint64_t id = (d - 1) * n + u;
        --deg[target[id]];
        ++deg[w];
        target[id] = static_cast<Node>(w);
        rewired.insert(static_cast<Node>(u), static_cast<Node>(w));
      }
    }
  }

  for (std::uint64_t u = 0; u < n; ++u) offsets_[u + 1] = offsets_[u] + deg[u];
  adjacency_.resize(offsets_[n]);
  std::fill(deg.begin(), deg.end(), 0u);  // reused as the per-row fill cursor
  for (std::uint64_t d = 1; d <= half; ++d) {
    for (std::uint64_t u = 0; u < n; ++u) {
      const Node v = target[(d - 1) * n + u];
      adjacency_[offsets_[u] + deg[u]++] = v;
      adjacency_[offsets_[v] + deg[v]++] = static_cast<Node>(u);
    }
  }
  // Sorted rows make the layout independent of construction order and neighbour lookups binary-searchable.
  for (std::uint64_t u = 0; u < n; ++u) sort_row(adjacency_.data() + offsets_[u], adjacency_.data() + offsets_[u + 1]);
}

}  // namespace p3sim
