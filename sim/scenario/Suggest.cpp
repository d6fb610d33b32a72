#include "scenario/Suggest.hpp"

#include <algorithm>
#include <cctype>

namespace p3sim {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(text[i]) != lower(prefix[i])) return false;
  }
  return true;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rolling rows suffice for the transposition rule, which looks two rows back.
  const std::size_t n = b.size();
  std::vector<std::size_t> two_back(n + 1), prev(n + 1), cur(n + 1);
  for (std::size_t j = 0; j <= n; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= n; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        cur[j] = std::min(cur[j], two_back[j - 2] + 1);
      }
    }
    two_back.swap(prev);
    prev.swap(cur);
  }
  return prev[n];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Short words get a tight bound: "mu" must not suggest "id"; long keys tolerate a few slips.
  const std::size_t bound = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 4 + 1));
  std::optional<std::string> best;
  std::size_t best_distance = bound + 1;
  for (const std::string& candidate : candidates) {
    if (candidate == word) continue;
    std::size_t d = edit_distance(word, candidate);
    // A truncated key ("transp") is a plausible slip even though its distance is large.
    const std::size_t shorter = std::min(word.size(), candidate.size());
    if (d > bound && shorter >= 4 && (starts_with_ci(candidate, word) || starts_with_ci(word, candidate))) {
      d = bound;
    }
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const auto match = closest_match(word, candidates);
  return match ? "did you mean \"" + *match + "\"?" : std::string();
}

}  // namespace p3sim
