#pragma once
// Simulation: one run of one scenario (MODEL.md section 1).
//
// Holds a const reference to a validated Scenario (description) and owns all mutable state
// (execution). step() applies the nine phases in their fixed order; the step counter advances
// only there. Each phase draws from its own named random stream.
#include <memory>
#include <optional>

#include "model/PartnershipState.hpp"
#include "random/RandomStreams.hpp"
#include "result/RunResult.hpp"
#include "scenario/Scenario.hpp"

namespace p3sim {

class Population;

class Simulation {
 public:
  /// Prepares the run: organizations from the scenario, cooperation types drawn from the sector
  /// mixes, initial trust, the population network; records step 0. `steps` overrides the
  /// scenario's step count when given. The scenario must outlive the simulation.
  Simulation(const Scenario& scenario, std::uint64_t seed, std::optional<int> steps = std::nullopt);
  /// A temporary scenario would dangle: the simulation keeps a reference.
  Simulation(Scenario&&, std::uint64_t, std::optional<int> = std::nullopt) = delete;
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Advances one step: the nine phases of MODEL.md section 1, then the step is recorded.
  void step();
  /// Runs every remaining step and fills the final metrics; returns the result.
  RunResult& run();

  int current_step() const { return state_.step; }
  int total_steps() const { return steps_; }
  const PartnershipState& state() const { return state_; }
  const RunResult& result() const { return result_; }
  const Population* target_population() const { return population_.get(); }

 private:
  void lifecycle();
  void shocks();
  void communicate();
  void decide();
  void produce();
  void population();
  void observe();
  void commit();
  void record();

  const Scenario& scenario_;
  int steps_;
  RandomStreams rng_;
  PartnershipState state_;
  std::unique_ptr<Population> population_;
  RunResult result_;
  bool finished_ = false;
};

/// Convenience: one complete run.
RunResult run_once(const Scenario& scenario, std::uint64_t seed, std::optional<int> steps = std::nullopt);

}  // namespace p3sim
