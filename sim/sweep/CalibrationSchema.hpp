#pragma once
// The JSON Schema of calibration files (`p3sim schema calibration`; docs/calibration.md).
#include <nlohmann/json.hpp>

namespace p3sim {

/// The calibration schema (draft 2020-12); metric names are generated from RunResult.hpp.
const nlohmann::json& calibration_schema();

}  // namespace p3sim
