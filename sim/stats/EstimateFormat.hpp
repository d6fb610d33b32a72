#pragma once
// EstimateFormat: one way to print and serialize the estimators' results, shared by `summarize`,
// `compare` and `run --baseline` (text and --json alike). A missing number is null in JSON and
// "-" in text; an open upper end of a median's interval is "not reached".
#include <string>

#include <nlohmann/json.hpp>

#include "stats/Estimators.hpp"

namespace p3sim {

/// The JSON object of docs/estimators.md for one group's metric ("kind", "n", "estimate", "ci",
/// "method" and the kind's own fields).
nlohmann::json to_json(const MetricSummary& s);
/// The JSON object of one paired difference ("kind", "n", "estimate", "ci", "p", "method", and
/// for times "share_reached_difference").
nlohmann::json to_json(const PairedSummary& s);

/// A number with 4 significant digits, or "-" when it is NaN.
std::string format_estimate(double v);
/// "[lo, hi]" with format_estimate; "[lo, not reached]" for an open upper end; "-" when missing.
std::string format_interval(const Interval& i);
/// "96% [90%, 98%]": a share and its interval in percent.
std::string format_share(double share, const Interval& i);
/// One line: the estimate of `s` with its interval and what it is ("96 of 100 reached ...").
std::string describe(const MetricSummary& s);
/// One line: the difference of `s` with its interval and p-value.
std::string describe(const PairedSummary& s);

}  // namespace p3sim
