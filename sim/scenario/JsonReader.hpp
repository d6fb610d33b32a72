#pragma once
// Strict JSON reading with positions: the first stage of loading any p3sim input file.
//
// nlohmann's DOM parser reports a syntax error but not where in the document it happened, loses
// the file order of keys, and silently keeps one of two duplicated keys. This reader builds an
// ordered_json (file order kept, because the order of /capabilities is meaningful), reports the
// JSON Pointer and 1-based line:column of a syntax error, reports numbers that overflow a double
// (1e999) as "non_finite", and reports duplicated keys as "duplicate_key" while carrying on.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/ValidationError.hpp"

namespace p3sim {

/// The deepest nesting of arrays and objects an input may have, and the most segments a JSON
/// Pointer may have. The deepest p3sim document is about 6 levels; the limit exists because
/// copying, dumping and walking a document recurse, and a document nested 100,000 levels deep
/// would overflow the stack (a crash, where bad input must be an error).
inline constexpr std::size_t kMaxJsonDepth = 64;

/// A parsed document and the problems met while reading it.
struct JsonReadResult {
  nlohmann::ordered_json value;          ///< the document; meaningless when parsed is false
  bool parsed = false;                   ///< false after a syntax, non_finite or io error
  std::vector<ValidationError> errors;   ///< syntax/non_finite/io (stop reading), duplicate_key (do not)
};

/// Parses `text` as strict JSON (RFC 8259: no comments, NaN, Infinity or trailing commas).
/// `file` labels the errors. Never throws for bad input; errors are returned.
JsonReadResult parse_json_text(std::string_view text, const std::string& file);

/// Reads the file at `path` and parses it with parse_json_text (errors labelled with `path`).
/// A file that cannot be read gives one error with id "io".
JsonReadResult read_json_file(const std::string& path);

/// 1-based (line, column) of byte `offset` in `text`; an offset at the end of the text gives the
/// position just past the last character. Columns count bytes.
std::pair<int, int> line_column(std::string_view text, std::size_t offset);

/// `key` escaped as one JSON Pointer reference token (RFC 6901: "~" -> "~0", "/" -> "~1").
std::string pointer_token(std::string_view key);

}  // namespace p3sim
