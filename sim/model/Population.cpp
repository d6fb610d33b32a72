#include "model/Population.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace p3sim {
namespace {

// A uniform double in [0, 1) from the top 53 bits of one engine output. Exact, portable (depends only
// on the engine's integer output) and cheaper than a 64-bit integer to double conversion; the step
// draws one per unit, so this is on the hot path.
inline double uniform_unit(Engine& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// exp(-scale * c / d): the neighbour part of a survival probability. One definition for the table
// and the direct path keeps both bitwise identical, so the table is a pure speed-up.
inline double neighbour_factor(double scale, std::uint32_t c, std::uint32_t d) {
  return std::exp(-scale * static_cast<double>(c) / static_cast<double>(d));
}

void require(bool ok, const char* name, const std::string& expected, double value) {
  if (!ok)
    throw std::invalid_argument(std::string("Population: ") + name + " must be " + expected + ", got " +
                                std::to_string(value));
}

void require_unit_interval(const char* name, double value) {
  require(value >= 0.0 && value <= 1.0, name, "in [0, 1]", value);  // false for NaN too
}

void require_rate(const char* name, double value) {
  require(std::isfinite(value) && value >= 0.0, name, "finite and >= 0", value);
}

constexpr std::uint8_t kBaseline = static_cast<std::uint8_t>(UnitState::Baseline);
constexpr std::uint8_t kAdopted = static_cast<std::uint8_t>(UnitState::Adopted);
constexpr std::uint8_t kRelapsed = static_cast<std::uint8_t>(UnitState::Relapsed);
constexpr std::uint8_t kForced = static_cast<std::uint8_t>(UnitState::ForcedAdopted);

}  // namespace

std::vector<double> Population::neighbour_table(double scale) {
  std::vector<double> table((kTableDegree + 1) * (kTableDegree + 2) / 2);
  for (std::uint32_t d = 0; d <= kTableDegree; ++d)
    for (std::uint32_t c = 0; c <= d; ++c)
      table[d * (d + 1) / 2 + c] = d == 0 ? 1.0 : neighbour_factor(scale, c, d);
  return table;
}

Population::Population(const PopulationParams& p, Engine& setup_rng)
    : b_support_(p.b_support),
      b_neighbors_(p.b_neighbors),
      b_market_(p.b_market),
      relapse_(p.relapse),
      readopt_(p.readopt),
      memory_(p.support_memory),
      forced_enabled_(p.forced),
      forced_rate_(p.forced_rate),
      forced_relapse_(p.forced_relapse) {
  // Validate before the (possibly large) network is built; the network checks units/degree/rewire.
  require_unit_interval("initial_adopters", p.initial_adopters);
  require_rate("b_support", p.b_support);
  require_rate("b_neighbors", p.b_neighbors);
  require_rate("b_market", p.b_market);
  require_rate("readopt", p.readopt);
  require_unit_interval("relapse", p.relapse);
  require_unit_interval("support_memory", p.support_memory);
  require_unit_interval("forced_rate", p.forced_rate);
  require_unit_interval("forced_relapse", p.forced_relapse);

  network_ = SmallWorldNetwork(p.units, p.degree, p.rewire, setup_rng);
  const std::size_t n = network_.size();
  state_.assign(n, kBaseline);
  adopted_neighbours_.assign(n, 0);
  // Sized for a typical step's churn; it grows (amortized, and keeps its capacity) when more units flip.
  flipped_.reserve(std::max<std::size_t>(64, n / 16));
  q_adopt_ = neighbour_table(b_neighbors_);
  q_readopt_ = neighbour_table(readopt_ * b_neighbors_);

  // Exactly round(share * n) initial adopters by selection sampling (Knuth's algorithm S): one pass,
  // no extra memory, every subset of that size equally likely.
  const auto wanted = static_cast<std::uint64_t>(std::llround(p.initial_adopters * static_cast<double>(n)));
  std::uint64_t chosen = 0;
  for (std::size_t u = 0; u < n && chosen < wanted; ++u) {
    if (static_cast<double>(n - u) * uniform_unit(setup_rng) < static_cast<double>(wanted - chosen)) {
      state_[u] = kAdopted;
      ++chosen;
      for (SmallWorldNetwork::Node v : network_.neighbours(static_cast<SmallWorldNetwork::Node>(u)))
        ++adopted_neighbours_[v];
    }
  }
  initial_adopters_ = adopters_ = static_cast<std::int64_t>(chosen);
}

void Population::step(const Drivers& drivers, Engine& rng) {
  if (!std::isfinite(drivers.support) || !std::isfinite(drivers.market))
    throw std::invalid_argument("Population::step: support and market must be finite, got support " +
                                std::to_string(drivers.support) + ", market " + std::to_string(drivers.market));

  sustained_support_ = (1.0 - memory_) * sustained_support_ + memory_ * drivers.support;
  const double market = drivers.market;

  // The hazard splits into a part shared by every unit and a neighbour part that depends only on
  // (adopted neighbours, degree), so survival = exp(-shared) * table[degree][count]: one exp per step
  // instead of one per unit. Clamping the shared part keeps probabilities in [0, 1] for bad drivers.
  const double shared = std::max(0.0, b_support_ * drivers.support + b_market_ * market);
  const double survive = std::exp(-shared);
  const double survive_re = std::exp(-readopt_ * shared);
  const double sustained = std::clamp((sustained_support_ + market) / 2.0, 0.0, 1.0);
  const double p_relapse = relapse_ * (1.0 - sustained);
  const double p_forced_relapse = forced_relapse_ * (1.0 - 0.5 * sustained);
  // With forced conversion off, a zero rate makes the forced branch unreachable without a second loop.
  const double forced = forced_enabled_ && drivers.forced_active ? forced_rate_ : 0.0;

  const std::uint64_t* offsets = network_.offsets().data();
  const std::uint32_t* counts = adopted_neighbours_.data();
  auto neighbour_survival = [&](const std::vector<double>& table, double scale, std::size_t u) {
    const std::uint32_t c = counts[u];
    if (c == 0) return 1.0;
    const auto d = static_cast<std::uint32_t>(offsets[u + 1] - offsets[u]);
    return d <= kTableDegree ? table[d * (d + 1) / 2 + c] : neighbour_factor(scale, c, d);
  };

  std::int64_t adopted = 0, forced_now = 0, relapsed_vol = 0, relapsed_forced = 0, readopted = 0;
  flipped_.clear();
  std::uint8_t* state = state_.data();
  const std::size_t n = state_.size();
  // Decisions read only the unit's own state and its adopted-neighbour count, and counts are updated
  // after the pass, so writing the new state in place still gives a synchronous update.
  for (std::size_t u = 0; u < n; ++u) {
    const double r = uniform_unit(rng);  // exactly one draw per unit, whatever its state
    switch (state[u]) {
      case kBaseline:
        if (r < forced) {
          state[u] = kForced;
          ++forced_now;
          flipped_.push_back(static_cast<std::uint32_t>(u));
        } else if (r < forced + (1.0 - forced) * (1.0 - survive * neighbour_survival(q_adopt_, b_neighbors_, u))) {
          state[u] = kAdopted;
          ++adopted;
          flipped_.push_back(static_cast<std::uint32_t>(u));
        }
        break;
      case kRelapsed:
        if (r < 1.0 - survive_re * neighbour_survival(q_readopt_, readopt_ * b_neighbors_, u)) {
          state[u] = kAdopted;
          ++readopted;
          flipped_.push_back(static_cast<std::uint32_t>(u));
        }
        break;
      case kAdopted:
        if (r < p_relapse) {
          state[u] = kRelapsed;
          ++relapsed_vol;
          flipped_.push_back(static_cast<std::uint32_t>(u));
        }
        break;
      default:  // kForced
        if (r < p_forced_relapse) {
          state[u] = kRelapsed;
          ++relapsed_forced;
          flipped_.push_back(static_cast<std::uint32_t>(u));
        }
        break;
    }
  }

  const std::uint64_t* off = offsets;
  const SmallWorldNetwork::Node* adj = network_.adjacency().data();
  std::uint32_t* cnt = adopted_neighbours_.data();
  for (std::uint32_t u : flipped_) {
    if (state[u] & 1u) {  // became adopted
      for (std::uint64_t i = off[u]; i < off[u + 1]; ++i) ++cnt[adj[i]];
    } else {
      for (std::uint64_t i = off[u]; i < off[u + 1]; ++i) --cnt[adj[i]];
    }
  }

  adopters_ += adopted + forced_now + readopted - relapsed_vol - relapsed_forced;
  forced_adopters_ += forced_now - relapsed_forced;
  relapsed_ += relapsed_vol + relapsed_forced - readopted;
  cumulative_adoptions_ += adopted + forced_now + readopted;
  cumulative_forced_ += forced_now;
  cumulative_voluntary_relapses_ += relapsed_vol;
  cumulative_forced_relapses_ += relapsed_forced;
}

std::size_t Population::memory_bytes() const {
  return network_.memory_bytes() + state_.capacity() * sizeof(std::uint8_t) +
         adopted_neighbours_.capacity() * sizeof(std::uint32_t) + flipped_.capacity() * sizeof(std::uint32_t) +
         (q_adopt_.capacity() + q_readopt_.capacity()) * sizeof(double);
}

}  // namespace p3sim
