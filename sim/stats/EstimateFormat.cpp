// EstimateFormat: text and JSON forms of MetricSummary and PairedSummary.
#include "stats/EstimateFormat.hpp"

#include <cmath>
#include <cstdio>

namespace p3sim {
namespace {

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json interval(const Interval& i) { return {number(i.lo), number(i.hi)}; }

std::string printf_string(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string percent(double v) {
  if (std::isnan(v)) return "-";
  return printf_string(v != 0 && std::fabs(v) < 0.01 ? "%.1f%%" : "%.0f%%", 100 * v);
}

}  // namespace

nlohmann::json to_json(const MetricSummary& s) {
  nlohmann::json j = {{"kind", kind_name(s.kind)}, {"runs", s.runs},   {"n", s.n},
                      {"estimate", number(s.estimate)}, {"ci", interval(s.ci)}, {"method", s.method()}};
  switch (s.kind) {
    case MetricKind::Share: j["successes"] = s.successes; break;
    case MetricKind::Time:
      j["reached"] = s.successes;
      j["share_reached"] = {{"estimate", number(s.share_reached)}, {"ci", interval(s.share_reached_ci)}};
      j["horizon"] = number(s.horizon);
      j["median"] = number(s.median);
      j["median_ci"] = interval(s.median_ci);
      j["sd"] = number(s.sd);
      break;
    case MetricKind::Conditional: j["defined"] = s.n; [[fallthrough]];
    case MetricKind::Bounded:
    case MetricKind::Amount:
      j["mean"] = number(s.estimate);
      j["sd"] = number(s.sd);
      break;
  }
  return j;
}

nlohmann::json to_json(const PairedSummary& s) {
  nlohmann::json j = {{"kind", kind_name(s.kind)}, {"n", s.n}, {"estimate", number(s.estimate)},
                      {"ci", interval(s.ci)},      {"p", number(s.p)}, {"method", s.method()}};
  if (s.kind != MetricKind::Share) j["sd"] = number(s.sd);
  if (s.kind == MetricKind::Time) {
    j["share_reached_difference"] = {{"estimate", number(s.share_difference)},
                                     {"ci", interval(s.share_difference_ci)},
                                     {"p", number(s.share_difference_p)}};
  }
  return j;
}

std::string format_estimate(double v) {
  if (std::isnan(v)) return "-";
  // Exact zeros print as 0 (a value like -5.7e-06 is real; -0 is not).
  return printf_string("%.4g", v == 0 ? 0.0 : v);
}

std::string format_interval(const Interval& i) {
  if (std::isnan(i.lo) || std::isnan(i.hi)) return "-";
  return "[" + format_estimate(i.lo) + ", " + (std::isinf(i.hi) ? std::string("not reached") : format_estimate(i.hi)) +
         "]";
}

std::string format_share(double share, const Interval& i) {
  if (std::isnan(share)) return "-";
  return percent(share) + " [" + percent(i.lo) + ", " + percent(i.hi) + "]";
}

std::string describe(const MetricSummary& s) {
  const std::string n = std::to_string(s.n);
  switch (s.kind) {
    case MetricKind::Share:
      return format_share(s.estimate, s.ci) + " (" + std::to_string(s.successes) + " of " + n + ")";
    case MetricKind::Time: {
      std::string out = "reached in " + std::to_string(s.successes) + " of " + n + " (" +
                        format_share(s.share_reached, s.share_reached_ci) + "); median ";
      out += std::isnan(s.median) ? std::string("not reached") : format_estimate(s.median) + " " + format_interval(s.median_ci);
      out += "; restricted mean " + format_estimate(s.estimate) + " " + format_interval(s.ci) + " within " +
             format_estimate(s.horizon);
      return out;
    }
    case MetricKind::Conditional:
      return format_estimate(s.estimate) + " " + format_interval(s.ci) + " (mean of the " + n + " of " +
             std::to_string(s.runs) + " runs where defined)";
    case MetricKind::Bounded:
    case MetricKind::Amount: break;
  }
  return format_estimate(s.estimate) + " " + format_interval(s.ci) + " (mean of " + n + ")";
}

std::string describe(const PairedSummary& s) {
  std::string out;
  if (s.kind == MetricKind::Share) {
    out = (s.estimate > 0 ? "+" : "") + percent(s.estimate) + " [" + percent(s.ci.lo) + ", " + percent(s.ci.hi) + "]";
  } else {
    out = (s.estimate > 0 ? "+" : "") + format_estimate(s.estimate) + " " + format_interval(s.ci);
  }
  out += " (p " + format_estimate(s.p) + ", " + std::to_string(s.n) + " pairs)";
  if (s.kind == MetricKind::Time) {
    out += "; reached " + std::string(s.share_difference > 0 ? "+" : "") + percent(s.share_difference) + " [" +
           percent(s.share_difference_ci.lo) + ", " + percent(s.share_difference_ci.hi) + "]";
  }
  return out;
}

}  // namespace p3sim
