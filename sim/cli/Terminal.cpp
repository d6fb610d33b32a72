#include "cli/Terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "scenario/Utf8.hpp"

namespace p3sim::cli {
namespace {

// The byte index `chars` characters after `begin` (or the end of `text`).
std::size_t advance(const std::string& text, std::size_t begin, std::size_t chars) {
  std::size_t at = begin;
  for (std::size_t n = 0; n < chars && at < text.size(); ++n) {
    ++at;
    while (at < text.size() && utf8::is_continuation(static_cast<unsigned char>(text[at]))) ++at;
  }
  return at;
}

}  // namespace

std::size_t terminal_width(std::size_t fallback) {
  if (const char* env = std::getenv("COLUMNS"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    const long columns = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && columns >= 20 && columns <= 1000) return static_cast<std::size_t>(columns);
  }
  winsize size{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 20)
    return size.ws_col;
  return fallback;
}

std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    // Widths count characters: the byte where `width` characters from `begin` end.
    const std::size_t limit = advance(text, begin, width == 0 ? 1 : width);
    if (limit >= text.size()) {
      lines.push_back(text.substr(begin));
      break;
    }
    std::size_t cut = text.rfind(' ', limit);
    if (cut == std::string::npos || cut <= begin) cut = limit;
    lines.push_back(text.substr(begin, cut - begin));
    begin = cut;
    while (begin < text.size() && text[begin] == ' ') ++begin;
  }
  if (lines.empty()) lines.emplace_back();
  return lines;
}

void print_wrapped(const std::string& text, std::size_t indent, std::size_t width) {
  const std::size_t room = width > indent + 20 ? width - indent : 20;
  const std::string pad(indent, ' ');
  for (const std::string& line : wrap(text, room)) std::printf("%s%s\n", pad.c_str(), line.c_str());
}

void print_hanging(const std::string& text, std::size_t indent, std::size_t hang, std::size_t width) {
  const std::size_t room = width > hang + 20 ? width - hang : 20;
  const std::vector<std::string> first = wrap(text, width > indent + 20 ? width - indent : 20);
  std::printf("%s%s\n", std::string(indent, ' ').c_str(), first.front().c_str());
  if (first.size() == 1) return;
  // The rest, from where the first line ended (past the spaces wrap() broke at), wrapped again at
  // the hanging indent's width.
  std::size_t begin = first.front().size();
  while (begin < text.size() && text[begin] == ' ') ++begin;
  const std::string rest = text.substr(begin);
  for (const std::string& line : wrap(rest, room)) std::printf("%s%s\n", std::string(hang, ' ').c_str(), line.c_str());
}

}  // namespace p3sim::cli
