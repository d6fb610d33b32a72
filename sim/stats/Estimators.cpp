// Estimators: Wilson, Kaplan-Meier, restricted means, Newcombe, McNemar, paired t, Holm
// (definitions and references in docs/estimators.md).
#include "stats/Estimators.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "stats/Statistics.hpp"

namespace p3sim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Interval clip(Interval i, double lo, double hi) {
  if (std::isnan(i.lo) || std::isnan(i.hi)) return i;
  return {std::max(lo, i.lo), std::min(hi, i.hi)};
}

bool is_never(double v) { return v == kSentinel; }

/// S within this of 1/2 is 1/2: with censoring only at the horizon S(t) is (runs not reached)/n,
/// exactly 1/2 whenever half the runs reached the goal, and rounding must not decide the median.
constexpr double kHalfTolerance = 1e-9;

}  // namespace

Interval wilson_interval(std::size_t k, std::size_t n) {
  if (n == 0) return {};
  if (k > n) throw std::invalid_argument("wilson_interval: more successes than trials");
  const double kk = static_cast<double>(k), nn = static_cast<double>(n), z2 = kZ95 * kZ95;
  const double centre = (kk + z2 / 2) / (nn + z2);
  const double half = kZ95 * std::sqrt(kk * (nn - kk) / nn + z2 / 4) / (nn + z2);
  return clip({centre - half, centre + half}, 0.0, 1.0);
}

KaplanMeier kaplan_meier(std::span<const double> times, std::span<const std::uint8_t> event) {
  if (times.size() != event.size()) throw std::invalid_argument("kaplan_meier: times and events differ in size");
  std::vector<std::size_t> order(times.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
  KaplanMeier km;
  double s = 1, greenwood = 0;
  bool greenwood_defined = true;
  std::size_t at_risk = times.size();
  for (std::size_t i = 0; i < order.size();) {
    const double t = times[order[i]];
    std::size_t here = 0, deaths = 0;
    for (; i < order.size() && times[order[i]] == t; ++i) {
      ++here;
      if (event[order[i]] != 0) ++deaths;
    }
    if (deaths > 0) {
      const double n = static_cast<double>(at_risk), d = static_cast<double>(deaths);
      // A running product (statsmodels takes exp of a sum of logs, which can put an S that is
      // exactly 1/2 an ulp either side of it).
      s *= 1 - d / n;
      if (deaths == at_risk) greenwood_defined = false;
      if (greenwood_defined) greenwood += d / std::max(n * (n - d), 1e-12);
      km.times.push_back(t);
      km.survival.push_back(s);
      km.se.push_back(greenwood_defined ? s * std::sqrt(greenwood) : kNaN);
    }
    at_risk -= here;
  }
  return km;
}

double km_median(const KaplanMeier& km) {
  for (std::size_t j = 0; j < km.times.size(); ++j) {
    if (km.survival[j] < 0.5 - kHalfTolerance) return km.times[j];
  }
  return kNaN;
}

Interval km_median_interval(const KaplanMeier& km) {
  const auto g = [](double x) { return std::log(-std::log(x)); };
  const auto g_prime = [](double x) { return -1 / (x * std::log(x)); };
  std::ptrdiff_t first = -1, last = -1;
  for (std::size_t j = 0; j < km.times.size(); ++j) {
    const double s = km.survival[j];
    const double r = (g(s) - g(0.5)) / (g_prime(s) * km.se[j]);
    if (std::fabs(r) <= kZ95) {  // false for NaN
      if (first < 0) first = static_cast<std::ptrdiff_t>(j);
      last = static_cast<std::ptrdiff_t>(j);
    }
  }
  if (first < 0) return {};
  const auto after = static_cast<std::size_t>(last) + 1;
  return {km.times[static_cast<std::size_t>(first)], after == km.times.size() ? kInf : km.times[after]};
}

MeanInterval t_mean_interval(std::span<const double> xs, double lo_bound, double hi_bound) {
  const Estimate e = estimate_mean(xs);
  MeanInterval out;
  out.n = e.n;
  out.mean = e.mean;
  out.sd = e.sd;
  if (e.n >= 2) out.ci = clip({e.lo(), e.hi()}, lo_bound, hi_bound);
  return out;
}

double paired_t_p(std::span<const double> d) {
  const Estimate e = estimate_mean(d);
  if (e.n < 2) return kNaN;
  if (e.sd == 0) return e.mean == 0 ? 1.0 : 0.0;
  const double t = e.mean / (e.sd / std::sqrt(static_cast<double>(e.n)));
  const boost::math::students_t_distribution<double> dist(static_cast<double>(e.n - 1));
  return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(dist, std::fabs(t))));
}

