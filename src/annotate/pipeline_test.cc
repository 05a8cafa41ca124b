// Unit tests of the comment pipeline with a scripted fake model (engine::FakeLlm): the fake answers
// "Doc for <qualified name>." for each routine (read from the request), so these tests check the
// job graph, prompts, sanitising, patching and reporting around the model, not generation quality.
#include "annotate/pipeline.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "testing/fake_llm.h"
#include "util/fs.h"

namespace scale::annotate {
namespace {

using languages::LanguageNamed;

using engine::FakeLlm;
using engine::Request;
using languages::Language;

std::string TestData(const std::string& name) { return std::string(SCALE_SOURCE_DIR) + "/src/annotate/testdata/" + name; }

Prompts LoadAll() {
  return LoadPrompts(std::string(SCALE_SOURCE_DIR) + "/scale-cfg",
                     {LanguageNamed("python"), LanguageNamed("c"), LanguageNamed("javascript")});
}

// The routine a request is about, from the instruction line the pipeline writes.
std::string RoutineOf(const Request& r) {
  static const std::regex re("Write the comment for the \\w+ `([^`]+)`");
  std::smatch m;
  const std::string& user = r.messages.back().content;
  return std::regex_search(user, m, re) ? m.str(1) : "";
}

bool IsSummary(const Request& r) { return r.id.rfind("summary ", 0) == 0; }

std::string DocScript(const Request& r) {
  if (IsSummary(r)) return "A file summary.";
  return "Doc for " + RoutineOf(r) + ".";
}

SourceFile Source(const std::string& name, Language language) {
  return {name, language, ReadFile(TestData(name))};
}

// The golden files show an existing comment being updated, so these tests rewrite every existing
// comment (--existing update); the default (kOwn: people's comments are kept) has its own tests.
AnnotateOptions Updating() {
  AnnotateOptions options;
  options.existing = ExistingMode::kUpdate;
  return options;
}

FileResult RunOne(FakeLlm& llm, const SourceFile& file, AnnotateOptions options = Updating()) {
  static const Prompts prompts = LoadAll();
  Annotator annotator(llm, prompts, options);
  auto results = annotator.Run({file});
  EXPECT_EQ(results.size(), 1u);
  return results.at(0);
}

const RoutineOutcome* Find(const FileResult& r, const std::string& name) {
  for (const auto& o : r.routines) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

// Golden files: the whole output must equal testdata/golden_out.<ext>. SCALE_UPDATE_GOLDEN=1
// rewrites them (review the diff before committing).
void ExpectGolden(const std::string& in, const std::string& out, Language language) {
  FakeLlm llm(DocScript);
  FileResult r = RunOne(llm, Source(in, language));
  EXPECT_EQ(r.status, FileStatus::kOk) << r.problem;
  if (const char* update = std::getenv("SCALE_UPDATE_GOLDEN"); update && *update == '1') {
    WriteFileAtomic(TestData(out), r.output);
  }
  EXPECT_EQ(r.output, ReadFile(TestData(out)));
  EXPECT_EQ(r.Count(RoutineStatus::kFailed), 0);
}

TEST(PipelineTest, GoldenPython) { ExpectGolden("golden_in.py", "golden_out.py", LanguageNamed("python")); }
TEST(PipelineTest, GoldenC) { ExpectGolden("golden_in.c", "golden_out.c", LanguageNamed("c")); }
TEST(PipelineTest, GoldenJavaScript) { ExpectGolden("golden_in.js", "golden_out.js", LanguageNamed("javascript")); }

TEST(PipelineTest, SummaryFirstThenInnermostFirst) {
  FakeLlm llm(DocScript);
  RunOne(llm, Source("golden_in.py", LanguageNamed("python")));
  auto requests = llm.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_TRUE(IsSummary(requests[0]));
  std::vector<std::string> order;
  for (size_t i = 1; i < requests.size(); ++i) order.push_back(RoutineOf(requests[i]));
  EXPECT_EQ(order, (std::vector<std::string>{"Foo.__init__.bah.mad", "Foo.__init__.bah", "Foo.__init__",
                                             "Foo.helper", "Foo", "top"}));
}

TEST(PipelineTest, ParentPromptShowsChildrenNewCommentsNotGrandchildren) {
  FakeLlm llm(DocScript);
  RunOne(llm, Source("golden_in.py", LanguageNamed("python")));
  for (const auto& r : llm.requests()) {
    if (RoutineOf(r) != "Foo.__init__") continue;
    const std::string& user = r.messages.back().content;
    EXPECT_NE(user.find("Doc for Foo.__init__.bah."), std::string::npos) << user;
    EXPECT_EQ(user.find("Doc for Foo.__init__.bah.mad."), std::string::npos) << user;
    EXPECT_EQ(user.find("def mad"), std::string::npos) << user;
    return;
  }
  FAIL() << "no request for Foo.__init__";
}

TEST(PipelineTest, MessageOrderSharesTheLongestPrefix) {
  FakeLlm llm(DocScript);
  RunOne(llm, Source("golden_in.py", LanguageNamed("python")));
  Prompts prompts = LoadAll();
  auto requests = llm.requests();
  ASSERT_GE(requests.size(), 3u);
  for (size_t i = 1; i < requests.size(); ++i) {
    const auto& m = requests[i].messages;
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0].role, engine::Role::kSystem);
    EXPECT_EQ(m[0].content, prompts.system + "\n\n" + prompts.Template(LanguageNamed("python")));
    EXPECT_EQ(m[1].content.rfind("Summary of the file:\nA file summary.\n", 0), 0u) << m[1].content;
  }
  // The existing comment is offered for updating.
  for (const auto& r : requests) {
    if (RoutineOf(r) == "Foo") {
      EXPECT_NE(r.messages[1].content.find("keep every fact"), std::string::npos);
    }
  }
}

TEST(PipelineTest, ExistingKeepOnlyCommentsRoutinesWithout) {
  FakeLlm llm(DocScript);
  AnnotateOptions options;
  options.existing = ExistingMode::kKeep;
  FileResult r = RunOne(llm, Source("golden_in.py", LanguageNamed("python")), options);
  for (const auto& req : llm.requests()) EXPECT_NE(RoutineOf(req), "Foo");
  ASSERT_NE(Find(r, "Foo"), nullptr);
  EXPECT_EQ(Find(r, "Foo")->status, RoutineStatus::kKept);
  EXPECT_NE(r.output.find("\"\"\"Old class doc.\"\"\""), std::string::npos);
  EXPECT_NE(r.output.find("Doc for top."), std::string::npos);
}

// Files of one run follow their own project configs: the policy for existing comments and the
// templates each SourceFile carries beat the run's, per file, within one job graph.
TEST(PipelineTest, EachFileCanCarryItsOwnPolicyAndPrompts) {
  FakeLlm llm(DocScript);
  Prompts own = LoadAll();
  own.system = "PROJECT SYSTEM PROMPT";
  SourceFile kept = Source("golden_in.py", LanguageNamed("python"));
  kept.path = "lib/golden_in.py";
  kept.existing = ExistingMode::kKeep;
  kept.prompts = &own;
  SourceFile updated = Source("golden_in.py", LanguageNamed("python"));
  updated.path = "app/golden_in.py";
  static const Prompts prompts = LoadAll();
  Annotator annotator(llm, prompts, Updating());
  auto results = annotator.Run({kept, updated});
  ASSERT_EQ(results.size(), 2u);
  ASSERT_NE(Find(results[0], "Foo"), nullptr);
  EXPECT_EQ(Find(results[0], "Foo")->status, RoutineStatus::kKept);
  EXPECT_EQ(Find(results[1], "Foo")->status, RoutineStatus::kUpdated);
  int with_own = 0, with_default = 0;
  for (const auto& req : llm.requests()) {
    const bool project = req.messages.front().content.rfind("PROJECT SYSTEM PROMPT", 0) == 0;
    if (req.affinity == "lib/golden_in.py") {
      EXPECT_TRUE(project || IsSummary(req)) << req.id;
      EXPECT_NE(RoutineOf(req), "Foo");
      with_own += project;
    } else {
      EXPECT_FALSE(project) << req.id;
      with_default += !IsSummary(req);
    }
  }
  EXPECT_GT(with_own, 0);
  EXPECT_GT(with_default, 0);
}

// Item 16: by default only comments scale wrote itself are refreshed; a person's stays, and under
// --existing update the outcome says it was a person's.
TEST(PipelineTest, DefaultKeepsPeoplesCommentsAndRefreshesScalesOwn) {
  FakeLlm llm(DocScript);
  AnnotateOptions options;  // the default: kOwn
  FileResult r = RunOne(llm, Source("golden_in.py", LanguageNamed("python")), options);
  ASSERT_NE(Find(r, "Foo"), nullptr);
  EXPECT_EQ(Find(r, "Foo")->status, RoutineStatus::kKept);
  EXPECT_NE(Find(r, "Foo")->reason.find("written by a person"), std::string::npos);
  EXPECT_NE(r.output.find("\"\"\"Old class doc.\"\"\""), std::string::npos);
  EXPECT_NE(r.output.find("Doc for top."), std::string::npos);

  FakeLlm again(DocScript);
  options.is_own = [](Language, const std::string& prose) { return prose == "Old class doc."; };
  r = RunOne(again, Source("golden_in.py", LanguageNamed("python")), options);
  EXPECT_EQ(Find(r, "Foo")->status, RoutineStatus::kUpdated);
  EXPECT_FALSE(Find(r, "Foo")->human);
  EXPECT_EQ(r.HumanCommentsUpdated(), 0);
  EXPECT_EQ(r.written_comments.size(), 6u);  // every routine's comment, read back for the record

  FakeLlm all(DocScript);
  r = RunOne(all, Source("golden_in.py", LanguageNamed("python")), Updating());
  EXPECT_TRUE(Find(r, "Foo")->human);
  EXPECT_EQ(r.HumanCommentsUpdated(), 1);
}

TEST(PipelineTest, OnlyMatchesNameOrQualifiedName) {
  for (std::string name : {"helper", "Foo.helper"}) {
    FakeLlm llm(DocScript);
    AnnotateOptions options = Updating();
    options.only = {name};
    FileResult r = RunOne(llm, Source("golden_in.py", LanguageNamed("python")), options);
    auto requests = llm.requests();
    ASSERT_EQ(requests.size(), 2u) << name;  // summary + helper
    EXPECT_EQ(RoutineOf(requests[1]), "Foo.helper");
    ASSERT_EQ(r.routines.size(), 1u);
    EXPECT_EQ(r.routines[0].status, RoutineStatus::kCommented);
    EXPECT_EQ(r.output.find("Doc for top"), std::string::npos);
  }
}

// A fake that fails some requests the way the real engine reports failures.
class FailingLlm : public FakeLlm {
 public:
  using FakeLlm::FakeLlm;
  engine::Response Complete(const Request& request) override {
    engine::Response r = FakeLlm::Complete(request);
    if (RoutineOf(request) == "Foo.helper") {
      r.finish = engine::FinishReason::kTimeout;
      r.text = "Partial";
    }
    return r;
  }
};

TEST(PipelineTest, BadAnswersKeepTheOldCommentAndAreReported) {
  FailingLlm llm([](const Request& r) -> std::string {
    std::string name = RoutineOf(r);
    if (IsSummary(r)) return "A summary.";
    if (name == "Foo") return "```\n```";                                    // empty once cleaned
    if (name == "top") return "def top(a, b=2):\n    return os.path.join(a, str(b))";  // code
    return "Doc for " + name + ".";
  });
  FileResult r = RunOne(llm, Source("golden_in.py", LanguageNamed("python")));
  EXPECT_EQ(r.status, FileStatus::kOk);
  EXPECT_TRUE(r.HasFailures());
  ASSERT_NE(Find(r, "Foo"), nullptr);
  EXPECT_EQ(Find(r, "Foo")->status, RoutineStatus::kFailed);
  EXPECT_EQ(Find(r, "Foo")->reason, "empty answer");
  EXPECT_EQ(Find(r, "top")->status, RoutineStatus::kFailed);
  EXPECT_NE(Find(r, "top")->reason.find("code"), std::string::npos) << Find(r, "top")->reason;
  EXPECT_EQ(Find(r, "Foo.helper")->status, RoutineStatus::kFailed);
  EXPECT_NE(Find(r, "Foo.helper")->reason.find("timeout"), std::string::npos);
  EXPECT_NE(r.output.find("\"\"\"Old class doc.\"\"\""), std::string::npos);
  EXPECT_EQ(r.output.find("Partial"), std::string::npos);
  EXPECT_NE(r.output.find("Doc for Foo.__init__."), std::string::npos);  // the good ones still land
  EXPECT_EQ(Find(r, "Foo.__init__")->status, RoutineStatus::kCommented);
}

TEST(PipelineTest, VerificationFailureLeavesFileUntouched) {
  FakeLlm llm(DocScript);
  AnnotateOptions options = Updating();
  options.verify = [](const languages::ParsedFile&, const std::string&, const std::vector<int>&) {
    return languages::Verification{false, "tokens differ (forced by the test)"};
  };
  SourceFile src = Source("golden_in.py", LanguageNamed("python"));
  FileResult r = RunOne(llm, src, options);
  EXPECT_EQ(r.status, FileStatus::kFailed);
  EXPECT_EQ(r.output, src.text);
  EXPECT_FALSE(r.changed());
  EXPECT_NE(r.problem.find("forced by the test"), std::string::npos);
  EXPECT_EQ(Find(r, "top")->status, RoutineStatus::kFailed);
}

std::string BigPython(int body_lines) {
  std::string text = "def small(x):\n    return x\n\n\ndef big(values):\n";
  for (int i = 0; i < body_lines; ++i) text += "    values.append(" + std::to_string(i) + " * len(values))\n";
  text += "    return values\n";
  return text;
}

TEST(PipelineTest, HugeRoutineBodyIsElidedToFit) {
  // 4 bytes per token in the fake: ~9000 tokens of body against a 3000-token context.
  FakeLlm llm(DocScript, 3000);
  FileResult r = RunOne(llm, {"big.py", LanguageNamed("python"), BigPython(1000)});
  bool saw = false;
  for (const auto& req : llm.requests()) {
    if (RoutineOf(req) != "big") continue;
    saw = true;
    const std::string& user = req.messages.back().content;
    EXPECT_NE(user.find("lines elided ..."), std::string::npos);
    EXPECT_NE(user.find("def big(values):"), std::string::npos);   // the signature stays
    EXPECT_NE(user.find("return values"), std::string::npos);      // so does the end
    EXPECT_LE(llm.CountPromptTokens(req.messages) + req.sampling.max_tokens, 3000);
  }
  EXPECT_TRUE(saw);
  ASSERT_NE(Find(r, "big"), nullptr);
  EXPECT_EQ(Find(r, "big")->status, RoutineStatus::kCommented);
  EXPECT_NE(Find(r, "big")->reason.find("elided"), std::string::npos);
  EXPECT_NE(r.output.find("Doc for big."), std::string::npos);
  // The summary request had to fall back to head + signatures.
  EXPECT_NE(llm.requests()[0].messages.back().content.find("Signatures of its routines"), std::string::npos);
}

TEST(PipelineTest, RoutineThatCannotFitFails) {
  // Not even the system prompt and template fit: every routine fails, the file is unchanged.
  FakeLlm llm(DocScript, 600);
  SourceFile src{"small.py", LanguageNamed("python"), "def f(x):\n    return x\n"};
  FileResult r = RunOne(llm, src);
  ASSERT_EQ(r.routines.size(), 1u);
  EXPECT_EQ(r.routines[0].status, RoutineStatus::kFailed);
  EXPECT_NE(r.routines[0].reason.find("too big for the context"), std::string::npos);
  EXPECT_EQ(r.output, src.text);
}

TEST(PipelineTest, SyntaxErrorRegionsAreSkipped) {
  FakeLlm llm(DocScript);
  SourceFile src{"broken.py", LanguageNamed("python"),
                 "def good(x):\n    return x\n\n\ndef bad(:\n    return )\n\n\ndef also_good():\n    pass\n"};
  FileResult r = RunOne(llm, src);
  ASSERT_NE(Find(r, "good"), nullptr);
  EXPECT_EQ(Find(r, "good")->status, RoutineStatus::kCommented);
  bool skipped = false;
  for (const auto& o : r.routines) {
    if (o.status == RoutineStatus::kSkipped) {
      skipped = true;
      EXPECT_NE(o.reason.find("syntax error"), std::string::npos);
    }
  }
  EXPECT_TRUE(skipped);
  for (const auto& req : llm.requests()) EXPECT_NE(RoutineOf(req), "bad");
  EXPECT_NE(r.output.find("Doc for good."), std::string::npos);
}

TEST(PipelineTest, EmptyFileNeedsNoRequests) {
  FakeLlm llm(DocScript);
  FileResult r = RunOne(llm, {"empty.py", LanguageNamed("python"), ""});
  EXPECT_EQ(r.status, FileStatus::kEmpty);
  EXPECT_TRUE(llm.requests().empty());
  EXPECT_FALSE(r.HasFailures());
}

TEST(PipelineTest, SeveralFilesInOneGraphKeepInputOrder) {
  FakeLlm llm(DocScript);
  Prompts prompts = LoadAll();
  Annotator annotator(llm, prompts, Updating());
  auto results = annotator.Run({Source("golden_in.c", LanguageNamed("c")), Source("golden_in.py", LanguageNamed("python"))});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].path, "golden_in.c");
  EXPECT_EQ(results[1].output, ReadFile(TestData("golden_out.py")));
  int summaries = 0;
  for (const auto& r : llm.requests()) summaries += IsSummary(r);
  EXPECT_EQ(summaries, 2);
  // Each file's requests carry its own language's template.
  for (const auto& r : llm.requests()) {
    if (IsSummary(r)) continue;
    bool c = r.messages[0].content.find("STYLE GUIDE: C comments") != std::string::npos;
    bool py = r.messages[0].content.find("STYLE GUIDE: Python") != std::string::npos;
    EXPECT_NE(c, py);
  }
}

