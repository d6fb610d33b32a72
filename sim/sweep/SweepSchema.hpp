#pragma once
// The sweep file format as a JSON Schema (draft 2020-12).
//
// As for scenarios, the schema is the single source of truth for the shape of a sweep file: the
// sweep loader interprets it (types, ranges, required and unknown keys) and `p3sim schema sweep`
// prints it. Checks a schema cannot express (the design/parameter combination, the run count,
// pitfall names, every design point's scenario) live in SweepFile.
#include <cstdint>

#include <nlohmann/json.hpp>

namespace p3sim {

/// The sweep schema. Every property carries "description"; fixed defaults carry "default".
const nlohmann::json& sweep_schema();

/// Most runs a sweep may have: beyond this it is almost certainly a mistake (and the file would be
/// enormous), so it is refused before anything is allocated.
inline constexpr std::int64_t kMaxSweepRuns = 100'000'000;

/// Most design points a sweep may have: each point keeps its own resolved scenario in memory.
inline constexpr std::int64_t kMaxSweepPoints = 1'000'000;

}  // namespace p3sim
