// Per-file project settings (cli/file_config.h): include/exclude with gitignore semantics relative
// to the config's folder, include only for walked files, exclude for named ones only when forced;
// the [comment] table of each file's own config; bad templates folders are FILE:LINE errors.
#include "cli/file_config.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::cli {
namespace {
namespace fs = std::filesystem;

TEST(ProjectFiles, ExcludeIsGitignoreRelativeToTheConfig) {
  testing::TempDir dir;
  std::string cfg = dir.Write("p/.scale.toml",
                              "[comment]\nexclude = [\"vendor/\", \"*_pb2.py\", \"/top.py\", \"gen/**\", \"!gen/keep.py\"]\n");
  ProjectFiles files;
  auto walked = [&](const std::string& rel) { return files.LeftOut(dir.path() / "p" / rel, true, false); };
  EXPECT_EQ(walked("vendor/lib/x.c"), "excluded by " + cfg + ":2 (comment.exclude)");
  EXPECT_TRUE(walked("src/vendor/y.c")) << "a pattern without a slash matches at any depth";
  EXPECT_TRUE(walked("src/api_pb2.py"));
  EXPECT_TRUE(walked("top.py"));
  EXPECT_FALSE(walked("src/top.py")) << "a leading slash anchors to the config's folder";
  EXPECT_TRUE(walked("gen/a.py"));
  EXPECT_FALSE(walked("gen/keep.py")) << "! re-includes, as in .gitignore";
  EXPECT_FALSE(walked("src/main.py"));
  // Named on the command line: processed, unless forced (--force-exclude).
  EXPECT_FALSE(files.LeftOut(dir.path() / "p/vendor/x.c", false, false));
  EXPECT_TRUE(files.LeftOut(dir.path() / "p/vendor/x.c", false, true));
  // A file outside p/ has no config (none above the temp dir), so nothing leaves it out.
  EXPECT_FALSE(files.LeftOut(dir.path() / "vendor/x.c", true, true));
}

TEST(ProjectFiles, IncludeNarrowsOnlyWhatAWalkFinds) {
  testing::TempDir dir;
  std::string cfg = dir.Write(".scale.toml", "[comment]\ninclude = [\"src/\", \"!src/gen/\", \"tools/*.py\"]\nforce_exclude = true\n");
  ProjectFiles files;
  EXPECT_FALSE(files.LeftOut(dir.path() / "src/a/b.c", true, false));
  EXPECT_EQ(files.LeftOut(dir.path() / "src/gen/b.c", true, false), "not in " + cfg + ":2 (comment.include)");
  EXPECT_FALSE(files.LeftOut(dir.path() / "tools/x.py", true, false));
  EXPECT_TRUE(files.LeftOut(dir.path() / "tools/x.c", true, false));
  EXPECT_TRUE(files.LeftOut(dir.path() / "docs/conf.py", true, false));
  EXPECT_FALSE(files.LeftOut(dir.path() / "docs/conf.py", false, true)) << "a named file is never narrowed by include";
}

TEST(ProjectFiles, EachFileGetsItsOwnConfigsCommentTable) {
  testing::TempDir dir;
  dir.Write(".scale.toml", "[comment]\nexisting = \"keep\"\nmacros = [\"API\"]\n");
  dir.Write("lib/pyproject.toml", "[tool.scale.comment]\nexisting = \"update\"\n[tool.scale.comment.style.c]\npreset = \"plain\"\n");
  ProjectFiles files;
  const FileConfig& top = files.For(dir.path() / "a.c");
  const FileConfig& lib = files.For(dir.path() / "lib/deep/b.c");
  EXPECT_EQ(top.existing, annotate::ExistingMode::kKeep);
  EXPECT_EQ(top.parse.macros, std::vector<std::string>{"API"});
  EXPECT_EQ(lib.existing, annotate::ExistingMode::kUpdate);
  EXPECT_TRUE(lib.parse.macros.empty());
  EXPECT_EQ(lib.parse.styles.at(languages::LanguageNamed("c")).open, "/*");
  EXPECT_EQ(&files.For(dir.path() / "lib/c.c"), &lib) << "resolved once per config file";
  EXPECT_EQ(files.Seen().size(), 2u);
}

TEST(ProjectFiles, ATemplatesFolderMustExist) {
  testing::TempDir dir;
  std::string cfg = dir.Write(".scale.toml", "\n[comment]\ntemplates = \"tpl\"\n");
  ProjectFiles files;
  try {
    files.For(dir.path() / "a.py");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_EQ(std::string(e.what()), cfg + ":3: comment.templates: " + dir.file("tpl") + " is not a folder");
  }
  fs::create_directories(dir.path() / "tpl");
  EXPECT_EQ(ProjectFiles().For(dir.path() / "a.py").templates, dir.path() / "tpl");
}

}  // namespace
}  // namespace scale::cli
