// Unit tests of the shard file and the merge rule, on shard files built in memory (no model): a
// shard file round-trips byte-exact, and every way shard outputs can fail to be one run's N parts
// is refused with one line and exit 7, never merged in part.
#include "summarize/merge.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "testing/exit_code.h"
#include "testing/temp_dir.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "walk/shard.h"

namespace scale::summarize {
namespace {

// A repository of `paths` with one chunk per file, summaries filled in as a shard run would.
std::vector<FileNodes> Repo(const std::vector<std::string>& paths) {
  std::vector<FileNodes> files;
  for (const std::string& p : paths) {
    FileNodes f;
    f.file.kind = NodeKind::kFile;
    f.file.path = p;
    f.file.start_line = 1;
    f.file.end_line = 3;
    f.file.summary = "file " + p;
    f.sha256 = Sha256Hex("content of " + p);
    Node chunk;
    chunk.kind = NodeKind::kChunk;
    chunk.path = p;
    chunk.start_line = 1;
    chunk.end_line = 3;
    chunk.language = "python";
    chunk.summary = "chunk " + p;
    f.chunks.push_back(chunk);
    files.push_back(f);
  }
  return files;
}

RunSettings Settings() { return {"gguf:abc|format:raw", 2, "t=0 max=16", "prompts-sha"}; }

// The N shard files a `--shard I/N` run per I would write for `files`.
std::vector<ShardFile> Split(const std::vector<FileNodes>& files, uint32_t n, const std::string& root = "repo") {
  std::vector<ShardFile> shards(n);
  for (uint32_t i = 1; i <= n; ++i) {
    ShardFile& s = shards[i - 1];
    s.source = "shard-" + std::to_string(i) + ".json";
    s.index = i;
    s.count = n;
    s.root_name = root;
    s.tree_id = TreeId(files);
    s.files_total = files.size();
    s.settings = Settings();
    for (const FileNodes& f : files) {
      if (walk::ShardOf(f.file.path, n) == i) s.files.push_back(f);
    }
  }
  return shards;
}

const std::vector<std::string> kPaths = {"README.md", "src/a.py", "src/b.py", "src/util/c.py", "src/util/d.py",
                                         "tests/t.py", "setup.py", "docs/x.md"};

int Refusal(const std::vector<ShardFile>& shards, std::string* message, RunSettings merge = Settings()) {
  int code = testing::ExitCodeOf([&] { MergeShards(shards, merge); }, message);
  EXPECT_EQ(message->find('\n'), std::string::npos) << *message;
  return code;
}

TEST(MergeTest, RebuildsTheTreeAnUnshardedRunHas) {
  const std::vector<FileNodes> files = Repo(kPaths);
  std::vector<ShardFile> shards = Split(files, 3);
  for (const ShardFile& s : shards) ASSERT_FALSE(s.files.empty()) << "pick paths that fill every shard";
  std::reverse(shards.begin(), shards.end());  // the order given does not matter
  Tree merged = MergeShards(shards, Settings());

  std::vector<FileNodes> sorted = files;
  std::sort(sorted.begin(), sorted.end(), [](const FileNodes& a, const FileNodes& b) { return a.file.path < b.file.path; });
  Tree whole = BuildTreeFromFiles("repo", sorted);
  ASSERT_EQ(merged.nodes.size(), whole.nodes.size());
  for (size_t i = 0; i < whole.nodes.size(); ++i) {
    EXPECT_EQ(merged.nodes[i].kind, whole.nodes[i].kind) << i;
    EXPECT_EQ(merged.nodes[i].path, whole.nodes[i].path) << i;
    EXPECT_EQ(merged.nodes[i].children, whole.nodes[i].children) << i;
    EXPECT_EQ(merged.nodes[i].summary, whole.nodes[i].summary) << i;
  }
  EXPECT_EQ(merged.root_name, "repo");
  EXPECT_EQ(merged.Count(NodeKind::kFile), kPaths.size());
  EXPECT_EQ(merged.Count(NodeKind::kFolder), 4u);  // docs, src, src/util, tests
}

TEST(MergeTest, ShardFileRoundTripsByteExact) {
  std::vector<FileNodes> files = Repo({"ok.py", "caf\xe9/\xff.c"});  // not UTF-8: any bytes
  files[0].file.summary = "two\nlines \xc3\x28 broken";
  files[0].chunks[0].error = "time limit: \x80";
  files[1].file.reused = true;
  ShardFile shard = Split(files, 1)[0];
  shard.root_name = "r\xfe";
  shard.chunk_lines = 77;
  testing::TempDir dir("shardfile");
  const std::string path = dir.file("s.json");
  WriteFileAtomic(path, ShardFileText(shard));
  ShardFile back = ReadShardFile(path);
  EXPECT_EQ(ShardFileText(back), ShardFileText(shard));
  EXPECT_EQ(back.root_name, shard.root_name);
  EXPECT_EQ(back.chunk_lines, 77);
  EXPECT_EQ(back.settings, shard.settings);
  ASSERT_EQ(back.files.size(), 2u);
  EXPECT_EQ(back.files[0].file.summary, files[0].file.summary);
  EXPECT_EQ(back.files[0].chunks[0].error, files[0].chunks[0].error);
  EXPECT_EQ(back.files[1].file.path, files[1].file.path);
  EXPECT_TRUE(back.files[1].file.reused);
  EXPECT_TRUE(back.files[0].file.preset);  // Summarize must keep what a shard decided
  EXPECT_EQ(back.files[1].chunks[0].path, files[1].file.path);
}

TEST(MergeTest, RefusesFilesThatAreNotShardOutputs) {
  testing::TempDir dir("shardjunk");
  std::string message;
  for (const std::string& text : {std::string("not json"), std::string("{\"format\":\"scale-summarize-shard-9\"}"),
                                  std::string("{\"format\":\"scale-summarize-shard-1\",\"shard\":\"x\"}"),
                                  std::string("[1,2]")}) {
    const std::string path = dir.Write("junk.json", text);
    EXPECT_EQ(testing::ExitCodeOf([&] { ReadShardFile(path); }, &message), kExitMergeRefused) << text;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
  EXPECT_EQ(testing::ExitCodeOf([&] { ReadShardFile(dir.file("missing.json")); }), kExitInput);
}

TEST(MergeTest, RefusesAMissingShard) {
  std::vector<ShardFile> shards = Split(Repo(kPaths), 3);
  shards.erase(shards.begin() + 1);
  std::string message;
  EXPECT_EQ(Refusal(shards, &message), kExitMergeRefused);
  EXPECT_NE(message.find("shard 2/3 is missing"), std::string::npos) << message;
}

TEST(MergeTest, RefusesAShardGivenTwice) {
  std::vector<ShardFile> shards = Split(Repo(kPaths), 2);
  shards.push_back(shards[0]);
  std::string message;
  EXPECT_EQ(Refusal(shards, &message), kExitMergeRefused);
  EXPECT_NE(message.find("given twice"), std::string::npos) << message;
}

TEST(MergeTest, RefusesOverlappingShards) {
  // Shard 1 also claims a file of shard 2: the file is in two outputs.
  std::vector<ShardFile> shards = Split(Repo(kPaths), 2);
  shards[0].files.push_back(shards[1].files[0]);
  std::string message;
  EXPECT_EQ(Refusal(shards, &message), kExitMergeRefused);
  EXPECT_NE(message.find("is in both"), std::string::npos) << message;
}

TEST(MergeTest, RefusesShardsOfDifferentRepositories) {
  std::vector<ShardFile> a = Split(Repo(kPaths), 2);
  std::vector<std::string> other = kPaths;
  other.push_back("extra.py");
  std::vector<ShardFile> b = Split(Repo(other), 2);
  std::string message;
  EXPECT_EQ(Refusal({a[0], b[1]}, &message), kExitMergeRefused);
  EXPECT_NE(message.find("different repositories"), std::string::npos) << message;
  // Same files, another root folder name (it is in the repo summary's prompt).
  std::vector<ShardFile> c = Split(Repo(kPaths), 2, "fork");
  EXPECT_EQ(Refusal({a[0], c[1]}, &message), kExitMergeRefused);
  EXPECT_NE(message.find("different roots"), std::string::npos) << message;
  // Another N.
  std::vector<ShardFile> d = Split(Repo(kPaths), 3);
  EXPECT_EQ(Refusal({a[0], d[1], d[2]}, &message), kExitMergeRefused);
}

TEST(MergeTest, RefusesAShardThatLostOrChangedAFile) {
  std::vector<ShardFile> shards = Split(Repo(kPaths), 2);
  shards[1].files.pop_back();
  std::string message;
  EXPECT_EQ(Refusal(shards, &message), kExitMergeRefused);
  EXPECT_NE(message.find("incomplete or altered"), std::string::npos) << message;
  shards = Split(Repo(kPaths), 2);
  shards[0].files[0].sha256 = Sha256Hex("edited");
  EXPECT_EQ(Refusal(shards, &message), kExitMergeRefused);
}

TEST(MergeTest, RefusesAFileInTheWrongShard) {
  std::vector<ShardFile> shards = Split(Repo(kPaths), 2);
  shards[1].files.push_back(shards[0].files.back());
  shards[0].files.pop_back();
  std::string message;
  EXPECT_EQ(Refusal(shards, &message), kExitMergeRefused);
  EXPECT_NE(message.find("belongs to shard 1/2"), std::string::npos) << message;
}

TEST(MergeTest, RefusesOtherSettings) {
  std::vector<ShardFile> shards = Split(Repo(kPaths), 2);
  std::string message;
  RunSettings merge = Settings();
  merge.lines = 3;
  EXPECT_EQ(Refusal(shards, &message, merge), kExitMergeRefused);
  EXPECT_NE(message.find("--lines 2 vs 3"), std::string::npos) << message;
  merge = Settings();
  merge.model = "gguf:other";
  EXPECT_EQ(Refusal(shards, &message, merge), kExitMergeRefused);
  EXPECT_NE(message.find("model"), std::string::npos) << message;
  shards[1].settings.sampling = "t=0.7";  // the shards disagree among themselves
  EXPECT_EQ(Refusal(shards, &message), kExitMergeRefused);
  EXPECT_NE(message.find("different settings"), std::string::npos) << message;
  shards = Split(Repo(kPaths), 2);
  shards[0].chunk_lines = 50;
  EXPECT_EQ(Refusal(shards, &message), kExitMergeRefused);
  EXPECT_NE(message.find("--chunk-lines"), std::string::npos) << message;
}

TEST(MergeTest, OneShardOfOneIsTheWholeRun) {
  std::vector<ShardFile> shards = Split(Repo(kPaths), 1);
  Tree tree = MergeShards(shards, Settings());
  EXPECT_EQ(tree.Count(NodeKind::kFile), kPaths.size());
}

}  // namespace
}  // namespace scale::summarize
