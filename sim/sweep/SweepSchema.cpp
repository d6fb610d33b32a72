// The sweep schema text (see SweepSchema.hpp). Kept as one JSON literal so that it reads like
// the file `p3sim schema sweep` prints.
#include "sweep/SweepSchema.hpp"

#include "result/RunResult.hpp"

namespace p3sim {

const nlohmann::json& sweep_schema() {
  static const nlohmann::json schema = [] {
  nlohmann::json parsed = nlohmann::json::parse(R"json({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://p3sim.example/schema/sweep.json",
  "title": "p3sim sweep",
  "description": "A set of runs of one scenario: design points (parameter values and pitfall sets) times replicates.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "scenario"
  ],
  "properties": {
    "description": {
      "type": "string",
      "description": "What the sweep asks, in one sentence (shown by p3sim list)."
    },
    "note": {
      "type": "string",
      "description": "How to read the sweep's results: what to compare, what to expect."
    },
    "scenario": {
      "type": [
        "string",
        "object"
      ],
      "description": "The base scenario: a path relative to the sweep file, or the scenario document itself."
    },
    "replications": {
      "type": "integer",
      "minimum": 1,
      "maximum": 1000000,
      "default": 1,
      "description": "Runs per design point; replicate r of every point uses the same seed."
    },
    "seed": {
      "type": "integer",
      "minimum": 0,
      "maximum": 9007199254740991,
      "default": 0,
      "description": "Master seed; the seed of replicate r is derived from (seed, r)."
    },
    "steps": {
      "type": "integer",
      "minimum": 0,
      "maximum": 100000,
      "description": "Steps per run; overrides the scenario's /steps when given."
    },
    "design": {
      "description": "How design points are chosen: \"grid\" (every combination of the levels), a sampled design, or explicit points.",
      "default": "grid",
      "oneOf": [
        {
          "type": "string",
          "enum": [
            "grid"
          ]
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "type"
          ],
          "properties": {
            "type": {
              "type": "string",
              "enum": [
                "lhs",
                "sobol",
                "random",
                "points"
              ],
              "description": "Latin hypercube, scrambled Sobol', independent uniform points, or explicit points (point i takes the i-th value of every parameter's list)."
            },
            "samples": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000000,
              "description": "Number of design points drawn (lhs, sobol and random only, where it is required)."
            },
            "generator": {
              "type": "object",
              "description": "Explicit points only: what made the points (e.g. a Saltelli design and each point's place in it), kept in the result file for analysis tools; p3sim does not read it."
            }
          }
        }
      ]
    },
    "parameters": {
      "type": "object",
      "default": {},
      "description": "Varied parameters keyed by JSON Pointer into the scenario as written (\"*\" matches every element).",
      "propertyNames": {
        "minLength": 2
      },
      "additionalProperties": {
        "$ref": "#/$defs/parameter"
      }
    },
    "pitfalls": {
      "type": "array",
      "minItems": 1,
      "default": [
        []
      ],
      "description": "Pitfall sets as one more factor: each entry is a list of pitfall names switched on together.",
      "items": {
        "type": "array",
        "items": {
          "type": "string",
          "minLength": 1
        }
      }
    },
    "record": {
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "description": "What each run stores in the result file.",
      "properties": {
        "series": {
          "type": "array",
          "items": {
            "type": "string",
            "enum": []
          },
          "description": "Series recorded under /series (and /series_by_sector for members and effort); default all."
        },
        "every": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100000,
          "default": 1,
          "description": "Record every N-th step (0, N, 2N...)."
        },
        "events": {
          "type": "boolean",
          "default": true,
          "description": "Whether the /events table is written."
        }
      }
    }
  },
  "$defs": {
    "parameter": {
      "description": "A list of levels, evenly spaced steps {min, max, steps}, or a continuous range {min, max} (sampled designs only).",
      "oneOf": [
        {
          "type": "array",
          "minItems": 1,
          "description": "Categorical levels, in order."
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "min",
            "max"
          ],
          "properties": {
            "min": {
              "type": "number",
              "description": "Lowest value."
            },
            "max": {
              "type": "number",
              "description": "Highest value (>= min)."
            },
            "steps": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000000,
              "description": "Number of evenly spaced values, both ends included; omit for a continuous range."
            }
          }
        }
      ]
    }
  }
})json");
  // The series names come from the output contract itself, so that a new series can be recorded
  // selectively as soon as it exists.
  nlohmann::json& names = parsed["properties"]["record"]["properties"]["series"]["items"]["enum"];
  for (const char* name : kSeriesMetrics) names.push_back(name);
  return parsed;
  }();
  return schema;
}

}  // namespace p3sim
