#pragma once
// Text for a terminal: how wide it is, and text broken to fit.
#include <cstddef>
#include <string>
#include <vector>

namespace p3sim::cli {

/// Columns to write text for: $COLUMNS when it holds a width (20 to 1000), else the width of the
/// terminal standard output is on, else `fallback` (output to a file or a pipe).
std::size_t terminal_width(std::size_t fallback);

/// `text` broken into lines of at most `width` characters at spaces (UTF-8 safe: breaks only at
/// spaces or, for a word longer than a line, before a character's first byte). Never empty.
std::vector<std::string> wrap(const std::string& text, std::size_t width);

/// Prints `text` wrapped to `width`, every line indented by `indent` spaces.
void print_wrapped(const std::string& text, std::size_t indent, std::size_t width);

/// Prints `text` wrapped to `width` as a paragraph with a hanging indent: the first line indented
/// by `indent` spaces, the lines that continue it by `hang`.
void print_hanging(const std::string& text, std::size_t indent, std::size_t hang, std::size_t width);

}  // namespace p3sim::cli
