#pragma once
// A JSON Schema (draft 2020-12) interpreter for the keyword subset that p3sim's schemas use.
//
// The schema is the single source of truth for types, ranges, enums, required and unknown keys:
// this walker reads them from the schema instead of restating them in code, so a change to the
// schema changes validation, `p3sim schema` output and documentation together. It reports every
// violation at once (it does not stop at the first) with p3sim's stable error ids.
//
// Keywords interpreted: type (string or array of strings), enum, minimum, maximum,
// exclusiveMinimum, exclusiveMaximum, minLength, maxLength, items, minItems, maxItems, properties,
// required, additionalProperties (false or a schema), propertyNames (minLength, maxLength),
// minProperties, maxProperties, oneOf, $ref (local "#/..." pointers). Annotations (description,
// default, x-unit, title, $schema, $id, $defs) are ignored here.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/ValidationError.hpp"

namespace p3sim {

/// `x` as error messages print it: integers without a decimal point ("1000000"), others in the
/// shortest form that reads back exactly ("0.35", "1e-07").
std::string format_number(double x);

/// A JSON value as the "found" part of an error shows it: `1.5`, `true`, `null`,
/// `a string "abc"`, `an object`, `an array of 3 items`.
std::string describe_value(const nlohmann::ordered_json& value);

/// Checks `doc` against `schema` and appends one error per violation to `errors`, each labelled
/// with `file` and the JSON Pointer of the offending value (for a missing required key, the
/// pointer the key would have). Ids: type, non_finite, range, enum, size, empty, required,
/// unknown_key. Below a value of the wrong type nothing further is checked.
/// Throws std::logic_error only when the schema itself is broken (dangling $ref).
void validate_against_schema(const nlohmann::ordered_json& doc, const nlohmann::json& schema,
                             const std::string& file, std::vector<ValidationError>& errors);

/// The sub-schema that `schema` (part of `root`) stands for after following a local $ref.
/// Throws std::logic_error for a $ref that does not resolve inside `root`.
const nlohmann::json& resolve_ref(const nlohmann::json& root, const nlohmann::json& schema);

}  // namespace p3sim
