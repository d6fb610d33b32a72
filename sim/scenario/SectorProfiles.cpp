#include "scenario/SectorProfiles.hpp"

#include <stdexcept>

namespace p3sim {
namespace {

Sector make(const char* name, std::array<double, kChannels> incentives, double disclosure,
            double hierarchy_preference, double reliability, std::array<double, 3> mix, double champion,
            std::array<double, 2> culture, bool local, int patience, double participation_cost) {
  Sector s;
  s.name = name;
  s.incentives = incentives;
  s.disclosure = disclosure;
  s.hierarchy_preference = hierarchy_preference;
  s.reliability = reliability;
  s.cooperation_mix = {mix[0], mix[1], mix[2], 0.0};  // no sector profile has hump-shaped contributors
  s.champion = champion;
  s.culture = culture;
  s.local = local;
  s.patience = patience;
  s.participation_cost = participation_cost;
  return s;
}

// Government answers to its mandate and accepts hierarchy; business to revenue and visibility and is
// impatient; civil society to impact, is the most open, local, and most patient.
const std::vector<Sector>& profiles() {
  static const std::vector<Sector> table = {
      make("government", {0.3, 0.0, 0.5, 0.2}, 0.5, 0.6, 0.8, {0.6, 0.1, 0.3}, 0.6, {0.2, 0.8}, false, 6, 0.15),
      make("business", {0.15, 0.6, 0.0, 0.25}, 0.3, 0.3, 0.85, {0.6, 0.3, 0.1}, 0.5, {0.8, 0.6}, false, 4, 0.2),
      make("civil_society", {0.7, 0.0, 0.1, 0.2}, 0.7, 0.2, 0.75, {0.6, 0.05, 0.35}, 0.7, {0.3, 0.2}, true, 8,
           0.1),
  };
  return table;
}

struct PairPrior {
  const char* truster;
  const char* trustee;
  double prior;
};

// Cross-sector suspicion is asymmetric: civil society trusts business least (0.3).
constexpr PairPrior kPairPriors[] = {
    {"government", "business", 0.45},    {"government", "civil_society", 0.5},
    {"business", "government", 0.45},    {"business", "civil_society", 0.45},
    {"civil_society", "government", 0.4}, {"civil_society", "business", 0.3},
};

}  // namespace

bool is_builtin_sector(std::string_view name) {
  for (const char* s : kBuiltinSectors) {
    if (name == s) return true;
  }
  return false;
}

const std::vector<std::string>& builtin_sector_names() {
  static const std::vector<std::string> names(std::begin(kBuiltinSectors), std::end(kBuiltinSectors));
  return names;
}

Sector builtin_sector(std::string_view name, int dimensions) {
  for (const Sector& s : profiles()) {
    if (s.name == name) {
      Sector copy = s;
      copy.mandate.assign(static_cast<std::size_t>(std::max(dimensions, 1)), kBuiltinMandate);
      return copy;
    }
  }
  throw std::invalid_argument("not a built-in sector: " + std::string(name));
}

nlohmann::ordered_json sector_to_json(const Sector& s) {
  nlohmann::ordered_json j;
  for (int c = 0; c < kChannels; ++c) j["incentives"][kChannelNames[c]] = s.incentives[static_cast<std::size_t>(c)];
  j["mandate"] = s.mandate;
  j["disclosure"] = s.disclosure;
  j["hierarchy_preference"] = s.hierarchy_preference;
  j["reliability"] = s.reliability;
  j["cooperation"] = {{"conditional", s.cooperation_mix[0]},
                      {"free_rider", s.cooperation_mix[1]},
                      {"unconditional", s.cooperation_mix[2]},
                      {"hump_shaped", s.cooperation_mix[3]}};
  j["champion"] = s.champion;
  j["culture"] = s.culture;
  j["local"] = s.local;
  j["patience"] = s.patience;
  j["participation_cost"] = s.participation_cost;
  return j;
}

std::optional<double> builtin_trust_prior(std::string_view truster, std::string_view trustee) {
  // Familiarity within a sector holds for declared sectors too, not only the built-in ones.
  if (truster == trustee) return kSameSectorPrior;
  for (const PairPrior& p : kPairPriors) {
    if (truster == p.truster && trustee == p.trustee) return p.prior;
  }
  return std::nullopt;
}

}  // namespace p3sim
