#pragma once
// Loading a scenario: from a file (or a parsed document) and the user's edits to a validated,
// immutable Scenario.
//
// Pipeline (each stage reports every error it finds before failing):
//   1. parse         strict JSON, file order kept (syntax, non_finite, duplicate_key, io)
//   2. --set         overrides applied to the document as written, so that a changed
//                    /governance/mode brings that mode's preset columns (bad_override)
//   3. validate      schema + semantic checks (errors under an overridden pointer are labelled
//                    "--set TEXT" instead of the file)
//   4. resolve       every default made explicit (ScenarioResolver)
//   5. --pitfall     patches applied to the resolved document, in the order given (unknown_pitfall,
//                    bad_patch), each followed by validation labelled "after --pitfall NAME"
//   6. build         names to indices, weights normalized; Scenario::resolved = the final document
//
// Key order: documents are handled as nlohmann::ordered_json, because the order of /capabilities
// in the file is the order of Scenario::capabilities. The nlohmann::json overload of load_scenario
// cannot know the file order and takes capabilities in alphabetical order.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/Scenario.hpp"
#include "scenario/ValidationError.hpp"

namespace p3sim {

/// Command-line edits to a scenario.
struct ScenarioEdits {
  std::vector<std::string> sets;      ///< "--set" texts, "/json/pointer=VALUE", applied in order
  std::vector<std::string> pitfalls;  ///< pitfall names, applied in order
};

/// Loads the scenario file at `path` with `edits`. Throws InputError (every error found) for bad
/// input of any kind; other exceptions only signal bugs.
Scenario load_scenario_file(const std::string& path, const ScenarioEdits& edits = {});

/// Loads a parsed scenario document; `origin` labels errors (a file name, "sweep point 3"...).
/// Throws InputError.
Scenario load_scenario(const nlohmann::ordered_json& doc, const std::string& origin, const ScenarioEdits& edits = {});

/// The Scenario that load_scenario(doc, origin, edits) returned before, built again without the
/// validation passes (the Scenario is the same; about half the time). Precondition: load_scenario
/// accepted exactly this document and these edits; otherwise the result is unspecified and bugs
/// may throw std::exception. For SweepPlan, which checks every point once and rebuilds some later.
Scenario reload_scenario(const nlohmann::ordered_json& doc, const ScenarioEdits& edits);

/// As above for a key-sorted document: capabilities are taken in alphabetical order.
Scenario load_scenario(const nlohmann::json& doc, const std::string& origin, const ScenarioEdits& edits = {});

/// Stages 2-5 of the pipeline: the final resolved document for `doc` with `edits`, validated.
/// Throws InputError.
nlohmann::ordered_json resolve_scenario_document(const nlohmann::ordered_json& doc, const std::string& origin,
                                                 const ScenarioEdits& edits = {});

/// Stage 6: the Scenario for a document returned by resolve_scenario_document. Precondition: the
/// document is resolved and valid (violations throw std::exception, not InputError).
Scenario build_scenario(const nlohmann::ordered_json& resolved);

/// Every error in the scenario file at `path` (stages 1-4 and the validation of the resolved
/// document); empty when the file is valid. Never throws for bad input: this is `p3sim validate`.
std::vector<ValidationError> validate_scenario_file(const std::string& path);

}  // namespace p3sim
