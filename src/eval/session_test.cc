// Unit tests with a scripted fake model (engine::FakeLlm): the prompts eval sends (the same files and
// layout as `scale comment`), and --compare over two configurations. Real generation: e2e_test.cc.
#include "eval/session.h"

#include <cmath>

#include <gtest/gtest.h>

#include "testing/fake_llm.h"
#include "eval/routine_prompt.h"
#include "testing/temp_dir.h"
#include "util/fs.h"

namespace scale::eval {
namespace {

const std::filesystem::path kCfg = std::filesystem::path(SCALE_SOURCE_DIR) / "scale-cfg";

EvalRow Row(size_t i, const std::string& language, const std::string& code, const std::string& ref, std::string id) {
  EvalRow r;
  r.index = i;
  r.language = language;
  r.code = code;
  r.reference = ref;
  r.id = std::move(id);
  return r;
}

std::string Cfg(const std::string& name) {
  std::string text = ReadFile(kCfg / name);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

TEST(CommentPrompter, PythonRowUsesScaleCommentPromptsWithoutItsDocstring) {
  engine::FakeLlm fake([](const engine::Request&) { return std::string("Return the sum."); });
  CommentPrompter prompter(fake, kCfg, {"python"}, engine::SamplingParams{});
  EvalRow row = Row(0, "python",
                    "def add(a, b):\n    \"\"\"SECRET reference docstring.\"\"\"\n    return a + b\n",
                    "SECRET reference docstring.", "add");
  engine::Request r = prompter.Build(row);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].content, Cfg("comment.txt") + "\n\n" + Cfg("python.txt"));
  const std::string& user = r.messages[1].content;
  EXPECT_NE(user.find("def add(a, b):"), std::string::npos) << user;
  EXPECT_NE(user.find("return a + b"), std::string::npos) << user;
  EXPECT_EQ(user.find("SECRET"), std::string::npos) << user;  // the answer is not in the question
  EXPECT_NE(user.find("`add`"), std::string::npos) << user;
  EXPECT_EQ(prompter.TemplateFile("python"), "python.txt");
}

TEST(CommentPrompter, RubyRowGoesThroughTheRubyWorkerAndTemplate) {
  engine::FakeLlm fake([](const engine::Request&) { return std::string(); });
  CommentPrompter prompter(fake, kCfg, {"ruby"}, engine::SamplingParams{});
  EXPECT_EQ(prompter.TemplateFile("ruby"), "ruby.txt");
  EvalRow row = Row(0, "ruby", "# SECRET reference.\ndef greet(name)\n      puts \"hi #{name}\"\n    end", "SECRET reference.",
                    "Greeter.greet");
  engine::Request r = prompter.Build(row);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].content, Cfg("comment.txt") + "\n\n" + Cfg("ruby.txt"));
  const std::string& user = r.messages[1].content;
  EXPECT_NE(user.find("`greet`"), std::string::npos) << user;  // the worker's routine, not the generic layout
  EXPECT_NE(user.find("def greet(name)"), std::string::npos) << user;
  EXPECT_EQ(user.find("SECRET"), std::string::npos) << user;  // the existing comment is removed
  engine::Response answer;
  answer.text = "```\nGreets a person by name.\n```";
  std::string problem;
  EXPECT_EQ(prompter.Clean(row, answer, &problem), "Greets a person by name.");
  EXPECT_TRUE(problem.empty());
}

TEST(CommentPrompter, RowsWithoutARoutineUseTheGenericLayoutAndAreCounted) {
  engine::FakeLlm fake([](const engine::Request&) { return std::string(); });
  CommentPrompter prompter(fake, kCfg, {"ruby", "perl"}, engine::SamplingParams{});
  EXPECT_EQ(prompter.TemplateFile("perl"), "generic.txt");
  std::vector<EvalRow> rows = {Row(0, "ruby", "def a(x)\n  x\nend", "A.", "a"),
                               Row(1, "ruby", "puts 1 +", "B.", "b"),  // no routine in it
                               Row(2, "ruby", "def c(x\n  x +\nend", "C.", "c"),
                               Row(3, "perl", "sub d { return 1; }", "D.", "d")};
  CommentPrompter::ParseCounts counts = prompter.CountParses(rows);
  EXPECT_EQ(counts.parsed, 2u);
  EXPECT_EQ(counts.with_errors, 1u);
  EXPECT_EQ(counts.unparsed, 2u);
  engine::Request r = prompter.Build(rows[1]);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].content, Cfg("comment.txt") + "\n\n" + Cfg("ruby.txt"));
  EXPECT_NE(r.messages[1].content.find("Write the comment for the function `b` (lines 1-1).\nRoutine:\n    puts 1 +\n"),
            std::string::npos)
      << r.messages[1].content;
  EXPECT_EQ(CleanupLanguage("ruby"), languages::LanguageNamed("ruby"));
  EXPECT_EQ(CleanupLanguage("perl"), languages::LanguageNamed("python"));
  EXPECT_EQ(CleanupLanguage("cobol"), languages::LanguageNamed("c"));
}

