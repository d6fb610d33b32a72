#pragma once
// Did-you-mean suggestions for misspelt keys, enum values and names.
//
// Every "unknown" error (unknown_key, enum, unknown_reference, unknown_pitfall) proposes the closest
// valid spelling, so a user who typed "hierachy" is told about "hierarchy" instead of having to read
// the schema. Distances are computed case-insensitively because "Government" for "government" is
// the commonest slip.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace p3sim {

/// Edit distance between `a` and `b` counting insertions, deletions, substitutions and swaps of two
/// adjacent characters (optimal string alignment), compared case-insensitively (ASCII).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if one is close enough to be a plausible misspelling: within an
/// edit distance of max(1, length/4 + 1) (capped at 3), or a prefix match of at least 4 characters.
/// Ties go to the earlier candidate. Never returns `word` itself unless only its case differs.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// `did you mean "X"?` for the closest candidate, or "" when none is close enough.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace p3sim
