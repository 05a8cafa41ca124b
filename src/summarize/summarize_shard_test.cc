// Unit tests with the scripted FakeLlm (no real model; the real-model run is shard_e2e_test.cc):
// a files-only (--shard) run asks for chunks and files only, a merged tree's preset nodes are
// never asked again, and shard runs + merge send exactly the folder and repo requests, and get
// exactly the summaries, of one unsharded run.
#include <gtest/gtest.h>

#include <set>

#include "summarize/merge.h"
#include "summarize/summarize.h"
#include "testing/fake_llm.h"
#include "util/sha256.h"
#include "walk/shard.h"

namespace scale::summarize {
namespace {

// The answer depends only on the prompt, as greedy decoding's does.
engine::FakeLlm PromptHashLlm() {
  return engine::FakeLlm([](const engine::Request& r) {
    std::string all;
    for (const auto& m : r.messages) all += m.content + "\x1f";
    return "about " + Sha256Hex(all).substr(0, 10);
  });
}

PromptSet Prompts() {
  PromptSet p;
  p.chunk = {"Summarise code in {lines} lines.", "File {path} {start_line}-{end_line} ({language}):\n{code}"};
  p.file = {"Summarise a file in {lines} lines.", "File {path}:\n{summaries}"};
  p.folder = {"Summarise a folder in {lines} lines.", "Folder {path}:\n{summaries}"};
  return p;
}

WalkResult Repo() {
  WalkResult w;
  w.root = "/tmp/myrepo";
  std::string big;
  for (int i = 0; i < 12; ++i) big += "def f" + std::to_string(i) + "():\n    return " + std::to_string(i) + "\n\n";
  w.files = {{"README.md", "# demo\n"},           {"setup.py", "setup()\n"},
             {"src/big.py", big},                 {"src/small.c", "int x(void) { return 1; }\n"},
             {"src/util/one.py", "ONE = 1\n"},    {"src/util/two.py", "TWO = 2\n"},
             {"tests/test_one.py", "assert 1\n"}, {"docs/guide.md", "# Guide\n"}};
  return w;
}

std::set<std::string> Kinds(const engine::FakeLlm& llm) {
  std::set<std::string> kinds;
  for (const auto& r : llm.requests()) kinds.insert(r.id.substr(0, r.id.find(' ')));
  return kinds;
}

TEST(ShardSummarizeTest, ShardsPlusMergeEqualOneRun) {
  SummarizeOptions options;
  options.progress = false;
  options.sampling.max_tokens = 32;

  engine::FakeLlm whole_llm = PromptHashLlm();
  Tree whole = BuildTree(Repo(), 9);
  Summarize(whole_llm, Prompts(), whole, options, nullptr);

  const uint32_t n = 3;
  const std::vector<FileNodes> all_files = CutFiles(Repo(), 9);
  const RunSettings settings = MakeRunSettings("fake", Prompts(), options);
  std::vector<ShardFile> shards;
  for (uint32_t i = 1; i <= n; ++i) {
    std::vector<FileNodes> mine;
    for (const FileNodes& f : all_files) {
      if (walk::InShard(f.file.path, walk::Shard{i, n})) mine.push_back(f);
    }
    Tree part = BuildTreeFromFiles("myrepo", mine);
    engine::FakeLlm llm = PromptHashLlm();
    SummarizeOptions shard_options = options;
    shard_options.files_only = true;
    SummarizeStats stats = Summarize(llm, Prompts(), part, shard_options, nullptr);
    EXPECT_EQ(stats.failed, 0u);
    EXPECT_EQ(stats.folders, 0u);
    for (const std::string& kind : Kinds(llm)) EXPECT_TRUE(kind == "chunk" || kind == "file") << kind;
    ShardFile s;
    s.index = i;
    s.count = n;
    s.root_name = "myrepo";
    s.tree_id = TreeId(all_files);
    s.files_total = all_files.size();
    s.chunk_lines = 9;
    s.settings = settings;
    for (const Node& node : part.nodes) {
      if (node.kind != NodeKind::kFile) continue;
      FileNodes f;
      f.file = node;
      f.file.preset = true;
      for (const FileNodes& a : all_files) {
        if (a.file.path == node.path) f.sha256 = a.sha256;
      }
      for (size_t c : node.children) {
        f.chunks.push_back(part.nodes[c]);
        f.chunks.back().preset = true;
      }
      s.files.push_back(f);
    }
    shards.push_back(s);
  }

  Tree merged = MergeShards(shards, settings);
  engine::FakeLlm merge_llm = PromptHashLlm();
  SummarizeStats stats = Summarize(merge_llm, Prompts(), merged, options, nullptr);
  EXPECT_EQ(stats.chunks_decoded, 0u);
  for (const std::string& kind : Kinds(merge_llm)) EXPECT_TRUE(kind == "folder" || kind == "repo") << kind;
  EXPECT_FALSE(merge_llm.requests().empty());

  // The folder and repo prompts are byte-identical to the unsharded run's, so are the answers.
  std::vector<engine::Request> expected;
  for (const auto& r : whole_llm.requests()) {
    if (r.id.rfind("folder", 0) == 0 || r.id.rfind("repo", 0) == 0) expected.push_back(r);
  }
  ASSERT_EQ(merge_llm.requests().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(merge_llm.requests()[i].id, expected[i].id);
    ASSERT_EQ(merge_llm.requests()[i].messages.size(), expected[i].messages.size());
    for (size_t m = 0; m < expected[i].messages.size(); ++m) {
      EXPECT_EQ(merge_llm.requests()[i].messages[m].content, expected[i].messages[m].content) << expected[i].id;
    }
  }
  ASSERT_EQ(merged.nodes.size(), whole.nodes.size());
  for (size_t i = 0; i < whole.nodes.size(); ++i) {
    EXPECT_EQ(merged.nodes[i].path, whole.nodes[i].path) << i;
    EXPECT_EQ(merged.nodes[i].summary, whole.nodes[i].summary) << whole.nodes[i].path;
  }
}

TEST(ShardSummarizeTest, PresetNodesAreNeverAskedAgain) {
  SummarizeOptions options;
  options.progress = false;
  Tree tree = BuildTree(Repo(), 9);
  for (Node& node : tree.nodes) {
    if (node.kind == NodeKind::kChunk || node.kind == NodeKind::kFile) {
      node.preset = true;
      node.summary = node.kind == NodeKind::kFile ? "given " + node.path : "";
      if (node.kind == NodeKind::kChunk) node.error = "failed in its shard";
    }
  }
  engine::FakeLlm llm = PromptHashLlm();
  SummarizeStats stats = Summarize(llm, Prompts(), tree, options, nullptr);
  for (const std::string& kind : Kinds(llm)) EXPECT_TRUE(kind == "folder" || kind == "repo") << kind;
  EXPECT_EQ(stats.failed, tree.Count(NodeKind::kChunk));  // a shard's failures stay failures
  for (const Node& node : tree.nodes) {
    if (node.kind == NodeKind::kFile) {
      EXPECT_EQ(node.summary, "given " + node.path);
    }
  }
}

}  // namespace
}  // namespace scale::summarize
