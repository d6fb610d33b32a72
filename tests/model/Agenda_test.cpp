// Agenda: disclosure, bounded confidence, misunderstandings and bridges.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "../support/ScenarioFixture.hpp"
#include "model/Agenda.hpp"

namespace p3sim {
namespace {

using test::final_metric;

// Goals far from what each sector is expected to say, so that hiding them matters.
nlohmann::ordered_json divergent(double disclosure) {
  auto doc = test::base_scenario();
  doc["sectors"] = {{"government", {{"mandate", {0.9, 0.1}}}},
                    {"business", {{"mandate", {0.5, 0.5}}}},
                    {"civil_society", {{"mandate", {0.6, 0.4}}}}};
  for (auto& o : doc["organizations"]) o["disclosure"] = disclosure;
  doc["agenda"]["disclosure_gain"] = 0.0;
  return doc;
}

TEST(Agenda, HiddenIncentivesLowerAcceptabilityAndRaiseMisalignmentExits) {
  const Scenario closed = test::load(divergent(0.0)), open = test::load(divergent(1.0));
  auto acceptability = [](const RunResult& r) { return final_metric(r, kFAcceptability); };
  auto misaligned = [](const RunResult& r) { return final_metric(r, kFExitsMisalignment); };
  EXPECT_LT(test::mean_over_seeds(closed, 20, acceptability), test::mean_over_seeds(open, 20, acceptability) - 0.05);
  EXPECT_GT(test::mean_over_seeds(closed, 20, misaligned), test::mean_over_seeds(open, 20, misaligned));
}

TEST(Agenda, DeffuantMeetingsPullCloseStatedPositionsTogether) {
  auto doc = test::base_scenario();
  doc["agenda"]["epsilon"] = 1.0;
  doc["agenda"]["meeting_rounds"] = 30;
  doc["governance"]["communication"] = 1.0;
  for (auto& o : doc["organizations"]) o["disclosure"] = 1.0;
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 3, 7);
  auto spread = [](const PartnershipState& s) {
    double d = 0;
    int count = 0;
    for (int i : s.members())
      for (int j : s.members())
        if (i < j) d += position_distance(s.stated.row(i).transpose(), s.stated.row(j).transpose()), ++count;
    return count ? d / count : 0.0;
  };
  sim.step();
  sim.step();  // solicit: first meeting
  const double after_first = spread(sim.state());
  EXPECT_LT(after_first, 0.1);
  // With a confidence bound of zero nobody moves.
  doc["agenda"]["epsilon"] = 0.0;
  const Scenario stubborn = test::load(doc);
  Simulation still(stubborn, 3, 7);
  still.step();
  still.step();
  EXPECT_GT(spread(still.state()), after_first + 0.05);
}

// Issue 19: in backbone and network modes the agenda is the plain mean of stated positions, and
// Deffuant moves are symmetric, so meetings alone leave the agenda and every alignment as they
// were (epsilon 0.3 and 1.0 gave the same bytes). With internalization a meeting's move becomes
// part of the member's own goal: the closer partners come, the more they accept the agenda.
TEST(Agenda, MeetingsMoveWhatPartnersAcceptOnlyThroughInternalization) {
  auto doc = divergent(1.0);
  doc["governance"] = {{"mode", "network"}, {"communication", 1.0}};
  doc["agenda"]["meeting_rounds"] = 10;
  auto alignment_after_solicit = [](const Scenario& sc) {
    Simulation sim(sc, 4, 7);
    sim.step();
    sim.step();  // solicit: the first meeting
    const PartnershipState& s = sim.state();
    double alpha = 0;
    for (int i : s.members()) alpha += s.alpha(i);
    return std::pair{alpha / static_cast<double>(s.members().size()), Eigen::VectorXd(s.agenda)};
  };
  auto with = [&](double epsilon, double internalization) {
    doc["agenda"]["epsilon"] = epsilon;
    doc["agenda"]["internalization"] = internalization;
    return alignment_after_solicit(test::load(doc));
  };
  const auto [alpha_closed, agenda_closed] = with(0.0, 0.0);
  const auto [alpha_open, agenda_open] = with(1.0, 0.0);
  EXPECT_NEAR(alpha_open, alpha_closed, 1e-9) << "without internalization meetings change no alignment";
  EXPECT_LT((agenda_open - agenda_closed).norm(), 1e-9) << "... nor the agenda (the mean is conserved)";
  const auto [alpha_learnt, agenda_learnt] = with(1.0, 0.5);
  EXPECT_GT(alpha_learnt, alpha_open + 0.01) << "partners who came closer now want what they agreed";
  const auto [alpha_bounded, agenda_bounded] = with(0.1, 0.5);
  EXPECT_GT(alpha_learnt, alpha_bounded) << "a wider confidence bound brings more of them together";
}

// Issue 19: meetings follow a meeting network when the scenario gives one. Two circles that never
// meet each reach their own consensus (classic Hegselmann-Krause, mu = 1 and a bound that takes in
// everyone); without ties, or with every pair tied, everybody ends on one position.
TEST(Agenda, AMeetingNetworkKeepsCirclesThatNeverMeetApart) {
  auto doc = test::base_scenario();
  doc["agenda"]["dynamics"] = "hegselmann_krause";
  doc["agenda"]["epsilon"] = 1.0;
  doc["agenda"]["mu"] = 1.0;
  doc["agenda"]["meeting_rounds"] = 20;
  doc["governance"] = {{"mode", "network"}, {"lead", "ministry"}, {"communication", 1.0}};
  for (auto& o : doc["organizations"]) o["disclosure"] = 1.0;
  const std::vector<std::vector<std::string>> circles = {{"ministry", "un_fund", "agri_company"},
                                                         {"exporter", "ngo", "farmers"}};
  auto stated_after_solicit = [](const Scenario& sc) {
    Simulation sim(sc, 5, 7);
    sim.step();
    sim.step();  // solicit: the first meeting
    EXPECT_EQ(sim.state().members().size(), 6u) << "every organization joined";
    return Eigen::MatrixXd(sim.state().stated);
  };
  auto spread = [](const Eigen::MatrixXd& p, const std::vector<int>& rows) {
    double d = 0;
    for (int i : rows)
      for (int j : rows) d = std::max(d, position_distance(p.row(i).transpose(), p.row(j).transpose()));
    return d;
  };
  const std::vector<int> first = {0, 1, 2}, second = {3, 4, 5}, all = {0, 1, 2, 3, 4, 5};
  const Eigen::MatrixXd everyone = stated_after_solicit(test::load(doc));
  EXPECT_LT(spread(everyone, all), 1e-9) << "without a meeting network everybody meets everybody";

  nlohmann::ordered_json ties = nlohmann::ordered_json::array();
  for (const auto& circle : circles)
    for (std::size_t a = 0; a < circle.size(); ++a)
      for (std::size_t b = a + 1; b < circle.size(); ++b) ties.push_back({circle[a], circle[b]});
  doc["agenda"]["meeting_ties"] = ties;
  const Eigen::MatrixXd apart = stated_after_solicit(test::load(doc));
  EXPECT_LT(spread(apart, first), 1e-9);
  EXPECT_LT(spread(apart, second), 1e-9);
  EXPECT_GT(position_distance(apart.row(0).transpose(), apart.row(3).transpose()), 0.05)
      << "circles that never meet keep their own positions";

  ties.push_back({"agri_company", "exporter"});  // one bridge between the circles
  doc["agenda"]["meeting_ties"] = ties;
  const Eigen::MatrixXd bridged = stated_after_solicit(test::load(doc));
  EXPECT_LT(spread(bridged, all), spread(apart, all) - 0.01) << "a single tie lets the circles converge";
}

// With Deffuant dynamics a member meets only tied partners: an organization with no tie keeps its
// stated position however many rounds there are.
TEST(Agenda, DeffuantMeetsOnlyAlongTies) {
  auto doc = test::base_scenario();
  doc["agenda"]["epsilon"] = 1.0;
  doc["agenda"]["meeting_rounds"] = 30;
  doc["governance"] = {{"mode", "network"}, {"lead", "ministry"}, {"communication", 1.0}};
  for (auto& o : doc["organizations"]) o["disclosure"] = 1.0;
  doc["agenda"]["meeting_ties"] = nlohmann::ordered_json::array({nlohmann::ordered_json::array({"ministry", "ngo"})});
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 5, 7);
  sim.step();
  const Eigen::MatrixXd before = sim.state().stated;
  sim.step();  // solicit: the first meeting
  const PartnershipState& s = sim.state();
  EXPECT_LT(position_distance(s.stated.row(0).transpose(), s.stated.row(4).transpose()), 1e-6)
      << "the tied pair converged";
  for (int i : {1, 2, 3, 5})
    EXPECT_LT((s.stated.row(i) - before.row(i)).norm(), 1e-12) << "organization " << i << " met nobody";
}

