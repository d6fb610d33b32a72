#pragma once
// Patches with wildcard paths: the language of `--set` overrides and of pitfalls (MODEL.md 13).
//
// A path is a JSON Pointer (RFC 6901) whose segments may also be "*", matching every element of an
// array or every key of an object, so that one operation reaches "every organization" or "every
// sector pair". Overrides (--set) act on the document as written, before defaults are resolved,
// so that e.g. a new /governance/mode brings that mode's preset columns; pitfalls act on the
// resolved document, where every field they touch exists.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace p3sim {

/// One operation of the patch language.
struct PatchOp {
  /// The operation: set a value, multiply a number, append to an array, remove a key or element.
  enum class Kind { Set, Scale, Append, Remove };
  Kind kind = Kind::Set;
  /// JSON Pointer of the target; "*" segments match every element or key (never "" = the root).
  std::string path;
  /// Set: the new value; Append: the element appended; Scale: the factor (a number); Remove: unused.
  nlohmann::ordered_json value;
  /// Object of field: value conditions tested on the object that holds each target (e.g. the
  /// organization holding /organizations/3/candidate); the target is skipped unless all are equal.
  /// Null: no condition.
  nlohmann::ordered_json where;
  /// Where the operation is written: its JSON Pointer in a scenario file
  /// ("/pitfalls/NAME/patch/0"), or "" for a built-in pitfall. Errors that are the operation's
  /// fault (it selects nothing) point there.
  std::string source;
};

/// Reads one operation in file form ({"op", "path", "value", "where"}) found at `pointer` of `file`.
/// Throws InputError (id "bad_patch") when it is malformed.
PatchOp patch_op_from_json(const nlohmann::ordered_json& op, const std::string& file, const std::string& pointer);

/// Applies `op` to `doc` at every match of its path; `label` names the source in errors (e.g.
/// "--pitfall short_cut"). Set creates missing keys and intermediate objects; Scale multiplies an
/// existing number; Append appends to an array (created if missing); Remove deletes a key or
/// element and ignores missing ones. A wildcard matching nothing changes nothing.
/// Throws InputError (id "bad_patch") for a target that cannot take the operation (scale of a
/// non-number or missing value, a path through a number, an array index out of range).
void apply_patch_op(nlohmann::ordered_json& doc, const PatchOp& op, const std::string& label);

/// A parsed `--set /json/pointer=VALUE` override.
struct SetOverride {
  std::string text;              ///< the text as given, for error messages
  std::string path;              ///< the pointer part (may contain "*" and organization names)
  nlohmann::ordered_json value;  ///< VALUE parsed as JSON, or VALUE as a string when it is not JSON
};

/// Parses `text` = "/json/pointer=VALUE" (split at the first "=").
/// Throws InputError (id "bad_override", file "--set", found `text`) when there is no "=", the
/// pointer does not start with "/" or holds a bad "~" escape, or VALUE is a number too large for
/// a double.
SetOverride parse_set_override(const std::string& text);

/// Sets `o.value` at every match of `o.path` in `doc` (a raw scenario document). Besides "*", a
/// segment right after /organizations may be an organization's name instead of its index; "-" or
/// the array's size appends. Returns the concrete (escaped) JSON Pointers written, in order ("-"
/// replaced by the index it appended at).
/// Throws InputError (id "bad_override") when a name is unknown (with did-you-mean), a wildcard
/// matches nothing, or the path runs through a scalar or past the end of an array.
std::vector<std::string> apply_set_override(nlohmann::ordered_json& doc, const SetOverride& o);

/// Splits a JSON Pointer into unescaped reference tokens ("/a~1b/c" -> {"a/b", "c"}).
/// Throws std::invalid_argument when it does not start with "/" (and is not "") or holds a "~"
/// not followed by 0 or 1.
std::vector<std::string> split_pointer(const std::string& pointer);

}  // namespace p3sim
