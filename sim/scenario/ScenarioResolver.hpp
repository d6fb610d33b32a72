#pragma once
// Resolution of defaults: from a validated scenario document as written to the complete document
// in which every value the simulation reads is explicit.
//
// Making every default explicit in one JSON document (rather than scattering fallbacks through the
// simulation) gives one place where defaults are decided, lets pitfalls patch fields the user never
// wrote (e.g. every organization's disclosure), and stores exactly what was simulated as provenance.
#include <nlohmann/json.hpp>

namespace p3sim {

/// Name given to the neutral backbone organization that backbone mode appends when the scenario
/// names none ("backbone_2", "backbone_3"... if an organization already has that name).
inline constexpr const char* kDefaultBackboneName = "backbone";

/// The complete document for `doc`, which must have passed validate_scenario without errors:
///  - every schema "default" is filled in, and optional blocks without required keys are created;
///  - /sectors holds every sector, built-ins first (government, business, civil_society, their
///    profiles with mandate 0.5 per dimension, overridden field by field), then declared ones;
///  - each organization takes every profile field it leaves out from its sector (goal from the
///    sector's mandate), lists every capability (0 where not given), in /capabilities order; an
///    incentives object it gives replaces the sector's (channels left out are 0); its cooperation
///    stays absent when not given (the simulation draws it from the sector mix);
///  - governance columns not given come from the mode's preset; lead defaults to the first
///    organization; backbone_sector to civil_society; in backbone mode without a named backbone, a
///    neutral organization (kDefaultBackboneName, sector backbone_sector, no capabilities,
///    cooperation "unconditional", not local) is appended and named as the backbone;
///  - goal.metric defaults to adopters with a population, else outcome;
///  - /trust/priors is the full matrix over all sectors (given value, else built-in prior, else
///    /trust/default_prior); /shocks exists.
/// Key order of the input is kept (it carries the order of /capabilities).
nlohmann::ordered_json resolve_scenario_defaults(const nlohmann::ordered_json& doc);

/// Fills in what patches may have left out of an already resolved document: schema defaults of
/// new elements (e.g. a shock appended by the funding_cut pitfall) and the capability of
/// funding_cut shocks ("funding" when the scenario has that capability). Idempotent.
void complete_defaults(nlohmann::ordered_json& resolved);

}  // namespace p3sim
