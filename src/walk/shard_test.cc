// The shard rule: N shards of a file list are disjoint and cover it, a file's shard depends only
// on its path and N, the rule is the documented SHA-256 one, and bad --shard text is a usage error.
#include "walk/shard.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::walk {
namespace {

std::vector<std::string> SomePaths() {
  std::vector<std::string> paths;
  for (int i = 0; i < 200; ++i) paths.push_back("src/dir" + std::to_string(i % 7) + "/file" + std::to_string(i) + ".py");
  paths.push_back("README.md");
  paths.push_back("a b/\xff\xfe.c");  // any bytes
  return paths;
}

TEST(ShardTest, ShardsAreDisjointAndCoverTheList) {
  const std::vector<std::string> paths = SomePaths();
  for (uint32_t n : {1u, 2u, 3u, 4u, 7u, 16u}) {
    std::multiset<std::string> union_of_shards;
    for (uint32_t i = 1; i <= n; ++i) {
      for (const std::string& p : paths) {
        if (InShard(p, Shard{i, n})) union_of_shards.insert(p);
      }
    }
    // Every path exactly once: a multiset equal to the list has no duplicates and no gaps.
    EXPECT_EQ(union_of_shards, std::multiset<std::string>(paths.begin(), paths.end())) << "N=" << n;
  }
}

TEST(ShardTest, EveryShardGetsWorkOnAReasonableList) {
  std::map<uint32_t, int> sizes;
  for (const std::string& p : SomePaths()) ++sizes[ShardOf(p, 4)];
  ASSERT_EQ(sizes.size(), 4u);
  for (auto [shard, size] : sizes) {
    EXPECT_GE(shard, 1u);
    EXPECT_LE(shard, 4u);
    EXPECT_GT(size, 20) << "shard " << shard;  // 202 paths: a broken hash would pile them up
  }
}

TEST(ShardTest, ChoiceDependsOnlyOnThePathAndN) {
  std::vector<std::string> paths = SomePaths();
  std::map<std::string, uint32_t> first;
  for (const std::string& p : paths) first[p] = ShardOf(p, 5);
  std::mt19937 rng(7);
  std::shuffle(paths.begin(), paths.end(), rng);
  paths.resize(paths.size() / 3);  // other files gone, the order changed
  for (const std::string& p : paths) EXPECT_EQ(ShardOf(p, 5), first[p]) << p;
}

TEST(ShardTest, IsTheDocumentedSha256Rule) {
  // SHA-256("README.md") starts b335630551682c19 (`printf README.md | sha256sum`):
  // the first 8 bytes big-endian, mod N, plus 1, as docs/sharding.md states.
  const uint64_t prefix = 0xb335630551682c19ull;
  EXPECT_EQ(ShardOf("README.md", 4), static_cast<uint32_t>(prefix % 4) + 1);
  EXPECT_EQ(ShardOf("README.md", 3), static_cast<uint32_t>(prefix % 3) + 1);
  EXPECT_EQ(ShardOf("README.md", 1), 1u);
}

TEST(ShardTest, ParsesIOverN) {
  Shard s = ParseShard("2/4");
  EXPECT_EQ(s.index, 2u);
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.Text(), "2/4");
  EXPECT_TRUE(ParseShard("1/1").all());
  EXPECT_EQ(ParseShard("4/4").index, 4u);
}

TEST(ShardTest, BadTextIsAOneLineUsageError) {
  for (const char* bad : {"0/3", "4/3", "a/b", "3", "", "/", "1/", "/3", "1/0", "-1/3", "+1/3", " 1/3", "1/3 ",
                          "1//3", "1/3/5", "99999999999/99999999999", "0x1/3"}) {
    try {
      ParseShard(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage) << bad;
      std::string message = e.what();
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      EXPECT_NE(message.find("--shard"), std::string::npos) << message;
    }
  }
}

TEST(ShardTest, KeysAreRelativeToTheNamedRoot) {
  testing::TempDir dir("shard");
  dir.Write("repo/src/a.py", "x = 1\n");
  dir.Write("repo/b.py", "y = 2\n");
  const std::filesystem::path repo = dir.path() / "repo";
  std::filesystem::path root = ShardRoot({repo});
  EXPECT_EQ(ShardKey(root, repo / "src" / "a.py"), "src/a.py");
  EXPECT_EQ(ShardKey(root, repo / "src" / ".." / "b.py"), "b.py");
  // Two paths: their common folder, as walk::Walk reports it.
  root = ShardRoot({repo / "src" / "a.py", repo / "b.py"});
  EXPECT_EQ(ShardKey(root, repo / "src" / "a.py"), "src/a.py");
  // A lone file stands for its folder.
  root = ShardRoot({repo / "src" / "a.py"});
  EXPECT_EQ(ShardKey(root, repo / "src" / "a.py"), "a.py");
}

}  // namespace
}  // namespace scale::walk
