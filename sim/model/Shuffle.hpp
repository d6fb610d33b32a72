#pragma once
// Fisher-Yates shuffle with a Boost distribution: std::shuffle's draws are implementation-defined,
// which would make activation order differ between standard libraries.
#include <utility>
#include <vector>

#include <boost/random/uniform_int_distribution.hpp>

namespace p3sim {

template <class T, class Rng>
void shuffle(std::vector<T>& items, Rng& rng) {
  for (std::size_t k = items.size(); k > 1; --k) {
    boost::random::uniform_int_distribution<std::size_t> pick(0, k - 1);
    std::swap(items[k - 1], items[pick(rng)]);
  }
}

}  // namespace p3sim
