#pragma once
// PartnershipState: the mutable state of one run, shared by the phase functions of the step.
//
// Organization state is stored as columns (one Eigen vector or matrix per quantity, one row per
// organization) so that the arithmetic of trust, agenda and production is vector arithmetic. The
// Simulation owns one PartnershipState; each phase function in model/ reads and writes it and draws
// from the random stream it is handed.
#include <array>
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "result/RunResult.hpp"
#include "scenario/Scenario.hpp"

namespace p3sim {

/// Phases of the partnership lifecycle (MODEL.md section 5).
enum class Phase : std::uint8_t { NotStarted, Scope, Solicit, Interim, Agree, Execute, Scale };

/// A constellation working group.
struct WorkingGroup {
  std::vector<int> members;
  Eigen::VectorXd agenda;  ///< mean stated position of its members
  int formed_step = 0;
};

struct PartnershipState {
  // --- time and structure --------------------------------------------------------------------
  int step = 0;  ///< current step; advanced only by Simulation::step
  Phase phase = Phase::NotStarted;
  int execute_from = 0;       ///< first step of the execute phase (pledges are made then)
  bool scaled = false;        ///< whether the scale phase has been entered
  bool meeting = false;       ///< a full meeting (first or second) takes place this step
  double working_target = 1;  ///< goal target, raised by scaling
  GovernanceParams gov;       ///< current governance (a policy reversal may change it)
  double coordination = 0;    ///< effective coordination after backbone capacity
  double transparency = 0;    ///< effective transparency after backbone capacity
  int lead = 0;
  int n = 0, dims = 0, caps = 0;

  // --- organization attributes (from the scenario; shocks may change some) -------------------
  Eigen::MatrixXd goal;          ///< n x D, true goals g_i
  Eigen::MatrixXd mandate;       ///< n x D, positions q_i expected of each sector
  Eigen::MatrixXd capabilities;  ///< n x C, k_ic
  Eigen::MatrixXd incentives;    ///< n x 4, w_i (rows sum 1)
  Eigen::MatrixXd culture;       ///< n x 2, x_i
  Eigen::VectorXd reliability, hierarchy_pref, coop_intercept, coop_slope, coop_peak, participation_cost;
  Eigen::VectorXi patience, sector;
  std::vector<std::uint8_t> local, bridge, candidate;
  std::vector<CooperationType> coop_type;
  Eigen::VectorXd resources;  ///< sum_c k_ic / need_c: an organization's weight in the partnership

  // --- membership ------------------------------------------------------------------------------
  std::vector<std::uint8_t> member, exited;
  Eigen::VectorXi joined_step, exit_step, exit_cause, low_steps;
  int max_members = 0;
  std::array<int, 6> exits_by_cause{};

  // --- agenda ----------------------------------------------------------------------------------
  Eigen::VectorXd disclosure;  ///< d_i
  Eigen::VectorXd initial_disclosure;
  Eigen::MatrixXd shift;   ///< n x D: displacement of the stated position won or lost in meetings
  Eigen::MatrixXd stated;  ///< n x D: stated positions p_i
  Eigen::VectorXd agenda;  ///< partnership agenda A (size D)
  Eigen::VectorXd alpha;   ///< true alignment alpha_i
  std::vector<std::pair<int, int>> misunderstood;  ///< pairs that misunderstood each other this step
  int misunderstandings = 0;

  // --- groups (constellation) ------------------------------------------------------------------
  std::vector<WorkingGroup> groups;
  Eigen::VectorXi group_of;  ///< group index or -1
  int next_group_formation = 0;

  // --- trust -----------------------------------------------------------------------------------
  Eigen::MatrixXd trust;  ///< T_ij: i's expectation that j delivers
  Eigen::MatrixXd prior;  ///< sector-pair prior plus prehistory
  Eigen::VectorXd belief; ///< B_i
  Eigen::VectorXd belief_reference;  ///< B_i when i's pledge was made: distrust is a fall from it

  // --- effort and production -------------------------------------------------------------------
  Eigen::VectorXd pledge;     ///< pledged fraction of each capability
  Eigen::VectorXd effort;     ///< intended effort e_i this step
  Eigen::VectorXd delivered;  ///< delivered effort this step (0 when not delivered)
  Eigen::VectorXd friction, friction_hierarchy, friction_credit, friction_overhead;
  Eigen::VectorXd sanction;  ///< sanction pressure added to the intercept
  Eigen::VectorXd punishment_given, punishment_received;  ///< peer punishment points this step
  Eigen::VectorXd punishment_seen;  ///< how sure each member is that shortfalls get punished, [0,1]
  Eigen::VectorXd contribution_share, credit_share, credit_gap;
  Eigen::VectorXd champion;
  Eigen::VectorXd value, cost;          ///< this step, in champion units
  Eigen::VectorXd value_total, cost_total;
  Eigen::VectorXd effort_sum;
  Eigen::VectorXi effort_steps;
  Eigen::VectorXd shock_pressure;  ///< recent shock severity felt by each organization
  Eigen::VectorXd delivered_capability;  ///< X_c
  Eigen::VectorXd own_output;            ///< isolated mode: each organization's own output this step
  double dq = 0;        ///< output this step
  double output = 0;    ///< cumulative output Q
  double support = 0;   ///< support reaching the population this step
  double market = 0;    ///< market access of the population this step
  double support_level = 1;  ///< security incidents lower it; recovers
  double market_level = 1;   ///< market shocks lower it; recovers
  double support_recovery = 0.1, market_recovery = 0.1;
  double overhead_paid = 0;     ///< this step, capability units
  double cumulative_cost = 0;   ///< capability units
  double outcome = 0;
  int goal_step = -1;

  std::vector<Event>* events = nullptr;  ///< where events are appended (the run's result)

  void emit(EventKind kind, int org, Cause cause, double value_) {
    events->push_back(Event{step, org, kind, cause, value_});
  }
  bool is_member(int i) const { return member[static_cast<std::size_t>(i)] != 0; }
  std::vector<int> members() const {
    std::vector<int> m;
    for (int i = 0; i < n; ++i)
      if (member[static_cast<std::size_t>(i)]) m.push_back(i);
    return m;
  }
  bool executing() const { return phase == Phase::Execute || phase == Phase::Scale; }
};

}  // namespace p3sim
