// Priors of calibrated parameters (see Prior.hpp).
#include "sweep/Prior.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <boost/random/uniform_01.hpp>

namespace p3sim {
namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

double uniform(Engine& rng) {
  boost::random::uniform_01<double> u;
  return u(rng);
}

// Standard normal CDF and quantile from Boost.Math: a fixed implementation, not the platform's libm.
double phi(double z) { return boost::math::cdf(boost::math::normal_distribution<double>(), z); }
double phi_inverse(double p) { return boost::math::quantile(boost::math::normal_distribution<double>(), p); }

}  // namespace

const char* Prior::name() const {
  switch (kind) {
    case Kind::Uniform: return "uniform";
    case Kind::LogUniform: return "log_uniform";
    case Kind::Normal: return "normal";
    case Kind::Categorical: return "categorical";
  }
  return "?";
}

double Prior::to_internal(double natural) const { return kind == Kind::LogUniform ? std::log(natural) : natural; }
double Prior::to_natural(double internal) const { return kind == Kind::LogUniform ? std::exp(internal) : internal; }

double Prior::sample_internal(Engine& rng) const {
  const double u = uniform(rng);
  switch (kind) {
    case Kind::Uniform: return low + u * (high - low);
    case Kind::LogUniform: return std::log(low) + u * (std::log(high) - std::log(low));
    case Kind::Normal: {
      // Inverse CDF over the truncation; clamped so that rounding never leaves the support.
      const double a = phi((low - mean) / sd), b = phi((high - mean) / sd);
      const double p = std::min(std::max(a + u * (b - a), 1e-300), 1.0 - 1e-16);
      return std::min(std::max(mean + sd * phi_inverse(p), low), high);
    }
    case Kind::Categorical: {
      double cumulative = 0;
      for (std::size_t i = 0; i < probabilities.size(); ++i) {
        cumulative += probabilities[i];
        if (u < cumulative && probabilities[i] > 0) return static_cast<double>(i);
      }
      // u within rounding of 1: the last level with mass.
      for (std::size_t i = probabilities.size(); i-- > 0;) {
        if (probabilities[i] > 0) return static_cast<double>(i);
      }
      return 0;
    }
  }
  return 0;
}

double Prior::log_density(double x) const {
  switch (kind) {
    case Kind::Uniform: return x >= low && x <= high ? 0.0 : kMinusInfinity;
    case Kind::LogUniform: return x >= std::log(low) && x <= std::log(high) ? 0.0 : kMinusInfinity;
    case Kind::Normal: {
      if (x < low || x > high) return kMinusInfinity;
      const double z = (x - mean) / sd;
      return -0.5 * z * z;
    }
    case Kind::Categorical: {
      if (x < 0 || x >= static_cast<double>(probabilities.size()) || x != std::floor(x)) return kMinusInfinity;
      const double p = probabilities[static_cast<std::size_t>(x)];
      return p > 0 ? std::log(p) : kMinusInfinity;
    }
  }
  return kMinusInfinity;
}

double Prior::internal_variance() const {
  switch (kind) {
    case Kind::Uniform: return (high - low) * (high - low) / 12.0;
    case Kind::LogUniform: {
      const double w = std::log(high) - std::log(low);
      return w * w / 12.0;
    }
    case Kind::Normal: {
      const double w = high - low;  // bounded by the truncation when that is narrower than sd
      return std::min(sd * sd, w * w / 12.0);
    }
    case Kind::Categorical: return 1.0;
  }
  return 1.0;
}

nlohmann::ordered_json Prior::scenario_value(double natural) const {
  if (kind == Kind::Categorical) return levels.at(static_cast<std::size_t>(natural));
  return natural;
}

nlohmann::ordered_json Prior::json() const {
  nlohmann::ordered_json out;
  out["distribution"] = name();
  switch (kind) {
    case Kind::Uniform:
    case Kind::LogUniform:
      out["low"] = low;
      out["high"] = high;
      break;
    case Kind::Normal:
      out["mean"] = mean;
      out["sd"] = sd;
      out["low"] = low;
      out["high"] = high;
      break;
    case Kind::Categorical:
      out["levels"] = levels;
      out["probabilities"] = probabilities;
      break;
  }
  return out;
}

Prior prior_from_json(const nlohmann::ordered_json& doc) {
  Prior p;
  const std::string name = doc.at("distribution").get<std::string>();
  if (name == "categorical") {
    p.kind = Prior::Kind::Categorical;
    for (const auto& level : doc.at("levels")) p.levels.push_back(level);
    if (doc.contains("probabilities")) {
      p.probabilities = doc["probabilities"].get<std::vector<double>>();
      if (p.probabilities.size() != p.levels.size()) {
        throw std::invalid_argument("one probability per level (" + std::to_string(p.levels.size()) + "), found " +
                                    std::to_string(p.probabilities.size()));
      }
    } else {
      p.probabilities.assign(p.levels.size(), 1.0);
    }
    const double total = std::accumulate(p.probabilities.begin(), p.probabilities.end(), 0.0);
    if (!(total > 0)) throw std::invalid_argument("probabilities that sum to more than 0");
    for (double& q : p.probabilities) q /= total;
    return p;
  }
  p.low = doc.at("low").get<double>();
  p.high = doc.at("high").get<double>();
  if (!(p.low < p.high)) throw std::invalid_argument("low below high");
  if (name == "uniform") {
    p.kind = Prior::Kind::Uniform;
  } else if (name == "log_uniform") {
    p.kind = Prior::Kind::LogUniform;
    if (!(p.low > 0)) throw std::invalid_argument("a log-uniform prior with low > 0");
  } else {
    p.kind = Prior::Kind::Normal;
    p.mean = doc.at("mean").get<double>();
    p.sd = doc.at("sd").get<double>();
  }
  return p;
}

}  // namespace p3sim
