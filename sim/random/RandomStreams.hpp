#pragma once
// Random numbers of one run (MODEL.md section 12).
//
// A run owns one engine per named stream; each stream's engine is seeded from (run seed, stream id),
// so changing how much one phase draws never shifts another phase's numbers. The run seed of a sweep
// replicate is derived from (master seed, replicate) only, so every design point of a sweep sees the
// same random numbers for the same replicate (common random numbers). Boost.Random engines and
// distributions give the same sequences on every compiler and platform.
#include <array>
#include <cstdint>

#include <boost/random/mersenne_twister.hpp>

namespace p3sim {

/// The engine type used everywhere in the model.
using Engine = boost::random::mt19937_64;

/// Named streams: set-up, and one per phase of the step that draws random numbers.
enum class Stream : int {
  Setup, Priors, Lifecycle, Shocks, Communicate, Decide, Population, Observe
};
inline constexpr int kStreamCount = 8;
/// Stream names. "setup" draws cooperation types, "priors" the noise on initial trust; the others
/// belong to the step phase of the same name. Production and commitment draw nothing.
inline constexpr const char* kStreamNames[kStreamCount] = {
    "setup", "priors", "lifecycle", "shocks", "communicate", "decide", "population", "observe"};

/// Seed of replicate `replicate` under master seed `master` (a fixed, portable hash).
std::uint64_t derive_run_seed(std::uint64_t master, std::uint64_t replicate);

/// The engines of one run.
class RandomStreams {
 public:
  explicit RandomStreams(std::uint64_t run_seed);
  Engine& operator[](Stream s) { return engines_[static_cast<int>(s)]; }
  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_;
  std::array<Engine, kStreamCount> engines_;
};

}  // namespace p3sim
