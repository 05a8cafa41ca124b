// Unit tests with the scripted FakeLlm (no real model): the rollup tree and job graph, the
// summary cache (hits, invalidation by content / model / template, corrupt file rebuilt) and the
// Markdown / JSONL output. The real-model run is in summarize_e2e_test.cc.
#include "summarize/summarize.h"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/fake_llm.h"
#include "summarize/output.h"
#include "testing/temp_dir.h"

namespace scale::summarize {
namespace {

namespace fs = std::filesystem;

// Answers "S<n>" numbered by request, so a test can tell a fresh answer from a cached one.
class Scripted : public engine::FakeLlm {
 public:
  explicit Scripted(std::string fingerprint = "fake-model")
      : FakeLlm([this](const engine::Request& r) {
          // Depends on the prompt (like a model would), so a changed prompt changes the answer.
          return "S" + std::to_string(++count_) + " " + r.id + " /" + std::to_string(r.messages[0].content.size()) +
                 "\nextra line\nthird";
        }),
        fingerprint_(std::move(fingerprint)) {}
  std::string Fingerprint() const override { return fingerprint_; }
  int count_ = 0;

 private:
  std::string fingerprint_;
};

PromptSet TestPrompts(const std::string& flavour = "") {
  PromptSet p;
  p.chunk = {"Summarise code in {lines} lines." + flavour, "File {path} {start_line}-{end_line} ({language}):\n{code}"};
  p.file = {"Summarise a file in {lines} lines.", "File {path}:\n{summaries}"};
  p.folder = {"Summarise a folder in {lines} lines.", "Folder {path}:\n{summaries}"};
  return p;
}

WalkResult Repo() {
  WalkResult w;
  w.root = "/tmp/myrepo";
  std::string big;
  for (int i = 0; i < 10; ++i) big += "def f" + std::to_string(i) + "():\n    return " + std::to_string(i) + "\n\n";
  w.files = {{"README.md", "# demo\n"},
             {"src/big.py", big},
             {"src/small.c", "int x(void) { return 1; }\n"},
             {"src/util/one.py", "ONE = 1\n"}};
  return w;
}

TEST(RollupTest, TreeIsPostOrderWithChildrenAsDependencies) {
  Tree tree = BuildTree(Repo(), 9);
  ASSERT_EQ(tree.root, tree.nodes.size() - 1);
  EXPECT_EQ(tree.nodes[tree.root].kind, NodeKind::kRepo);
  EXPECT_EQ(tree.Count(NodeKind::kFile), 4u);
  EXPECT_EQ(tree.Count(NodeKind::kFolder), 2u);  // src, src/util
  EXPECT_GE(tree.Count(NodeKind::kChunk), 4u + 2u);  // big.py is split
  for (size_t i = 0; i < tree.nodes.size(); ++i) {
    for (size_t c : tree.nodes[i].children) {
      EXPECT_LT(c, i);  // children come first: a ready job is always a leaf-most one
      EXPECT_EQ(tree.nodes[c].parent, static_cast<long>(i));
    }
  }
  const Node& src = tree.nodes[tree.nodes[tree.root].children.back()];
  EXPECT_EQ(src.path, "src");
  ASSERT_EQ(src.children.size(), 3u);  // big.py, small.c, then the sub-folder util
  EXPECT_EQ(tree.nodes[src.children[2]].kind, NodeKind::kFolder);
}

TEST(RollupTest, SummariesRollUpAndSingleChildrenAreReused) {
  Scripted llm;
  Tree tree = BuildTree(Repo(), 9);
  SummarizeOptions o;
  o.progress = false;
  SummarizeStats stats = Summarize(llm, TestPrompts(), tree, o, nullptr);
  EXPECT_EQ(stats.failed, 0u);
  for (const Node& n : tree.nodes) {
    EXPECT_FALSE(n.summary.empty()) << n.path;
    EXPECT_EQ(std::count(n.summary.begin(), n.summary.end(), '\n'), 1) << "two lines: " << n.summary;
  }
  // src/util has one file with one chunk: folder = file = chunk summary, one request for all three.
  const Node& util = tree.nodes[tree.nodes[tree.nodes[tree.root].children.back()].children[2]];
  EXPECT_TRUE(util.reused);
  EXPECT_EQ(util.summary, tree.nodes[util.children[0]].summary);
  // The repo prompt lists its children's summaries (dependencies were answered first).
  std::vector<engine::Request> seen = llm.requests();
  const std::string& repo_prompt = seen.back().messages[1].content;
  EXPECT_NE(repo_prompt.find("README.md (file): " + tree.nodes[tree.nodes[tree.root].children[0]].summary.substr(0, 5)),
            std::string::npos) << repo_prompt;
  EXPECT_NE(repo_prompt.find("src/ (folder)"), std::string::npos);
  EXPECT_EQ(stats.summaries, seen.size());
  EXPECT_EQ(stats.cache_hits, 0u);
}

TEST(RollupTest, LongInputIsShortenedToFitTheContext) {
  engine::FakeLlm small([](const engine::Request&) { return "ok"; }, /*context_size=*/200);
  WalkResult w;
  w.root = "/r";
  std::string huge;
  for (int i = 0; i < 300; ++i) huge += "x" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  w.files = {{"huge.py", huge}};
  Tree tree = BuildTree(w, 300);
  SummarizeOptions o;
  o.sampling.max_tokens = 40;
  engine::Request r = NodeRequest(small, TestPrompts(), tree, 0, o);
  EXPECT_LE(small.CountPromptTokens(r.messages) + 40, 200);
  EXPECT_NE(r.messages[1].content.find("more lines not shown"), std::string::npos);
}

class CacheTest : public ::testing::Test {
 protected:
  testing::TempDir dir_{"sumcache"};
  fs::path db_ = dir_.path() / "c.sqlite";
  SummarizeOptions options_ = [] {
    SummarizeOptions o;
    o.progress = false;
    return o;
  }();