TEST(Agenda, CulturalDistanceCausesMisunderstandingsAndBridgesReduceThem) {
  auto far = test::base_scenario();
  far["organizations"][0]["culture"] = {0.0, 0.0};
  far["organizations"][2]["culture"] = {1.0, 1.0};
  far["agenda"]["misunderstanding_rate"] = 1.0;
  far["governance"]["communication"] = 0.2;
  auto with_bridge = far;
  with_bridge["organizations"][4]["bridge"] = true;
  auto total = [](const Scenario& sc) {
    return test::mean_over_seeds(sc, 10, [&](const RunResult& r) {
      double m = 0;
      for (int t = 0; t <= sc.steps; ++t) m += r.at_series(kSMisunderstandings, t);
      return m;
    });
  };
  const double without = total(test::load(far)), bridged = total(test::load(with_bridge));
  EXPECT_GT(without, 5.0);
  EXPECT_LT(bridged, 0.6 * without);
  // The formula itself: probability scales with distance and (1 - communication).
  const Scenario sc = test::load(far);
  Simulation sim(sc, 1, 0);
  EXPECT_NEAR(misunderstanding_probability(sc, sim.state(), 0, 2, false), 1.0 * 1.0 * 0.8, 1e-12);
  EXPECT_NEAR(misunderstanding_probability(sc, sim.state(), 0, 2, true), 0.8 * (1 - 0.6), 1e-12);
}

