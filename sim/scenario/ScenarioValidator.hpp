#pragma once
// Validation of a scenario document: the schema's rules plus the cross-references and consistency
// rules that a JSON Schema cannot state.
//
// All problems are collected and returned together, so a user fixes a file in one pass. Each
// semantic check reads only values of the type it expects and skips the rest: a subtree of the
// wrong type has already been reported by the schema pass and must not crash or double-report.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/ValidationError.hpp"

namespace p3sim {

/// Every problem in scenario document `doc` (raw as written, or resolved), labelled with `file`:
/// first the schema violations (see SchemaValidator), then the semantic ones:
///   duplicate_name     two organizations share a name
///   unknown_reference  a sector, organization, capability name that is not defined (with did-you-mean)
///   dimension          a goal or mandate whose length differs from the number of agenda dimensions
///   incomplete_sector  a declared (non built-in) sector that leaves out a profile field
///   zero_incentives    incentive weights that are all zero
///   zero_mix           a cooperation mix whose shares are all zero
///   zero_weights       capability weights that are all zero
///   shock_timing       a shock with both or neither of step and rate
///   goal_metric        goal metric "adopters" without a population
///   population         degree odd, or not less than the number of units
///   range              cross-field bounds (pledge_min > pledge_max, adopters target above units)
///   required           a policy_reversal shock with neither mode nor hierarchy
///   bad_patch          a scenario-defined pitfall operation that cannot apply
/// Never throws for bad input.
std::vector<ValidationError> validate_scenario(const nlohmann::ordered_json& doc, const std::string& file);

}  // namespace p3sim