double mcnemar_exact_p(std::size_t b, std::size_t c) {
  if (b + c == 0) return 1.0;
  const boost::math::binomial_distribution<double> dist(static_cast<double>(b + c), 0.5);
  return std::min(1.0, 2 * boost::math::cdf(dist, static_cast<double>(std::min(b, c))));
}

Interval newcombe_paired_interval(std::size_t a, std::size_t b, std::size_t c, std::size_t d) {
  const std::size_t n = a + b + c + d;
  if (n == 0) return {};
  const double nn = static_cast<double>(n);
  const double p1 = static_cast<double>(a + b) / nn, p2 = static_cast<double>(a + c) / nn;
  const Interval w1 = wilson_interval(a + b, n), w2 = wilson_interval(a + c, n);
  const double product = static_cast<double>(a + b) * static_cast<double>(c + d) * static_cast<double>(a + c) *
                         static_cast<double>(b + d);
  const double cross = static_cast<double>(a) * static_cast<double>(d) - static_cast<double>(b) * static_cast<double>(c);
  double corrected = 0;
  if (cross > nn / 2) corrected = cross - nn / 2;
  else if (cross < 0) corrected = cross;
  const double phi = product > 0 ? corrected / std::sqrt(product) : 0.0;
  const double dl1 = p1 - w1.lo, du1 = w1.hi - p1, dl2 = p2 - w2.lo, du2 = w2.hi - p2;
  const double lower = std::sqrt(std::max(0.0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2));
  const double upper = std::sqrt(std::max(0.0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2));
  return clip({p1 - p2 - lower, p1 - p2 + upper}, -1.0, 1.0);
}

std::vector<double> holm_adjust(std::span<const double> p) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isnan(p[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  std::vector<double> out(p.size(), kNaN);
  const double m = static_cast<double>(order.size());
  double running = 0;
  for (std::size_t j = 0; j < order.size(); ++j) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(j)) * p[order[j]]));
    out[order[j]] = running;
  }
  return out;
}

std::string_view MetricSummary::method() const {
  switch (kind) {
    case MetricKind::Share: return "wilson";
    case MetricKind::Time: return "restricted_mean_t";
    default: return "t";
  }
}

std::string_view PairedSummary::method() const {
  switch (kind) {
    case MetricKind::Share: return "newcombe10";
    case MetricKind::Time: return "restricted_mean_paired_t";
    default: return "paired_t";
  }
}

