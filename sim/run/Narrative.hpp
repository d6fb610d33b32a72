#pragma once
// Narrative: the story of one run in plain language, for trainers and for `p3sim run`.
#include <string>
#include <vector>

#include "result/RunResult.hpp"
#include "scenario/Scenario.hpp"

namespace p3sim {

/// One line per key event (phase changes, joins, exits with their causes, shocks, working groups,
/// misunderstanding bursts, the goal), in step order: "month 7: PASO Colombia left (hierarchy
/// friction: ...)". Joins during solicitation are summarized in one line.
std::vector<std::string> narrate(const Scenario& scenario, const RunResult& result);

/// The verdict against the goal: reached (when) or missed (by how much), with retention.
std::string verdict(const Scenario& scenario, const RunResult& result);

/// Plain-language explanation of a cause code.
const char* describe_cause(Cause cause);

}  // namespace p3sim
