#pragma once
// ValidationError and InputError: how p3sim reports bad input.
//
// Every problem found in a scenario, sweep or command-line override is one ValidationError with a
// stable id (tested, and safe to match on), the file, the JSON Pointer of the offending value, what
// was expected and what was found. Validation collects every error before failing; InputError
// carries them all and maps to exit code 2.
#include <stdexcept>
#include <string>
#include <vector>

namespace p3sim {

struct ValidationError {
  /// Stable identifier, e.g. "syntax", "type", "range", "enum", "required", "unknown_key",
  /// "non_finite", "size", "duplicate_name", "unknown_reference", "dimension" (see docs/scenario.md).
  std::string id;
  std::string file;     ///< file name, or a label such as "--set" for command-line input
  std::string pointer;  ///< JSON Pointer of the offending value ("" is the document root)
  std::string expected;
  std::string found;
  std::string hint;  ///< e.g. `did you mean "hierarchy"?`; may be empty
  int line = 0;      ///< 1-based; 0 when unknown (only syntax errors carry positions)
  int column = 0;

  /// One line: `FILE[:LINE:COL]: POINTER: error[ID]: expected EXPECTED, found FOUND (HINT)`.
  /// An empty file prints as "<input>"; an empty pointer as "(document)", or not at all when the
  /// error has a line and column.
  std::string format() const;
};

/// Thrown for invalid input of any kind; what() is every error formatted, one per line.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<ValidationError> errors);
  const std::vector<ValidationError>& errors() const { return errors_; }

 private:
  std::vector<ValidationError> errors_;
};

}  // namespace p3sim
