// Summaries of a calibration's posterior (see PosteriorSummary.hpp).
#include "sweep/PosteriorSummary.hpp"

#include <cmath>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <nlohmann/json.hpp>

#include "sweep/AbcSmc.hpp"

namespace p3sim {
namespace {

// The prior's central interval at `level`, from its quantile function.
void prior_interval(const Prior& prior, double level, double& low, double& high) {
  const double a = (1 - level) / 2, b = 1 - a;
  switch (prior.kind) {
    case Prior::Kind::Uniform:
      low = prior.low + a * (prior.high - prior.low);
      high = prior.low + b * (prior.high - prior.low);
      return;
    case Prior::Kind::LogUniform: {
      const double l = std::log(prior.low), h = std::log(prior.high);
      low = std::exp(l + a * (h - l));
      high = std::exp(l + b * (h - l));
      return;
    }
    case Prior::Kind::Normal: {
      const boost::math::normal_distribution<double> unit;
      const double pa = boost::math::cdf(unit, (prior.low - prior.mean) / prior.sd);
      const double pb = boost::math::cdf(unit, (prior.high - prior.mean) / prior.sd);
      low = prior.mean + prior.sd * boost::math::quantile(unit, pa + a * (pb - pa));
      high = prior.mean + prior.sd * boost::math::quantile(unit, pa + b * (pb - pa));
      return;
    }
    case Prior::Kind::Categorical: return;
  }
}

}  // namespace

PosteriorSummary summarize_posterior(const PosteriorData& data, double level) {
  if (data.generations.empty()) throw std::invalid_argument("the calibration has no completed generation yet");
  const PosteriorGeneration& last = data.generations.back();
  PosteriorSummary s;
  s.generations = static_cast<int>(data.generations.size());
  s.particles = static_cast<std::int64_t>(last.weights.size());
  for (const PosteriorGeneration& g : data.generations) s.simulations += g.simulations;
  s.tolerance = last.tolerance;
  s.acceptance_rate = last.acceptance_rate;
  s.ess = last.ess;
  s.stop_reason = data.stop_reason;
  s.complete = data.complete;
  s.level = level;
  const std::size_t n = last.weights.size(), p = data.parameter_names.size(), k = data.target_names.size();
  const double a = (1 - level) / 2;
  for (std::size_t i = 0; i < p; ++i) {
    ParameterPosterior out;
    out.name = data.parameter_names[i];
    const Prior prior = prior_from_json(nlohmann::ordered_json::parse(data.parameter_priors[i]));
    std::vector<double> column(n);
    for (std::size_t j = 0; j < n; ++j) column[j] = last.values[j * p + i];
    if (prior.categorical()) {
      out.categorical = true;
      out.probabilities.assign(prior.levels.size(), 0.0);
      for (std::size_t j = 0; j < n; ++j) out.probabilities.at(static_cast<std::size_t>(column[j])) += last.weights[j];
      for (const auto& level_value : prior.levels) out.levels.push_back(level_value.dump());
      out.prior_probabilities = prior.probabilities;
    } else {
      double mean = 0, square = 0;
      for (std::size_t j = 0; j < n; ++j) mean += last.weights[j] * column[j];
      for (std::size_t j = 0; j < n; ++j) square += last.weights[j] * (column[j] - mean) * (column[j] - mean);
      out.mean = mean;
      out.sd = std::sqrt(square);
      out.median = weighted_quantile(column, last.weights, 0.5);
      out.low = weighted_quantile(column, last.weights, a);
      out.high = weighted_quantile(column, last.weights, 1 - a);
      prior_interval(prior, level, out.prior_low, out.prior_high);
    }
    s.parameters.push_back(std::move(out));
  }
  for (std::size_t c = 0; c < k; ++c) {
    TargetCheck t;
    t.name = data.target_names[c];
    t.observed = data.observed[c];
    t.scale = data.scales[c] > 0 ? data.scales[c] : 1.0;
    std::vector<double> column(n);
    for (std::size_t j = 0; j < n; ++j) column[j] = last.statistics[j * k + c];
    t.median = weighted_quantile(column, last.weights, 0.5);
    t.low = weighted_quantile(column, last.weights, a);
    t.high = weighted_quantile(column, last.weights, 1 - a);
    t.z = (t.observed - t.median) / t.scale;
    t.good = t.observed >= t.low && t.observed <= t.high && std::abs(t.z) <= kPoorFitZ;
    s.targets.push_back(std::move(t));
  }
  return s;
}

}  // namespace p3sim
