#pragma once
// Population: the target population's adoption dynamics (MODEL.md section 8).
//
// Units (households, farmers, schools, regions) sit on a small-world contact network. Each is in
// one of three states, baseline, adopted or relapsed, and an adopted unit remembers whether it got
// there voluntarily or through forced conversion, because the two paths relapse at different rates and
// must be comparable within one scenario. Every step is one synchronous update: all decisions read the
// state at the start of the step.
//
// Cost: the step makes one pass over the units (state, adopted-neighbour count, one random draw each)
// and then touches the neighbours of the units that changed, so a step costs
// O(units + changes * degree), not O(edges). The adopted-neighbour counts are kept up to date
// incrementally for that reason.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/SmallWorldNetwork.hpp"
#include "random/RandomStreams.hpp"
#include "scenario/Scenario.hpp"

namespace p3sim {

/// State of one unit. Bit 0 set means currently adopted (voluntarily or forced).
enum class UnitState : std::uint8_t {
  Baseline = 0,       ///< never adopted
  Adopted = 1,        ///< adopted voluntarily (includes initial adopters and re-adopters)
  Relapsed = 2,       ///< adopted once, then relapsed; may adopt again at the readopt-scaled hazard
  ForcedAdopted = 3,  ///< converted by the forced path
};

/// The target population: network, per-unit state and the per-step transition rule.
class Population {
 public:
  /// What drives one step, supplied by the caller (the population phase of the simulation).
  struct Drivers {
    /// Support reaching the population this step (payments, training, community trust), >= 0 in
    /// output units per step; must be finite.
    double support = 0;
    /// Market access level M this step, typically in [0, 1], already including market_base; must be
    /// finite.
    double market = 0;
    /// True when forced conversion runs this step (the caller applies forced_start); ignored unless
    /// PopulationParams::forced is set.
    bool forced_active = false;
  };

  /// Builds the network and seeds the initial adopters.
  ///
  /// Draws, in this order, from `setup_rng`: the Watts-Strogatz network (units, degree, rewire), then
  /// exactly round(initial_adopters * units) voluntary adopters chosen uniformly without replacement.
  /// Sustained support starts at 0 (no support before the partnership). Only the fields that describe
  /// the population are read; `enabled` and `unit_label` are ignored.
  ///
  /// @param params     population parameters (units 0 .. 2^32-1; rates and shares in [0, 1];
  ///                   b_support, b_neighbors, b_market and readopt finite and >= 0)
  /// @param setup_rng  engine for network construction and seeding; advanced
  /// @throws std::invalid_argument if a parameter is outside the ranges above
  Population(const PopulationParams& params, Engine& setup_rng);

  /// Advances one step.
  ///
  /// First sustained support S_bar = (1 - m) * S_bar + m * support with m = support_memory, and
  /// M = drivers.market. Then, with H(u) = b_support * support + b_neighbors * share(u) + b_market * M
  /// (share(u) = adopted neighbours / degree, 0 for isolated units; the support and market terms
  /// together are clamped at >= 0, which only matters for negative drivers) and
  /// x = clamp((S_bar + M) / 2, 0, 1), each unit moves with these probabilities, all read from the
  /// state at the start of the step:
  ///   - baseline -> adopted: 1 - exp(-H(u));
  ///   - relapsed -> adopted: 1 - exp(-readopt * H(u));
  ///   - adopted -> relapsed: relapse * (1 - x) + relapse_supported * x;
  ///   - forced adopted -> relapsed: forced_relapse * (1 - x) + forced_relapse_supported * x;
  ///   - when forced conversion is on (params.forced and drivers.forced_active), a baseline unit is
  ///     first converted to forced adopted with probability forced_rate, and only if not converted
  ///     faces the voluntary hazard above.
  /// Each unit consumes exactly one uniform draw per step whatever its state, so runs that differ
  /// only in drivers or rates stay coupled unit by unit (common random numbers).
  ///
  /// @param drivers  this step's support, market and forced switch
  /// @param rng      the population stream's engine; advanced by units() draws
  /// @throws std::invalid_argument if drivers.support or drivers.market is not finite (nothing changes)
  void step(const Drivers& drivers, Engine& rng);

