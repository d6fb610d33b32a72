// Provenance: timestamps, command lines that can be pasted back into a shell, and root attributes
// that survive a round trip, including a scenario larger than HDF5's 64 KiB attribute header limit.
#include "io/Provenance.hpp"

#include <gtest/gtest.h>

#include "SampleResults.hpp"
#include "Version.hpp"
#include "io/H5Handle.hpp"

namespace p3sim {
namespace {

TEST(Provenance, FormatsUtcTimesAsIso8601) {
  EXPECT_EQ(iso8601_utc(std::chrono::system_clock::time_point(std::chrono::seconds(1000000000))),
            "2001-09-09T01:46:40Z");
  EXPECT_EQ(iso8601_utc(std::chrono::system_clock::time_point{}), "1970-01-01T00:00:00Z");
}

TEST(Provenance, QuotesCommandLinesForTheShell) {
  const char* argv[] = {"p3sim", "run", "my scenario.json", "--set", "/governance/mode=\"backbone\"", "", "it's"};
  EXPECT_EQ(join_command_line(7, argv),
            "p3sim run 'my scenario.json' --set '/governance/mode=\"backbone\"' '' 'it'\\''s'");
  const char* plain[] = {"p3sim", "sweep", "s.json", "-o", "out.h5", "--threads=4"};
  EXPECT_EQ(join_command_line(6, plain), "p3sim sweep s.json -o out.h5 --threads=4");
}

TEST(Provenance, CurrentDescribesThisProgram) {
  const Provenance p = Provenance::current("p3sim run x.json", "{}", "", 42);
  EXPECT_EQ(p.format_version, kFormatVersion);
  EXPECT_EQ(p.p3sim_version, kVersion);
  EXPECT_EQ(p.git_commit, kGitCommit);
  EXPECT_EQ(p.created_utc.size(), 20u);
  EXPECT_EQ(p.created_utc.back(), 'Z');
  EXPECT_EQ(p.master_seed, 42u);
}

TEST(Provenance, RoundTripsThroughRootAttributes) {
  const std::string path = test::temp_path("provenance.h5");
  Provenance p = test::sample_provenance();
  p.scenario_json = "{\"notes\": \"" + std::string(200000, 'x') + "\"}";
  p.sweep_json = "{\"replications\": 30}";
  {
    h5::Handle file = h5::own(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create");
    write_provenance(file.get(), p);
  }
  h5::Handle file = h5::own(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open");
  EXPECT_EQ(read_provenance(file.get()), p);
}

TEST(Provenance, ReportsAMissingAttribute) {
  const std::string path = test::temp_path("no_provenance.h5");
  h5::Handle file = h5::own(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create");
  h5::QuietErrors quiet;
  try {
    read_provenance(file.get());
    FAIL() << "no error";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cannot read attribute 'format_version'", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace p3sim
