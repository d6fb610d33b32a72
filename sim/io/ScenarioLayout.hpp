#pragma once
// The result layout that a scenario's runs need: one place that turns a Scenario's shape
// (steps, sectors, organizations, agenda dimensions) into a ResultLayout.
#include <cstdint>

#include "io/ResultLayout.hpp"
#include "scenario/Scenario.hpp"

namespace p3sim {

/// Layout for `runs` runs of `scenario`: its steps, sector names, organization names and sectors,
/// and agenda dimension labels; every series recorded every step, events on, no parameters.
ResultLayout scenario_layout(const Scenario& scenario, std::int64_t runs);

}  // namespace p3sim
