// Tests of loading scale-cfg: the shipped prompts load, and missing pieces are usage errors.
#include "annotate/config.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"
#include "util/error.h"

namespace scale::annotate {
namespace {

using languages::Language;
using languages::LanguageName;
using languages::LanguageNamed;

// Every registered language ships a template (docs/languages.md, "How to add a language").
TEST(ConfigTest, ShippedPromptsLoadWithExamplesAndRules) {
  Prompts p = LoadPrompts(std::string(SCALE_SOURCE_DIR) + "/scale-cfg", languages::AllLanguages());
  EXPECT_NE(p.system.find("no code"), std::string::npos);
  EXPECT_NE(p.summary.find("summary"), std::string::npos);
  EXPECT_GE(languages::AllLanguages().size(), 14u);
  for (auto language : languages::AllLanguages()) {
    const std::string& t = p.Template(language);
    EXPECT_NE(t.find("EXAMPLE 1 (complex)"), std::string::npos) << LanguageName(language);
    EXPECT_NE(t.find("EXAMPLE 2 (mid-size)"), std::string::npos);
    EXPECT_NE(t.find("EXAMPLE 3 (trivial)"), std::string::npos);
    // Each guide says how parameters are documented: a tag for every one where the convention has
    // tags, in prose where it has none (Go, Rust), `$1:` lines for Bash, props for TSX components.
    std::string name = LanguageName(language);
    bool tagged = name != "go" && name != "rust" && name != "bash" && name != "tsx" && name != "cpp";
    if (tagged) {
      EXPECT_NE(t.find("EVERY parameter"), std::string::npos) << name;
    }
    if (name == "cpp") {
      EXPECT_NE(t.find("EVERY named parameter"), std::string::npos);
    }
    EXPECT_NE(t.find("parameter"), std::string::npos) << name;
    EXPECT_NE(t.back(), '\n');  // trailing blank lines trimmed
  }
}

// A project's templates folder replaces only the files it has (.scale.toml [comment] templates).
TEST(ConfigTest, AProjectFolderOverridesOnlyTheFilesItHas) {
  const Prompts base = LoadPrompts(std::string(SCALE_SOURCE_DIR) + "/scale-cfg", {LanguageNamed("python"), LanguageNamed("c")});
  testing::TempDir dir;
  dir.Write("python.txt", "OUR PYTHON GUIDE\n");
  Prompts p = LoadPromptsOver(base, dir.path(), {LanguageNamed("python"), LanguageNamed("c")});
  EXPECT_EQ(p.dir, dir.path());
  EXPECT_EQ(p.Template(LanguageNamed("python")), "OUR PYTHON GUIDE");
  EXPECT_EQ(p.Template(LanguageNamed("c")), base.Template(LanguageNamed("c")));
  EXPECT_EQ(p.system, base.system);
  dir.Write("comment.txt", "OUR SYSTEM\n");
  EXPECT_EQ(LoadPromptsOver(base, dir.path(), {LanguageNamed("python")}).system, "OUR SYSTEM");
  dir.Write("summary.txt", "  \n");
  EXPECT_THROW(LoadPromptsOver(base, dir.path(), {LanguageNamed("python")}), Error) << "an empty file is still an error";
}

TEST(ConfigTest, MissingTemplateIsAUsageError) {
  testing::TempDir dir;
  dir.Write("comment.txt", "system\n");
  dir.Write("summary.txt", "summary\n");
  dir.Write("python.txt", "py\n");
  EXPECT_EQ(LoadPrompts(dir.path(), {LanguageNamed("python")}).Template(LanguageNamed("python")), "py");
  try {
    LoadPrompts(dir.path(), {LanguageNamed("python"), LanguageNamed("c")});
    FAIL() << "no error for a missing c.txt";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("c.txt"), std::string::npos) << e.what();
  }
}

TEST(ConfigTest, EmptyPromptIsAUsageError) {
  testing::TempDir dir;
  dir.Write("comment.txt", "  \n\n");
  dir.Write("summary.txt", "summary\n");
  try {
    LoadPrompts(dir.path(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos);
  }
}

TEST(ConfigTest, ConfigFlagMustBeADirectory) {
  EXPECT_THROW(FindConfigDir("/nonexistent/scale-cfg"), Error);
  testing::TempDir dir;
  EXPECT_EQ(FindConfigDir(dir.path().string()), dir.path());
  // Without the flag the source tree's scale-cfg is found.
  EXPECT_TRUE(std::filesystem::exists(FindConfigDir("") / "comment.txt"));
}

}  // namespace
}  // namespace scale::annotate
