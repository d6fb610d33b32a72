// An ABC-SMC calibration, generation by generation (see Calibration.hpp).
#include "sweep/Calibration.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace p3sim {
namespace {

// Thrown by the sink once the generation has its particles: stops the runner's workers.
struct GenerationFull {};

// Proposals of one batch: twice what the acceptance seen so far (in this generation once it has
// simulated some, else the previous generation's, lowered by the quantile) says the missing
// particles need, at least one particle count. A batch too large costs nothing (the runner stops at
// the N-th acceptance), one too small costs a pause of the threads while the next is drawn. Batch
// sizes change how many runs are wasted past the last accepted particle, never which are accepted.
std::int64_t batch_size(std::int64_t missing, std::int64_t accepted, std::int64_t simulated, std::int64_t particles,
                        double previous_rate) {
  double rate = simulated >= 50 ? static_cast<double>(accepted + 1) / static_cast<double>(simulated + 1) : previous_rate;
  rate = std::clamp(rate, 1e-3, 1.0);
  const double wanted = 2.0 * static_cast<double>(missing) / rate;
  return std::clamp(static_cast<std::int64_t>(std::ceil(wanted)), particles, 20 * particles);
}

}  // namespace

Calibration::Calibration(CalibrationSpec spec) : spec_(std::move(spec)) {
  for (const CalibrationParameter& p : spec_.parameters) priors_.push_back(p.prior);
}

std::int64_t Calibration::simulations() const {
  std::int64_t total = 0;
  for (const AbcGeneration& g : generations_) total += g.simulations;
  return total;
}

Proposal Calibration::proposal(int generation) const {
  if (generation == 0) return Proposal(priors_, spec_.abc.stay_probability);
  return Proposal(priors_, spec_.abc.stay_probability, generations_.at(static_cast<std::size_t>(generation - 1)));
}

RunResult Calibration::run_job(const Proposal& proposal, int generation, std::int64_t id) const {
  const int replications = spec_.abc.replications;
  const std::int64_t attempt = id / replications;
  const int replication = static_cast<int>(id % replications);
  const Proposal::Draw draw = proposal.draw(proposal_seed(spec_.seed, generation, attempt));
  return simulate_proposal(
      spec_, draw, simulation_seed(spec_.seed, generation, attempt, replication, spec_.abc.common_random_numbers));
}

bool Calibration::run_generation(const CalibrationRunner& runner, const EnsembleOptions& options,
                                 const GenerationProgress& progress) {
  const int g = next_generation();
  const std::int64_t n = spec_.abc.particles;
  const int replications = spec_.abc.replications;
  const std::size_t k = spec_.targets.size();
  const Proposal proposal = this->proposal(g);
  AbcGeneration gen;
  if (g > 0) {
    const AbcGeneration& previous = generations_.back();
    gen.tolerance = std::max(weighted_quantile(previous.distances, previous.weights, spec_.abc.quantile),
                             spec_.abc.min_tolerance);
  }
  // Proposals simulated without reaching N acceptances that make the generation give up.
  const double most = spec_.abc.min_acceptance > 0 ? std::ceil(static_cast<double>(n) / spec_.abc.min_acceptance)
                                                   : std::numeric_limits<double>::infinity();
  const double previous_rate = g > 0 ? generations_.back().acceptance_rate() * spec_.abc.quantile : 1.0;
  std::vector<double> log_weights;
  std::int64_t next_attempt = 0;
  bool gave_up = false;
  const auto job = [&](std::int64_t id) { return run_job(proposal, g, id); };
  while (gen.size() < n && !gave_up) {
    const std::int64_t batch =
        g == 0 ? n : batch_size(n - gen.size(), gen.size(), gen.simulated, n, previous_rate);
    std::vector<std::int64_t> jobs;
    std::vector<Proposal::Draw> draws;  // of the proposals simulated in this batch, in order
    std::vector<std::int64_t> attempt_of;
    for (std::int64_t a = next_attempt; a < next_attempt + batch; ++a) {
      Proposal::Draw d = proposal.draw(proposal_seed(spec_.seed, g, a));
      if (!d.in_support) continue;
      for (int r = 0; r < replications; ++r) jobs.push_back(a * replications + r);
      draws.push_back(std::move(d));
      attempt_of.push_back(a);
    }
    std::vector<double> sum(k, 0.0);
    std::int64_t last_attempt = next_attempt + batch - 1;  // the last proposal this batch decided
    const auto sink = [&](std::int64_t i, RunResult& result) {
      if (result.status != RunStatus::Done) {
        throw std::runtime_error("a run of generation " + std::to_string(g) + " failed: " + result.message);
      }
      const std::vector<double> s = target_statistics(result, spec_.targets);
      for (std::size_t c = 0; c < k; ++c) sum[c] += s[c];
      if ((i + 1) % replications != 0) return;
      const std::size_t which = static_cast<std::size_t>(i / replications);
      for (double& x : sum) x /= replications;
      ++gen.simulated;
      gen.simulations += replications;
      const double d = g == 0 ? 0.0 : abc_distance(sum, spec_.targets, scales_, spec_.distance);
      if (g == 0 || d <= gen.tolerance) {
        const Proposal::Draw& draw = draws[which];
        gen.values.insert(gen.values.end(), draw.natural.begin(), draw.natural.end());
        gen.statistics.insert(gen.statistics.end(), sum.begin(), sum.end());
        gen.distances.push_back(d);
        gen.weights.push_back(0.0);
        log_weights.push_back(proposal.log_weight(draw.internal));
      }
      std::fill(sum.begin(), sum.end(), 0.0);
      if (progress) progress(g, gen.size(), gen.simulated);
      if (gen.size() == n || static_cast<double>(gen.simulated) >= most) {
        last_attempt = attempt_of[which];
        throw GenerationFull{};
      }
    };
    EnsembleSummary summary;
    bool full = false;
    try {
      summary = runner(jobs, job, sink, options);
    } catch (const GenerationFull&) {
      full = true;
    }
    if (!full && summary.stopped) return false;
    next_attempt = last_attempt + 1;
    gen.attempts = next_attempt;
    if (gen.size() < n && static_cast<double>(gen.simulated) >= most) gave_up = true;
  }
  if (gave_up) {
    stop_reason_ = "acceptance";
    return true;
  }
  gen.weights = normalize_log_weights(log_weights);
  finish_generation(std::move(gen));
  return true;
}

