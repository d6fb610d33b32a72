#include "run/Narrative.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace p3sim {
namespace {

std::string format_number(double v) {
  char buf[64];
  if (std::abs(v) >= 100 || v == std::floor(v))
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string org_name(const Scenario& sc, int org) {
  return org >= 0 && org < sc.organization_count() ? sc.organizations[static_cast<std::size_t>(org)].name
                                                   : std::string("the partnership");
}

}  // namespace

const char* describe_cause(Cause cause) {
  switch (cause) {
    case Cause::Hierarchy: return "hierarchy friction: more central control than it accepts";
    case Cause::Misalignment: return "misalignment: the agenda drifted from what it really wants";
    case Cause::Distrust: return "distrust: it no longer believed partners would deliver";
    case Cause::NoResults: return "no results: its costs outweighed what it got";
    case Cause::Credit: return "credit: others took the visibility for its contribution";
    case Cause::Shock: return "a shock hit it";
    case Cause::Scope: return "the lead names the problem";
    case Cause::Solicit: return "the lead invites partners";
    case Cause::Interim: return "bilateral talks before agreeing";
    case Cause::Agree: return "the partners pledge resources";
    case Cause::Execute: return "the partnership delivers";
    case Cause::Scale: return "progress passed the scaling threshold: new partners invited, goal raised";
    case Cause::MissingVoice: return "a needed capability has no voice at the table";
    case Cause::FundingCut: return "funding cut";
    case Cause::LeadershipTurnover: return "leadership turnover";
    case Cause::PolicyReversal: return "policy reversal";
    case Cause::SecurityIncident: return "security incident";
    case Cause::MarketShock: return "market shock";
    case Cause::MemberEntry: return "a new organization becomes available";
    case Cause::Invited: return "invited";
    case Cause::LowCohesion: return "its members' alignment and trust fell too low";
    case Cause::Formed: return "formed";
    case Cause::None: return "";
  }
  return "";
}

std::vector<std::string> narrate(const Scenario& sc, const RunResult& r) {
  std::vector<std::string> lines;
  for (const Event& e : r.events) {
    std::string line = "month " + std::to_string(e.step) + ": ";
    switch (e.kind) {
      case EventKind::Join: line += org_name(sc, e.org) + " joined"; break;
      case EventKind::Exit: line += org_name(sc, e.org) + " left (" + describe_cause(e.cause) + ")"; break;
      case EventKind::Phase:
        if (e.cause == Cause::MissingVoice) {
          const int c = static_cast<int>(e.value);
          line += "missing voice: nobody at the table brings " +
                  (c >= 0 && c < sc.capability_count() ? sc.capabilities[static_cast<std::size_t>(c)].name
                                                       : std::string("a capability"));
        } else {
          line += std::string("phase ") + kCauseNames[static_cast<int>(e.cause)] + " (" + describe_cause(e.cause) + ")";
        }
        break;
      case EventKind::Shock:
        line += std::string(describe_cause(e.cause)) + (e.org >= 0 ? " hits " + org_name(sc, e.org) : "") +
                (e.value > 0 ? " (severity " + format_number(e.value) + ")" : "");
        break;
      case EventKind::GroupFormed: line += "a working group of " + format_number(e.value) + " formed"; break;
      case EventKind::GroupDissolved: line += std::string("a working group dissolved (") + describe_cause(e.cause) + ")"; break;
      case EventKind::MisunderstandingBurst:
        line += format_number(e.value) + " misunderstandings in one month";
        break;
      case EventKind::GoalReached: line += "goal reached (" + format_number(e.value) + ")"; break;
    }
    lines.push_back(line);
  }
  return lines;
}

std::string verdict(const Scenario& sc, const RunResult& r) {
  const auto& f = r.final_metrics;
  const std::string metric = sc.goal.metric == GoalMetric::Adopters ? "adopters" : "outcome";
  std::string text;
  if (f[kFGoalReached] > 0.5)
    text = "Goal reached in month " + format_number(f[kFTimeToGoal]) + ": " + metric + " " +
           format_number(f[kFOutcome]) + " against a target of " + format_number(sc.goal.target) + ".";
  else
    text = "Goal missed: " + metric + " " + format_number(f[kFOutcome]) + " of a target of " +
           format_number(sc.goal.target) + " (" + format_number(100.0 * f[kFOutcome] / sc.goal.target) + "%).";
  text += " Retention " + format_number(100.0 * f[kFRetention]) + "%.";
  return text;
}

}  // namespace p3sim
