#pragma once
// Utf8: the few UTF-8 facts p3sim's text output needs (scenario names, notes and error messages are
// UTF-8): counting characters and cutting text without splitting a character. Widths are counted
// in code points; p3sim does not try to measure East Asian wide characters or combining marks.
#include <cstddef>
#include <string>

namespace p3sim::utf8 {

/// True if `byte` continues a multi-byte character (10xxxxxx) rather than starting one.
constexpr bool is_continuation(unsigned char byte) noexcept { return (byte & 0xC0) == 0x80; }

/// Number of characters (code points) in `text`, as JSON Schema counts string lengths.
inline std::size_t length(const std::string& text) noexcept {
  std::size_t n = 0;
  for (unsigned char c : text) n += is_continuation(c) ? 0 : 1;
  return n;
}

/// The largest index <= `at` (and >= `floor`) at which a character starts; `at` past the end gives
/// text.size(). Cutting `text` there keeps every character whole.
inline std::size_t boundary(const std::string& text, std::size_t at, std::size_t floor = 0) noexcept {
  if (at >= text.size()) return text.size();
  while (at > floor && is_continuation(static_cast<unsigned char>(text[at]))) --at;
  return at;
}

/// `text` if it has at most `max_bytes` bytes; otherwise its longest prefix of whole characters
/// that, followed by "...", fits in `max_bytes` (max_bytes >= 3).
inline std::string truncate(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  return text.substr(0, boundary(text, max_bytes - 3)) + "...";
}

}  // namespace p3sim::utf8