void Calibration::finish_generation(AbcGeneration gen) {
  if (generations_.empty()) {
    scales_ = distance_scales(spec_.targets, gen.statistics);
    const std::size_t k = spec_.targets.size();
    for (std::size_t j = 0; j < gen.distances.size(); ++j) {
      const std::vector<double> s(gen.statistics.begin() + static_cast<std::ptrdiff_t>(j * k),
                                  gen.statistics.begin() + static_cast<std::ptrdiff_t>((j + 1) * k));
      gen.distances[j] = abc_distance(s, spec_.targets, scales_, spec_.distance);
    }
  }
  const double tolerance = gen.tolerance;
  generations_.push_back(std::move(gen));
  if (next_generation() >= spec_.abc.generations) {
    stop_reason_ = "generations";
  } else if (generations_.size() > 1 && spec_.abc.min_tolerance > 0 && tolerance <= spec_.abc.min_tolerance) {
    stop_reason_ = "tolerance";
  } else if (spec_.abc.max_simulations > 0 && simulations() >= spec_.abc.max_simulations) {
    stop_reason_ = "budget";
  }
}

PosteriorData Calibration::data(const Provenance& provenance) const {
  PosteriorData d;
  d.provenance = provenance;
  d.calibration_json = spec_.json_text();
  d.stop_reason = stop_reason_;
  d.complete = finished();
  d.particles = spec_.abc.particles;
  for (const CalibrationParameter& p : spec_.parameters) {
    d.parameter_names.push_back(p.pointer);
    d.parameter_priors.push_back(p.prior.json().dump());
    d.parameter_kinds.push_back(p.prior.categorical() ? "categorical" : "continuous");
  }
  for (std::size_t c = 0; c < spec_.targets.size(); ++c) {
    const TargetComponent& t = spec_.targets[c];
    d.target_names.push_back(t.name);
    d.target_metrics.push_back(t.metric);
    d.target_sources.push_back(t.final ? "final" : "series");
    d.target_steps.push_back(t.step);
    d.observed.push_back(t.observed);
    d.target_weights.push_back(t.weight);
  }
  d.scales = scales_.empty() ? std::vector<double>(spec_.targets.size(), 0.0) : scales_;
  for (const AbcGeneration& g : generations_) {
    PosteriorGeneration out;
    out.tolerance = g.tolerance;
    out.attempts = g.attempts;
    out.simulated = g.simulated;
    out.simulations = g.simulations;
    out.acceptance_rate = g.acceptance_rate();
    out.ess = g.ess();
    out.values = g.values;
    out.weights = g.weights;
    out.distances = g.distances;
    out.statistics = g.statistics;
    d.generations.push_back(std::move(out));
  }
  return d;
}

void Calibration::restore(const PosteriorData& data) {
  const std::size_t n = static_cast<std::size_t>(spec_.abc.particles), p = priors_.size(), k = spec_.targets.size();
  generations_.clear();
  stop_reason_.clear();
  for (const PosteriorGeneration& in : data.generations) {
    if (in.weights.size() != n || in.values.size() != n * p || in.statistics.size() != n * k) {
      throw std::runtime_error("its generations do not have the particles, parameters and targets of this calibration");
    }
    AbcGeneration g;
    g.tolerance = in.tolerance;
    g.attempts = in.attempts;
    g.simulated = in.simulated;
    g.simulations = in.simulations;
    g.values = in.values;
    g.weights = in.weights;
    g.distances = in.distances;
    g.statistics = in.statistics;
    generations_.push_back(std::move(g));
  }
  scales_ = generations_.empty() ? std::vector<double>{} : data.scales;
  stop_reason_ = data.stop_reason;
}

}  // namespace p3sim
