// Tests of prompt sizing. Unit tests with a scripted fake model (engine::FakeLlm), whose token
// count is bytes/4: they check the fitting logic, not any real tokenizer.
#include "annotate/prompt.h"

#include <gtest/gtest.h>

#include "testing/fake_llm.h"

namespace scale::annotate {
namespace {

using languages::LanguageNamed;

std::string Body(int n) {
  std::string s = "def f(x):\n";
  for (int i = 1; i <= n; ++i) s += "    line" + std::to_string(i) + "\n";
  return s;
}

TEST(PromptTest, ElideMiddleKeepsHeadAndTail) {
  int elided = -1;
  std::string out = ElideMiddle(Body(10), 5, 1, &elided);  // 11 lines -> 5 kept
  EXPECT_EQ(elided, 6);
  EXPECT_EQ(out, "def f(x):\n    line1\n    line2\n    ... 6 lines elided ...\n    line9\n    line10\n");
}

TEST(PromptTest, ElideMiddleNeverDropsTheSignature) {
  int elided = 0;
  std::string out = ElideMiddle("@dec\ndef f(\n    x):\n    a\n    b\n    c\n", 1, 3, &elided);
  EXPECT_EQ(out.rfind("@dec\ndef f(\n    x):\n", 0), 0u) << out;
  EXPECT_EQ(elided, 3);
  EXPECT_EQ(ElideMiddle("a\nb\n", 5, 1, &elided), "a\nb\n");
  EXPECT_EQ(elided, 0);
}

languages::ParsedFile File(const std::string& text) { return languages::Parse(languages::LanguageNamed("python"), text); }

Prompts TestPrompts() {
  Prompts p;
  p.system = "SYSTEM";
  p.summary = "SUMMARISE";
  p.templates[languages::LanguageNamed("python")] = "TEMPLATE";
  return p;
}

TEST(PromptTest, WholeFileSummaryWhenItFits) {
  engine::FakeLlm llm([](const engine::Request&) { return ""; }, 4096);
  auto file = File(Body(5));
  int shown = 0;
  auto messages = SummaryMessages(llm, TestPrompts(), file, "dir/f.py", 100, &shown);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].content, "SUMMARISE");
  EXPECT_EQ(messages[1].content, "File: f.py (python, 6 lines)\n" + Body(5));
  EXPECT_EQ(shown, 6);
}

TEST(PromptTest, BigFileSummaryUsesHeadAndSignaturesWithinBudget) {
  engine::FakeLlm llm([](const engine::Request&) { return ""; }, 400);
  std::string text;
  for (int i = 0; i < 40; ++i) text += "def fn" + std::to_string(i) + "(x):\n    return x + " + std::to_string(i) + "\n\n";
  auto file = File(text);
  int shown = -1;
  auto messages = SummaryMessages(llm, TestPrompts(), file, "f.py", 100, &shown);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_LE(llm.CountPromptTokens(messages) + 100, 400);
  EXPECT_LT(shown, 120);
  EXPECT_NE(messages[1].content.find("Signatures of its routines"), std::string::npos);
  EXPECT_NE(messages[1].content.find("def fn0(x):"), std::string::npos);
}

TEST(PromptTest, RoutinePromptOrderAndExistingComment) {
  engine::FakeLlm llm([](const engine::Request&) { return ""; }, 4096);
  auto file = File("def f(x):\n    \"\"\"Old doc.\"\"\"\n    return x\n");
  ASSERT_EQ(file.routines.size(), 1u);
  auto p = RoutineMessages(llm, TestPrompts(), file, 0, languages::RoutineView(file, 0, {}), "SUM", 100);
  ASSERT_EQ(p.messages.size(), 2u);
  EXPECT_EQ(p.messages[0].content, "SYSTEM\n\nTEMPLATE");
  const std::string& user = p.messages[1].content;
  size_t sum = user.find("SUM"), ask = user.find("Write the comment for the"), code = user.find("def f(x):"),
         old = user.find("Its current comment"), end = user.rfind("Comment:");
  EXPECT_EQ(sum, user.find("Summary of the file:\nSUM") + 21);
  EXPECT_LT(sum, ask);
  EXPECT_LT(ask, code);
  EXPECT_LT(code, old);
  EXPECT_EQ(end, user.size() - 8);
  EXPECT_EQ(p.elided_lines, 0);
}

// A project that pins C/C++ comments to the plain preset: the model is told to leave out the
// templates' @param/@return tags (cli/comment_config.cc sets sections = "plain").
TEST(PromptTest, PlainPresetAsksForProseWithoutTags) {
  engine::FakeLlm llm([](const engine::Request&) { return ""; }, 4096);
  auto file = File("def f(x):\n    return x\n");
  auto user = [&] {
    return RoutineMessages(llm, TestPrompts(), file, 0, languages::RoutineView(file, 0, {}), "", 100).messages.at(1).content;
  };
  EXPECT_EQ(user().find("plain comments"), std::string::npos);
  file.style.sections = "plain";
  EXPECT_NE(user().find("This project writes plain comments: prose only, with no @param, @return"), std::string::npos);
}

TEST(PromptTest, SummaryDroppedBeforeGivingUp) {
  // The routine fits only without the long summary.
  std::string summary(3000, 's');
  engine::FakeLlm llm([](const engine::Request&) { return ""; }, 300);
  auto file = File("def f(x):\n    return x\n");
  auto p = RoutineMessages(llm, TestPrompts(), file, 0, languages::RoutineView(file, 0, {}), summary, 100);
  ASSERT_FALSE(p.messages.empty()) << p.problem;
  EXPECT_TRUE(p.summary_dropped);
  EXPECT_EQ(p.messages[1].content.find("sss"), std::string::npos);
}

TEST(PromptTest, TemplateRulesStopAtTheFirstExample) {
  EXPECT_EQ(TemplateRules("RULES\n- one\n\nEXAMPLE 1\nx\n"), "RULES\n- one");
  EXPECT_EQ(TemplateRules("no examples\n"), "no examples\n");
  EXPECT_EQ(TemplateRules("see EXAMPLE below\n"), "see EXAMPLE below\n");  // only at a line start
}

TEST(PromptTest, ExamplesDroppedWhenOnlyTheRulesFit) {
  Prompts p = TestPrompts();
  p.templates[languages::LanguageNamed("python")] = "RULES\n\nEXAMPLE 1\n" + std::string(2000, 'e');
  engine::FakeLlm llm([](const engine::Request&) { return ""; }, 300);
  auto file = File("def f(x):\n    return x\n");
  auto r = RoutineMessages(llm, p, file, 0, languages::RoutineView(file, 0, {}), "", 100);
  ASSERT_FALSE(r.messages.empty()) << r.problem;
  EXPECT_TRUE(r.examples_dropped);
  EXPECT_EQ(r.messages[0].content, "SYSTEM\n\nRULES");
}

}  // namespace
}  // namespace scale::annotate
