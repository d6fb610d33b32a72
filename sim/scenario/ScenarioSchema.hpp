#pragma once
// The scenario file format as a JSON Schema (draft 2020-12).
//
// This schema is the single source of truth for the format: the validator interprets it (types,
// ranges, enums, required keys, unknown keys, defaults), `p3sim schema scenario` prints it, and the
// documentation test checks that every key it names appears in docs/model.md. Checks that a schema
// cannot express (references between organizations, vector lengths tied to the agenda dimension)
// live in ScenarioValidator.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace p3sim {

/// The scenario schema. Every property carries "description", and numbers carry "x-unit".
/// Properties with a fixed default carry "default"; organization fields default to their sector's
/// profile and governance columns to the mode's preset (see GovernancePresets).
const nlohmann::json& scenario_schema();

/// Whether the schema declares the value at `path` (JSON Pointer tokens into a scenario document;
/// array indices as decimal strings) an integer. False for unknown paths. Used where a value is
/// computed rather than written (a pitfall's scale): the literal `1` of a number field is not an
/// integer field.
bool scenario_field_is_integer(const std::vector<std::string>& path);

/// Names of the governance modes, in the order of MODEL.md section 7.
inline constexpr const char* kGovernanceModes[] = {"isolated", "constellation", "backbone", "hierarchy",
                                                   "network"};

/// The shock kinds of MODEL.md section 9.
inline constexpr const char* kShockKinds[] = {"funding_cut", "leadership_turnover", "policy_reversal",
                                              "security_incident", "market_shock", "member_entry"};

}  // namespace p3sim
