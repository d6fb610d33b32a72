#include "sweep/SobolSequence.hpp"

#include <stdexcept>
#include <string>

namespace p3sim {
namespace {

// The splitmix64 finaliser: a bijection of 64-bit words whose output bits all depend on all input
// bits, written out so the scrambling is identical on every compiler.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The pseudo-random word of one node of a dimension's digit tree. Distinct nodes give distinct
// words for a given seed (both steps are bijections), and every bit of the word looks random.
std::uint64_t node_word(std::uint64_t seed, std::uint64_t node) { return mix(seed ^ mix(node)); }

// Owen's nested uniform scrambling of a 32-digit binary fraction x / 2^32, returned as a 53-bit
// integer (the scrambled fraction times 2^53).
//
// Nested scrambling flips digit k+1 of every point according to a random bit attached to the node
// of the binary tree reached by the point's first k digits; the node of depth k and prefix p is
// numbered (1 << k) | p, so every node has its own number. A table of random bits would need 2^32
// entries, so each node's bit is a hash of (seed, node) instead.
//
// Digits beyond the 32nd are all zero before scrambling, so below depth 32 each point's path
// through the tree is fixed by its 32 digits; under nested scrambling those digits are therefore
// independent random bits per 32-digit prefix, taken here from the word of the depth-32 node.
std::uint64_t owen_scramble(std::uint32_t x, std::uint64_t seed) {
  std::uint64_t out = 0;
  for (int depth = 0; depth < 32; ++depth) {
    const std::uint64_t prefix = depth == 0 ? 0 : std::uint64_t{x} >> (32 - depth);
    const std::uint64_t node = (std::uint64_t{1} << depth) | prefix;
    const std::uint64_t digit = (x >> (31 - depth)) & 1u;
    out = (out << 1) | (digit ^ (node_word(seed, node) & 1u));
  }
  const std::uint64_t leaf = (std::uint64_t{1} << 32) | x;
  return (out << 21) | (node_word(seed, leaf) >> 43);
}

std::size_t checked_dimensions(std::size_t dimensions) {
  if (dimensions < 1 || dimensions > SobolSequence::kMaxDimensions)
    throw std::invalid_argument("Sobol sequence: dimensions must be between 1 and " +
                                std::to_string(SobolSequence::kMaxDimensions) + ", got " +
                                std::to_string(dimensions));
  return dimensions;
}

constexpr double kTwoToMinus32 = 1.0 / 4294967296.0;
constexpr double kTwoToMinus53 = 1.0 / 9007199254740992.0;

}  // namespace

SobolSequence::SobolSequence(std::size_t dimensions)
    : dimensions_(checked_dimensions(dimensions)), engine_(dimensions_) {}

SobolSequence::SobolSequence(std::size_t dimensions, Engine& rng) : SobolSequence(dimensions) {
  seeds_.resize(dimensions_);
  // Raw engine words rather than a distribution: mt19937_64's output is fully specified.
  for (auto& s : seeds_) s = rng();
}

void SobolSequence::next(std::span<double> point) {
  if (point.size() != dimensions_)
    throw std::invalid_argument("Sobol sequence: point has " + std::to_string(point.size()) +
                                " coordinates, the sequence has " + std::to_string(dimensions_));
  if (index_ >= kMaxPoints)
    throw std::range_error("Sobol sequence: more than " + std::to_string(kMaxPoints) + " points requested");
  for (std::size_t d = 0; d < dimensions_; ++d) {
    // Boost starts at index 1, so index 0 (all zero digits) is supplied here.
    const std::uint32_t digits = index_ == 0 ? 0u : engine_();
    point[d] = scrambled() ? static_cast<double>(owen_scramble(digits, seeds_[d])) * kTwoToMinus53
                           : static_cast<double>(digits) * kTwoToMinus32;
  }
  ++index_;
}

std::vector<double> SobolSequence::next() {
  std::vector<double> point(dimensions_);
  next(point);
  return point;
}

}  // namespace p3sim
