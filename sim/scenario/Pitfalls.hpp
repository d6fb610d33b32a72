#pragma once
// Pitfalls: named, documented transformations of a scenario (MODEL.md section 13).
//
// A trainer switches one on (--pitfall NAME, or as a sweep factor) to show what a partnering
// mistake does to the same partnership. Each is a patch in the JsonPatch language, applied to the
// resolved scenario, where every field it touches exists. A scenario may define more under
// /pitfalls; a scenario-defined pitfall replaces a built-in one of the same name.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/JsonPatch.hpp"

namespace p3sim {

/// A named pitfall: a one-sentence description and its patch operations.
struct Pitfall {
  std::string name;            ///< as used with --pitfall and in sweep files
  std::string description;     ///< one sentence for trainers and `p3sim list`
  std::vector<PatchOp> patch;  ///< applied in order to the resolved scenario
};

/// The built-in pitfalls in a fixed order (the order `p3sim list` prints them in).
const std::vector<Pitfall>& builtin_pitfalls();

/// The names of the pitfalls available to `resolved` (a resolved scenario document): the built-in
/// names, then the names defined under /pitfalls that are not built in.
std::vector<std::string> pitfall_names(const nlohmann::ordered_json& resolved);

/// The pitfall called `name` for scenario `resolved`: its own /pitfalls/NAME if defined, else the
/// built-in one. Throws InputError (id "unknown_pitfall", file "--pitfall", with did-you-mean)
/// when neither exists, and InputError (id "bad_patch") for a malformed scenario-defined pitfall.
Pitfall find_pitfall(const nlohmann::ordered_json& resolved, const std::string& name);

/// Applies pitfall `name` to `resolved` in place (see find_pitfall). Errors of the patch itself
/// are labelled "--pitfall NAME". The result is not validated here: the loader re-validates it,
/// because a scale may push a value out of its range.
void apply_pitfall(nlohmann::ordered_json& resolved, const std::string& name);

}  // namespace p3sim