  /// Number of units.
  std::int64_t units() const { return static_cast<std::int64_t>(state_.size()); }
  /// Units currently adopted, voluntary plus forced, in [0, units()].
  std::int64_t adopters() const { return adopters_; }
  /// Units currently adopted through the forced path, in [0, adopters()].
  std::int64_t forced_adopters() const { return forced_adopters_; }
  /// Units currently in the relapsed state, in [0, units()].
  std::int64_t relapsed() const { return relapsed_; }
  /// Units still in the baseline state: units() - adopters() - relapsed().
  std::int64_t baseline() const { return units() - adopters_ - relapsed_; }
  /// Units seeded as adopters at construction (not counted in cumulative_adoptions()).
  std::int64_t initial_adopters() const { return initial_adopters_; }
  /// Adoption events (voluntary and forced, including re-adoptions) over all steps so far; >= 0.
  std::int64_t cumulative_adoptions() const { return cumulative_adoptions_; }
  /// Relapse events, voluntary plus forced, over all steps so far; >= 0.
  std::int64_t cumulative_relapses() const {
    return cumulative_voluntary_relapses_ + cumulative_forced_relapses_;
  }
  /// Forced conversions over all steps so far (a subset of cumulative_adoptions()); >= 0.
  std::int64_t cumulative_forced() const { return cumulative_forced_; }
  /// Relapses of forced adopters over all steps so far; >= 0.
  std::int64_t cumulative_forced_relapses() const { return cumulative_forced_relapses_; }
  /// Relapses of voluntary adopters (including initial adopters) over all steps so far; >= 0.
  std::int64_t cumulative_voluntary_relapses() const { return cumulative_voluntary_relapses_; }
  /// Sustained support S_bar after the last step (0 before the first), in support units.
  double sustained_support() const { return sustained_support_; }

  /// State of unit u; u must be < units() (unchecked).
  UnitState state(std::size_t u) const { return static_cast<UnitState>(state_[u]); }
  /// Number of currently adopted neighbours of unit u; u must be < units() (unchecked).
  std::uint32_t adopted_neighbours(std::size_t u) const { return adopted_neighbours_[u]; }
  /// The contact network.
  const SmallWorldNetwork& network() const { return network_; }

  /// Bytes held by the network, the per-unit arrays and the step buffers (capacity).
  std::size_t memory_bytes() const;

 private:
  // Tabulated neighbour factors exp(-scale * c / d), indexed [d*(d+1)/2 + c], for degrees up to the
  // network's largest degree, capped so each table stays within a few hundred KB (L2-resident).
  static constexpr std::uint32_t kMaxTableDegree = 256;
  static std::vector<double> neighbour_table(double scale, std::uint32_t max_degree);

  SmallWorldNetwork network_;
  std::vector<std::uint8_t> state_;                // UnitState per unit
  std::vector<std::uint32_t> adopted_neighbours_;  // incrementally maintained
  // Units whose adopted status changed this step; sized units() so the step can append without a
  // branch or a capacity check.
  std::vector<std::uint32_t> flipped_;

  // Parameters used in the step (copied so the Scenario need not outlive the population).
  double b_support_, b_neighbors_, b_market_, relapse_, readopt_, memory_;
  bool forced_enabled_;
  double forced_rate_, forced_relapse_, relapse_supported_, forced_relapse_supported_;
  std::uint32_t table_degree_ = 0;
  std::vector<double> q_adopt_;    // neighbour factor of the adoption survival probability
  std::vector<double> q_readopt_;  // the same with the hazard scaled by readopt

  double sustained_support_ = 0;
  std::int64_t adopters_ = 0, forced_adopters_ = 0, relapsed_ = 0, initial_adopters_ = 0;
  std::int64_t cumulative_adoptions_ = 0, cumulative_forced_ = 0;
  std::int64_t cumulative_forced_relapses_ = 0, cumulative_voluntary_relapses_ = 0;
};

}  // namespace p3sim