TEST(Agenda, HegselmannKrauseAlsoConverges) {
  auto doc = test::base_scenario();
  doc["agenda"]["dynamics"] = "hegselmann_krause";
  doc["agenda"]["epsilon"] = 1.0;
  doc["governance"]["communication"] = 1.0;
  const RunResult r = run_once(test::load(doc), 5);
  EXPECT_LT(r.at_series(kSAgendaSpread, r.steps), 0.5);
}

TEST(Agenda, ClassicHegselmannKrauseMovesOntoTheMeanAndDrawsNothing) {
  // mu = 1 (the classic model; it was capped at 0.5), perfect communication, a bound that takes
  // everyone in: one round puts every member on the mean of all positions, and no random number is
  // drawn (every ordered pair used to cost a draw, n^2 a round).
  auto doc = test::base_scenario();
  doc["agenda"]["dynamics"] = "hegselmann_krause";
  doc["agenda"]["epsilon"] = 1.0;
  doc["agenda"]["mu"] = 1.0;
  doc["governance"]["communication"] = 1.0;
  const Scenario sc = test::load(doc);
  Simulation sim(sc, 3, 7);
  while (sim.state().members().size() < 3 && sim.current_step() < sim.total_steps()) sim.step();
  PartnershipState s = sim.state();
  // Positions apart again, so that the round has something to do.
  for (int i = 0; i < s.n; ++i) {
    for (int d = 0; d < s.dims; ++d) s.stated(i, d) = std::fmod(0.37 * i + 0.21 * d, 1.0);
  }
  const std::vector<int> members = s.members();
  ASSERT_GE(members.size(), 3u);
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(s.dims);
  for (int i : members) mean += s.stated.row(i).transpose();
  mean /= static_cast<double>(members.size());
  double apart = 0;
  for (int i : members) apart = std::max(apart, (s.stated.row(i).transpose() - mean).norm());
  ASSERT_GT(apart, 0.05) << "the members start where the round would put them";
  Engine rng(99);
  const Engine untouched(99);
  agenda_round(sc, s, rng);
  EXPECT_TRUE(rng == untouched) << "a round with perfect communication drew random numbers";
  for (int i : members) EXPECT_LT((s.stated.row(i).transpose() - mean).norm(), 1e-12) << "member " << i;
}

TEST(Agenda, DeffuantKeepsMuAtHalfTheGap) {
  auto doc = test::base_scenario();
  doc["agenda"]["mu"] = 0.8;
  EXPECT_THROW(test::load(doc), InputError);
  doc["agenda"]["dynamics"] = "hegselmann_krause";
  EXPECT_NO_THROW(test::load(doc));
}

}  // namespace
}  // namespace p3sim
