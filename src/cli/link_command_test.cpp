// Drives `accompany link`: evaluation against a truth file and against FEBRL, and its errors.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

namespace accompany {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

Outcome run(const std::string& arguments) {
  Outcome outcome;
  const std::string command = std::string(ACCOMPANY_BINARY_PATH) + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return outcome;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) outcome.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

TEST(LinkCommand, EvaluatesTheFeedsBesideATruthFile) {
  const auto outcome = run(std::string("link --evaluate ") + ACCOMPANY_LINKAGE_TESTDATA + "/feeds/truth.csv");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("orr_release.csv: 4 rows"), std::string::npos) << outcome.output;
  // Twenty rows only (see FeedRecords.TruthFileEvaluationOnTheFixture): no false link, 43 true pairs.
  EXPECT_NE(outcome.output.find("pairs, after clustering      precision 1.0000"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("43 true)"), std::string::npos) << outcome.output;
}

TEST(LinkCommand, SaysWhatIsWrong) {
  auto outcome = run("link --evaluate-febrl /nonexistent/dataset1.csv");
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("cannot be opened"), std::string::npos) << outcome.output;
  outcome = run(std::string("link --evaluate-febrl ") + ACCOMPANY_LINKAGE_TESTDATA + "/feeds/truth.csv");
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.output.find("not a FEBRL file"), std::string::npos) << outcome.output;
  EXPECT_NE(run("link").exit_code, 0);  // one of --evaluate / --evaluate-febrl is required
}

}  // namespace
}  // namespace accompany