  SummarizeStats Run(engine::Llm& llm, const WalkResult& walk, Tree* tree, const PromptSet& prompts = TestPrompts()) {
    SummaryCache cache(db_);
    *tree = BuildTree(walk, 9);
    return Summarize(llm, prompts, *tree, options_, &cache);
  }
};

TEST_F(CacheTest, SecondRunAsksNothingAndAnEditRedoesOnlyItsAncestors) {
  Tree first, second, third;
  Scripted llm1;
  SummarizeStats s1 = Run(llm1, Repo(), &first);
  EXPECT_EQ(s1.cache_hits, 0u);
  Scripted llm2;
  SummarizeStats s2 = Run(llm2, Repo(), &second);
  EXPECT_EQ(llm2.count_, 0);  // nothing asked
  EXPECT_EQ(s2.cache_hits, s2.summaries);
  for (size_t i = 0; i < first.nodes.size(); ++i) EXPECT_EQ(first.nodes[i].summary, second.nodes[i].summary);

  WalkResult edited = Repo();
  edited.files[2].text = "int x(void) { return 2; }\n";  // src/small.c
  Scripted llm3;
  Run(llm3, edited, &third);
  std::vector<std::string> redone;
  for (const auto& r : llm3.requests()) redone.push_back(r.id);
  // small.c's chunk (its file node reuses it), then src/ and the repo: nothing else.
  EXPECT_EQ(redone, (std::vector<std::string>{"chunk src/small.c:1", "folder src", "repo ."}));
}

TEST_F(CacheTest, ModelOrTemplateChangeMissesTheCache) {
  Tree t;
  Scripted a("model-a");
  Run(a, Repo(), &t);
  Scripted b("model-b");
  SummarizeStats other_model = Run(b, Repo(), &t);
  EXPECT_EQ(other_model.cache_hits, 0u);
  Scripted a2("model-a");
  SummarizeStats other_prompt = Run(a2, Repo(), &t, TestPrompts(" Be brief."));
  // Chunk prompts changed: every chunk misses (and so does everything above them).
  EXPECT_EQ(other_prompt.cache_hits, 0u);
  Scripted a3("model-a");
  SummarizeStats again = Run(a3, Repo(), &t);
  EXPECT_EQ(again.cache_hits, again.summaries);
}

TEST_F(CacheTest, CorruptCacheIsMovedAsideAndRebuilt) {
  Tree t;
  Scripted a;
  Run(a, Repo(), &t);
  {
    std::fstream f(db_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f << "this is not an SQLite database header";
  }
  Scripted b;
  SummaryCache cache(db_);
  EXPECT_TRUE(cache.rebuilt());
  Tree t2 = BuildTree(Repo(), 9);
  SummarizeStats s = Summarize(b, TestPrompts(), t2, options_, &cache);
  EXPECT_EQ(s.cache_hits, 0u);
  EXPECT_EQ(s.failed, 0u);
  bool aside = false;
  for (const auto& e : fs::directory_iterator(dir_.path())) aside |= e.path().filename().string().find(".corrupt-") != std::string::npos;
  EXPECT_TRUE(aside);
  SummaryCache reopened(db_);
  EXPECT_FALSE(reopened.rebuilt());
}

TEST(OutputTest, MarkdownTreeAndJsonLines) {
  Scripted llm;
  Tree tree = BuildTree(Repo(), 9);
  SummarizeOptions o;
  o.progress = false;
  Summarize(llm, TestPrompts(), tree, o, nullptr);
  testing::TempDir out("md");
  WriteMarkdownTree(tree, out.path());
  std::ifstream root(out.path() / "SUMMARY.md");
  std::string text((std::istreambuf_iterator<char>(root)), {});
  EXPECT_EQ(text.rfind("# myrepo\n\n" + tree.nodes[tree.root].summary.substr(0, 3), 0), 0u) << text;
  EXPECT_NE(text.find("- [src/](src/SUMMARY.md): "), std::string::npos) << text;
  EXPECT_NE(text.find("- `README.md`: "), std::string::npos);
  EXPECT_TRUE(fs::exists(out.path() / "src" / "util" / "SUMMARY.md"));
  std::string jsonl = JsonLines(tree, "tiny.gguf");
  EXPECT_EQ(static_cast<size_t>(std::count(jsonl.begin(), jsonl.end(), '\n')), tree.nodes.size());
  EXPECT_NE(jsonl.find(R"({"path":"README.md","start_line":1,"end_line":1,"kind":"chunk","summary":)"), std::string::npos);
  EXPECT_NE(jsonl.find(R"("path":".","start_line":null,"end_line":null,"kind":"repo")"), std::string::npos);
  EXPECT_EQ(MarkdownDocument(tree), MarkdownDocument(tree));
}

TEST(CleanSummaryTest, KeepsTheFirstNonEmptyLines) {
  EXPECT_EQ(CleanSummary("\n  one  \n\n two\nthree", 2), "one\ntwo");
  EXPECT_EQ(CleanSummary("only", 3), "only");
  EXPECT_EQ(CleanSummary(" \n ", 2), "");
}

}  // namespace
}  // namespace scale::summarize
