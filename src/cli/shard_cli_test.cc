// End to end: `scale comment --shard I/N` (with --check, so no model is needed) takes exactly its
// part of the files: the N shards are disjoint and cover the unsharded run, the --json report
// names the shard and how many files were the other shards', and bad I/N is a usage error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"

namespace scale {
namespace {

std::multiset<std::string> CheckedFiles(const testing::RunResult& r) {
  std::multiset<std::string> out;
  auto j = nlohmann::json::parse(r.out);
  for (const auto& f : j["files"]) out.insert(f["path"].get<std::string>());
  return out;
}

TEST(ShardCliTest, CommentShardsAreDisjointAndCoverTheRun) {
  testing::TempDir dir("shard-cli");
  for (int i = 0; i < 12; ++i) {
    dir.Write("repo/pkg" + std::to_string(i % 3) + "/m" + std::to_string(i) + ".py", "def f():\n    return 1\n");
  }
  const std::string repo = dir.file("repo");
  testing::RunResult all = testing::RunScale({"comment", "--check", "--json", repo});
  ASSERT_EQ(all.exit_code, 1) << all.err;  // routines without comments
  const std::multiset<std::string> everything = CheckedFiles(all);
  ASSERT_EQ(everything.size(), 12u);

  std::multiset<std::string> union_of_shards;
  for (int i = 1; i <= 3; ++i) {
    testing::RunResult part = testing::RunScale({"comment", "--check", "--json", "--shard", std::to_string(i) + "/3", repo});
    ASSERT_TRUE(part.exit_code == 0 || part.exit_code == 1) << part.err;
    auto report = nlohmann::json::parse(part.out);
    EXPECT_EQ(report["shard"], std::to_string(i) + "/3");
    const std::multiset<std::string> files = CheckedFiles(part);
    EXPECT_EQ(report["other_shards_files"].get<size_t>() + files.size(), 12u);
    union_of_shards.insert(files.begin(), files.end());
  }
  EXPECT_EQ(union_of_shards, everything);

  for (const char* bad : {"0/3", "4/3", "a/b", "3"}) {
    testing::RunResult r = testing::RunScale({"comment", "--check", "--shard", bad, repo});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace scale
