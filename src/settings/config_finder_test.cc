// Discovery of the project config (toml_layer.h): per folder .scale.toml before a pyproject.toml
// with [tool.scale], a pyproject without it passed over, the nearest folder wins, each folder
// looked at once; [tool.scale] holds the .scale.toml schema with FILE:LINE errors; the new keys.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "settings/config_error_test_util.h"
#include "settings/toml_layer.h"
#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::settings {
namespace {
namespace fs = std::filesystem;

TEST(ConfigFinder, ScaleTomlBeatsPyprojectInTheSameFolder) {
  testing::TempDir dir;
  dir.Write("p/pyproject.toml", "[tool.scale.engine]\nparallel = 2\n");
  std::string own = dir.Write("p/.scale.toml", "[engine]\nparallel = 3\n");
  ConfigFinder finder;
  auto c = finder.ForFolder(dir.path() / "p");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->path, own);
  EXPECT_EQ(c->engine.at("parallel").text, "3");
}

TEST(ConfigFinder, PyprojectWithoutToolScaleIsPassedOver) {
  testing::TempDir dir;
  std::string top = dir.Write("a/pyproject.toml", "[project]\nname = \"a\"\n\n[tool.scale.comment]\nexisting = \"keep\"\n");
  dir.Write("a/b/pyproject.toml", "[project]\nname = \"b\"\n[tool.ruff]\nline-length = 100\n");
  // Not TOML at all, and not about scale: another tool's problem, never parsed.
  dir.Write("a/b/c/pyproject.toml", "[project\nname = 'broken'\n");
  fs::create_directories(dir.path() / "a/b/c/d");
  ConfigFinder finder;
  auto c = finder.ForFolder(dir.path() / "a/b/c/d");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->path, top);
  EXPECT_EQ(c->table, "tool.scale");
  EXPECT_EQ(c->comment.existing, "keep");
  EXPECT_EQ(c->comment.existing_where, top + ":5");
}

TEST(ConfigFinder, TheNearestWinsWholeAndEachFolderIsReadOnce) {
  testing::TempDir dir;
  std::string top = dir.Write(".scale.toml", "[comment]\nexclude = [\"gen/\"]\n");
  std::string sub = dir.Write("sub/.scale.toml", "[comment]\nexisting = \"update\"\n");
  fs::create_directories(dir.path() / "sub/deep");
  fs::create_directories(dir.path() / "other");
  ConfigFinder finder;
  auto in_sub = finder.ForFile(dir.path() / "sub/deep/x.py");
  auto in_other = finder.ForFile(dir.path() / "other/y.py");
  ASSERT_TRUE(in_sub && in_other);
  EXPECT_EQ(in_sub->path, sub);
  EXPECT_TRUE(in_sub->comment.exclude.empty()) << "no merging with the config above";
  EXPECT_EQ(in_other->path, top);
  // Cached per folder: a sibling gets the same object, and the file is not read again.
  fs::remove(sub);
  EXPECT_EQ(finder.ForFile(dir.path() / "sub/deep/z.py").get(), in_sub.get());
  EXPECT_EQ(finder.ForFolder(dir.path() / "sub").get(), in_sub.get());
  EXPECT_EQ(finder.ForFile(dir.path() / "top.py")->path, top);
  // A fresh finder sees the folder as it is now.
  EXPECT_EQ(ConfigFinder().ForFile(dir.path() / "sub/deep/z.py")->path, top);
}