TEST(PipelineTest, SameInputSameOutput) {
  FakeLlm a(DocScript), b(DocScript);
  EXPECT_EQ(RunOne(a, Source("golden_in.js", LanguageNamed("javascript"))).output,
            RunOne(b, Source("golden_in.js", LanguageNamed("javascript"))).output);
}

// Per-language adapters apply to the whole context, so with select_language set each language's
// requests must run as one group, announced first, and never interleave with another language's.
TEST(PipelineTest, SelectLanguageRunsEachLanguageAsOneGroup) {
  FakeLlm llm(DocScript);
  std::vector<std::pair<Language, size_t>> selected;  // language, requests answered before it
  AnnotateOptions options = Updating();
  options.select_language = [&](Language l) { selected.emplace_back(l, llm.requests().size()); };
  static const Prompts prompts = LoadAll();
  Annotator annotator(llm, prompts, options);
  auto results = annotator.Run({Source("golden_in.py", LanguageNamed("python")), Source("golden_in.js", LanguageNamed("javascript")),
                                Source("golden_in.c", LanguageNamed("c"))});
  ASSERT_EQ(selected.size(), 3u);
  EXPECT_EQ(selected[0].first, LanguageNamed("python"));
  EXPECT_EQ(selected[1].first, LanguageNamed("javascript"));
  EXPECT_EQ(selected[2].first, LanguageNamed("c"));
  auto requests = llm.requests();
  auto file_of = [](const Request& r) { return r.id.find("golden_in.py") != std::string::npos   ? LanguageNamed("python")
                                               : r.id.find("golden_in.js") != std::string::npos ? LanguageNamed("javascript")
                                                                                                 : LanguageNamed("c"); };
  for (size_t g = 0; g < selected.size(); ++g) {
    size_t end = g + 1 < selected.size() ? selected[g + 1].second : requests.size();
    EXPECT_LT(selected[g].second, end) << "every language has requests";
    for (size_t i = selected[g].second; i < end; ++i) EXPECT_EQ(file_of(requests[i]), selected[g].first) << requests[i].id;
  }
  // Grouping changes the order of work, never the result: each file equals its golden output.
  EXPECT_EQ(results[0].output, ReadFile(TestData("golden_out.py")));
  EXPECT_EQ(results[1].output, ReadFile(TestData("golden_out.js")));
  EXPECT_EQ(results[2].output, ReadFile(TestData("golden_out.c")));
}

}  // namespace
}  // namespace scale::annotate