TEST(CommentPrompter, FingerprintFollowsPromptsAndSampling) {
  engine::FakeLlm fake([](const engine::Request&) { return std::string(); });
  engine::SamplingParams s;
  std::string a = CommentPrompter(fake, kCfg, {"ruby"}, s).Fingerprint();
  EXPECT_EQ(a, CommentPrompter(fake, kCfg, {"ruby"}, s).Fingerprint());
  s.max_tokens = 17;
  EXPECT_NE(a, CommentPrompter(fake, kCfg, {"ruby"}, s).Fingerprint());
}

TEST(CompareConfigs, TwoFakeConfigurations) {
  testing::TempDir dir;
  std::vector<EvalRow> rows;
  for (size_t i = 0; i < 8; ++i) {
    rows.push_back(Row(i, "ruby", "def m" + std::to_string(i) + "\n  nil\nend",
                       "Returns the cached value number " + std::to_string(i) + " .", "C.m" + std::to_string(i)));
  }
  EvalConfig a;
  a.name = "A";
  EvalConfig b;
  b.name = "B";
  b.max_tokens = 32;
  std::vector<int> opened;
  std::vector<size_t> asked;
  LlmFactory open = [&](const EvalConfig& c) -> std::unique_ptr<engine::Llm> {
    opened.push_back(c.name == "A" ? 0 : 1);
    bool good = c.name == "B";
    return std::make_unique<engine::FakeLlm>([good, &asked](const engine::Request& r) {
      EXPECT_EQ(r.sampling.max_tokens, good ? 32 : 256);  // the config's sampling reaches the request
      asked.push_back(asked.size());
      std::string n = r.id.substr(3);
      return good ? "Returns the cached value number " + n + "." : std::string("Does something.");
    });
  };
  SessionOptions base;
  base.dataset_label = "rows";
  base.templates = kCfg;
  base.progress = false;
  CompareReport report = CompareConfigs({a, b}, open, rows, base, dir.path());
  EXPECT_EQ(opened, (std::vector<int>{0, 1}));
  EXPECT_EQ(asked.size(), 16u);
  ASSERT_EQ(report.runs.size(), 2u);
  EXPECT_DOUBLE_EQ(report.runs[1].summary.bleu, 100.0);
  // A: "does something ." vs 7 reference tokens: 1-grams 1/3 ("."), 2-grams 1/3, 3-grams 1/2,
  // 4-grams 1/1, BP term 1 - 8/4 = -1  ->  (1/18)^(1/4) * e^-1 on every row.
  EXPECT_NEAR(report.runs[0].summary.bleu, 100 * std::pow(1.0 / 18.0, 0.25) * std::exp(-1.0), 1e-9);
  const Difference& bleu = report.comparisons[0].metrics[0].second;
  EXPECT_GT(bleu.ci_low, 0.0);  // B is better on every row: the interval excludes 0
  EXPECT_LE(bleu.ci_low, bleu.diff);
  EXPECT_GE(bleu.ci_high, bleu.diff);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "A" / "results.jsonl"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "B" / "results.jsonl"));

  // Run again: both configurations resume from their logs, nothing is asked.
  asked.clear();
  CompareReport again = CompareConfigs({a, b}, open, rows, base, dir.path());
  EXPECT_TRUE(asked.empty());
  EXPECT_EQ(CompareJson(again), CompareJson(report));
}

TEST(DefaultOutDir, DeterministicName) {
  EXPECT_EQ(DefaultOutDir("../shared/data/codexglue-ruby/test.jsonl", "0123456789abcdef"),
            std::filesystem::path("eval-out/codexglue-ruby-test-01234567"));
}

}  // namespace
}  // namespace scale::eval
