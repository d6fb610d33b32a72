#include "sweep/Design.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "sweep/SobolSequence.hpp"

namespace p3sim {
namespace {

using ojson = nlohmann::ordered_json;
using Kind = ParameterSpec::Kind;

// The largest double below 1: sampled coordinates are kept in [0, 1) even where rounding of
// (stratum + offset) / samples would reach 1.
const double kBelowOne = std::nextafter(1.0, 0.0);

[[noreturn]] void fail(const ParameterSpec& p, const std::string& what) {
  throw std::invalid_argument("parameter " + p.pointer + ": " + what);
}

// JSON's shortest round-trip spelling, so messages show 0.1 rather than 0.100000.
std::string number(double x) { return ojson(x).dump(); }

void check_parameter(const ParameterSpec& p) {
  switch (p.kind) {
    case Kind::Categorical:
      if (p.values.empty()) fail(p, "a categorical parameter needs at least one value");
      return;
    case Kind::Stepped:
      if (p.steps < 1) fail(p, "steps must be at least 1, got " + std::to_string(p.steps));
      break;
    case Kind::Continuous:
      break;
  }
  // A range wider than the largest double would make min + u (max - min) infinite.
  if (!std::isfinite(p.min) || !std::isfinite(p.max) || !std::isfinite(p.max - p.min))
    fail(p, "min and max must be finite numbers less than 1.8e308 apart");
  if (p.min > p.max) fail(p, "min (" + number(p.min) + ") is greater than max (" + number(p.max) + ")");
}

// Value count of a checked discrete parameter.
std::int64_t level_count(const ParameterSpec& p) {
  return p.kind == Kind::Stepped ? p.steps : static_cast<std::int64_t>(p.values.size());
}

double stepped_value(const ParameterSpec& p, std::int64_t i) {
  // The last value is max itself, not min + (max - min), which rounding could move off max.
  if (i + 1 >= p.steps) return p.steps == 1 ? p.min : p.max;
  return p.min + (p.max - p.min) * static_cast<double>(i) / static_cast<double>(p.steps - 1);
}

// Index floor(u n) of one of n values, clamped so that rounding never leaves the list.
std::int64_t index_of(double u, std::int64_t n) {
  const auto i = static_cast<std::int64_t>(std::floor(u * static_cast<double>(n)));
  return std::clamp<std::int64_t>(i, 0, n - 1);
}

ojson map_unit(const ParameterSpec& p, double u) {
  switch (p.kind) {
    case Kind::Continuous:
      return std::clamp(p.min + u * (p.max - p.min), p.min, p.max);
    case Kind::Stepped:
      return stepped_value(p, index_of(u, p.steps));
    case Kind::Categorical:
      break;
  }
  return p.values[static_cast<std::size_t>(index_of(u, static_cast<std::int64_t>(p.values.size())))];
}

std::vector<DesignPoint> grid_points(const std::vector<ParameterSpec>& parameters, std::int64_t count) {
  std::vector<std::vector<ojson>> levels;
  levels.reserve(parameters.size());
  for (const auto& p : parameters) levels.push_back(parameter_levels(p));

  std::vector<DesignPoint> points;
  points.reserve(static_cast<std::size_t>(count));
  // A mixed-radix counter whose last digit turns fastest gives row-major order.
  std::vector<std::size_t> digit(parameters.size(), 0);
  for (std::int64_t k = 0; k < count; ++k) {
    DesignPoint point;
    point.reserve(parameters.size());
    for (std::size_t d = 0; d < parameters.size(); ++d) point.push_back(levels[d][digit[d]]);
    points.push_back(std::move(point));
    for (std::size_t d = parameters.size(); d-- > 0;) {
      if (++digit[d] < levels[d].size()) break;
      digit[d] = 0;
    }
  }
  return points;
}

// Explicit points: the i-th value of every parameter (lists of equal length, checked).
std::vector<DesignPoint> listed_points(const std::vector<ParameterSpec>& parameters, std::int64_t count) {
  std::vector<DesignPoint> points(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < points.size(); ++i) {
    points[i].reserve(parameters.size());
    for (const auto& p : parameters) points[i].push_back(p.values[i]);
  }
  return points;
}

// Point count of an explicit design: every parameter a list, all of one length.
std::int64_t listed_point_count(const std::vector<ParameterSpec>& parameters) {
  if (parameters.empty())
    throw std::invalid_argument("design: a points design needs at least one parameter (a list of values per point)");
  for (const auto& p : parameters) {
    if (p.kind != Kind::Categorical)
      fail(p, "a points design takes a list of values, one per point, not a range");
    if (p.values.size() != parameters.front().values.size())
      fail(p, std::to_string(p.values.size()) + " values where " + parameters.front().pointer + " has " +
                  std::to_string(parameters.front().values.size()) + "; a points design needs one value per point");
  }
  return static_cast<std::int64_t>(parameters.front().values.size());
}

// Unit-cube coordinates, unit[point][dimension].
using UnitPoints = std::vector<std::vector<double>>;

UnitPoints latin_hypercube(std::size_t dimensions, std::int64_t samples, Engine& rng) {
  const auto n = static_cast<std::size_t>(samples);
  UnitPoints unit(n, std::vector<double>(dimensions));
  boost::random::uniform_01<double> offset;
  std::vector<std::int64_t> stratum(n);
  // Dimension by dimension: shuffle the strata, then place each point uniformly inside its stratum.
  for (std::size_t d = 0; d < dimensions; ++d) {
    for (std::size_t i = 0; i < n; ++i) stratum[i] = static_cast<std::int64_t>(i);
    // Fisher-Yates with a Boost distribution (std::shuffle differs between standard libraries).
    for (std::size_t i = n; i-- > 1;) {
      boost::random::uniform_int_distribution<std::int64_t> pick(0, static_cast<std::int64_t>(i));
      std::swap(stratum[i], stratum[static_cast<std::size_t>(pick(rng))]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double u = (static_cast<double>(stratum[i]) + offset(rng)) / static_cast<double>(samples);
      unit[i][d] = std::min(u, kBelowOne);
    }
  }
  return unit;
}

UnitPoints sobol(std::size_t dimensions, std::int64_t samples, Engine& rng) {
  UnitPoints unit(static_cast<std::size_t>(samples), std::vector<double>(dimensions));
  if (dimensions == 0) return unit;  // nothing to scramble; the points are empty
  SobolSequence sequence(dimensions, rng);
  for (auto& point : unit) sequence.next(point);
  return unit;
}

UnitPoints random_points(std::size_t dimensions, std::int64_t samples, Engine& rng) {
  UnitPoints unit(static_cast<std::size_t>(samples), std::vector<double>(dimensions));
  boost::random::uniform_01<double> uniform;
  for (auto& point : unit)
    for (auto& u : point) u = uniform(rng);
  return unit;
}

}  // namespace

const char* design_type_name(DesignType type) {
  switch (type) {
    case DesignType::Grid:
      return "grid";
    case DesignType::LatinHypercube:
      return "lhs";
    case DesignType::Sobol:
      return "sobol";
    case DesignType::Random:
      return "random";
    case DesignType::Points:
      return "points";
  }
  return "grid";  // unreachable; keeps compilers that do not see the switch as exhaustive quiet
}

std::optional<DesignType> design_type_from_name(std::string_view name) {
  for (DesignType t :
       {DesignType::Grid, DesignType::LatinHypercube, DesignType::Sobol, DesignType::Random, DesignType::Points})
    if (name == design_type_name(t)) return t;
  return std::nullopt;
}

std::vector<ojson> parameter_levels(const ParameterSpec& parameter) {
  check_parameter(parameter);
  switch (parameter.kind) {
    case Kind::Categorical:
      return parameter.values;
    case Kind::Stepped: {
      std::vector<ojson> levels;
      levels.reserve(static_cast<std::size_t>(parameter.steps));
      for (int i = 0; i < parameter.steps; ++i) levels.emplace_back(stepped_value(parameter, i));
      return levels;
    }
    case Kind::Continuous:
      break;
  }
  fail(parameter,
       "a continuous range has no finite list of values, so it cannot be swept on a grid; give \"steps\" "
       "or use a sampled design (lhs, sobol, random)");
}

std::int64_t design_point_count(const std::vector<ParameterSpec>& parameters, const DesignSpec& design) {
  for (const auto& p : parameters) check_parameter(p);
  if (design.type == DesignType::Points) return listed_point_count(parameters);
  if (design.type != DesignType::Grid) {
    if (design.samples < 1)
      throw std::invalid_argument("design: samples must be at least 1, got " + std::to_string(design.samples));
    if (design.type == DesignType::Sobol) {
      if (parameters.size() > SobolSequence::kMaxDimensions)
        throw std::invalid_argument("design: a sobol design takes at most " +
                                    std::to_string(SobolSequence::kMaxDimensions) + " parameters, got " +
                                    std::to_string(parameters.size()));
      if (static_cast<std::uint64_t>(design.samples) > SobolSequence::kMaxPoints)
        throw std::invalid_argument("design: a sobol design takes at most " +
                                    std::to_string(SobolSequence::kMaxPoints) + " samples, got " +
                                    std::to_string(design.samples));
    }
    return design.samples;
  }
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t count = 1;
  for (const auto& p : parameters) {
    if (p.kind == Kind::Continuous) (void)parameter_levels(p);  // throws the grid message
    const std::int64_t n = level_count(p);
    if (count > kMax / n)
      throw std::overflow_error("design: the grid has more than " + std::to_string(kMax) +
                                " points (the product of the parameters' value counts)");
    count *= n;
  }
  return count;
}

std::vector<DesignPoint> design_points(const std::vector<ParameterSpec>& parameters, const DesignSpec& design,
                                       Engine& rng) {
  const std::int64_t count = design_point_count(parameters, design);
  UnitPoints unit;
  switch (design.type) {
    case DesignType::Grid:
      return grid_points(parameters, count);
    case DesignType::Points:
      return listed_points(parameters, count);
    case DesignType::LatinHypercube:
      unit = latin_hypercube(parameters.size(), count, rng);
      break;
    case DesignType::Sobol:
      unit = sobol(parameters.size(), count, rng);
      break;
    case DesignType::Random:
      unit = random_points(parameters.size(), count, rng);
      break;
  }
  std::vector<DesignPoint> points;
  points.reserve(unit.size());
  for (const auto& u : unit) {
    DesignPoint point;
    point.reserve(parameters.size());
    for (std::size_t d = 0; d < parameters.size(); ++d) point.push_back(map_unit(parameters[d], u[d]));
    points.push_back(std::move(point));
  }
  return points;
}

}  // namespace p3sim
