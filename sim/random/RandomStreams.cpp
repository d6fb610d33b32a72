#include "random/RandomStreams.hpp"

#include <boost/random/seed_seq.hpp>

namespace p3sim {
namespace {
// boost::random::seed_seq has a fully specified algorithm, so the derived seeds are the same on
// every platform; we feed it 32-bit words of the inputs.
std::uint64_t mix(std::uint64_t a, std::uint64_t b, std::uint64_t tag) {
  boost::random::seed_seq seq{static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32),
                              static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b >> 32),
                              static_cast<std::uint32_t>(tag)};
  std::uint32_t out[2];
  seq.generate(out, out + 2);
  return (static_cast<std::uint64_t>(out[0]) << 32) | out[1];
}
}  // namespace

std::uint64_t derive_run_seed(std::uint64_t master, std::uint64_t replicate) {
  return mix(master, replicate, 0x70337369u);
}

RandomStreams::RandomStreams(std::uint64_t run_seed) : seed_(run_seed) {
  for (int s = 0; s < kStreamCount; ++s) {
    boost::random::seed_seq seq{static_cast<std::uint32_t>(run_seed), static_cast<std::uint32_t>(run_seed >> 32),
                                static_cast<std::uint32_t>(s + 1)};
    engines_[s].seed(seq);
  }
}

}  // namespace p3sim
