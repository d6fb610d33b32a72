#pragma once
// The points of a sweep's parameter space (DESIGN.md, "Sweep file": "parameters" and "design").
//
// This is the description side of a sweep: it says which parameter values each design point takes
// and knows nothing of scenarios, runs or replicates. Each parameter is one dimension; a grid
// enumerates the values of discrete parameters, the sampled designs (Latin hypercube, Sobol',
// random) draw points in the unit hypercube and map each coordinate onto its parameter, and an
// explicit design (points) takes its points as listed, for designs built elsewhere (Saltelli,
// Morris, a calibration's posterior draws). All draws
// come from the Boost engine handed in, through Boost distributions or raw engine words, so the
// same inputs and engine state give the same points with every compiler.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "random/RandomStreams.hpp"

namespace p3sim {

/// One varied parameter: where it goes in the scenario and which values it may take.
struct ParameterSpec {
  /// How the values are given.
  enum class Kind {
    Categorical,  ///< an explicit list of JSON values, `values`
    Stepped,      ///< `steps` evenly spaced numbers from `min` to `max`, both ends included
    Continuous    ///< any real number in [min, max]; not allowed on a grid
  };
  /// JSON Pointer into the scenario (may contain "*" for every array element); used in messages.
  std::string pointer;
  Kind kind = Kind::Categorical;
  /// Categorical values, in the order given (at least one). Unused for other kinds. ordered_json,
  /// as the scenario documents are, so an object value keeps its key order when patched in.
  std::vector<nlohmann::ordered_json> values;
  /// Range of a stepped or continuous parameter; finite, min <= max. Unused for categorical.
  double min = 0, max = 0;
  /// Number of stepped values, >= 1 (1 means just `min`). Unused for other kinds.
  int steps = 0;
};

/// How the design points are chosen.
enum class DesignType {
  Grid,            ///< full factorial of the discrete values, first parameter varying slowest
  LatinHypercube,  ///< `samples` points, exactly one in each of `samples` strata of every dimension
  Sobol,           ///< the first `samples` points of an Owen-scrambled Sobol' sequence
  Random,          ///< `samples` independent uniform points
  Points           ///< explicit points: point i takes the i-th value of every (categorical) parameter
};

/// The design of a sweep.
struct DesignSpec {
  DesignType type = DesignType::Grid;
  /// Number of points of a sampled design, >= 1 (at most 2^32 for Sobol'); ignored for a grid and
  /// for explicit points.
  std::int64_t samples = 0;
};

/// One design point: one value per parameter, in the order of the parameter list.
using DesignPoint = std::vector<nlohmann::ordered_json>;

/// The sweep-file name of a design type: "grid", "lhs", "sobol", "random" or "points".
const char* design_type_name(DesignType type);

/// The design type with sweep-file name `name` (as design_type_name gives), or nullopt.
std::optional<DesignType> design_type_from_name(std::string_view name);

/// The discrete values of a categorical or stepped parameter, in order. Stepped values are JSON
/// floats min + (max - min) * i / (steps - 1), with the last exactly `max`.
/// Throws std::invalid_argument (message starting "parameter <pointer>: ") if the parameter is
/// continuous or malformed (no values, steps < 1, min > max, non-finite range).
std::vector<nlohmann::ordered_json> parameter_levels(const ParameterSpec& parameter);

/// Number of design points, without generating them: the product of the parameters' value counts
/// for a grid (1 when there are no parameters), the common length of the value lists for explicit
/// points, `samples` otherwise.
/// Throws std::invalid_argument for a malformed parameter, a continuous parameter on a grid, a
/// sample count out of range, or explicit points without parameters, with a range instead of a
/// list, or with lists of different lengths; std::overflow_error if a grid has more than 2^63 - 1 points, so an
/// absurd sweep is refused before anything is allocated.
std::int64_t design_point_count(const std::vector<ParameterSpec>& parameters, const DesignSpec& design);

/// The design points, design_point_count(parameters, design) of them.
///
/// Grid: row-major, the first parameter varying slowest; `rng` is not used. Points: point i is the
/// i-th value of every parameter; `rng` is not used. Sampled designs draw a
/// point u in [0,1)^n (n = number of parameters) and map coordinate u of a parameter to
/// min + u (max - min) if continuous, to the stepped value of index floor(u steps) if stepped, and
/// to values[floor(u size)] if categorical. Sobol' draws one word per parameter from `rng`; Latin
/// hypercube and random draw through Boost distributions. Same arguments and engine state give the
/// same points on every platform.
/// Throws as design_point_count does (and std::bad_alloc if the points do not fit in memory; the
/// sweep validator is expected to have refused such counts first).
std::vector<DesignPoint> design_points(const std::vector<ParameterSpec>& parameters, const DesignSpec& design,
                                       Engine& rng);

}  // namespace p3sim
