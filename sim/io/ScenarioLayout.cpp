#include "io/ScenarioLayout.hpp"

namespace p3sim {

ResultLayout scenario_layout(const Scenario& sc, std::int64_t runs) {
  ResultLayout layout;
  layout.runs = runs;
  layout.steps = sc.steps;
  for (const auto& s : sc.sectors) layout.sectors.push_back(s.name);
  for (const auto& o : sc.organizations) {
    layout.orgs.push_back(o.name);
    layout.org_sectors.push_back(o.sector);
  }
  layout.dims = sc.agenda.dimensions;
  return layout;
}

}  // namespace p3sim
