// Built-in sector profiles and priors.
#include "scenario/SectorProfiles.hpp"

#include <numeric>

#include <gtest/gtest.h>

namespace p3sim {
namespace {

TEST(SectorProfiles, IncentivesAndMixesSumToOne) {
  for (const char* name : kBuiltinSectors) {
    const Sector s = builtin_sector(name, 3);
    EXPECT_DOUBLE_EQ(std::accumulate(s.incentives.begin(), s.incentives.end(), 0.0), 1.0) << name;
    EXPECT_DOUBLE_EQ(std::accumulate(s.cooperation_mix.begin(), s.cooperation_mix.end(), 0.0), 1.0) << name;
    EXPECT_EQ(s.mandate, std::vector<double>(3, 0.5)) << name;
  }
}

TEST(SectorProfiles, CharacteristicValues) {
  EXPECT_DOUBLE_EQ(builtin_sector("government", 2).incentives[kMandate], 0.5);
  EXPECT_DOUBLE_EQ(builtin_sector("business", 2).incentives[kRevenue], 0.6);
  EXPECT_DOUBLE_EQ(builtin_sector("business", 2).cooperation_mix[1], 0.3);  // free riders
  const Sector cs = builtin_sector("civil_society", 2);
  EXPECT_TRUE(cs.local);
  EXPECT_EQ(cs.patience, 8);
  EXPECT_DOUBLE_EQ(cs.participation_cost, 0.1);
  EXPECT_THROW(builtin_sector("funder", 2), std::invalid_argument);
}

TEST(SectorProfiles, PriorsAreAsymmetricAndCivilSocietyDistrustsBusinessMost) {
  EXPECT_EQ(builtin_trust_prior("civil_society", "business"), 0.3);
  EXPECT_EQ(builtin_trust_prior("business", "civil_society"), 0.45);
  EXPECT_EQ(builtin_trust_prior("government", "government"), 0.6);
  EXPECT_EQ(builtin_trust_prior("funder", "funder"), 0.6);
  EXPECT_EQ(builtin_trust_prior("funder", "government"), std::nullopt);
}

TEST(SectorProfiles, JsonFormHasEverySchemaField) {
  const auto j = sector_to_json(builtin_sector("business", 2));
  for (const char* field : {"incentives", "mandate", "disclosure", "hierarchy_preference", "reliability", "cooperation",
                            "champion", "culture", "local", "patience", "participation_cost"}) {
    EXPECT_TRUE(j.contains(field)) << field;
  }
}

}  // namespace
}  // namespace p3sim
