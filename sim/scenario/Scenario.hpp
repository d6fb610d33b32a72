#pragma once
// Scenario: the validated, fully resolved description of one partnership.
//
// A Scenario is built once by ScenarioLoader from a JSON document that has passed validation; every
// default is filled in (from the schema, the sector profiles and the governance presets), every name
// is resolved to an index, and from then on the simulation trusts it without further checks.
// It is immutable and cheap to share between runs (Simulation holds a const reference).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace p3sim {

/// The four value channels of an organization's incentives (MODEL.md section 2), in this order.
enum Channel : int { kImpact = 0, kRevenue = 1, kMandate = 2, kVisibility = 3 };
inline constexpr int kChannels = 4;
inline constexpr const char* kChannelNames[kChannels] = {"impact", "revenue", "mandate", "visibility"};

enum class GovernanceMode : std::uint8_t { Isolated, Constellation, Backbone, Hierarchy, Network };
enum class AgendaDynamics : std::uint8_t { Deffuant, HegselmannKrause };
enum class CooperationType : std::uint8_t { Conditional, FreeRider, Unconditional, HumpShaped, Explicit };
/// The named cooperation types (all but Explicit), the order of Sector::cooperation_mix.
inline constexpr int kCooperationTypes = 4;
/// How a capability reaches the population (MODEL.md section 8).
enum class SupportChannel : std::uint8_t { Payments, Training, Buyers, CommunityTrust, None };
enum class ShockKind : std::uint8_t {
  FundingCut, LeadershipTurnover, PolicyReversal, SecurityIncident, MarketShock, MemberEntry
};

const char* to_string(GovernanceMode mode);
const char* to_string(ShockKind kind);
const char* to_string(CooperationType type);

/// The contribution rule of a cooperation type (docs/model.md, effort): the response to belief B is
/// intercept + slope * B up to `peak`, falling with the same slope beyond it (hump-shaped types);
/// a negative intercept is a threshold below which nothing is given.
struct CooperationRule {
  double intercept = 0.1;  ///< response at belief 0, [-1,1]
  double slope = 0.9;      ///< extra effort per unit of belief, [0,2]
  double peak = 1.0;       ///< belief at which the response turns down, [0,1]; 1: never
};

/// A sector's profile; organizations of the sector default to these values.
struct Sector {
  std::string name;
  std::array<double, kChannels> incentives{};  ///< normalized to sum 1
  std::vector<double> mandate;                 ///< public position q, size D
  double disclosure = 0;
  double hierarchy_preference = 0;
  double reliability = 0;
  std::array<double, kCooperationTypes> cooperation_mix{};  ///< shares by CooperationType order; sum 1
  double champion = 0;
  std::array<double, 2> culture{};
  bool local = false;
  int patience = 1;
  double participation_cost = 0;
};

/// One organization with every field resolved.
struct Organization {
  std::string name;
  int sector = 0;                              ///< index into Scenario::sectors
  std::array<double, kChannels> incentives{};  ///< normalized to sum 1
  std::vector<double> goal;                    ///< true goal g_i, size D, in [0,1]
  double disclosure = 0;                       ///< d_i in [0,1]
  double hierarchy_preference = 0;             ///< h_i in [0,1]
  std::vector<double> capabilities;            ///< k_i, one amount per capability type
  double reliability = 1;                      ///< rho_i in [0,1]
  /// Cooperation type; when unset it is drawn from the sector mix at the start of each run.
  std::optional<CooperationType> cooperation;
  CooperationRule cooperation_rule;  ///< used when cooperation == Explicit
  double champion = 0.5;             ///< c_i in [0,1]
  std::array<double, 2> culture{};   ///< x_i in [0,1]^2
  bool bridge = false;
  bool local = false;
  int patience = 6;  ///< steps
  double participation_cost = 0.1;
  std::vector<std::pair<int, double>> prehistory;  ///< (other organization, trust change)
  bool candidate = true;                           ///< false: never invited (a missing voice)
  int available_from = 0;                          ///< first step it can be invited
};

/// A capability type and the need the partnership has for it.
struct Capability {
  std::string name;
  double need = 1;    ///< units per step that meet the need
  double weight = 1;  ///< CES weight, normalized over capabilities
  SupportChannel channel = SupportChannel::None;
};

struct AgendaParams {
  std::vector<std::string> dimensions;  ///< labels; D = size
  AgendaDynamics dynamics = AgendaDynamics::Deffuant;
  double epsilon = 0.3, mu = 0.3;
  double internalization = 0;  ///< share of a meeting's move that becomes the member's own goal
  /// Who meets whom in agenda rounds: undirected ties between organization indices, each pair once
  /// with first < second, in file order. Empty: every pair of members may meet.
  std::vector<std::pair<int, int>> meeting_ties;
  int meeting_rounds = 5, rounds_per_step = 1;
  double disclosure_gain = 0.1, misunderstanding_rate = 0.3, bridge_effect = 0.6, misread = 0.2;
  int burst_threshold = 3;
};

