// The calibration schema text (see CalibrationSchema.hpp), one JSON literal so that it reads like
// what `p3sim schema calibration` prints. The metric enums are filled in from RunResult.hpp.
#include "sweep/CalibrationSchema.hpp"

#include "result/RunResult.hpp"

namespace p3sim {

const nlohmann::json& calibration_schema() {
  static const nlohmann::json schema = [] {
    nlohmann::json parsed = nlohmann::json::parse(R"json({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://p3sim.example/schema/calibration.json",
  "title": "p3sim calibration",
  "description": "ABC-SMC calibration of scenario parameters to observed statistics (docs/calibration.md).",
  "type": "object",
  "additionalProperties": false,
  "required": ["scenario", "parameters", "targets"],
  "properties": {
    "description": {"type": "string", "description": "What is calibrated to what, in one sentence."},
    "note": {"type": "string", "description": "Where the observed values come from and how to read the fit."},
    "scenario": {
      "type": ["string", "object"],
      "description": "The scenario: a path relative to the calibration file, or the scenario document itself."
    },
    "steps": {
      "type": "integer", "minimum": 0, "maximum": 100000,
      "description": "Steps per run; overrides the scenario's /steps when given."
    },
    "seed": {
      "type": "integer", "minimum": 0, "maximum": 9007199254740991, "default": 0,
      "description": "Master seed: every proposal and simulation seed is derived from it."
    },
    "pitfalls": {
      "type": "array", "items": {"type": "string", "minLength": 1}, "default": [],
      "description": "Pitfalls switched on in every run, applied after the parameters."
    },
    "parameters": {
      "type": "object",
      "minProperties": 1,
      "maxProperties": 64,
      "propertyNames": {"minLength": 1},
      "description": "Calibrated parameters: JSON Pointer into the scenario ('*' for every array element) -> prior.",
      "additionalProperties": {"$ref": "#/$defs/prior"}
    },
    "targets": {
      "type": "array",
      "minItems": 1,
      "maxItems": 1000,
      "description": "Observed statistics the runs should reproduce.",
      "items": {"$ref": "#/$defs/target"}
    },
    "distance": {
      "type": "string", "enum": ["euclidean", "manhattan"], "default": "euclidean",
      "description": "How the scaled differences of all targets combine into one distance."
    },
    "abc": {
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "description": "Settings of the ABC-SMC (population Monte Carlo) algorithm.",
      "properties": {
        "particles": {"type": "integer", "minimum": 2, "maximum": 1000000, "default": 200,
                      "description": "Accepted particles per generation."},
        "generations": {"type": "integer", "minimum": 1, "maximum": 100, "default": 8,
                        "description": "Most generations, the prior sample (generation 0) included."},
        "quantile": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "default": 0.5,
                     "description": "Tolerance of a generation: this weighted quantile of the previous generation's distances."},
        "min_tolerance": {"type": "number", "minimum": 0, "default": 0,
                          "description": "Stop after the generation whose tolerance reaches this distance."},
        "min_acceptance": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.01,
                           "description": "Stop when a generation would accept fewer than this share of its simulated proposals."},
        "max_simulations": {"type": "integer", "minimum": 0, "maximum": 1000000000000, "default": 0,
                            "description": "Stop after the generation in which this many runs have been simulated in all (0: no budget)."},
        "replications": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1,
                         "description": "Runs per particle; the particle's statistics are their means."},
        "common_random_numbers": {"type": "boolean", "default": false,
                                  "description": "Replication r of every particle uses the same seed (less noise between particles, but the posterior is then conditional on those seeds)."},
        "stay_probability": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.7,
                             "description": "Probability that the kernel keeps a categorical parameter's level."}
      }
    }
  },
  "$defs": {
    "prior": {
      "type": "object",
      "additionalProperties": false,
      "required": ["distribution"],
      "description": "A prior: uniform {low, high}, log_uniform {low, high} (low > 0), normal {mean, sd, low, high} (truncated to [low, high]) or categorical {levels, probabilities?}.",
      "properties": {
        "distribution": {"type": "string", "enum": ["uniform", "log_uniform", "normal", "categorical"]},
        "low": {"type": "number", "description": "Lower end of the support."},
        "high": {"type": "number", "description": "Upper end of the support."},
        "mean": {"type": "number", "description": "Normal: mean before truncation."},
        "sd": {"type": "number", "exclusiveMinimum": 0, "description": "Normal: standard deviation before truncation."},
        "levels": {"type": "array", "minItems": 1, "maxItems": 1000, "description": "Categorical: the values."},
        "probabilities": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"type": "number", "minimum": 0},
                          "description": "Categorical: prior weight of each level (default: equal)."}
      }
    },
    "target": {
      "type": "object",
      "additionalProperties": false,
      "description": "An observed statistic: a series metric at a step ({series, step, value}), at several steps ({series, steps, values}), or a final metric ({final, value}).",
      "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100, "description": "Label in outputs (default: the metric)."},
        "series": {"type": "string", "enum": [], "description": "A per-step metric."},
        "final": {"type": "string", "enum": [], "description": "A per-run final metric."},
        "step": {"type": "integer", "minimum": 0, "maximum": 100000, "x-unit": "steps"},
        "steps": {"type": "array", "minItems": 1, "maxItems": 100000, "items": {"type": "integer", "minimum": 0, "maximum": 100000}},
        "value": {"type": "number", "description": "The observed value."},
        "values": {"type": "array", "minItems": 1, "maxItems": 100000, "items": {"type": "number"}, "description": "Observed values, one per step."},
        "sd": {"type": ["number", "array"], "exclusiveMinimum": 0, "items": {"type": "number", "exclusiveMinimum": 0},
               "description": "Uncertainty of the observation: scales the difference in the distance (default: the spread of generation 0)."},
        "weight": {"type": "number", "exclusiveMinimum": 0, "default": 1, "description": "Weight of the target in the distance."},
        "source": {"type": "string", "description": "Where the observed value comes from."}
      }
    }
  }
})json");
    nlohmann::json series = nlohmann::json::array(), finals = nlohmann::json::array();
    for (const char* m : kSeriesMetrics) series.push_back(m);
    for (const char* m : kFinalMetrics) finals.push_back(m);
    auto& target = parsed["$defs"]["target"]["properties"];
    target["series"]["enum"] = series;
    target["final"]["enum"] = finals;
    return parsed;
  }();
  return schema;
}

}  // namespace p3sim
