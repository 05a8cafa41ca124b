// Unit tests of --consistency in the comment pipeline with a scripted fake model (engine::FakeLlm):
// the fake's answers contradict the code on purpose, so these tests check repair, the retry request
// and each policy's outcome, not generation quality.
#include <gtest/gtest.h>

#include "annotate/pipeline.h"
#include "testing/fake_llm.h"

namespace scale::annotate {
namespace {

using engine::FakeLlm;
using engine::Request;
using languages::LanguageNamed;

const char* kCode =
    "def add(a, b):\n"
    "    total = a + b\n"
    "    return total\n";

bool IsSummary(const Request& r) { return r.id.rfind("summary ", 0) == 0; }
bool IsRetry(const Request& r) { return r.messages.size() == 4; }

FileResult RunPolicy(FakeLlm& llm, consistency::Policy policy, const std::string& code = kCode) {
  static const Prompts prompts = LoadPrompts(std::string(SCALE_SOURCE_DIR) + "/scale-cfg", {LanguageNamed("python")});
  AnnotateOptions options;
  options.consistency = policy;
  Annotator annotator(llm, prompts, options);
  auto results = annotator.Run({{"m.py", LanguageNamed("python"), code}});
  EXPECT_EQ(results.size(), 1u);
  return results.at(0);
}

TEST(ConsistencyPipeline, AHallucinatedParameterIsRepairedWithoutAModel) {
  FakeLlm llm([](const Request& r) -> std::string {
    if (IsSummary(r)) return "Adds numbers.";
    return "Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n    c: The third.\n\nReturns:\n    The sum.";
  });
  FileResult r = RunPolicy(llm, consistency::Policy::kRetry);
  EXPECT_EQ(r.output,
            "def add(a, b):\n"
            "    \"\"\"Add two numbers.\n\n    Args:\n        a: The first.\n        b: The second.\n\n"
            "    Returns:\n        The sum.\n    \"\"\"\n"
            "    total = a + b\n"
            "    return total\n");
  ASSERT_EQ(r.routines.size(), 1u);
  EXPECT_EQ(r.routines[0].repaired, std::vector<std::string>{"param-unknown"});
  EXPECT_FALSE(r.routines[0].retried);
  EXPECT_EQ(r.consistency.at("param-unknown").found, 1);
  EXPECT_EQ(r.consistency.at("param-unknown").repaired, 1);
  EXPECT_EQ(r.requests, 2);  // summary + one answer: no retry was needed
}

// The first answer documents the parameters but not the return value (not mechanical); the retry
// states the problem, shows the first answer, and gets a consistent one.
TEST(ConsistencyPipeline, ARetryStatesTheProblemAndItsAnswerIsTaken) {
  FakeLlm llm([](const Request& r) -> std::string {
    if (IsSummary(r)) return "Adds numbers.";
    if (IsRetry(r)) return "Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.\n\nReturns:\n    The sum.";
    return "Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.";
  });
  FileResult r = RunPolicy(llm, consistency::Policy::kRetry);
  EXPECT_NE(r.output.find("    Returns:\n        The sum.\n"), std::string::npos) << r.output;
  EXPECT_EQ(r.routines[0].status, RoutineStatus::kCommented);
  EXPECT_TRUE(r.routines[0].retried);
  EXPECT_TRUE(r.routines[0].warnings.empty());
  EXPECT_EQ(r.consistency.at("returns-missing").found, 1);
  EXPECT_EQ(r.consistency.at("returns-missing").retried, 1);
  EXPECT_EQ(r.requests, 3);
  std::vector<Request> requests = llm.requests();
  ASSERT_EQ(requests.size(), 3u);
  const Request& retry = requests[2];
  ASSERT_EQ(retry.messages.size(), 4u);
  EXPECT_EQ(retry.messages[2].role, engine::Role::kAssistant);
  EXPECT_EQ(retry.messages[2].content, "Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.");
  EXPECT_NE(retry.messages[3].content.find("[returns-missing]"), std::string::npos);
  EXPECT_EQ(retry.messages[1].content, requests[1].messages[1].content);  // the same request, extended
}

FakeLlm Stubborn() {
  return FakeLlm([](const Request& r) -> std::string {
    if (IsSummary(r)) return "Adds numbers.";
    return "Add two numbers.\n\nArgs:\n    a: The first.\n    b: The second.";
  });
}

TEST(ConsistencyPipeline, StillWrongAfterTheRetryIsKeptWithAWarning) {
  FakeLlm llm = Stubborn();
  FileResult r = RunPolicy(llm, consistency::Policy::kRetry);
  EXPECT_TRUE(r.changed());
  EXPECT_EQ(r.routines[0].status, RoutineStatus::kCommented);
  ASSERT_EQ(r.routines[0].warnings.size(), 1u);
  EXPECT_EQ(r.routines[0].warnings[0].rfind("returns-missing: ", 0), 0u) << r.routines[0].warnings[0];
  EXPECT_EQ(r.consistency.at("returns-missing").warned, 1);
  EXPECT_EQ(r.requests, 3);
}

TEST(ConsistencyPipeline, StrictRejectsAndKeepsTheOldComment) {
  FakeLlm llm = Stubborn();
  FileResult r = RunPolicy(llm, consistency::Policy::kStrict);
  EXPECT_FALSE(r.changed());
  EXPECT_EQ(r.routines[0].status, RoutineStatus::kFailed);
  EXPECT_NE(r.routines[0].reason.find("returns-missing"), std::string::npos);
  EXPECT_EQ(r.consistency.at("returns-missing").rejected, 1);
}

TEST(ConsistencyPipeline, RepairPolicyNeverAsksTwice) {
  FakeLlm llm = Stubborn();
  FileResult r = RunPolicy(llm, consistency::Policy::kRepair);
  EXPECT_EQ(r.requests, 2);
  EXPECT_EQ(r.routines[0].status, RoutineStatus::kCommented);
  EXPECT_EQ(r.consistency.at("returns-missing").warned, 1);
}

TEST(ConsistencyPipeline, OffTakesTheAnswerAsItIs) {
  FakeLlm llm([](const Request& r) -> std::string {
    if (IsSummary(r)) return "Adds numbers.";
    return "Add two numbers.\n\nArgs:\n    c: The third.";
  });
  FileResult r = RunPolicy(llm, consistency::Policy::kOff);
  EXPECT_NE(r.output.find("c: The third."), std::string::npos);
  EXPECT_TRUE(r.consistency.empty());
  EXPECT_TRUE(r.routines[0].repaired.empty());
}

// The parent's prompt shows its child's final comment, the one after the retry.
TEST(ConsistencyPipeline, AParentWaitsForItsChildsRetry) {
  const std::string code =
      "class Box:\n"
      "    def put(self, item):\n"
      "        self.item = item\n"
      "        return item\n";
  FakeLlm llm([](const Request& r) -> std::string {
    if (IsSummary(r)) return "A box.";
    const std::string& user = r.messages[1].content;
    if (user.find("`Box.put`") != std::string::npos) {
      if (IsRetry(r)) return "Put an item in.\n\nArgs:\n    item: What to keep.\n\nReturns:\n    The item.";
      return "Put an item in.\n\nArgs:\n    item: What to keep.";
    }
    return "A box holding one item.";
  });
  FileResult r = RunPolicy(llm, consistency::Policy::kRetry, code);
  std::vector<Request> requests = llm.requests();
  ASSERT_EQ(requests.size(), 4u);  // summary, put, put's retry, Box
  EXPECT_NE(requests[3].messages[1].content.find("Returns:"), std::string::npos) << requests[3].messages[1].content;
}

}  // namespace
}  // namespace scale::annotate
