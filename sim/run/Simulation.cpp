#include "run/Simulation.hpp"

#include <boost/random/discrete_distribution.hpp>

#include "model/Agenda.hpp"
#include "model/Commitment.hpp"
#include "model/Effort.hpp"
#include "model/Governance.hpp"
#include "model/Lifecycle.hpp"
#include "model/Metrics.hpp"
#include "model/Population.hpp"
#include "model/Production.hpp"
#include "model/Shocks.hpp"
#include "model/Trust.hpp"

namespace p3sim {
namespace {

void initialize(const Scenario& sc, PartnershipState& s, Engine& rng, Engine& priors_rng) {
  const int n = sc.organization_count(), D = sc.dimensions(), C = sc.capability_count();
  s.n = n;
  s.dims = D;
  s.caps = C;
  s.gov = sc.governance;
  s.lead = sc.governance.lead;
  s.working_target = sc.goal.target;
  s.goal.resize(n, D);
  s.mandate.resize(n, D);
  s.capabilities.resize(n, C);
  s.incentives.resize(n, kChannels);
  s.culture.resize(n, 2);
  s.reliability.resize(n);
  s.hierarchy_pref.resize(n);
  s.coop_intercept.resize(n);
  s.coop_slope.resize(n);
  s.coop_peak.resize(n);
  s.participation_cost.resize(n);
  s.patience.resize(n);
  s.sector.resize(n);
  s.resources = Eigen::VectorXd::Zero(n);
  s.local.assign(static_cast<std::size_t>(n), 0);
  s.bridge.assign(static_cast<std::size_t>(n), 0);
  s.candidate.assign(static_cast<std::size_t>(n), 0);
  s.coop_type.assign(static_cast<std::size_t>(n), CooperationType::Conditional);
  s.disclosure.resize(n);
  s.champion.resize(n);
  for (int i = 0; i < n; ++i) {
    const Organization& o = sc.organizations[static_cast<std::size_t>(i)];
    const Sector& sector = sc.sectors[static_cast<std::size_t>(o.sector)];
    s.sector(i) = o.sector;
    for (int d = 0; d < D; ++d) {
      s.goal(i, d) = o.goal[static_cast<std::size_t>(d)];
      s.mandate(i, d) = sector.mandate[static_cast<std::size_t>(d)];
    }
    for (int c = 0; c < C; ++c) {
      s.capabilities(i, c) = o.capabilities[static_cast<std::size_t>(c)];
      s.resources(i) += o.capabilities[static_cast<std::size_t>(c)] / sc.capabilities[static_cast<std::size_t>(c)].need;
    }
    for (int ch = 0; ch < kChannels; ++ch) s.incentives(i, ch) = o.incentives[static_cast<std::size_t>(ch)];
    s.culture(i, 0) = o.culture[0];
    s.culture(i, 1) = o.culture[1];
    s.reliability(i) = o.reliability;
    s.hierarchy_pref(i) = o.hierarchy_preference;
    s.participation_cost(i) = o.participation_cost;
    s.patience(i) = o.patience;
    s.local[static_cast<std::size_t>(i)] = o.local;
    s.bridge[static_cast<std::size_t>(i)] = o.bridge;
    s.candidate[static_cast<std::size_t>(i)] = o.candidate || i == sc.governance.lead;
    s.disclosure(i) = o.disclosure;
    s.champion(i) = o.champion;
    // Cooperation type: given, or drawn from the sector's mix (always one draw per organization,
    // so that giving one organization's type does not shift the others' draws).
    // A mix without hump-shaped contributors draws from the first three types only, as before that
    // type existed, so that older scenarios keep their draws.
    const auto& shares = sector.cooperation_mix;
    const auto types_drawn = shares[static_cast<std::size_t>(CooperationType::HumpShaped)] > 0 ? shares.size() : 3;
    boost::random::discrete_distribution<int> mix(shares.begin(), shares.begin() + static_cast<std::ptrdiff_t>(types_drawn));
    const int drawn = mix(rng);
    const CooperationType type = o.cooperation.value_or(static_cast<CooperationType>(drawn));
    s.coop_type[static_cast<std::size_t>(i)] = type;
    const CooperationRule rule = type == CooperationType::Explicit ? o.cooperation_rule
                                                                   : sc.effort.types[static_cast<std::size_t>(type)];
    s.coop_intercept(i) = rule.intercept;
    s.coop_slope(i) = rule.slope;
    s.coop_peak(i) = rule.peak;
  }
  s.initial_disclosure = s.disclosure;
  s.member.assign(static_cast<std::size_t>(n), 0);
  s.exited.assign(static_cast<std::size_t>(n), 0);
  s.joined_step = Eigen::VectorXi::Constant(n, -1);
  s.exit_step = Eigen::VectorXi::Constant(n, -1);
  s.exit_cause = Eigen::VectorXi::Zero(n);
  s.low_steps = Eigen::VectorXi::Zero(n);
  s.shift = Eigen::MatrixXd::Zero(n, D);
  s.stated = Eigen::MatrixXd::Zero(n, D);
  s.agenda = Eigen::VectorXd::Zero(D);
  s.alpha = Eigen::VectorXd::Zero(n);
  s.group_of = Eigen::VectorXi::Constant(n, -1);
  for (Eigen::VectorXd* v : {&s.pledge, &s.effort, &s.delivered, &s.friction, &s.friction_hierarchy,
                             &s.friction_credit, &s.friction_overhead, &s.sanction, &s.contribution_share,
                             &s.credit_share, &s.credit_gap, &s.value, &s.cost, &s.value_total, &s.cost_total,
                             &s.effort_sum, &s.shock_pressure, &s.belief_reference, &s.own_output,
                             &s.punishment_given, &s.punishment_received, &s.punishment_seen})
    *v = Eigen::VectorXd::Zero(n);
  s.effort_steps = Eigen::VectorXi::Zero(n);
  s.delivered_capability = Eigen::VectorXd::Zero(C);
  initialize_trust(sc, s, priors_rng);
  refresh_stated_positions(s);
  update_agenda(sc, s);
  apply_backbone_capacity(s);
}

}  // namespace

Simulation::Simulation(const Scenario& scenario, std::uint64_t seed, std::optional<int> steps)
    : scenario_(scenario), steps_(steps.value_or(scenario.steps)), rng_(seed) {
  initialize(scenario_, state_, rng_[Stream::Setup], rng_[Stream::Priors]);
  if (scenario_.population.enabled)
    population_ = std::make_unique<Population>(scenario_.population, rng_[Stream::Population]);
  result_.allocate(steps_, scenario_.sector_count(), scenario_.organization_count(), scenario_.dimensions());
  result_.seed = seed;
  state_.events = &result_.events;
  record();
}

Simulation::~Simulation() = default;

// The step of MODEL.md section 1: nine phases in a fixed order.
void Simulation::step() {
  ++state_.step;
  lifecycle();
  shocks();
  communicate();
  decide();
  produce();
  population();
  observe();
  commit();
  record();
}

void Simulation::lifecycle() { advance_lifecycle(scenario_, state_, rng_[Stream::Lifecycle]); }
void Simulation::shocks() { apply_shocks(scenario_, state_, rng_[Stream::Shocks]); }
void Simulation::communicate() {
  organize_working_groups(scenario_, state_, rng_[Stream::Communicate]);
  p3sim::communicate(scenario_, state_, rng_[Stream::Communicate]);
}
void Simulation::decide() { p3sim::decide(scenario_, state_, rng_[Stream::Decide]); }
void Simulation::produce() { p3sim::produce(scenario_, state_); }
void Simulation::population() {
  if (population_) {
    const bool forced = scenario_.population.forced && state_.step >= scenario_.population.forced_start;
    population_->step(Population::Drivers{state_.support, state_.market, forced}, rng_[Stream::Population]);
  }
  state_.outcome = scenario_.goal.metric == GoalMetric::Adopters && population_
                       ? static_cast<double>(population_->adopters())
                       : state_.output;
}
void Simulation::observe() {
  p3sim::observe(scenario_, state_, rng_[Stream::Observe]);
  apply_sanctions(scenario_, state_, rng_[Stream::Observe]);
  apply_punishment(scenario_, state_, rng_[Stream::Observe]);
}
void Simulation::commit() { p3sim::commit(scenario_, state_); }
void Simulation::record() {
  if (state_.goal_step < 0 && state_.step > 0 && state_.outcome >= scenario_.goal.target) {
    state_.goal_step = state_.step;
    state_.emit(EventKind::GoalReached, -1, Cause::None, state_.outcome);
  }
  record_step(scenario_, state_, population_.get(), result_);
}

RunResult& Simulation::run() {
  while (state_.step < steps_) step();
  if (!finished_) {
    record_final(scenario_, state_, population_.get(), result_);
    result_.status = RunStatus::Done;
    finished_ = true;
  }
  return result_;
}

RunResult run_once(const Scenario& scenario, std::uint64_t seed, std::optional<int> steps) {
  Simulation sim(scenario, seed, steps);
  return std::move(sim.run());
}

}  // namespace p3sim