struct TrustParams {
  double gain = 0.25, loss = 0.5, sigma_obs = 0.2, gossip = 0.2, decay = 0.05, prior_noise = 0.05;
  double interim_gain = 0.1;
  /// priors[a][b]: prior trust of sector a in sector b (default_prior where not given).
  std::vector<std::vector<double>> priors;
};

struct ProductionParams {
  double productivity = 1, complementarity = -0.5, outsider_legitimacy = 0.4;
};

struct EffortParams {
  double phi_h = 1, phi_c = 0.5, sanction_norm = 0.5, sanction_decay = 0.2;
  int levels = 0;  ///< contributions in steps of 1/levels (a laboratory's tokens); 0: continuous
  std::array<CooperationRule, kCooperationTypes> types{};  ///< by CooperationType order
};

/// Costly peer punishment after contributions are seen (docs/model.md, punishment). A member
/// punishes a partner it sees giving less than itself and less than the partner's group norm (the
/// mean of the others' contributions); rate 0 turns it off.
struct PunishmentParams {
  double rate = 0;       ///< punishment points per unit of shortfall below the norm
  double tolerance = 0;  ///< shortfall tolerated before anyone punishes
  double cost = 1;       ///< cost to the punisher per point (effort units)
  double impact = 3;     ///< loss of the punished per point (effort units)
  double response = 0.1; ///< sanction pressure gained per unit of loss suffered
  double anticipation = 1;  ///< weight of the expected punishment in the effort decision, [0,1]
  bool enabled() const { return rate > 0; }
};

/// The columns of the governance table (MODEL.md section 7), resolved from the mode preset and the
/// scenario's overrides.
struct GovernanceParams {
  GovernanceMode mode = GovernanceMode::Backbone;
  int lead = 0;       ///< organization index
  int backbone = -1;  ///< organization index in backbone mode, else -1
  double backbone_capacity = 1e6, bottleneck = 0.6;
  double hierarchy = 0, coordination = 0, transparency = 0, communication = 0, overhead = 0, sanctions = 0,
         credit_share = 0;
  double lead_agenda_weight = 0.7, facilitation = 0.5;
  int group_size = 3;
  double group_threshold = 0.35;
  int rotation = 6;
};

struct LifecycleParams {
  int solicit_steps = 1, interim_steps = 3;
  bool skip_interim = false;
  double scale_threshold = 0.8, scale_goal_factor = 1.5;
  double pledge_min = 0.2, pledge_max = 0.9, join_noise = 0.05;
  std::array<double, kChannels> prospects{0.8, 0.4, 0.6, 0.6};
};

struct ChampionParams {
  double eta = 0.3, decay = 0.005, c_min = 0.1, exit_threshold = 0.1, value_scale = 1, cost_scale = 0.5;
};

struct PopulationParams {
  bool enabled = false;
  std::int64_t units = 0;
  std::string unit_label = "units";
  int degree = 6;
  double rewire = 0.1, initial_adopters = 0;
  double b_support = 0.08, b_neighbors = 0.1, b_market = 0.03, market_base = 0.2;
  double relapse = 0.03, readopt = 0.5, support_memory = 0.2;
  double relapse_supported = 0;  ///< voluntary relapse under full sustained support
  bool forced = false;
  int forced_start = 0;
  double forced_rate = 0.1, forced_relapse = 0.25;
  double forced_relapse_supported = 0.125;  ///< forced relapse under full sustained support
};

struct Shock {
  ShockKind kind = ShockKind::FundingCut;
  int step = -1;        ///< scheduled step, or -1 when random
  double rate = 0;      ///< per-step probability when random
  int sector = -1;      ///< sector hit, -1 = not restricted
  int organization = -1;
  double fraction = 0.5;
  int capability = -1;  ///< funding_cut: capability index
  std::optional<GovernanceMode> mode;
  std::optional<double> hierarchy;
  double recovery = 0.1;
};

enum class GoalMetric : std::uint8_t { Outcome, Adopters };

struct Goal {
  GoalMetric metric = GoalMetric::Outcome;
  double target = 1;
};

/// A validated scenario. Build with load_scenario(); never modify after construction.
struct Scenario {
  std::string name;
  int steps = 36;
  std::vector<Sector> sectors;
  std::vector<Organization> organizations;
  std::vector<Capability> capabilities;
  AgendaParams agenda;
  TrustParams trust;
  ProductionParams production;
  EffortParams effort;
  PunishmentParams punishment;
  GovernanceParams governance;
  LifecycleParams lifecycle;
  ChampionParams champions;
  PopulationParams population;
  std::vector<Shock> shocks;
  Goal goal;
  /// The fully resolved JSON document this scenario was built from (all defaults explicit);
  /// stored as provenance in every output file.
  nlohmann::ordered_json resolved;

  int dimensions() const { return static_cast<int>(agenda.dimensions.size()); }
  int organization_count() const { return static_cast<int>(organizations.size()); }
  int capability_count() const { return static_cast<int>(capabilities.size()); }
  int sector_count() const { return static_cast<int>(sectors.size()); }
};

}  // namespace p3sim
