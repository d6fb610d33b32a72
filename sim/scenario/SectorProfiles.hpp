#pragma once
// Built-in sector profiles and sector-pair trust priors (MODEL.md sections 2 and 3).
//
// Organizations inherit every field they leave out from their sector's profile, so a scenario can
// name an organization and its sector and nothing else. The numbers are stylized defaults drawn from
// the partnership literature (government answers to its mandate, business to revenue, civil society
// to impact; civil society distrusts business most); a scenario overrides any of them under /sectors.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/Scenario.hpp"

namespace p3sim {

/// Names of the built-in sectors, in the order they take in Scenario::sectors.
inline constexpr const char* kBuiltinSectors[] = {"government", "business", "civil_society"};

/// Mandate position of a built-in sector on every agenda dimension, in [0,1].
inline constexpr double kBuiltinMandate = 0.5;

/// Prior trust between organizations of the same sector, in [0,1].
inline constexpr double kSameSectorPrior = 0.6;

/// Whether `name` is one of kBuiltinSectors.
bool is_builtin_sector(std::string_view name);

/// The built-in sectors' names as strings (for suggestions and iteration).
const std::vector<std::string>& builtin_sector_names();

/// The built-in profile of sector `name`, with a mandate of kBuiltinMandate on each of `dimensions`
/// agenda dimensions (dimensions >= 1). Throws std::invalid_argument when `name` is not built in.
Sector builtin_sector(std::string_view name, int dimensions);

/// `sector` in the scenario file's form (the keys of the schema's $defs/sector, without "name").
nlohmann::ordered_json sector_to_json(const Sector& sector);

/// Built-in prior trust of an organization of sector `truster` in one of sector `trustee`, in [0,1]:
/// kSameSectorPrior within any sector (declared ones included), the listed value for pairs of
/// distinct built-in sectors, std::nullopt otherwise (the scenario's /trust/default_prior applies).
std::optional<double> builtin_trust_prior(std::string_view truster, std::string_view trustee);

}  // namespace p3sim
