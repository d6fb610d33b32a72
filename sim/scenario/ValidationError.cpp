#include "scenario/ValidationError.hpp"

#include <cstdio>

namespace p3sim {
namespace {

// Control characters (a key holding "\u0000", a value with a newline) are written as \u00XX: a NUL
// ended the C string that main() prints, cutting the message before its error[id], and a newline
// would make one error read as two.
std::string escape_controls(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      char code[8];
      std::snprintf(code, sizeof code, "\\u%04x", byte);
      out += code;
    } else {
      out += c;
    }
  }
  return out;
}

std::string join(const std::vector<ValidationError>& errors) {
  std::string text;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (i > 0) text += '\n';
    text += errors[i].format();
  }
  return text;
}
}  // namespace

std::string ValidationError::format() const {
  std::string text = file.empty() ? std::string("<input>") : file;
  if (line > 0) text += ":" + std::to_string(line) + ":" + std::to_string(column);
  text += ": ";
  // A positioned error names its pointer too when it has one (e.g. a number that overflows), so
  // the reader knows which value is meant; the root pointer adds nothing to a line:column.
  if (line == 0 || !pointer.empty()) text += (pointer.empty() ? std::string("(document)") : pointer) + ": ";
  text += "error[" + id + "]: expected " + expected + ", found " + found;
  if (!hint.empty()) text += " (" + hint + ")";
  return escape_controls(text);
}

InputError::InputError(std::vector<ValidationError> errors)
    : std::runtime_error(join(errors)), errors_(std::move(errors)) {}

}  // namespace p3sim