TEST(ConfigFinder, ToolScaleHoldsTheSameSchemaWithFileLineErrors) {
  testing::TempDir dir;
  std::string py = dir.Write("pyproject.toml",
                             "[project]\nname = \"x\"\n\n[tool.scale]\nprofile = \"cpu-2core-8gb\"\n\n"
                             "[tool.scale.engine]\nctx_size = 2048\n\n[tool.scale.comment]\nexclude = [\"vendor/\"]\n"
                             "templates = \"tpl\"\n\n[tool.scale.comment.style.c]\npreset = \"plain\"\n");
  ProjectConfig c = LoadProjectConfig(py);
  EXPECT_EQ(c.profile, "cpu-2core-8gb");
  EXPECT_EQ(c.profile_where, py + ":5");
  EXPECT_EQ(c.engine.at("ctx_size").origin, py + ":8");
  EXPECT_EQ(c.comment.exclude, std::vector<std::string>{"vendor/"});
  EXPECT_EQ(c.comment.templates, (dir.path() / "tpl").string()) << "relative to the file";
  EXPECT_EQ(c.comment.styles.at("c").preset, "plain");
  EXPECT_TRUE(c.HasRunSettings());

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[tool.scale.comment]\nexisting = \"own\"\nexclud = []\n",
       "pyproject.toml:3: unknown key 'tool.scale.comment.exclud' (known: existing, include, exclude, force_exclude, "
       "templates, macros, [tool.scale.comment.style.<language>])"},
      {"[tool.scale.engine]\nparalel = 2\n", "pyproject.toml:2: unknown key 'tool.scale.engine.paralel'"},
      {"[tool.scale]\nengines = {}\n", "pyproject.toml:2: unknown key 'tool.scale.engines': [tool.scale] has only profile"},
      {"[tool.scale.comment.style.c]\nwidht = 9\n", "pyproject.toml:2: unknown key 'tool.scale.comment.style.c.widht'"},
      {"[tool]\nscale = 3\n", "pyproject.toml:2: tool.scale must be a table"},
      {"[tool.scale\n", "pyproject.toml:1"},  // mentions scale: a syntax error is ours to report
  };
  for (const auto& [body, part] : cases) {
    std::string e = ConfigUsageError(dir.Write("pyproject.toml", body));
    EXPECT_NE(e.find(part), std::string::npos) << body << " -> " << e;
  }
  EXPECT_FALSE(ReadProjectConfig(dir.Write("pyproject.toml", "[tool.black]\nline-length = 90\n")).has_value());
}

TEST(ConfigFinder, CommentKeysAreTypedAndChecked) {
  testing::TempDir dir;
  std::string file = dir.Write(".scale.toml",
                               "profile = \"profiles/mine.toml\"\n[comment]\nexisting = \"update\"\ninclude = [\"src/\", \"!src/gen/\"]\n"
                               "exclude = [\"*_pb2.py\"]\nforce_exclude = true\n");
  ProjectConfig c = LoadProjectConfig(file);
  EXPECT_EQ(c.profile, (dir.path() / "profiles/mine.toml").string()) << "a profile file is relative to the config";
  EXPECT_EQ(c.comment.existing, "update");
  EXPECT_EQ(c.comment.include, (std::vector<std::string>{"src/", "!src/gen/"}));
  EXPECT_EQ(c.comment.include_where, file + ":4");
  EXPECT_EQ(c.comment.exclude_where, file + ":5");
  EXPECT_TRUE(c.comment.force_exclude);
  EXPECT_FALSE(LoadProjectConfig(dir.Write("x.toml", "[comment]\nexisting = \"keep\"\n")).HasRunSettings());

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[comment]\nexisting = \"sometimes\"\n", "x.toml:2: comment.existing must be \"own\", \"update\" or \"keep\", not \"sometimes\""},
      {"[comment]\nexisting = 1\n", "x.toml:2: comment.existing must be a string"},
      {"[comment]\ninclude = \"src/\"\n", "x.toml:2: comment.include must be a list of gitignore-style globs"},
      {"[comment]\nexclude = [1]\n", "x.toml:2: each of comment.exclude must be a string"},
      {"[comment]\nexclude = [\"\"]\n", "x.toml:2: comment.exclude: '' is not a glob"},
      {"[comment]\nexclude = [\"a\\nb\"]\n", "is not a glob"},
      {"[comment]\ntemplates = 3\n", "x.toml:2: comment.templates (a folder) must be a string"},
      {"[comment]\nforce_exclude = \"yes\"\n", "x.toml:2: comment.force_exclude must be true or false"},
      {"profile = 4\n", "x.toml:1: profile must be a string"},
      {"[comment.style.c]\npreset = 1\n", "x.toml:2: comment.style.c.preset must be a string"},
  };
  for (const auto& [body, part] : cases) {
    std::string e = ConfigUsageError(dir.Write("x.toml", body));
    EXPECT_NE(e.find(part), std::string::npos) << body << " -> " << e;
  }
}

}  // namespace
}  // namespace scale::settings