MetricSummary summarize_metric(std::span<const double> values, int metric, double horizon) {
  MetricSummary s;
  s.kind = metric_kind(metric);
  std::vector<double> xs;
  for (double v : values) {
    if (std::isfinite(v)) xs.push_back(v);
  }
  s.runs = xs.size();
  switch (s.kind) {
    case MetricKind::Share: {
      s.n = xs.size();
      s.successes = static_cast<std::size_t>(std::count_if(xs.begin(), xs.end(), [](double v) { return v >= 0.5; }));
      s.estimate = s.n ? static_cast<double>(s.successes) / static_cast<double>(s.n) : kNaN;
      s.ci = wilson_interval(s.successes, s.n);
      break;
    }
    case MetricKind::Time: {
      s.n = xs.size();
      s.horizon = horizon;
      std::vector<double> times, restricted;
      std::vector<std::uint8_t> event;
      for (double v : xs) {
        const bool reached = !is_never(v);
        s.successes += reached ? 1 : 0;
        times.push_back(reached ? v : horizon);
        event.push_back(reached ? 1 : 0);
        restricted.push_back(reached ? std::min(v, horizon) : horizon);
      }
      s.share_reached = s.n ? static_cast<double>(s.successes) / static_cast<double>(s.n) : kNaN;
      s.share_reached_ci = wilson_interval(s.successes, s.n);
      const KaplanMeier km = kaplan_meier(times, event);
      s.median = km_median(km);
      s.median_ci = km_median_interval(km);
      const MeanInterval m = t_mean_interval(restricted, 0.0, horizon);
      s.estimate = m.mean;
      s.sd = m.sd;
      s.ci = m.ci;
      break;
    }
    case MetricKind::Bounded:
    case MetricKind::Amount:
    case MetricKind::Conditional: {
      if (s.kind == MetricKind::Conditional) std::erase_if(xs, is_never);
      const double upper = metric_upper_bound(metric);
      const MeanInterval m = std::isfinite(upper) ? t_mean_interval(xs, 0.0, upper) : t_mean_interval(xs, 0.0);
      s.n = m.n;
      s.estimate = m.mean;
      s.sd = m.sd;
      s.ci = m.ci;
      break;
    }
  }
  return s;
}

PairedSummary compare_metric(std::span<const double> baseline, std::span<const double> variant, int metric,
                             double horizon) {
  if (baseline.size() != variant.size()) throw std::invalid_argument("compare_metric: samples of different sizes");
  PairedSummary s;
  s.kind = metric_kind(metric);
  std::vector<std::pair<double, double>> pairs;  // (baseline, variant)
  for (std::size_t r = 0; r < baseline.size(); ++r) {
    if (!std::isfinite(baseline[r]) || !std::isfinite(variant[r])) continue;
    if (s.kind == MetricKind::Conditional && (is_never(baseline[r]) || is_never(variant[r]))) continue;
    pairs.emplace_back(baseline[r], variant[r]);
  }
  s.n = pairs.size();
  // Paired binary outcomes: a = both, b = variant only, c = baseline only, d = neither.
  const auto binary = [&](auto yes, double& estimate, Interval& ci, double& p) {
    std::size_t a = 0, b = 0, c = 0, d = 0;
    for (const auto& [x0, x1] : pairs) {
      const bool y0 = yes(x0), y1 = yes(x1);
      (y0 && y1 ? a : y1 ? b : y0 ? c : d) += 1;
    }
    estimate = s.n ? (static_cast<double>(b) - static_cast<double>(c)) / static_cast<double>(s.n) : kNaN;
    ci = newcombe_paired_interval(a, b, c, d);
    p = s.n ? mcnemar_exact_p(b, c) : kNaN;
  };
  const auto paired_t = [&](auto transform, double bound) {
    std::vector<double> d;
    for (const auto& [x0, x1] : pairs) d.push_back(transform(x1) - transform(x0));
    const MeanInterval m = t_mean_interval(d, -bound, bound);
    s.estimate = m.mean;
    s.sd = m.sd;
    s.ci = m.ci;
    s.p = paired_t_p(d);
  };
  const auto identity = [](double v) { return v; };
  switch (s.kind) {
    case MetricKind::Share:
      binary([](double v) { return v >= 0.5; }, s.estimate, s.ci, s.p);
      break;
    case MetricKind::Time:
      paired_t([&](double v) { return is_never(v) ? horizon : std::min(v, horizon); }, horizon);
      binary([](double v) { return !is_never(v); }, s.share_difference, s.share_difference_ci, s.share_difference_p);
      break;
    case MetricKind::Bounded: paired_t(identity, 1.0); break;
    case MetricKind::Amount:
    case MetricKind::Conditional: paired_t(identity, metric_upper_bound(metric)); break;
  }
  return s;
}

}  // namespace p3sim
