#pragma once
// RunResult: everything one run produces, in the shapes of the HDF5 layout (docs/hdf5.md).
// The Simulation fills it through its recorder; the HDF5 writer copies it into row `run` of each
// dataset. Names of metrics and fields are part of the output contract (MODEL.md section 11).
#include <cstdint>
#include <string>
#include <vector>

namespace p3sim {

/// Per-step metrics, dataset /series/<name> [run, step].
inline constexpr const char* kSeriesMetrics[] = {
    "outcome", "adopters", "members", "effort", "trust", "cross_trust", "agenda_spread",
    "friction", "misunderstandings", "overhead", "cumulative_cost", "replanted_voluntary", "replanted_forced",
    "zero_effort", "punishment"};
inline constexpr int kSeriesCount = sizeof(kSeriesMetrics) / sizeof(kSeriesMetrics[0]);
enum SeriesIndex : int {
  kSOutcome, kSAdopters, kSMembers, kSEffort, kSTrust, kSCrossTrust, kSAgendaSpread,
  kSFriction, kSMisunderstandings, kSOverhead, kSCumulativeCost, kSReplantedVoluntary, kSReplantedForced,
  kSZeroEffort, kSPunishment
};

/// Per-step metrics by sector, dataset /series_by_sector/<name> [run, step, sector].
inline constexpr const char* kSectorSeriesMetrics[] = {"members", "effort"};
inline constexpr int kSectorSeriesCount = 2;

/// Per-run metrics, dataset /final/<name> [run].
inline constexpr const char* kFinalMetrics[] = {
    "goal_reached", "time_to_goal", "outcome", "adopters", "relapsed", "retention",
    "exits_hierarchy", "exits_misalignment", "exits_distrust", "exits_no_results", "exits_credit",
    "exits_shock", "cost_total", "cost_per_outcome", "mean_trust", "cross_trust", "equity",
    "acceptability", "acceptability_sd", "replanted_voluntary", "replanted_forced"};
inline constexpr int kFinalCount = sizeof(kFinalMetrics) / sizeof(kFinalMetrics[0]);
enum FinalIndex : int {
  kFGoalReached, kFTimeToGoal, kFOutcome, kFAdopters, kFRelapsed, kFRetention, kFExitsHierarchy,
  kFExitsMisalignment, kFExitsDistrust, kFExitsNoResults, kFExitsCredit, kFExitsShock, kFCostTotal,
  kFCostPerOutcome, kFMeanTrust, kFCrossTrust, kFEquity, kFAcceptability, kFAcceptabilitySd,
  kFReplantedVoluntary, kFReplantedForced
};

/// Per-organization scalar fields, dataset /org_final/<name> [run, org].
inline constexpr const char* kOrgFields[] = {"member", "joined_step", "exit_step", "exit_cause",
                                             "mean_effort", "alignment", "belief", "champion"};
inline constexpr int kOrgFieldCount = sizeof(kOrgFields) / sizeof(kOrgFields[0]);
enum OrgFieldIndex : int {
  kOMember, kOJoinedStep, kOExitStep, kOExitCause, kOMeanEffort, kOAlignment, kOBelief, kOChampion
};
/// Per-organization vector fields, dataset /org_final/<name> [run, org, dim].
inline constexpr const char* kOrgVectorFields[] = {"stated_position", "goal"};
inline constexpr int kOrgVectorFieldCount = 2;

/// Event kinds (MODEL.md section 11). Stored as int8 codes; the names are an attribute.
enum class EventKind : std::int8_t {
  Join, Exit, Phase, Shock, GroupFormed, GroupDissolved, MisunderstandingBurst, GoalReached
};
inline constexpr const char* kEventKindNames[] = {"join", "exit", "phase", "shock", "group_formed",
                                                  "group_dissolved", "misunderstanding_burst",
                                                  "goal_reached"};

/// Causes: exit causes first (their order is that of the exits_* metrics), then phase names,
/// shock kinds and other reasons. Stored as int8 codes; the names are an attribute.
enum class Cause : std::int8_t {
  None, Hierarchy, Misalignment, Distrust, NoResults, Credit, Shock,
  Scope, Solicit, Interim, Agree, Execute, Scale, MissingVoice,
  FundingCut, LeadershipTurnover, PolicyReversal, SecurityIncident, MarketShock, MemberEntry,
  Invited, LowCohesion, Formed
};
inline constexpr const char* kCauseNames[] = {
    "none", "hierarchy", "misalignment", "distrust", "no_results", "credit", "shock",
    "scope", "solicit", "interim", "agree", "execute", "scale", "missing_voice",
    "funding_cut", "leadership_turnover", "policy_reversal", "security_incident", "market_shock",
    "member_entry", "invited", "low_cohesion", "formed"};
inline constexpr int kCauseCount = sizeof(kCauseNames) / sizeof(kCauseNames[0]);

/// One row of /events. org is -1 when the event concerns the whole partnership.
struct Event {
  std::int32_t step = 0;
  std::int32_t org = -1;
  EventKind kind = EventKind::Phase;
  Cause cause = Cause::None;
  double value = 0;
};

/// Status codes of /runs/status.
enum class RunStatus : std::int8_t { Pending = 0, Done = 1, Failed = 2 };

/// The complete output of one run.
struct RunResult {
  std::uint64_t seed = 0;
  RunStatus status = RunStatus::Pending;
  std::string message;  ///< error text when status is Failed
  int steps = 0;        ///< number of simulated steps; series have steps + 1 entries (step 0 = initial)
  int sectors = 0;
  int orgs = 0;
  int dims = 0;
  /// series[m * (steps + 1) + t] for metric m of kSeriesMetrics.
  std::vector<double> series;
  /// sector_series[(m * (steps + 1) + t) * sectors + s] for metric m of kSectorSeriesMetrics.
  std::vector<double> sector_series;
  /// final_metrics[m] for m of kFinalMetrics.
  std::vector<double> final_metrics;
  /// org_fields[f * orgs + i] for field f of kOrgFields.
  std::vector<double> org_fields;
  /// org_vectors[(f * orgs + i) * dims + d] for field f of kOrgVectorFields.
  std::vector<double> org_vectors;
  std::vector<Event> events;

  /// Allocates every array for the given shape, filled with zeros.
  void allocate(int steps_, int sectors_, int orgs_, int dims_) {
    steps = steps_; sectors = sectors_; orgs = orgs_; dims = dims_;
    series.assign(static_cast<std::size_t>(kSeriesCount) * (steps + 1), 0.0);
    sector_series.assign(static_cast<std::size_t>(kSectorSeriesCount) * (steps + 1) * sectors, 0.0);
    final_metrics.assign(kFinalCount, 0.0);
    org_fields.assign(static_cast<std::size_t>(kOrgFieldCount) * orgs, 0.0);
    org_vectors.assign(static_cast<std::size_t>(kOrgVectorFieldCount) * orgs * dims, 0.0);
    events.clear();
  }
  double& at_series(int m, int t) { return series[static_cast<std::size_t>(m) * (steps + 1) + t]; }
  double at_series(int m, int t) const { return series[static_cast<std::size_t>(m) * (steps + 1) + t]; }
  double& at_sector(int m, int t, int s) {
    return sector_series[(static_cast<std::size_t>(m) * (steps + 1) + t) * sectors + s];
  }
  double& at_org(int f, int i) { return org_fields[static_cast<std::size_t>(f) * orgs + i]; }
  double& at_org_vector(int f, int i, int d) {
    return org_vectors[(static_cast<std::size_t>(f) * orgs + i) * dims + d];
  }
};

}  // namespace p3sim
