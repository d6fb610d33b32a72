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

std::vector<double> Population::neighbour_table(double scale, std::uint32_t max_degree) {
  std::vector<double> table(static_cast<std::size_t>(max_degree + 1) * (max_degree + 2) / 2);
  for (std::uint32_t d = 0; d <= max_degree; ++d)
    for (std::uint32_t c = 0; c <= d; ++c)
      // Entry (d, 0) is exactly 1, so units without adopted neighbours need no special case.
      table[static_cast<std::size_t>(d) * (d + 1) / 2 + c] = d == 0 ? 1.0 : neighbour_factor(scale, c, d);
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
      forced_relapse_(p.forced_relapse),
      relapse_supported_(p.relapse_supported),
      forced_relapse_supported_(p.forced_relapse_supported) {
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
  require_unit_interval("relapse_supported", p.relapse_supported);
  require_unit_interval("forced_relapse_supported", p.forced_relapse_supported);

  network_ = SmallWorldNetwork(p.units, p.degree, p.rewire, setup_rng);
  const std::size_t n = network_.size();
  state_.assign(n, kBaseline);
  adopted_neighbours_.assign(n, 0);
  // One slot per unit: any number of units may flip in a step, and the step appends without checks.
  flipped_.assign(n, 0);
  std::uint32_t max_degree = 0;
  for (std::size_t u = 0; u < n; ++u)
    max_degree = std::max(max_degree, network_.degree(static_cast<SmallWorldNetwork::Node>(u)));
  table_degree_ = std::min(max_degree, kMaxTableDegree);
  q_adopt_ = neighbour_table(b_neighbors_, table_degree_);
  q_readopt_ = neighbour_table(readopt_ * b_neighbors_, table_degree_);

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
  const double sustained = std::clamp((sustained_support_ + market) / 2.0, 0.0, 1.0);
  // With forced conversion off, a zero rate makes the forced branch unreachable without a second loop.
  const double forced = forced_enabled_ && drivers.forced_active ? forced_rate_ : 0.0;

  // Every state's transition probability has the form a - b * neighbour_factor, indexed by state:
  //   baseline:  forced + (1 - forced) * (1 - exp(-H))  =  1 - (1 - forced) * exp(-shared) * q
  //   relapsed:  1 - exp(-readopt * H)                   =  1 - exp(-readopt * shared) * q_re
  //   adopted and forced adopted: relapse probabilities, b = 0.
  // Table lookups instead of a switch keep the loop free of unpredictable branches once states mix,
  // which measurably speeds it up.
  static_assert(kBaseline == 0 && kAdopted == 1 && kRelapsed == 2 && kForced == 3);
  const double a[4] = {1.0, relapse_ * (1.0 - sustained) + relapse_supported_ * sustained, 1.0,
                       forced_relapse_ * (1.0 - sustained) + forced_relapse_supported_ * sustained};
  const double b[4] = {(1.0 - forced) * std::exp(-shared), 0.0, std::exp(-readopt_ * shared), 0.0};
  const double* tables[4] = {q_adopt_.data(), q_adopt_.data(), q_readopt_.data(), q_adopt_.data()};
  const double scales[4] = {b_neighbors_, 0.0, readopt_ * b_neighbors_, 0.0};
  constexpr std::uint8_t next[4] = {kAdopted, kRelapsed, kAdopted, kRelapsed};

  const std::uint64_t* offsets = network_.offsets().data();
  const std::uint32_t* counts = adopted_neighbours_.data();
  std::uint8_t* state = state_.data();
  std::uint32_t* flipped = flipped_.data();
  const std::size_t n = state_.size();
  const std::uint32_t table_degree = table_degree_;
  std::size_t flips = 0;
  std::int64_t from[4] = {0, 0, 0, 0};  // transitions out of each state
  std::int64_t forced_now = 0;
  // Decisions read only the unit's own state and its adopted-neighbour count, and counts are updated
  // after the pass, so writing the new state in place still gives a synchronous update.
  for (std::size_t u = 0; u < n; ++u) {
    const double r = uniform_unit(rng);  // exactly one draw per unit, whatever its state
    const unsigned s = state[u] & 3u;
    const auto d = static_cast<std::uint32_t>(offsets[u + 1] - offsets[u]);
    const std::uint32_t c = counts[u];
    double q;
    if (d <= table_degree) [[likely]]
      q = tables[s][static_cast<std::size_t>(d) * (d + 1) / 2 + c];
    else
      q = b[s] == 0.0 ? 1.0 : neighbour_factor(scales[s], c, d);  // hubs beyond the table
    const bool by_force = s == kBaseline && r < forced;
    // a[0] - b[0] * q >= forced in exact arithmetic but not always after rounding, hence the `|`.
    const bool flip = by_force | (r < a[s] - b[s] * q);
    state[u] = flip ? static_cast<std::uint8_t>(next[s] | (by_force ? 2u : 0u)) : static_cast<std::uint8_t>(s);
    flipped[flips] = static_cast<std::uint32_t>(u);
    flips += flip;
    from[0] += flip & (s == kBaseline);
    from[1] += flip & (s == kAdopted);
    from[2] += flip & (s == kRelapsed);
    from[3] += flip & (s == kForced);
    forced_now += by_force;
  }
  const std::int64_t adopted = from[0] - forced_now, relapsed_vol = from[1], readopted = from[2],
                     relapsed_forced = from[3];

  const std::uint64_t* off = offsets;
  const SmallWorldNetwork::Node* adj = network_.adjacency().data();
  std::uint32_t* cnt = adopted_neighbours_.data();
  for (std::size_t i = 0; i < flips; ++i) {
    const std::uint32_t u = flipped[i];
    if (state[u] & 1u) {  // became adopted
      for (std::uint64_t e = off[u]; e < off[u + 1]; ++e) ++cnt[adj[e]];
    } else {
      for (std::uint64_t e = off[u]; e < off[u + 1]; ++e) --cnt[adj[e]];
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
