#pragma once
// Sobol' points for sampled sweep designs.
//
// The sequence itself comes from Boost.Random (boost::random::sobol_engine, Joe-Kuo direction
// numbers, Gray-code order), so no direction numbers are kept in this project. Boost does not
// scramble, and no Debian package offers scrambled Sobol' points to C++, so the scrambling is
// written by hand here: Owen's nested uniform scrambling, with the random bit of each node of the
// digit tree taken from a hash of (per-dimension seed, node). Scrambling removes the points'
// alignment on dyadic fractions (0, 1/2, 1/4, ...), which would otherwise put every continuous
// parameter exactly at its minimum and midpoint, and keeps the (t,m,s)-net structure that makes
// Sobol' points evenly spread.
//
// The sequence starts with the point of index 0 (all zeros before scrambling), unlike Boost, which
// starts at index 1: the first 2^m points form a net only when index 0 is included, and dropping it
// is known to make scrambled Sobol' estimates worse (A. B. Owen, "On dropping the first Sobol'
// point", MCQMC 2020).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <boost/random/sobol.hpp>

#include "random/RandomStreams.hpp"

namespace p3sim {

/// Successive points of the Sobol' sequence in [0,1)^dimensions, optionally Owen-scrambled.
class SobolSequence {
 public:
  /// Largest number of dimensions Boost's direction-number table covers.
  static constexpr std::size_t kMaxDimensions = 3667;
  /// Largest number of points one sequence produces (the sequence is computed on 32-bit digits).
  static constexpr std::uint64_t kMaxPoints = std::uint64_t{1} << 32;

  /// The unscrambled sequence: points are multiples of 2^-32, the first is all zeros, then
  /// (0.5, 0.5, ...), then (0.75, 0.25, ...). Throws std::invalid_argument unless
  /// 1 <= dimensions <= kMaxDimensions.
  explicit SobolSequence(std::size_t dimensions);

  /// The Owen-scrambled sequence; draws one 64-bit word per dimension from `rng` (and nothing else),
  /// so the same engine state gives the same points on every platform. Each scrambled coordinate
  /// has 53 random-or-Sobol' bits and lies in [0, 1). Throws std::invalid_argument unless
  /// 1 <= dimensions <= kMaxDimensions.
  SobolSequence(std::size_t dimensions, Engine& rng);

  /// Number of coordinates of each point.
  std::size_t dimensions() const { return dimensions_; }
  /// True when the points are scrambled.
  bool scrambled() const { return !seeds_.empty(); }
  /// Number of points produced so far (the index of the next point).
  std::uint64_t index() const { return index_; }

  /// Writes the next point into `point`, each coordinate in [0, 1). Throws std::invalid_argument if
  /// point.size() != dimensions(), std::range_error once kMaxPoints points have been produced.
  void next(std::span<double> point);
  /// The next point as a new vector; same as next(span) otherwise.
  std::vector<double> next();

 private:
  std::size_t dimensions_;
  // Boost's engine for 32-bit digits; it yields points from index 1, index 0 is produced here.
  boost::random::sobol_engine<std::uint32_t, 32> engine_;
  std::vector<std::uint64_t> seeds_;  // one per dimension; empty when unscrambled
  std::uint64_t index_ = 0;
};

}  // namespace p3sim
