// The comment cache end to end (real libllama with ../shared/models/stories260K.gguf): a second
// `scale comment -i` on an unchanged file decodes nothing and leaves every byte; after an edit only
// the edited routine and the routines enclosing it are asked again; --no-cache and other settings
// ask again.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "testing/run_scale.h"
#include "testing/temp_dir.h"
#include "testing/test_models.h"
#include "util/fs.h"

namespace scale::annotate {
namespace {

const char kFile[] =
    "class Shop:\n"
    "    def price(self, x):\n"
    "        y = x * 2\n"
    "        return y\n"
    "\n"
    "    def name(self):\n"
    "        return 'shop'\n"
    "\n"
    "\n"
    "def free():\n"
    "    z = 0\n"
    "    return z\n";

class CommentCacheCliTest : public ::testing::Test {
 protected:
  // One run of `scale comment -i` with its own SCALE_HOME (so other tests' records never count).
  nlohmann::json Run(const std::vector<std::string>& extra = {}, const std::string& max_tokens = "16") {
    std::vector<std::string> args = {"comment", "-i", file_, "-m", testing::StoriesModel(), "--format", "raw",
                                     "--max-tokens", max_tokens, "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    testing::RunResult r = testing::RunScaleWith(args, {{"SCALE_HOME", dir_.file("home")}});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  // Routines the cache left alone.
  static std::set<std::string> UpToDate(const nlohmann::json& report) {
    std::set<std::string> names;
    for (const auto& r : report["files"][0]["routines"]) {
      if (r.value("reason", "").find("comment cache") != std::string::npos) names.insert(r["name"].get<std::string>());
    }
    return names;
  }

  testing::TempDir dir_{"commentcache-cli"};
  std::string file_ = dir_.Write("shop.py", kFile);
};

TEST_F(CommentCacheCliTest, UnchangedFilesDecodeNothingAndEditsRedoOnlyWhatTheyTouch) {
  nlohmann::json first = Run();
  EXPECT_GT(first["files"][0]["requests"].get<int>(), 0);
  EXPECT_TRUE(UpToDate(first).empty());
  const std::string written = ReadFile(file_);
  ASSERT_NE(written, kFile);

  nlohmann::json second = Run();
  EXPECT_EQ(second["files"][0]["requests"].get<int>(), 0) << second.dump(1);
  EXPECT_EQ(second["files"][0]["completion_tokens"].get<long>(), 0);
  EXPECT_EQ(UpToDate(second), (std::set<std::string>{"Shop", "Shop.price", "Shop.name", "free"}));
  EXPECT_EQ(ReadFile(file_), written);

  // An edit inside Shop.price: it and Shop are asked again, Shop.name and free are not.
  std::string edited = written;
  edited.replace(edited.find("x * 2"), 5, "x * 3");
  WriteFileAtomic(file_, edited);
  nlohmann::json third = Run();
  EXPECT_GT(third["files"][0]["requests"].get<int>(), 0);
  EXPECT_EQ(UpToDate(third), (std::set<std::string>{"Shop.name", "free"})) << third.dump(1);

  // --no-cache and a different answer budget (a setting) ask about everything again.
  EXPECT_TRUE(UpToDate(Run({"--no-cache"})).empty());
  EXPECT_TRUE(UpToDate(Run({}, "12")).empty());
}

}  // namespace
}  // namespace scale::annotate
