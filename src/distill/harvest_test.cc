// Harvests over a generated tree (test_tree.h) with the real scale-cfg prompts: the rows, every
// filter's count, the by-file split, determinism, and that a row's prompt is the one the annotate
// code builds for the routine in the file without its comment.
#include "distill/harvest.h"

#include <gtest/gtest.h>

#include <set>

#include "annotate/prompt.h"
#include "distill/test_tree.h"
#include "distill/unbounded_llm.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::distill {
namespace {

using testing::TempDir;

HarvestOptions Options(double holdout = 0.1, uint64_t seed = 1) {
  HarvestOptions o;
  o.config_dir = std::string(SCALE_SOURCE_DIR) + "/scale-cfg";
  o.holdout = holdout;
  o.seed = seed;
  return o;
}

const HarvestedRow* Find(const Harvest& h, const std::string& source, const std::string& routine) {
  for (const auto& r : h.rows) {
    if (r.source == source && r.row.routine == routine) return &r;
  }
  return nullptr;
}

TEST(Harvest, RowsAndEveryFilterCounted) {
  TempDir dir("harvest");
  const Harvest h = HarvestRoots({testtree::Write(dir)}, Options());
  std::vector<std::string> got;
  for (const auto& r : h.rows) got.push_back(r.source + ":" + r.row.routine);
  EXPECT_EQ(got, (std::vector<std::string>{"c/util.c:max_int", "c/util.c:count_bytes", "pkg/copy_of_shapes.py:area",
                                           "pkg/copy_of_shapes.py:Circle", "pkg/copy_of_shapes.py:Circle.__init__",
                                           "pkg/copy_of_shapes.py:Circle.area", "pkg/near.py:stub",
                                           "web/app.js:fullName"}));
  const HarvestReport& r = h.report;
  EXPECT_EQ(r.files, 5);
  EXPECT_EQ(r.files_with_rows, 4);
  EXPECT_EQ(r.commented, 20);
  EXPECT_EQ(r.dropped, (std::map<std::string, int>{{"boilerplate", 4},  // 2 TODO, FIXME, "Auto-generated"
                                                   {"licence", 2},
                                                   {"duplicate", 4},    // shapes.py, a copy of copy_of_shapes.py
                                                   {"near duplicate", 1},
                                                   {"no code without its comment", 1}}));  // same_line
  EXPECT_EQ(r.languages, (std::map<std::string, int>{{"c", 2}, {"javascript", 1}, {"python", 5}}));
  EXPECT_EQ(r.rows(), 8);

  // The answer is the comment's prose as scale reads it: no markers, no gutter.
  const HarvestedRow* count = Find(h, "c/util.c", "count_bytes");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->row.answer, "Count the bytes of a NUL-terminated string, like strlen.");
  EXPECT_EQ(Find(h, "pkg/copy_of_shapes.py", "Circle.__init__")->row.answer, "Remember the radius of the circle.");
  // A body that is only its docstring is shown as the `pass` it would hold without one.
  EXPECT_NE(Find(h, "pkg/near.py", "stub")->row.messages[1].content.find("    def stub():\n        pass\n"), std::string::npos);
  EXPECT_EQ(count->root, "proj");
  EXPECT_EQ(count->language, "c");
  EXPECT_EQ(count->row.kind, "function");
  EXPECT_EQ(count->source_sha256.size(), 64u);
  EXPECT_EQ(count->template_sha256.size(), 64u);
  // The licence header above the first function is the file's, never a row or the routine's comment.
  EXPECT_EQ(Find(h, "c/util.c", "max_int")->row.answer, "Return the larger of two integers a and b.");
  for (const auto& row : h.rows) {
    EXPECT_EQ(row.row.messages.back().content.find("Its current comment"), std::string::npos) << row.row.routine;
    EXPECT_EQ(row.row.messages.back().content.find(row.row.answer), std::string::npos)
        << row.row.routine << ": the answer must not be in its own prompt";
  }
}

// What annotate builds for routine `name` of `bare` (the file as if the comment were never written).
std::vector<engine::Message> AnnotatePrompt(const std::string& language, const std::string& bare, const std::string& name) {
  const auto lang = languages::LanguageNamed(language);
  const annotate::Prompts prompts = annotate::LoadPrompts(std::string(SCALE_SOURCE_DIR) + "/scale-cfg", {lang});
  const languages::ParsedFile file = languages::Parse(lang, bare);
  for (const auto& r : file.routines) {
    if (r.qualified_name != name) continue;
    UnboundedLlm llm;
    return annotate::RoutineMessages(llm, prompts, file, r.id, languages::RoutineView(file, r.id, {}), "", 0).messages;
  }
  ADD_FAILURE() << name << " not found";
  return {};
}

void ExpectSameMessages(const std::vector<engine::Message>& a, const std::vector<engine::Message>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].role, b[i].role);
    EXPECT_EQ(a[i].content, b[i].content);
  }
}

TEST(Harvest, PromptIsWhatScaleCommentBuildsWithTheCommentRemoved) {
  TempDir dir("harvest");
  const Harvest h = HarvestRoots({testtree::Write(dir)}, Options());
  std::string c = testtree::kUtilC;
  const std::string doc = "/**\n * Count the bytes of a NUL-terminated string, like strlen.\n */\n";
  c.erase(c.find(doc), doc.size());
  ExpectSameMessages(Find(h, "c/util.c", "count_bytes")->row.messages, AnnotatePrompt("c", c, "count_bytes"));

  // A method: only its own docstring goes; the class's and the sibling's stay.
  std::string py = testtree::kShapes;
  const std::string init_doc = "        \"\"\"Remember the radius of the circle.\"\"\"\n";
  py.erase(py.find(init_doc), init_doc.size());
  const auto& init = Find(h, "pkg/copy_of_shapes.py", "Circle.__init__")->row.messages;
  ExpectSameMessages(init, AnnotatePrompt("python", py, "Circle.__init__"));
  EXPECT_NE(init[0].content.find("STYLE GUIDE: Python docstrings"), std::string::npos) << "the language template";

  // A class: its children appear as signature + their comments (the elision scale comment uses).
  std::string cls = testtree::kShapes;
  const std::string class_doc = "    \"\"\"A circle of a given radius, centred at the origin.\"\"\"\n";
  cls.erase(cls.find(class_doc), class_doc.size());
  const auto& circle = Find(h, "pkg/copy_of_shapes.py", "Circle")->row.messages;
  ExpectSameMessages(circle, AnnotatePrompt("python", cls, "Circle"));
  EXPECT_NE(circle[1].content.find("Remember the radius of the circle."), std::string::npos);
  EXPECT_EQ(circle[1].content.find("self.radius = radius"), std::string::npos) << "children's bodies are elided";
}

TEST(Harvest, SplitIsByFileSeededAndDeterministic) {
  TempDir dir("harvest");
  const std::string root = testtree::Write(dir);
  std::set<std::string> seen_eval;
  bool some_split_has_both = false;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const Harvest a = HarvestRoots({root}, Options(0.5, seed));
    HarvestOptions threaded = Options(0.5, seed);
    threaded.threads = 3;
    const Harvest b = HarvestRoots({root}, threaded);
    EXPECT_EQ(RowsJsonl(a.rows), RowsJsonl(b.rows)) << "same input and seed: byte-identical, whatever the threads";
    EXPECT_EQ(ReportJson(a.report), ReportJson(b.report));
    std::map<std::string, std::set<bool>> splits;
    for (const auto& r : a.rows) splits[r.source].insert(r.held_out);
    for (const auto& [file, s] : splits) EXPECT_EQ(s.size(), 1u) << file << " has rows in both splits (seed " << seed << ")";
    EXPECT_EQ(a.report.train_rows + a.report.eval_rows, 8);
    EXPECT_EQ(a.report.train_files + a.report.eval_files, 4);
    some_split_has_both = some_split_has_both || (a.report.train_rows > 0 && a.report.eval_rows > 0);
    for (const auto& r : a.rows) {
      if (r.held_out) seen_eval.insert(r.source);
    }
  }
  EXPECT_TRUE(some_split_has_both);
  EXPECT_EQ(seen_eval.size(), 4u) << "over the seeds every file is held out once";
  EXPECT_EQ(HarvestRoots({root}, Options(0.0)).report.eval_rows, 0);
}

TEST(Harvest, JsonlRowCarriesProvenance) {
  TempDir dir("harvest");
  const Harvest h = HarvestRoots({testtree::Write(dir)}, Options());
  const std::string jsonl = RowsJsonl(h.rows);
  EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), 8);
  const nlohmann::json j = nlohmann::json::parse(jsonl.substr(0, jsonl.find('\n')));
  EXPECT_EQ(j["answer"], "Return the larger of two integers a and b.");
  EXPECT_EQ(j["messages"][0]["role"], "system");
  EXPECT_EQ(j["messages"][1]["role"], "user");
  EXPECT_TRUE(j["split"] == "train" || j["split"] == "eval");
  EXPECT_EQ(j["meta"]["source"], "c/util.c");
  EXPECT_EQ(j["meta"]["root"], "proj");
  EXPECT_EQ(j["meta"]["routine"], "max_int");
  EXPECT_EQ(j["meta"]["language"], "c");
  EXPECT_EQ(j["meta"]["line"], 9);
  EXPECT_EQ(j["meta"]["summary"], "none");
  EXPECT_EQ(j["meta"]["source_sha256"].get<std::string>().size(), 64u);
}

TEST(Harvest, LengthBoundsAndRootNames) {
  TempDir dir("harvest");
  const std::string root = testtree::Write(dir);
  HarvestOptions o = Options();
  o.min_chars = 40;  // keeps only the longer comments
  const Harvest h = HarvestRoots({root}, o);
  EXPECT_GT(h.report.dropped.at("too short"), 0);
  for (const auto& r : h.rows) EXPECT_GE(r.row.answer.size(), 40u);
  o = Options();
  o.max_routine_chars = 60;
  EXPECT_GT(HarvestRoots({root}, o).report.dropped.at("routine too long"), 0);

  // Two roots with one name would give two files one key.
  testtree::Write(dir, "a/proj");
  try {
    HarvestRoots({root, dir.file("a/proj")}, Options());
    FAIL() << "expected a usage error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
  EXPECT_THROW(HarvestRoots({dir.file("missing")}, Options()), Error);
}

}  // namespace
}  // namespace scale::distill
